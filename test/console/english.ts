/**
 * The English a station, a reviewer or a police officer must never read (issue 16 item 2): the catalogue's
 * English strings — the finding messages, the matcher's level labels and rule reasons, the sexes as stored,
 * the vaccine codes (where the Vietnamese name differs from the code), the registry statuses as codes.
 * `englishIn` names those found in a text, for the console tests' page and download scans.
 */
import { DEFAULT_COMPARISONS, RULE_REASONS } from '../../matchers/index.js';
import { FINDING_CATALOGUE } from '../../src/clean/findings-catalogue.js';
import { VACCINE_CODES, vaccineNameVi } from '../../src/clean/vaccine.js';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whole words or phrases, case as written (Vietnamese words never spell these). */
export const ENGLISH_STRINGS: readonly string[] = [
  ...[...FINDING_CATALOGUE.values()].flatMap((f) => [f.en, ...Object.values(f.variants ?? {}).map((v) => v.en)]),
  ...DEFAULT_COMPARISONS.flatMap((c) => c.levels.map((l) => l.label)),
  'missing on one side',
  ...Object.values(RULE_REASONS).map((r) => r.en),
  'male',
  'female',
  ...VACCINE_CODES.filter((code) => !(vaccineNameVi(code) ?? '').includes(code)),
  'not_found',
  'no_id',
  'id_confirmed',
  'not_resident',
];

const PATTERNS = [...new Set(ENGLISH_STRINGS)].map((s) => ({ text: s, re: new RegExp(`(?<![\\p{L}\\p{N}_-])${escape(s)}(?![\\p{L}\\p{N}_-])`, 'u') }));

export function englishIn(text: string): string[] {
  return PATTERNS.filter((p) => p.re.test(text)).map((p) => p.text);
}
