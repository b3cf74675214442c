import { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadApiDocs } from '@support-chat/chat-domain';

export const SWAGGER_PATH = 'api/docs';

/** The OpenAPI document of the whole API (host and chat), as served at `/api/docs` and committed as `openapi.json`. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  // `@nestjs/swagger` is loaded here, not at start-up (see the chat domain's `openapi/api-docs.ts`).
  const { DocumentBuilder, SwaggerModule } = loadApiDocs();
  const config = new DocumentBuilder()
    .setTitle('API de chat de soporte')
    .setDescription(
      'Chat entre candidatos y el equipo de soporte (soporte, admin, developer). ' +
        'Inicia sesión con `POST /api/auth/login` y envía el token como `Authorization: Bearer <token>`. ' +
        'Todos los errores tienen la forma `{ "error": "<mensaje en español>", "code": "<código estable>", "details"?: [...] }`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Recursively sorts object keys so that the serialised document does not depend on declaration order. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeysDeep((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** The exact text of the committed `openapi.json`: sorted keys, two-space indent, trailing newline. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(sortKeysDeep(document), null, 2)}\n`;
}

/**
 * Serves Swagger UI at `/api/docs` and the document at `/api/docs/openapi.json` (and `/api/docs-yaml`).
 * By default the document is built on the first request for it, not at start-up: scanning every route
 * and DTO is a visible part of start-up that a server which never serves its docs should not wait for.
 */
export function setupSwagger(app: INestApplication, document: OpenAPIObject | (() => OpenAPIObject) = () => buildOpenApiDocument(app)): void {
  loadApiDocs().SwaggerModule.setup(SWAGGER_PATH, app, document, {
    jsonDocumentUrl: `${SWAGGER_PATH}/openapi.json`,
    customSiteTitle: 'API de chat de soporte',
    swaggerOptions: { persistAuthorization: true },
  });
}
