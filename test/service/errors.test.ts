/**
 * The HTTP error handler maps every failure once: a VaxsyncError's code gives the status and the answer
 * `{ error, code, …details }`; a fault answers its 5xx with no message of its own; anything else is `internal`.
 */
import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_CODES, FileError, httpStatusOf, VaxsyncError, type ErrorCode } from '../../src/base/errors.js';
import { answerOf, registerErrorHandler } from '../../src/service/errors.js';
import { ErrorBody } from '../../src/service/schemas.js';

const log: string[] = [];
let app: FastifyInstance;

beforeAll(async () => {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      log.push(chunk.toString('utf8'));
      callback();
    },
  });
  app = Fastify({ logger: { level: 'error', stream } });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app, 1000);
  const zodApp = app.withTypeProvider<ZodTypeProvider>();
  const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody, 500: ErrorBody, 502: ErrorBody };
  zodApp.get('/throw/:code', { schema: { params: z.object({ code: z.string() }), response: { 200: z.object({}), ...errors } } }, async (request) => {
    throw new VaxsyncError(request.params.code as ErrorCode, 'the reason, 0912345678 withheld from a fault');
  });
  zodApp.get('/file', async () => {
    throw new FileError('import.not_utf8', 'cu.csv', 'the text is not valid UTF-8', { row: 2, column: 'full_name' }, {
      details: { file: 'cu.csv', row: 2, column: 'full_name', batchId: 7 },
    });
  });
  zodApp.get('/bug', { schema: { response: { 200: z.object({}), ...errors } } }, async () => {
    throw new TypeError('cannot read properties of undefined');
  });
  zodApp.post('/json', { schema: { body: z.object({ n: z.number().int() }), response: { 200: z.object({}), ...errors } } }, async () => ({}));
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

describe('the HTTP error mapping', () => {
  it('answers a user error with the status of its code, its message and its code', async () => {
    for (const [code, status] of [
      ['link.no_run', 409],
      ['link.unknown_record', 404],
      ['http.forbidden', 403],
      ['config.invalid', 400],
      ['upload.too_large', 413],
    ] as const) {
      const answer = await app.inject({ url: `/throw/${code}` });
      expect(answer.statusCode, code).toBe(status);
      expect(answer.json(), code).toEqual({ error: 'the reason, 0912345678 withheld from a fault', code });
    }
  });

  it('tells a refused key how to authenticate', async () => {
    const answer = await app.inject({ url: '/throw/http.unauthorized' });
    expect(answer.statusCode).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer');
  });

  it('answers a fault with its 5xx and code but not its message, and logs it', async () => {
    const answer = await app.inject({ url: '/throw/registry.unreachable' });
    expect(answer.statusCode).toBe(502);
    expect(answer.json()).toEqual({ error: 'internal error', code: 'registry.unreachable' });
    expect(log.join('')).toContain('registry.unreachable');
    expect(log.join('')).not.toContain('0912345678'); // the log masks phone numbers too
  });

  it('answers anything else as an internal error (500)', async () => {
    const answer = await app.inject({ url: '/bug' });
    expect(answer.statusCode).toBe(500);
    expect(answer.json()).toEqual({ error: 'internal error', code: 'internal' });
  });

  it('carries a refused file’s place as details of the answer', async () => {
    const answer = await app.inject({ url: '/file' });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toEqual({
      error: 'cu.csv, row 2, column "full_name": the text is not valid UTF-8',
      code: 'import.not_utf8',
      file: 'cu.csv',
      row: 2,
      column: 'full_name',
      batchId: 7,
    });
  });

  it('maps Fastify’s and zod’s client errors onto codes', async () => {
    const invalid = await app.inject({ method: 'POST', url: '/json', payload: { n: 1.5 } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ code: 'request.invalid', error: expect.stringMatching(/^body\.n: /) });
    const broken = await app.inject({ method: 'POST', url: '/json', headers: { 'content-type': 'application/json' }, payload: '{"n": 0912' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toEqual({ error: 'the body is not valid JSON', code: 'request.not_json' });
    const media = await app.inject({ method: 'POST', url: '/json', headers: { 'content-type': 'application/xml' }, payload: '<n>1</n>' });
    expect(media.statusCode).toBe(415);
    expect(media.json().code).toBe('request.unsupported_media');
  });

  it('gives every code a status of its kind: 4xx for the user’s errors, 5xx for faults', () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      const status = httpStatusOf(code);
      const error = new VaxsyncError(code, 'x');
      expect(error.kind === 'user' ? status >= 400 && status < 500 : status >= 500, code).toBe(true);
      expect(answerOf(error).status, code).toBe(status);
    }
  });
});
