/**
 * What the service's log may say about a request. Citizen IDs and phones must never reach a log line:
 * query parameters that carry them are masked by name, and any other run of 9 or more digits (the length
 * of a CMND, a CCCD, a phone with or without its 0 or +84) is masked wherever it appears, so that a URL,
 * an error message or a stray string cannot carry one by accident.
 */
import { maskCitizenId } from '../clean/citizen-id.js';

/**
 * `citizen_id=…` or `phone=…` in a query string: the whole value is personal, typed with spaces, dots or
 * percent-escapes or not, so it is masked whole rather than digit run by digit run.
 */
const SENSITIVE_PARAM = /\b(citizen_id|phone)=([^&\s"']*)/g;

/** A CMND is 9 digits; nothing the service logs legitimately (ids, counts, ports) is that long. */
const LONG_DIGIT_RUN = /\d{9,}/g;

export function redactText(text: string): string {
  return text
    .replace(SENSITIVE_PARAM, (_, name: string, value: string) => {
      const decoded = safeDecode(value);
      return `${name}=${maskCitizenId(decoded.replace(/\D/g, '') || decoded)}`;
    })
    .replace(LONG_DIGIT_RUN, (digits) => maskCitizenId(digits));
}

/** Masks every string of a log entry, nested objects and arrays included (a bounded depth). */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  if (value instanceof Error) return redactError(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, depth + 1);
  return out;
}

/** An error as the log may show it: type, message, code and stack, masked. */
export function redactError(error: Error & { code?: unknown; statusCode?: unknown }): { type: string; message: string; stack: string; [key: string]: unknown } {
  return {
    type: error.name,
    message: redactText(error.message),
    stack: redactText(error.stack ?? ''),
    ...(error.code !== undefined ? { code: error.code } : {}),
    ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
