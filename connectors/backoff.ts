/**
 * When to try a remote service (the registry, the platform) again. Pure, so the policy can be tested without a clock or a network.
 */

/**
 * Capped exponential backoff with jitter: attempt 0 waits about `baseMs`, each further attempt twice as
 * long, never more than `capMs`. Half the delay is random, so that clients that failed together (one
 * overloaded service, many parallel batches) do not all come back at the same instant.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * A `Retry-After` header in milliseconds: delay-seconds (`120`, also `0.5`) or an HTTP date. Null when
 * absent or unreadable; a date in the past means "now".
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}
