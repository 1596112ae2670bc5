/**
 * The HTTP API: Fastify with zod schemas for every request and answer (fastify-type-provider-zod), the
 * OpenAPI document generated from the same schemas (@fastify/swagger, served at GET /openapi.json),
 * streamed size-limited uploads (@fastify/multipart), API keys with roles, and an audit log.
 *
 * `buildServer` assembles the app without listening (tests and `startServer` listen themselves).
 */
import { createHash } from 'node:crypto';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import pLimit from 'p-limit';
import { VaxsyncError } from '../base/errors.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { registerAccessControl } from './auth.js';
import type { RouteGroup, ServiceContext } from './context.js';
import { answerOf, registerErrorHandler, sendAnswer } from './errors.js';
import { backgroundJobs } from './job-runner.js';
import { openApiTransform } from './openapi.js';
import { redactDeep, redactError, redactText } from './redact.js';
import { batchRoutes } from './routes/batches.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes, outboxRoutes } from './routes/operations.js';
import { personRoutes } from './routes/persons.js';
import { policeRoutes } from './routes/police.js';
import { meRoutes, reportRoutes } from './routes/reports.js';
import { recordRoutes, reviewRoutes } from './routes/review.js';
import { uploadRoutes } from './routes/uploads.js';
import { REPORT_HTML_STYLE } from '../report/format.js';
import { contentSecurityPolicy, registerConsole } from './static.js';

export const API_PREFIX = '/api/v1';

/** The route groups and their prefixes under API_PREFIX, in the order the OpenAPI document lists them. */
const ROUTE_GROUPS: readonly (readonly [RouteGroup, string])[] = [
  [healthRoutes, ''],
  [uploadRoutes, '/uploads'],
  [batchRoutes, '/batches'],
  [reviewRoutes, '/review'],
  [recordRoutes, '/records'],
  [personRoutes, '/persons'],
  [outboxRoutes, '/outbox'],
  [jobRoutes, '/jobs'],
  [reportRoutes, '/reports'],
  [meRoutes, '/me'],
  [policeRoutes, '/police'],
];

export interface ServerOptions {
  /** false: no log; otherwise pino options (a `stream` to capture it, a `level`). Default: info to stdout. */
  readonly log?: false | { readonly level?: string; readonly stream?: NodeJS.WritableStream };
  /**
   * Imports run at once; the others queue (default 1). Each holds two pooled connections (raw rows and
   * cleaned rows are copied at the same time), so this must stay well under the pool's size. Cleaning is
   * CPU work on this thread, so a second import at once gained nothing measurable in the load test (50
   * uploads of 5,000 rows: 10.9 s with 1, 10.4 s with 2, 10.7 s with 3), and one at a time keeps the end
   * of two imports (their finding_kind upserts) from meeting.
   */
  readonly importConcurrency?: number;
}

/** Log entries whose values are objects with their own (masking) serializers, left to them. */
const SERIALIZED_KEYS: ReadonlySet<string> = new Set(['req', 'res', 'err']);

/**
 * The logger: requests are logged by method, masked URL and address; error messages and every other
 * string of a log entry are masked too (citizen IDs and phones: src/service/redact.ts).
 */
function loggerOptions(log: ServerOptions['log']): FastifyServerOptions['logger'] {
  if (log === false) return false;
  return {
    level: log?.level ?? 'info',
    ...(log?.stream ? { stream: log.stream } : {}),
    serializers: {
      req: (request: { method: string; url: string; ip?: string; socket?: { remoteAddress?: string } }) => ({
        method: request.method,
        url: redactText(request.url),
        remoteAddress: request.ip ?? request.socket?.remoteAddress,
      }),
      err: (error: Error) => redactError(error),
    },
    formatters: {
      log: (entry: Record<string, unknown>) => {
        const out: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(entry)) out[key] = SERIALIZED_KEYS.has(key) ? value : redactDeep(value);
        return out;
      },
    },
    hooks: {
      logMethod(args: unknown[], method: (...a: unknown[]) => void) {
        return method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)));
      },
    },
  };
}

