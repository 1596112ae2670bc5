/**
 * The two optional columns the daily report counts (records contract): the pre-vaccination screening
 * (khám sàng lọc) and the severity of an adverse event (mức độ phản ứng).
 *
 * Screening: the three outcomes of the screening form — đủ điều kiện tiêm (eligible), tạm hoãn (postponed),
 * chống chỉ định (contraindicated) — are stored as codes; anything else is free text the contract allows,
 * kept tidied. Severity: thông thường (common) or nặng (serious); any other value cannot be counted, so
 * it is left out with a warning (the raw row keeps it).
 */
import { cleaned, finding, isBlank, type Cleaned } from './finding.js';
import { normalizeText } from './text-field.js';
import { asciiKey } from '../base/text.js';

export type ScreeningOutcome = 'eligible' | 'postponed' | 'contraindicated';
export type AdverseEventSeverity = 'common' | 'serious';

/** Folded forms (asciiKey: no accents, lower case, single spaces) seen in station files. */
const SCREENING: ReadonlyMap<string, ScreeningOutcome> = new Map([
  ...['du dieu kien tiem', 'du dieu kien', 'tiem duoc', 'eligible'].map((k) => [k, 'eligible'] as const),
  ...['tam hoan', 'hoan tiem', 'tam hoan tiem', 'postponed'].map((k) => [k, 'postponed'] as const),
  ...['chong chi dinh', 'contraindicated', 'chong chi dinh tiem'].map((k) => [k, 'contraindicated'] as const),
]);

const SEVERITY: ReadonlyMap<string, AdverseEventSeverity> = new Map([
  ...['thong thuong', 'nhe', 'common', 'mild', 'binh thuong'].map((k) => [k, 'common'] as const),
  ...['nang', 'serious', 'severe', 'nghiem trong', 'phan ung nang'].map((k) => [k, 'serious'] as const),
]);

const UNKNOWN_SEVERITY = finding('adverse_event_severity.unknown');

export function normalizeScreening(raw: string): Cleaned<string> {
  if (isBlank(raw)) return cleaned(null);
  const outcome = SCREENING.get(asciiKey(raw));
  return outcome ? cleaned(outcome) : normalizeText(raw, 'screening_result');
}

export function normalizeSeverity(raw: string): Cleaned<AdverseEventSeverity> {
  if (isBlank(raw)) return cleaned(null);
  const severity = SEVERITY.get(asciiKey(raw));
  return severity ? cleaned(severity) : cleaned(null, [UNKNOWN_SEVERITY]);
}
