/**
 * The OpenAPI document's route transform: fastify-type-provider-zod's, plus what it does not cover, a body
 * with one schema per media type. The upload route takes JSON (validated by zod through Fastify's
 * per-media-type `body.content`) or a multipart file (streamed by the handler, so Fastify must not validate
 * it); the multipart form is described by the route's `multipartForm`, for the document only.
 */
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];

declare module 'fastify' {
  interface FastifySchema {
    /** Documentation of a multipart body the handler reads itself (not validated by Fastify). */
    multipartForm?: z.ZodType;
  }
}

const TARGET = 'openapi-3.0';

export function openApiTransform(input: TransformInput): ReturnType<typeof jsonSchemaTransform> {
  const schema = input.schema as (Record<string, unknown> & { body?: unknown; multipartForm?: z.ZodType }) | undefined;
  const body = schema?.body as { content?: Record<string, { schema: z.ZodType }> } | undefined;
  if (!schema || !body?.content) return jsonSchemaTransform(input);
  const { body: _body, multipartForm, ...rest } = schema;
  const result = jsonSchemaTransform({ ...input, schema: rest } as TransformInput);
  const content: Record<string, { schema: unknown }> = {};
  for (const [mediaType, entry] of Object.entries(body.content)) {
    content[mediaType] = { schema: z.toJSONSchema(entry.schema, { target: TARGET, io: 'input' }) };
  }
  if (multipartForm) content['multipart/form-data'] = { schema: z.toJSONSchema(multipartForm, { target: TARGET, io: 'input' }) };
  (result.schema as Record<string, unknown>).body = { content };
  return result;
}
