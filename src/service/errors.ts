/**
 * Every failure answers `{ error: reason }` (plus the place, for a refused file). Reasons name the field
 * or the problem, never a stored value: the requester learns what to fix, nobody learns someone's data.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { redactError } from './redact.js';

/** A failure with the status and the reason to answer; `details` are extra fields of the answer. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function notFound(what: string): HttpError {
  return new HttpError(404, `${what} not found`);
}

export function forbidden(reason: string): HttpError {
  return new HttpError(403, reason);
}

export function tooLarge(limitBytes: number): HttpError {
  return new HttpError(413, `the upload is larger than the limit of ${limitBytes} bytes`);
}

/** Fastify's own errors that are the client's doing, and what to tell it. */
const CLIENT_ERRORS: Readonly<Record<string, number>> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: 400,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 400,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 415,
  FST_ERR_CTP_BODY_TOO_LARGE: 413,
  FST_REQ_FILE_TOO_LARGE: 413,
  FST_PARTS_LIMIT: 413,
  FST_FILES_LIMIT: 413,
  FST_FIELDS_LIMIT: 413,
  FST_INVALID_MULTIPART_CONTENT_TYPE: 415,
};

export function registerErrorHandler(app: FastifyInstance, uploadMaxBytes: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) return reply.code(error.statusCode).send({ error: error.message, ...error.details });
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      const reasons = error.validation.map((v) => {
        const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
        return `${where}${path ? '.' + path : ''}: ${v.message}`;
      });
      return reply.code(400).send({ error: reasons.join('; ') });
    }
    const status = CLIENT_ERRORS[error.code] ?? (error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500);
    if (status === 413) return reply.code(413).send({ error: tooLarge(uploadMaxBytes).message });
    if (status < 500) {
      // JSON.parse's message quotes the body around the mistake: not echoed, it may hold personal data.
      const reason = error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'the body is not valid JSON' : error.message;
      return reply.code(status).send({ error: reason });
    }
    request.log.error({ err: redactError(error) }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  });
}
