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

export function cleaned<T>(value: NoInfer<T> | null, findings: readonly Finding[] = []): Cleaned<T> {
  return { value, findings };
}

/** A raw cell is missing when it is absent or only white space (including NBSP and zero-width marks). */
export function isBlank(raw: string | null | undefined): raw is null | undefined | '' {
  return raw == null || /^(?:[\s\u00a0\u200b\u200c\ufeff]|\u200d)*$/.test(raw);
}

export function fieldStatus(raw: string | null | undefined, findings: readonly Finding[]): FieldStatus {
  if (findings.some((f) => f.severity === 'invalid')) return 'invalid';
  if (isBlank(raw)) return 'missing';
  if (findings.some((f) => f.severity === 'warning')) return 'flagged';
  if (findings.length > 0) return 'fixed';
  return 'clean';
}
