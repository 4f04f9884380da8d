import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** Marks an operation that takes no API key (Public, OpenedBySubjectLink): the document says so with `security: []`. */
export const OPEN_ROUTE_EXTENSION = 'x-derbes-open';

/** The error body of every failure (ErrorBody, README "Errors"), as a schema. */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'code', 'message', 'errors', 'correlationId'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    error: { type: 'string', example: 'Bad Request' },
    code: { type: 'string', example: 'invalid_request', description: 'A stable code: invalid_request, unauthenticated, forbidden, not_found, record_id_conflict, rate_limited... (README "Errors")' },
    message: { type: 'string', example: 'subject.iin: check digit (digit 12) is 0, expected 8 (rule: check-digit)' },
    errors: {
      type: 'array',
      description: 'Every field at fault with its reason (at most 100); empty when no field is',
      items: {
        type: 'object',
        required: ['field', 'reason'],
        properties: {
          field: { type: 'string', example: 'records[2].subject.iin' },
          reason: { type: 'string', example: 'check digit (digit 12) is 0, expected 8 (rule: check-digit)' },
          index: { type: 'integer', description: "The record's index in a batch", example: 2 },
        },
      },
    },
    correlationId: { type: 'string', description: 'Also in the x-correlation-id header, and in the log' },
  },
} as const;

/**
 * The OpenAPI document served at /docs: what Nest's decorators say, with what they cannot: every operation's error
 * answers (`default`, the one error shape), and no key needed where none is (health, metrics, the public keys, a
 * subject's link).
 */
export function createOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Derbes ledger API')
      .setDescription('Processing of personal data recorded as immutable events and checked against the approved list (Order 328-Ө).')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'dk_<key id>_<secret>', description: 'An API key: `derbes keys create` (shown once)' })
      .addSecurityRequirements('bearer')
      .build(),
  );
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Error: ERROR_SCHEMA as never } };
  for (const path of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = path[method] as (Record<string, unknown> & { responses: Record<string, unknown> }) | undefined;
      if (!operation) continue;
      operation.responses.default = {
        description: 'An error, in the one shape: 400 names each field and its reason; 401, 403, 404, 405, 406, 408, 409, 413, 415, 429, 503 as README "Errors" says',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
      if (operation[OPEN_ROUTE_EXTENSION]) {
        operation.security = [];
        delete operation[OPEN_ROUTE_EXTENSION];
      }
    }
  }
  return document;
}
