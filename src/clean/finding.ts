/**
 * What a cleaning rule reports besides the value it returns.
 *
 * Every rule is a pure function `(raw, …) => Cleaned<T>`: it never throws on bad data and never silently
 * changes meaning. A change that keeps the meaning (NFC, trimming, a restored leading zero) is a `fix`;
 * a doubt the rule cannot resolve but that leaves the value usable (a CCCD whose century digit disagrees
 * with the birth year) is a `warning`; a value that cannot be used (a 7-digit "citizen ID") is `invalid`.
 * Invalid values are kept as evidence where that is meaningful, never thrown away.
 *
 * Codes, severities and messages are declared once, in findings-catalogue.ts; `finding(code)` makes one.
 */
import { FINDING_CATALOGUE, type FindingCode, type Severity, type VariantOf } from './findings-catalogue.js';

export type { FindingCode, Severity } from './findings-catalogue.js';

export interface Finding {
  /** Stable machine code, `field.what` (e.g. `citizen_id.leading_zero_restored`): reports group by it. */
  readonly code: FindingCode;
  readonly severity: Severity;
  /** The catalogue's English sentence (for logs and the quality report). Never contains anyone's data. */
  readonly message: string;
}

export interface Cleaned<T> {
  /** The cleaned value; null when the input was empty or unusable. */
  readonly value: T | null;
  readonly findings: readonly Finding[];
}

/** How a field came out of cleaning, for the quality report. Ordered from best to worst. */
export type FieldStatus = 'clean' | 'fixed' | 'flagged' | 'invalid' | 'missing';

/**
 * One frozen Finding per code and per variant, made once: rules run on every cell of a million-row file,
 * and a finding says nothing about its row (the row carries the code), so they can all share it.
 */
const FINDINGS = new Map<string, Finding>();
for (const [code, spec] of FINDING_CATALOGUE) {
  FINDINGS.set(code, Object.freeze({ code, severity: spec.severity, message: spec.en }));
  for (const [variant, message] of Object.entries(spec.variants ?? {})) {
    FINDINGS.set(`${code}#${variant}`, Object.freeze({ code, severity: spec.severity, message: message.en }));
  }
}

/** A code with variants must name the one it means; a code without takes nothing more. */
type VariantArgument<C extends FindingCode> = [VariantOf<C>] extends [never] ? [] : [variant: VariantOf<C>];

/** The finding `code` (in the situation `variant`, for a code that has variants), as the catalogue declares it. */
export function finding<C extends FindingCode>(code: C, ...variant: VariantArgument<C>): Finding {
  const found = FINDINGS.get(variant.length === 0 ? code : `${code}#${variant[0]}`);
  if (found === undefined) throw new Error(`finding ${code}${variant.length === 0 ? '' : ` (${variant[0]})`} is not in the catalogue`);
  return found;
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
