/**
 * The web console's files (src/service/console/): plain HTML, CSS and ES modules, no build step. Served
 * without a key (they hold no data; the data comes from the API with the key the user pastes), with a
 * strict content security policy (no inline script, nothing from another origin) and an ETag so a slow
 * link downloads them once.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { VaxsyncError } from '../base/errors.js';
import { answerOf, sendAnswer } from './errors.js';

export const CONSOLE_DIR = fileURLToPath(new URL('./console/', import.meta.url));

const NO_SUCH_FILE = answerOf(new VaxsyncError('http.no_route', 'no such file'));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
};

/** The console's content security policy, by directive: no inline script, nothing from another origin. */
const CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data: blob:",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
};

/** The console's policy, with some directives replaced: the API's HTML answers use it too (server.ts). */
export function contentSecurityPolicy(overrides: Readonly<Record<string, string>> = {}): string {
  return Object.entries({ ...CSP_DIRECTIVES, ...overrides })
    .map(([directive, value]) => `${directive} ${value}`)
    .join('; ');
}

const SECURITY_HEADERS = {
  'content-security-policy': contentSecurityPolicy(),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function registerConsole(app: FastifyInstance, dir: string = CONSOLE_DIR): void {
  const hide = { schema: { hide: true } };
  app.get('/', hide, (_request, reply) => reply.redirect('/console/'));
  app.get('/console', hide, (_request, reply) => reply.redirect('/console/'));
  app.get('/console/*', hide, async (request, reply) => {
    const wanted = (request.params as { '*': string })['*'] || 'index.html';
    const file = path.resolve(dir, wanted);
    const type = TYPES[path.extname(file)];
    // Only known kinds of file, and only inside the folder (no ../ out of it).
    if (!type || !file.startsWith(dir) || wanted.includes('\0')) return sendAnswer(reply, NO_SUCH_FILE);
    let content: Buffer;
    try {
      content = await fs.readFile(file);
    } catch {
      return sendAnswer(reply, NO_SUCH_FILE);
    }
    const etag = `"${createHash('sha1').update(content).digest('base64url').slice(0, 20)}"`;
    reply.headers({ ...SECURITY_HEADERS, etag, 'cache-control': 'no-cache' });
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(type).send(content);
  });
}
