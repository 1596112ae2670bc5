/**
 * Who may call what. Each route declares its allowed roles in its `config.access`; the key is checked in
 * onRequest, before any body is read, so an upload without a valid key is refused before a byte of it is
 * stored. Every authenticated route is audited in onSend, i.e. before its answer leaves: if the audit row
 * cannot be written, the answer is replaced by an error and no personal data goes out unrecorded.
 *
 * Failed authentication is bounded per client address (throttle.ts): past the configured failures in a
 * minute the address gets 429 without its key being looked up, and failures are audited as one row per
 * address, actor, action and minute with a count.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { VaxsyncError } from '../base/errors.js';
import type { Database } from '../db/database.js';
import type { ApiRole } from '../db/schema.js';
import { outcomeOf, writeAudit } from './audit.js';
import { answerOf, sendAnswer } from './errors.js';
import { findApiKey, type ApiKey } from './keys.js';
import { redactError, redactText } from './redact.js';
import { AuthFailureLimiter, FailureAudit } from './throttle.js';

export interface RouteAccess {
  /** Roles that may call the route. */
  readonly roles: readonly ApiRole[];
  /** The audit log's action: `upload`, `read.person`, `review.accept`, … */
  readonly action: string;
  /**
   * The resource as the audit log names it, from the route's params (known before the handler runs, so a
   * refused request names it too). A handler may refine it through `request.auditResource`.
   */
  readonly resource?: (params: Record<string, string>) => string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Absent on the public routes (health, readiness, the OpenAPI document). */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The caller's key, once authenticated. */
    apiKey: ApiKey | null;
    /** Who the audit log names when there is no valid key. */
    auditActor: string | null;
    auditResource: string | null;
  }
}

/** A station key's reach: its own batches and the people of its commune. */
export interface StationScope {
  readonly station: string;
  readonly commune: string;
}

export function stationScope(request: FastifyRequest): StationScope | null {
  const key = request.apiKey;
  if (!key || key.role !== 'station') return null;
  return { station: key.stationCode!, commune: key.communeCode! };
}

/** The authenticated key (routes with `access` run only once it is set). */
export function callerOf(request: FastifyRequest): ApiKey {
  if (!request.apiKey) throw new Error('route without authentication asked for its caller');
  return request.apiKey;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;
/** Audit resources are ids; anything longer is cut, and long digit runs are masked like in the log. */
const RESOURCE_MAX = 120;

export function registerAccessControl(app: FastifyInstance, database: Database, settings: { readonly authFailuresPerMinute: number }): void {
  const limiter = new AuthFailureLimiter(settings.authFailuresPerMinute);
  const failures = new FailureAudit(database, app.log);
  app.addHook('onClose', () => failures.close());
  app.decorateRequest('apiKey', null);
  app.decorateRequest('auditActor', null);
  app.decorateRequest('auditResource', null);

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (!access) return;
    request.auditResource = access.resource ? access.resource(request.params as Record<string, string>) : null;
    const wait = limiter.blockedFor(request.ip);
    if (wait > 0) {
      request.auditActor = '(too many failures)';
      limiter.fail(request.ip);
      reply.header('retry-after', String(wait));
      return sendAnswer(reply, answerOf(new VaxsyncError('http.too_many_failures', `too many failed authentications from this address: try again in ${wait} s`)));
    }
    const secret = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (!secret) {
      request.auditActor = '(none)';
      limiter.fail(request.ip);
      return deny(reply, 'http.unauthorized', 'missing API key: send the header "Authorization: Bearer <key>"');
    }
    const key = await findApiKey(database, secret);
    if (!key) {
      request.auditActor = '(unknown key)';
      limiter.fail(request.ip);
      return deny(reply, 'http.unauthorized', 'unknown API key');
    }
    request.apiKey = key;
    if (key.revokedAt) {
      limiter.fail(request.ip);
      return deny(reply, 'http.unauthorized', 'this API key has been revoked');
    }
    if (!access.roles.includes(key.role)) {
      return deny(reply, 'http.forbidden', `a ${key.role} key may not do this (allowed: ${access.roles.join(', ')})`);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const access = request.routeOptions.config?.access;
    if (!access) return payload;
    const key = request.apiKey;
    const entry = {
      actor: key?.name ?? request.auditActor ?? '(none)',
      role: key?.role ?? '-',
      action: access.action,
      resource: request.auditResource === null ? null : redactText(request.auditResource).slice(0, RESOURCE_MAX),
      outcome: outcomeOf(reply.statusCode),
      ip: request.ip ?? null,
    };
    // A failed authentication answers no data: its row is an aggregate, and only its first write is awaited.
    // Refusals past the limit drop the resource, so a flood over many ids still makes one row a minute.
    if (reply.statusCode === 401 || reply.statusCode === 429) {
      await failures.record(reply.statusCode === 429 ? { ...entry, resource: null } : entry);
      return payload;
    }
    try {
      await writeAudit(database, entry);
      return payload;
    } catch (error) {
      request.log.error({ err: redactError(error as Error) }, 'audit log write failed; answer withheld');
      // Not thrown: the error handler's answer would pass through this hook again.
      const answer = answerOf(new VaxsyncError('audit.unavailable', 'the audit log is unavailable; try again later'));
      reply.code(answer.status).type('application/json; charset=utf-8');
      return JSON.stringify(answer.body);
    }
  });
}

/** A refusal carries a reason and nothing else. */
function deny(reply: FastifyReply, code: 'http.unauthorized' | 'http.forbidden', reason: string): FastifyReply {
  return sendAnswer(reply, answerOf(new VaxsyncError(code, reason)));
}
