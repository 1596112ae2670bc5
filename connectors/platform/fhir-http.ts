/**
 * The national platform behind a FHIR R4 endpoint (../shared/contract/platform.md): a transaction Bundle
 * POSTed to the base URL, a transaction-response Bundle back with one `response.status` per entry.
 *
 * Faults the platform has: 429 with Retry-After, 5xx, connections reset, answers that never come. All are
 * retried with capped exponential backoff and jitter (Retry-After obeyed); 401/403 and a 4xx for the whole
 * request are final. A bundle whose answer was lost may have been applied: sending it again is safe because
 * every entry is a conditional update (the platform updates what it has instead of creating it twice).
 * Requests are limited to `concurrency` at a time and `maxRequestsPerSecond` starts per second.
 */
import pLimit from 'p-limit';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { backoffDelay, parseRetryAfter } from '../backoff.js';
import { PlatformError, type EntryOutcome, type PlatformConnector } from './types.js';

const FhirPlatformConfigSchema = z.object({
  baseUrl: z
    .string({ error: 'the FHIR base URL of the platform is required' })
    .regex(/^https?:\/\/[^\s/]+/, 'must be an http:// or https:// URL')
    .refine((url) => !/^https?:\/\/[^/]*@/.test(url), 'must not contain credentials; pass the token separately'),
  token: z.string().min(1).optional(),
  concurrency: z.number().int().min(1).max(64).default(4),
  /** Request starts per second, all bundles together; 0 for no limit beyond `concurrency`. */
  maxRequestsPerSecond: z.number().min(0).default(0),
  timeoutMs: z.number().int().positive().default(30_000),
  retries: z.number().int().min(0).max(30).default(8),
  backoffMs: z.number().int().min(0).default(500),
  maxBackoffMs: z.number().int().min(0).default(30_000),
  maxRetryAfterMs: z.number().int().min(0).default(120_000),
});

export type FhirPlatformConfig = z.input<typeof FhirPlatformConfigSchema>;

const ResponseSchema = z.object({
  resourceType: z.literal('Bundle'),
  type: z.literal('transaction-response'),
  entry: z.array(
    z.object({
      response: z.object({ status: z.string(), outcome: z.unknown().optional() }),
    }),
  ),
});

/** The reason an OperationOutcome gives, as one line (the platform's words, trimmed). */
function outcomeReason(outcome: unknown, status: string): string {
  const issues = (outcome as fhir4.OperationOutcome | undefined)?.issue ?? [];
  const text = issues
    .map((i) => i.diagnostics ?? i.details?.text ?? i.code)
    .filter(Boolean)
    .join('; ');
  return (text || status).slice(0, 500);
}

export function fhirPlatform(config: FhirPlatformConfig): PlatformConnector {
  const parsed = FhirPlatformConfigSchema.safeParse(config);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'configuration'}: ${i.message}`);
    throw new PlatformError('platform.bad_config', `invalid platform configuration:\n${lines.join('\n')}`);
  }
  const options = parsed.data;
  const endpoint = options.baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const limit = pLimit(options.concurrency);
  const running = new Set<AbortController>();
  let nextStart = 0;

  /** Waits for this request's turn under maxRequestsPerSecond. */
  async function paced(): Promise<void> {
    if (options.maxRequestsPerSecond <= 0) return;
    const now = Date.now();
    const at = Math.max(now, nextStart);
    nextStart = at + 1000 / options.maxRequestsPerSecond;
    if (at > now) await sleep(at - now);
  }

  /** One request: the entries' outcomes, or a retryable problem, or a final PlatformError. */
  async function attempt(body: string, entries: number, cancel: AbortSignal): Promise<EntryOutcome[] | { problem: string; retryAfterMs: number | null }> {
    await paced();
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = AbortSignal.any([timeout, cancel]);
    let response: Response;
    try {
      response = await fetch(endpoint, { method: 'POST', headers, body, signal });
    } catch (error) {
      if (cancel.aborted) throw cancel.reason;
      if (timeout.aborted) return { problem: `no answer within ${options.timeoutMs} ms`, retryAfterMs: null };
      const cause = (error as { cause?: { code?: string } }).cause;
      return { problem: `connection error (${cause?.code ?? (error as Error).message})`, retryAfterMs: null };
    }
    const status = response.status;
    let text: string;
    try {
      text = await response.text();
    } catch {
      if (cancel.aborted) throw cancel.reason;
      return { problem: `the answer (HTTP ${status}) was cut off`, retryAfterMs: null };
    }
    if (status === 401 || status === 403) throw new PlatformError('platform.refused_credentials', `the platform refused the credentials (HTTP ${status}) at ${endpoint}; check PLATFORM_TOKEN`);
    if (status === 429 || status === 503) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      if (retryAfterMs !== null && retryAfterMs > options.maxRetryAfterMs) {
        return { problem: `asked to wait ${Math.round(retryAfterMs / 1000)} s (HTTP ${status})`, retryAfterMs: options.maxRetryAfterMs };
      }
      return { problem: `HTTP ${status}`, retryAfterMs };
    }
    if (status >= 500) return { problem: `HTTP ${status}`, retryAfterMs: null };
    if (status !== 200) {
      let reason = `HTTP ${status}`;
      try {
        reason = outcomeReason(JSON.parse(text), reason);
      } catch {
        /* not FHIR: the status says it */
      }
      throw new PlatformError('platform.refused_bundle', `the platform refused the whole bundle (HTTP ${status}): ${reason}`);
    }
    let answer: z.infer<typeof ResponseSchema>;
    try {
      answer = ResponseSchema.parse(JSON.parse(text));
    } catch {
      return { problem: 'the answer is not a transaction-response Bundle', retryAfterMs: null };
    }
    if (answer.entry.length !== entries) return { problem: `the answer has ${answer.entry.length} entries for ${entries} sent`, retryAfterMs: null };
    return answer.entry.map(({ response: r }): EntryOutcome => {
      const code = Number.parseInt(r.status, 10);
      if (code >= 200 && code < 300) return { ok: true, status: code };
      return { ok: false, status: Number.isNaN(code) ? 0 : code, reason: outcomeReason(r.outcome, r.status) };
    });
  }

  return {
    target: endpoint,
    send(bundle) {
      const body = JSON.stringify(bundle);
      const entries = bundle.entry?.length ?? 0;
      return limit(async () => {
        const controller = new AbortController();
        running.add(controller);
        try {
          let last = '';
          for (let n = 0; n <= options.retries; n++) {
            const result = await attempt(body, entries, controller.signal);
            if (Array.isArray(result)) return result;
            last = result.problem;
            if (n < options.retries) await sleep(result.retryAfterMs ?? backoffDelay(n, options.backoffMs, options.maxBackoffMs), undefined, { signal: controller.signal });
          }
          throw new PlatformError('platform.unavailable', `the platform did not take a bundle of ${entries} entries after ${options.retries + 1} attempts (last: ${last})`);
        } finally {
          running.delete(controller);
        }
      });
    },
    async close() {
      for (const c of running) c.abort(new PlatformError('platform.closed', 'the platform connector was closed'));
    },
  };
}