export function buildServer(database: Database, config: Config, options: ServerOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: loggerOptions(options.log),
    // Slow clients (issue 15): the whole request must arrive within the configured time (generous: a large
    // upload on a slow station link), and a kept-alive connection does not idle for long. No socket-wide
    // idle timeout (`connectionTimeout`): it would also cut a long import or report while the client
    // rightly waits; a stalled request body is cut by limitBodyIdle instead.
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // Behind a reverse proxy (VAXSYNC_TRUST_PROXY), request.ip is the client's address from X-Forwarded-For,
    // believed only from the configured proxies: the failed-authentication limit and the audit log key on it.
    trustProxy: trustProxyOption(config.trustProxy),
  }).withTypeProvider<ZodTypeProvider>();
  limitBodyIdle(app, config.bodyIdleTimeoutMs);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const context: ServiceContext = {
    database,
    config,
    importQueue: pLimit(options.importConcurrency ?? 1),
    jobs: backgroundJobs(database, config, app.log as FastifyBaseLogger),
  };
  app.addHook('onClose', async () => {
    await context.jobs.stop();
  });
  // While closing, a response that finishes ends its connection too: Node closes only the connections idle
  // when the server closes, and a keep-alive one that was busy would otherwise hold the process open.
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (draining) reply.header('connection', 'close');
    return payload;
  });

  protectApiAnswers(app);
  registerErrorHandler(app, config.uploadMaxBytes);
  // Fastify's own 404 logs the raw URL; this one logs nothing (the request line is logged masked).
  app.setNotFoundHandler((_request, reply) => sendAnswer(reply, answerOf(new VaxsyncError('http.no_route', 'no such route'))));
  registerAccessControl(app, database, config);
  documentAccess(app);

  app.register(fastifySwagger, {
    openapi: {
      info: { title: 'vaxsync', version: '1', description: 'Clean, deduplicate and synchronize Vietnamese vaccination records.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `vaxsync keys create`' } } },
    },
    transform: openApiTransform,
  });
  app.register(fastifyMultipart, {
    // files: 2, so that a second file reaches the upload route, which refuses it naming both files (the
    // parser's own limit error would answer 413 "too large", which misleads).
    limits: { fileSize: config.uploadMaxBytes, files: 2, fields: 20, parts: 25 },
    throwFileSizeLimit: true,
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // The web console: GET / redirects to /console/, whose static files call the API below.
  registerConsole(app);
  // Each route group is a plugin with its own prefix under the API's; the hooks and the error handler
  // registered above on the root reach into every one of them.
  app.register(
    async (api) => {
      for (const [group, prefix] of ROUTE_GROUPS) await api.register(group, { prefix, context });
    },
    { prefix: API_PREFIX },
  );
  return app;
}

/**
 * Fastify's `trustProxy` for the setting: the proxies' addresses as they are, a hop count as the function
 * proxy-addr would make of it (the `hop` nearest addresses are proxies), off as false.
 */
function trustProxyOption(setting: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (setting === false) return false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return [...setting];
}

/**
 * A request body that stops flowing for `idleMs` closes the connection: a client trickling one byte a
 * minute would otherwise hold a connection (and an upload's temporary file) for the whole request timeout.
 * Armed while a body is being received only, so a long import or report after it is not cut.
 */
function limitBodyIdle(app: FastifyInstance, idleMs: number): void {
  app.addHook('onRequest', async (request) => {
    const { headers, socket } = request.raw;
    const hasBody = headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
    if (!hasBody || request.raw.complete) return;
    const cut = () => socket.destroy();
    socket.setTimeout(idleMs, cut);
    const disarm = () => {
      socket.setTimeout(0);
      socket.off('timeout', cut);
    };
    request.raw.once('end', disarm);
    request.raw.once('close', disarm);
  });
}

/**
 * An HTML answer of the API (the inline report) may run nothing and load nothing: the console's policy,
 * without scripts, and with the report's one inline style allowed by its hash.
 */
const API_HTML_POLICY = contentSecurityPolicy({
  'script-src': "'none'",
  'style-src': `'sha256-${createHash('sha256').update(REPORT_HTML_STYLE).digest('base64')}'`,
});

/**
 * Every answer under the API's prefix holds personal data or could: no cache keeps it (a shared
 * computer's browser, a proxy), no browser guesses its type, and HTML gets the policy above.
 */
function protectApiAnswers(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith(API_PREFIX)) return payload;
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) reply.header('content-security-policy', API_HTML_POLICY);
    return payload;
  });
}

/** Each authenticated route's OpenAPI entry says it needs a key, and which roles may call it. */
function documentAccess(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access || !route.schema) return;
    const schema = route.schema as Record<string, unknown>;
    schema.security = [{ apiKey: [] }];
    schema.description = `Roles: ${access.roles.join(', ')}. Audited as \`${access.action}\`.`;
  });
}

export interface RunningServer {
  readonly app: FastifyInstance;
  /** `http://host:port` actually bound (port 0 picks a free one). */
  readonly url: string;
  /** Stops accepting connections, lets the requests in flight finish, stops a background job run. */
  close(): Promise<void>;
}

export async function startServer(
  database: Database,
  config: Config,
  options: ServerOptions & { readonly host?: string; readonly port?: number } = {},
): Promise<RunningServer> {
  const app = buildServer(database, config, options);
  const address = await app.listen({ host: options.host ?? config.host, port: options.port ?? config.port });
  return { app, url: address, close: () => app.close() };
}
