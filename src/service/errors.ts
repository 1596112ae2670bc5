/**
 * The one place the HTTP API turns a failure into an answer. Every failure answers
 * `{ error: reason, code, …details }`: `code` is the stable code of src/base/errors.ts (what a client may
 * match on), `error` the reason in words, `details` the place of a refused file. Reasons name the field or
 * the problem, never a stored value: the requester learns what to fix, nobody learns someone's data.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { VaxsyncError, type ErrorCode } from '../base/errors.js';
import { redactError } from './redact.js';

export interface ErrorAnswer {
  readonly status: number;
  readonly body: { readonly error: string; readonly code: ErrorCode } & Readonly<Record<string, unknown>>;
}

export function notFound(what: string): VaxsyncError {
  return new VaxsyncError('http.not_found', `${what} not found`);
}

export function forbidden(reason: string): VaxsyncError {
  return new VaxsyncError('http.forbidden', reason);
}

export function tooLarge(limitBytes: number): VaxsyncError {
  return new VaxsyncError('upload.too_large', `the upload is larger than the limit of ${limitBytes} bytes`);
}

/** Fastify's own errors that are the client's doing, and their codes. */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request.invalid',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'request.invalid',
  FST_ERR_CTP_INVALID_JSON_BODY: 'request.not_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'request.unsupported_media',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'request.unsupported_media',
  FST_ERR_CTP_BODY_TOO_LARGE: 'upload.too_large',
  FST_REQ_FILE_TOO_LARGE: 'upload.too_large',
  FST_PARTS_LIMIT: 'upload.too_large',
  FST_FILES_LIMIT: 'upload.too_large',
  FST_FIELDS_LIMIT: 'upload.too_large',
};

/** The answer to a VaxsyncError: the status its code says, its message, its code and its details. */
export function answerOf(error: VaxsyncError): ErrorAnswer {
  return { status: error.httpStatus, body: { error: error.message, code: error.code, ...error.details } };
}

/**
 * The answer to anything thrown while serving a request, or null for a fault the caller must log (answered
 * `internal`). Fastify's own client errors keep their status; their messages are replaced where they could
 * echo the body.
 */
export function answerFor(error: unknown, uploadMaxBytes: number): ErrorAnswer | null {
  if (error instanceof VaxsyncError) return error.kind === 'user' ? answerOf(error) : null;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'request';
    const reasons = error.validation.map((v) => {
      const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      return `${where}${path ? '.' + path : ''}: ${v.message}`;
    });
    return answerOf(new VaxsyncError('request.invalid', reasons.join('; ')));
  }
  const fastifyError = error as Partial<FastifyError>;
  // JSON.parse's message quotes the body around the mistake: not echoed, it may hold personal data.
  if (error instanceof SyntaxError) return answerOf(new VaxsyncError('request.not_json', 'the body is not valid JSON'));
  const code = FASTIFY_CODES[fastifyError.code ?? ''];
  const status = fastifyError.statusCode;
  if (code === undefined && !(status !== undefined && status >= 400 && status < 500)) return null;
  switch (code) {
    case 'upload.too_large':
      return answerOf(tooLarge(uploadMaxBytes));
    case 'request.not_json':
      return answerOf(new VaxsyncError('request.not_json', 'the body is not valid JSON'));
    case undefined:
      // Another client error of Fastify's: its own status and reason.
      return { status: status!, body: { error: fastifyError.message ?? 'bad request', code: 'request.invalid' } };
    default:
      return answerOf(new VaxsyncError(code, fastifyError.message ?? 'bad request'));
  }
}

/** Sends `answer`; a refused key is told how to authenticate. */
export function sendAnswer(reply: FastifyReply, answer: ErrorAnswer): FastifyReply {
  if (answer.body.code === 'http.unauthorized') reply.header('www-authenticate', 'Bearer');
  return reply.code(answer.status).send(answer.body);
}

export function registerErrorHandler(app: FastifyInstance, uploadMaxBytes: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const answer = answerFor(error, uploadMaxBytes);
    if (answer) return sendAnswer(reply, answer);
    const fault = error instanceof VaxsyncError ? error : new VaxsyncError('internal', 'internal error');
    request.log.error({ err: redactError(error), code: fault.code }, 'request failed');
    // A fault's message is for the operator's log; the client learns only its code.
    return sendAnswer(reply, { status: fault.httpStatus, body: { error: 'internal error', code: fault.code } });
  });
}
