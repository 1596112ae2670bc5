/**
 * A registry behind an HTTP service (the population database's lookup API, or simulator.ts).
 *
 * Wire format (version 1):
 *
 *   POST {baseUrl}/v1/citizens/lookup
 *   Authorization: Bearer TOKEN
 *   Content-Type: application/json
 *   {"ids": ["001085012345", ...]}                        at most 5,000 IDs
 *
 *   200 {"results":   [{"citizen_id": "001085012345", "full_name": "Nguyễn Thị Thủy", "birth_date": "1985-03-15",
 *                       "sex": "Nữ", "commune_code": "00004", "status": "alive", "death_date": null}, ...],
 *        "not_found": ["001099999999", ...]}
 *       Every ID of the request is in exactly one of the two lists. Values are text as the registry holds
 *       them (any of the extract contract's formats; null or absent when unknown) and are cleaned here by
 *       the same rules as a file extract (identity.ts).
 *   401/403  the token is refused                     → RegistryError at once, never retried
 *   429/503  overloaded; `Retry-After: SECONDS`        → retried after that long
 *   5xx, timeouts, dropped connections                 → retried with capped exponential backoff + jitter
 *   400, 413, other 4xx                                → RegistryError at once (the request itself is wrong)
 *
 * IDs are sent in batches of `batchSize`, `concurrency` at a time. A batch is answered whole or not at all:
 * a malformed answer, or one that leaves an ID of the batch unanswered, is an error, never "not found",
 * and lookupByIds either returns every batch's answers or throws.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import { z } from 'zod';
import { maskCitizenId } from '../../src/clean/citizen-id.js';
import { backoffDelay, parseRetryAfter } from '../backoff.js';
import { parseRegistryRow } from './identity.js';
import { RegistryError, type RegistryConnector, type RegistryIdentity } from './types.js';

/** The most IDs the wire format allows in one request. */
export const MAX_IDS_PER_REQUEST = 5_000;

const HttpRegistryConfigSchema = z.object({
  baseUrl: z
    .string({ error: 'the base URL of the registry service is required' })
    .regex(/^https?:\/\/[^\s/]+/, 'must be an http:// or https:// URL')
    .refine((url) => !/^https?:\/\/[^/]*@/.test(url), 'must not contain credentials; pass the token separately'),
  token: z.string({ error: 'the access token is required' }).min(1, 'the access token must not be empty'),
  batchSize: z.number().int().min(1).max(MAX_IDS_PER_REQUEST, `must be at most ${MAX_IDS_PER_REQUEST} (the service's limit)`).default(500),
  concurrency: z.number().int().min(1).max(64).default(4),
  timeoutMs: z.number().int().positive().default(10_000),
  retries: z.number().int().min(0).max(20).default(5),
  backoffMs: z.number().int().min(0).default(200),
  /** The longest wait between two attempts, however many attempts came before. */
  maxBackoffMs: z.number().int().min(0).default(10_000),
  /** The longest `Retry-After` obeyed: a service asking for an hour gets the batch refused instead. */
  maxRetryAfterMs: z.number().int().min(0).default(60_000),
});

export type HttpRegistryConfig = z.input<typeof HttpRegistryConfigSchema>;

const text = z.string().nullable().optional();
const LookupResponseSchema = z.object({
  results: z.array(
    z.object({ citizen_id: z.string(), full_name: text, birth_date: text, sex: text, commune_code: text, status: text, death_date: text }),
  ),
  not_found: z.array(z.string()),
});

/** One attempt that may be tried again, and why it failed (no citizen data in it). */
interface Retryable {
  readonly problem: string;
  readonly retryAfterMs: number | null;
  readonly unreachable: boolean;
}

function connectionProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return `connection error (${cause?.code ?? cause?.message ?? (error as Error).message})`;
}

