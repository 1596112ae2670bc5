/** Free-text fields (address, lot number, facility code, …): Unicode and white space only. */
import { cleaned, finding, isBlank, type Cleaned, type Finding } from './finding.js';
import type { TextField } from './findings-catalogue.js';

/** Printable ASCII, no space at either end and none doubled. */
const TIDY_ASCII = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;
const SPACES = /(?:[\s\u00a0\u200b\u200c\ufeff]|\u200d)+/g;

/**
 * NFC and single spaces; `upperCase` for codes that are case-insensitive by nature (lot numbers).
 * These never change meaning, so they are fixes, reported so the station learns the expected form.
 */
export function normalizeText(raw: string, field: TextField, options: { upperCase?: boolean } = {}): Cleaned<string> {
  if (isBlank(raw)) return cleaned(null);
  // Most cells are already tidy printable ASCII (codes, lot numbers): nothing to normalise.
  if (TIDY_ASCII.test(raw) && !(options.upperCase && /[a-z]/.test(raw))) return cleaned(raw);
  const findings: Finding[] = [];
  let value = raw.normalize('NFC');
  if (value !== raw) findings.push(finding(`${field}.unicode_normalized`));
  const spaced = value.replace(SPACES, ' ').trim();
  if (spaced !== value) findings.push(finding(`${field}.whitespace`));
  value = spaced;
  if (options.upperCase) {
    const upper = value.toUpperCase();
    if (upper !== value) findings.push(finding(`${field}.case`));
    value = upper;
  }
  return cleaned(value, findings);
}
