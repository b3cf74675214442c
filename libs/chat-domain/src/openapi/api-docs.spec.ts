import 'reflect-metadata';

// `@nestjs/swagger`'s metadata keys (its `DECORATORS` constants), read without importing the package.
const MODEL_PROPERTIES = 'swagger/apiModelProperties';
const MODEL_PROPERTIES_ARRAY = 'swagger/apiModelPropertiesArray';
const API_TAGS = 'swagger/apiUseTags';
const API_OPERATION = 'swagger/apiOperation';

type ApiDocs = typeof import('./api-docs');

/** A fresh copy of api-docs.ts (its own pending list), with a flag telling whether `@nestjs/swagger` was loaded. */
function isolatedApiDocs(): { docs: ApiDocs; swaggerLoaded: () => boolean } {
  let loaded = false;
  let docs!: ApiDocs;
  jest.isolateModules(() => {
    jest.doMock('@nestjs/swagger', () => {
      loaded = true;
      return jest.requireActual('@nestjs/swagger');
    });
    docs = jest.requireActual('./api-docs');
  });
  return { docs, swaggerLoaded: () => loaded };
}

describe('api-docs (Swagger decorators applied only when the document is wanted)', () => {
  afterEach(() => jest.dontMock('@nestjs/swagger'));

  it('does not load @nestjs/swagger to decorate classes, and applies the decorations in order on loadApiDocs()', () => {
    const { docs, swaggerLoaded } = isolatedApiDocs();
    const { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } = docs;

    class ThingDto {
      @ApiProperty({ example: 'x' }) name!: string;
      @ApiPropertyOptional({ type: Number, nullable: true }) size?: number | null;
      @ApiProperty() created_at!: string;
    }
    @ApiTags('things')
    class ThingsController {
      @ApiOperation({ summary: 'list' })
      @ApiOkResponse({ type: ThingDto })
      list(): void {
        return undefined;
      }
    }

    expect(swaggerLoaded()).toBe(false);
    expect(docs.apiDocsLoaded()).toBe(false);
    expect(Reflect.getMetadata(MODEL_PROPERTIES_ARRAY, ThingDto.prototype)).toBeUndefined();
    expect(Reflect.getMetadata(API_TAGS, ThingsController)).toBeUndefined();

    const swagger = docs.loadApiDocs();
    expect(swaggerLoaded()).toBe(true);
    expect(typeof swagger.SwaggerModule.createDocument).toBe('function');
    // Declaration order kept: the document lists the properties in this order.
    expect(Reflect.getMetadata(MODEL_PROPERTIES_ARRAY, ThingDto.prototype)).toEqual([':name', ':size', ':created_at']);
    expect(Reflect.getMetadata(MODEL_PROPERTIES, ThingDto.prototype, 'size')).toEqual(
      expect.objectContaining({ required: false, nullable: true, type: Number }),
    );
    expect(Reflect.getMetadata(API_TAGS, ThingsController)).toEqual(['things']);
    expect(Reflect.getMetadata(API_OPERATION, ThingsController.prototype.list)).toEqual(expect.objectContaining({ summary: 'list' }));

    // A second call applies nothing twice; a class decorated after loading gets its metadata at once.
    docs.loadApiDocs();
    expect(Reflect.getMetadata(MODEL_PROPERTIES_ARRAY, ThingDto.prototype)).toEqual([':name', ':size', ':created_at']);
    class LaterDto {
      @ApiProperty() id!: string;
    }
    expect(Reflect.getMetadata(MODEL_PROPERTIES_ARRAY, LaterDto.prototype)).toEqual([':id']);
  });

  it('writes the same metadata as the @nestjs/swagger decorators themselves', () => {
    const { docs } = isolatedApiDocs();
    const real = jest.requireActual<typeof import('@nestjs/swagger')>('@nestjs/swagger');
    const define = (api: Pick<ApiDocs, 'ApiProperty' | 'ApiPropertyOptional'>) => {
      class Dto {
        @api.ApiProperty({ description: 'd', enum: ['a', 'b'] }) kind!: string;
        @api.ApiPropertyOptional({ nullable: true }) note?: string | null;
      }
      return Dto;
    };
    const viaDeferred = define(docs);
    docs.loadApiDocs();
    const viaSwagger = define(real);
    for (const key of ['kind', 'note']) {
      expect(Reflect.getMetadata(MODEL_PROPERTIES, viaDeferred.prototype, key)).toEqual(Reflect.getMetadata(MODEL_PROPERTIES, viaSwagger.prototype, key));
    }
  });

  it('getSchemaPath gives the $ref @nestjs/swagger gives', () => {
    const { docs } = isolatedApiDocs();
    const real = jest.requireActual<typeof import('@nestjs/swagger')>('@nestjs/swagger');
    class PageUserDto {}
    expect(docs.getSchemaPath(PageUserDto)).toBe(real.getSchemaPath(PageUserDto));
    expect(docs.getSchemaPath('PageUserDto')).toBe(real.getSchemaPath('PageUserDto'));
  });
});
