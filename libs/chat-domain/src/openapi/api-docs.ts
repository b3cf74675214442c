import type * as Swagger from '@nestjs/swagger';

/**
 * The `@nestjs/swagger` decorators the API uses, recorded at class definition and applied only when
 * the OpenAPI document is wanted (`loadApiDocs()`: Swagger UI, `npm run openapi:generate`, tests).
 *
 * Why: `@nestjs/swagger`'s entry point loads the whole package and `es-toolkit/compat`, a large share of
 * the modules the server loaded at start-up (docs/performance-log.md, "Start-up on the seeded database"),
 * although a server without `API_DOCS` never reads the metadata these decorators write. Import them from
 * here (or `@support-chat/chat-domain`), never from `@nestjs/swagger`, or start-up loads the package
 * again (`apps/api/src/startup-modules.spec.ts` fails then).
 *
 * The decorators only write `reflect-metadata` on the class, method or property they decorate, which
 * nothing but the document builder reads; `loadApiDocs()` applies the recorded calls in the order they
 * happened (the order the document's properties follow), and once the package is loaded every later
 * decoration is applied at once.
 */
type SwaggerModule = typeof Swagger;

/** The decorator factories the API uses (each exported below under its own name). */
type DeferredName =
  | 'ApiBadRequestResponse'
  | 'ApiBearerAuth'
  | 'ApiBody'
  | 'ApiConflictResponse'
  | 'ApiConsumes'
  | 'ApiCreatedResponse'
  | 'ApiExcludeEndpoint'
  | 'ApiExtraModels'
  | 'ApiForbiddenResponse'
  | 'ApiNoContentResponse'
  | 'ApiNotFoundResponse'
  | 'ApiOkResponse'
  | 'ApiOperation'
  | 'ApiParam'
  | 'ApiPayloadTooLargeResponse'
  | 'ApiProduces'
  | 'ApiProperty'
  | 'ApiPropertyOptional'
  | 'ApiResponse'
  | 'ApiServiceUnavailableResponse'
  | 'ApiTags'
  | 'ApiTooManyRequestsResponse'
  | 'ApiUnauthorizedResponse';

type AnyDecorator = (target: object, propertyKey?: string | symbol, descriptor?: PropertyDescriptor) => unknown;

interface PendingDecoration {
  name: DeferredName;
  args: unknown[];
  target: object;
  propertyKey?: string | symbol;
  descriptor?: PropertyDescriptor;
}

let swagger: SwaggerModule | undefined;
const pending: PendingDecoration[] = [];

function applyDecoration(module: SwaggerModule, { name, args, target, propertyKey, descriptor }: PendingDecoration): void {
  const factory = module[name] as (...factoryArgs: unknown[]) => AnyDecorator;
  factory(...args)(target, propertyKey, descriptor);
}

function deferred<N extends DeferredName>(name: N): SwaggerModule[N] {
  const factory = (...args: unknown[]): AnyDecorator => {
    return (target, propertyKey, descriptor) => {
      const decoration = { name, args, target, propertyKey, descriptor };
      if (swagger) applyDecoration(swagger, decoration);
      else pending.push(decoration);
      // `undefined`: the class or the property descriptor stays as it is (the Swagger decorators return
      // the same ones, having only written metadata).
      return undefined;
    };
  };
  return factory as unknown as SwaggerModule[N];
}

/**
 * Loads `@nestjs/swagger` (once) and applies every decoration recorded so far. Call before building
 * or serving the OpenAPI document; cheap after the first call.
 */
export function loadApiDocs(): SwaggerModule {
  if (!swagger) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy, see the top of this file
    swagger = require('@nestjs/swagger') as SwaggerModule;
  }
  for (const decoration of pending.splice(0)) applyDecoration(swagger, decoration);
  return swagger;
}

/** Whether `loadApiDocs()` has run in this process (tests). */
export function apiDocsLoaded(): boolean {
  return swagger !== undefined;
}

/**
 * `@nestjs/swagger`'s `getSchemaPath`, without loading the package: the `$ref` of a model's schema. The
 * API never renames a schema (`@ApiSchema`), so a class's schema is named after the class.
 */
export function getSchemaPath(model: string | (abstract new (...args: never[]) => unknown)): string {
  return `#/components/schemas/${typeof model === 'string' ? model : model.name}`;
}

export const ApiBadRequestResponse = deferred('ApiBadRequestResponse');
export const ApiBearerAuth = deferred('ApiBearerAuth');
export const ApiBody = deferred('ApiBody');
export const ApiConflictResponse = deferred('ApiConflictResponse');
export const ApiConsumes = deferred('ApiConsumes');
export const ApiCreatedResponse = deferred('ApiCreatedResponse');
export const ApiExcludeEndpoint = deferred('ApiExcludeEndpoint');
export const ApiExtraModels = deferred('ApiExtraModels');
export const ApiForbiddenResponse = deferred('ApiForbiddenResponse');
export const ApiNoContentResponse = deferred('ApiNoContentResponse');
export const ApiNotFoundResponse = deferred('ApiNotFoundResponse');
export const ApiOkResponse = deferred('ApiOkResponse');
export const ApiOperation = deferred('ApiOperation');
export const ApiParam = deferred('ApiParam');
export const ApiPayloadTooLargeResponse = deferred('ApiPayloadTooLargeResponse');
export const ApiProduces = deferred('ApiProduces');
export const ApiProperty = deferred('ApiProperty');
export const ApiPropertyOptional = deferred('ApiPropertyOptional');
export const ApiResponse = deferred('ApiResponse');
export const ApiServiceUnavailableResponse = deferred('ApiServiceUnavailableResponse');
export const ApiTags = deferred('ApiTags');
export const ApiTooManyRequestsResponse = deferred('ApiTooManyRequestsResponse');
export const ApiUnauthorizedResponse = deferred('ApiUnauthorizedResponse');
