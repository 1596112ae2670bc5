/**
 * What a cleaning rule reports besides the value it returns.
 *
 * Every rule is a pure function `(raw, …) => Cleaned<T>`: it never throws on bad data and never silently
 * changes meaning. A change that keeps the meaning (NFC, trimming, a restored leading zero) is a `fix`;
 * a doubt the rule cannot resolve but that leaves the value usable (a CCCD whose century digit disagrees
 * with the birth year) is a `warning`; a value that cannot be used (a 7-digit "citizen ID") is `invalid`.
 * Invalid values are kept as evidence where that is meaningful, never thrown away.
 */
export type Severity = 'fix' | 'warning' | 'invalid';

export interface Finding {
  /** Stable machine code, `field.what` (e.g. `citizen_id.leading_zero_restored`): reports group by it. */
  readonly code: string;
  readonly severity: Severity;
  /** One sentence a health-station clerk can act on. Never contains another person's data. */
  readonly message: string;
}

export interface Cleaned<T> {
  /** The cleaned value; null when the input was empty or unusable. */
  readonly value: T | null;
  readonly findings: readonly Finding[];
}

/** How a field came out of cleaning, for the quality report. Ordered from best to worst. */
export type FieldStatus = 'clean' | 'fixed' | 'flagged' | 'invalid' | 'missing';

export function fix(code: string, message: string): Finding {
  return { code, severity: 'fix', message };
}

export function warning(code: string, message: string): Finding {
  return { code, severity: 'warning', message };
}

export function invalid(code: string, message: string): Finding {
  return { code, severity: 'invalid', message };
}

const NO_FINDINGS: readonly Finding[] = Object.freeze([]);
const NOTHING: Cleaned<never> = Object.freeze({ value: null, findings: NO_FINDINGS });

export function cleaned<T>(value: NoInfer<T> | null, findings: readonly Finding[] = NO_FINDINGS): Cleaned<T> {
  // Blank cells are most of a file's cells: they share one frozen result instead of allocating one each.
  if (value === null && findings.length === 0) return NOTHING;
  return { value, findings };
}

/** A raw cell is missing when it is absent or only white space (including NBSP and zero-width marks). */
export function isBlank(raw: string | null | undefined): raw is null | undefined | '' {
  if (raw == null || raw.length === 0) return true;
  // Fast path for the usual cell: one that starts with a visible character is not blank.
  const first = raw.charCodeAt(0);
  if (first > 0x20 && first < 0x7f) return false;
  return /^(?:[\s\u00a0\u200b\u200c\ufeff]|\u200d)*$/.test(raw);
}