export function httpRegistry(config: HttpRegistryConfig): RegistryConnector {
  const parsed = HttpRegistryConfigSchema.safeParse(config);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'configuration'}: ${i.message}`);
    throw new RegistryError('registry.bad_config', `invalid registry service configuration:\n${lines.join('\n')}`);
  }
  const options = parsed.data;
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/v1/citizens/lookup`;
  const headers = {
    authorization: `Bearer ${options.token}`,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  // Shared by every call, so that parallel lookups together stay within `concurrency` requests.
  const limit = pLimit(options.concurrency);
  const running = new Set<AbortController>();
  let closed = false;

  /** One request. Resolves with the batch's answers, returns a Retryable, or throws a final RegistryError. */
  async function attempt(ids: readonly string[], cancel: AbortSignal): Promise<Map<string, RegistryIdentity> | Retryable> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = AbortSignal.any([timeout, cancel]);
    const timedOut = (): Retryable => ({ problem: `no answer within ${options.timeoutMs} ms`, retryAfterMs: null, unreachable: false });
    let response: Response;
    try {
      response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ ids }), signal });
    } catch (error) {
      if (cancel.aborted) throw cancel.reason;
      if (timeout.aborted) return timedOut();
      return { problem: connectionProblem(error), retryAfterMs: null, unreachable: true };
    }

    const status = response.status;
    if (status !== 200) {
      await response.body?.cancel().catch(() => {});
      if (status === 401 || status === 403) {
        throw new RegistryError('registry.refused_credentials', `the registry refused the credentials (HTTP ${status}) at ${endpoint}; check the access token`);
      }
      if (status === 429 || status === 503) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        if (retryAfterMs !== null && retryAfterMs > options.maxRetryAfterMs) {
          throw new RegistryError('registry.unreachable', `the registry at ${endpoint} asked to wait ${Math.round(retryAfterMs / 1000)} s (HTTP ${status}), longer than the ${options.maxRetryAfterMs / 1000} s allowed`);
        }
        return { problem: `HTTP ${status}`, retryAfterMs, unreachable: false };
      }
      if (status >= 500 || status === 408) return { problem: `HTTP ${status}`, retryAfterMs: null, unreachable: false };
      const hint = status === 413 ? `; the service takes fewer IDs per request: lower batchSize (now ${options.batchSize})` : '';
      throw new RegistryError('registry.refused_request', `the registry at ${endpoint} rejected a batch of ${ids.length} IDs (HTTP ${status})${hint}`);
    }

    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      // The connection dropped, or the time ran out, in the middle of the answer.
      if (cancel.aborted) throw cancel.reason;
      if (timeout.aborted) return timedOut();
      return { problem: connectionProblem(error), retryAfterMs: null, unreachable: true };
    }
    return readAnswer(body, ids);
  }

  /** The answer to one batch, checked whole: every ID asked is answered exactly once, nothing else is. */
  function readAnswer(body: string, ids: readonly string[]): Map<string, RegistryIdentity> {
    const malformed = (why: string) => new RegistryError('registry.bad_answer', `the registry at ${endpoint} sent a malformed answer to a batch of ${ids.length} IDs: ${why}`);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw malformed('not JSON');
    }
    const answer = LookupResponseSchema.safeParse(json);
    if (!answer.success) {
      const issue = answer.error.issues[0]!;
      throw malformed(`${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const asked = new Set(ids);
    const found = new Map<string, RegistryIdentity>();
    for (const raw of answer.data.results) {
      const row = parseRegistryRow(raw);
      if (!row.ok) throw malformed(`a result's ${row.rejection.field}: ${row.rejection.problem}`);
      const id = row.identity.citizenId;
      if (!asked.has(id)) throw malformed(`it answers an ID that was not asked (${maskCitizenId(id)})`);
      if (!found.has(id)) found.set(id, row.identity);
    }
    for (const id of answer.data.not_found) {
      if (!asked.has(id)) throw malformed(`it lists as not found an ID that was not asked (${maskCitizenId(id)})`);
      if (found.has(id)) throw malformed(`it lists an ID both as found and as not found (${maskCitizenId(id)})`);
    }
    const answered = new Set(answer.data.not_found);
    const unanswered = ids.filter((id) => !found.has(id) && !answered.has(id));
    if (unanswered.length > 0) {
      throw malformed(`${unanswered.length} ID(s) of the batch are in neither list (first: ${maskCitizenId(unanswered[0]!)})`);
    }
    return found;
  }

  async function lookupBatch(ids: readonly string[], cancel: AbortSignal): Promise<Map<string, RegistryIdentity>> {
    let last: Retryable | null = null;
    for (let n = 0; n <= options.retries; n++) {
      if (last !== null) {
        const wait = last.retryAfterMs ?? backoffDelay(n - 1, options.backoffMs, options.maxBackoffMs);
        await sleep(wait, undefined, { signal: cancel });
      }
      const outcome = await attempt(ids, cancel);
      if (outcome instanceof Map) return outcome;
      last = outcome;
    }
    const attempts = options.retries + 1;
    const what = last!.unreachable ? `cannot reach the registry at ${endpoint}` : `the registry at ${endpoint} did not answer`;
    throw new RegistryError('registry.unreachable', `${what}: a batch of ${ids.length} IDs failed ${attempts} time(s) (last: ${last!.problem})`);
  }

  return {
    source: endpoint,

    async lookupByIds(ids) {
      if (closed) throw new RegistryError('registry.closed', `the registry service connector for ${endpoint} is closed`);
      const unique = [...new Set(ids)];
      const batches: string[][] = [];
      for (let i = 0; i < unique.length; i += options.batchSize) batches.push(unique.slice(i, i + options.batchSize));

      // The first batch that fails cancels the others: the call fails as a whole and leaves nothing running.
      const controller = new AbortController();
      running.add(controller);
      let failure: unknown = null;
      try {
        const settled = await Promise.allSettled(
          batches.map((batch) =>
            limit(async () => {
              controller.signal.throwIfAborted();
              try {
                return await lookupBatch(batch, controller.signal);
              } catch (error) {
                if (failure === null) {
                  failure = error;
                  controller.abort(error);
                }
                throw error;
              }
            }),
          ),
        );
        if (failure !== null) throw failure;
        const found = new Map<string, RegistryIdentity>();
        for (const result of settled) {
          if (result.status === 'fulfilled') for (const [id, identity] of result.value) found.set(id, identity);
        }
        return found;
      } finally {
        running.delete(controller);
      }
    },

    async close() {
      closed = true;
      for (const controller of running) controller.abort(new RegistryError('registry.closed', `the registry service connector for ${endpoint} was closed`));
    },
  };
}
