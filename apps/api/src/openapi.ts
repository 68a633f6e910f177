/** The OpenAPI 3 document of /api/v1, generated from the tRPC router's zod schemas (trpc-to-openapi). */
import { generateOpenApiDocument } from 'trpc-to-openapi';
import { appRouter } from './routers/root.js';

let cached: ReturnType<typeof generateOpenApiDocument> | null = null;

export function openApiDocument(baseUrl = '/api/v1') {
  cached ??= generateOpenApiDocument(appRouter, {
    title: 'Phaselab API',
    version: '0.1.0',
    description:
      'Run SQL on a backend against a dataset and read back the measurements. Every operation needs `Authorization: Bearer <api key>`. ' +
      'The same operations are tRPC procedures at /trpc (with job.progress as an SSE subscription).',
    baseUrl,
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
  });
  return cached;
}
