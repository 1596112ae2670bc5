/**
 * Citizen IDs as typed (DOMAIN.md §1): the 12-digit personal identification number (CCCD), the 9-digit legacy
 * CMND, and what spreadsheets do to them (lost leading zeros, scientific notation, a phone in the wrong column).
 *
 * The ID is kept even when it contradicts the birth year or sex: a parent's ID typed for a child is common
 * (DOMAIN §2.4) and the matchers decide what it is worth; here it is only flagged.
 */
import { cccdBirthYear } from '../base/cccd.js';
import { cleaned, finding, isBlank, type Cleaned, type Finding } from './finding.js';
import { isMobileNumber } from './phone.js';
import { asciiKey } from '../base/text.js';
import type { CitizenId, Sex } from './types.js';

/** The 63 pre-2025 province codes that open a domestic CCCD (DOMAIN §1.2, Phụ lục 1 TT 07/2016/TT-BCA). */
export const CCCD_PROVINCE_CODES: ReadonlySet<string> = new Set([
  '001', '002', '004', '006', '008', '010', '011', '012', '014', '015', '017', '019', '020', '022', '024', '025',
  '026', '027', '030', '031', '033', '034', '035', '036', '037', '038', '040', '042', '044', '045', '046', '048',
  '049', '051', '052', '054', '056', '058', '060', '062', '064', '066', '067', '068', '070', '072', '074', '075',
  '077', '079', '080', '082', '083', '084', '086', '087', '089', '091', '092', '093', '094', '095', '096',
]);

const TWELVE_DIGITS = /^\d{12}$/;
const DIGITS_ONLY = /^\d*$/;
/** `1.23457E+11`, `7,9E+10`: Excel showed the number in scientific notation and the digits are gone. */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?e\+?\d+$/i;
/** Spaces, dots, dashes, a leading apostrophe (Excel's "this is text" mark) and quotes around the number. */
const FORMATTING = /[\s\u00a0\u200b.\-'"‘’“”]/g;
/** A number read back from a float cell, `1192012345.0` (a single dot: `012.345.000` is a grouped CMND). */
const FLOAT_NUMBER = /^(\d+)\.0+$/;
const PASSPORT = /^[A-Z]\d{7,8}$/i;
const REPEATED_DIGIT = /^(\d)\1*$/;
const PLACEHOLDER_DIGITS: ReadonlySet<string> = new Set(['123456789', '0123456789', '123456789012']);
/** Words for "none", compared as `asciiKey`s: không, chưa có, ko có, x, -. */
const PLACEHOLDER_WORDS: ReadonlySet<string> = new Set([
  '', 'x', 'k', 'ko', 'khong', 'ko co', 'k co', 'khong co', 'chua', 'chua co', 'na', 'n a', 'none',
]);

const PLACEHOLDER = finding('citizen_id.placeholder');
const FORMATTING_REMOVED = finding('citizen_id.formatting_removed');

/** What the rest of the row says about the holder: its cleaned birth year and sex. */
export interface IdContext {
  readonly birthYear: number | null;
  readonly sex: Sex | null;
}

function isPlaceholderNumber(digits: string): boolean {
  return REPEATED_DIGIT.test(digits) || PLACEHOLDER_DIGITS.has(digits);
}

/** A health-insurance (BHYT) card number: two letters (the beneficiary group), then 13 digits. */
const HEALTH_INSURANCE = /^[A-Z]{2}\d{13}$/i;
/** Shorter than this, a value cannot tell people apart (`7`, `x1`). */
const MIN_IDENTIFIER_CHARS = 5;

/**
 * What an ID that is neither a CCCD nor a CMND was taken to be: a passport number, a health-insurance
 * (BHYT) number, or an identifier of unknown kind (a birth-certificate number, another country's ID, a
 * CCCD with a digit missing). Such an ID is kept and matched on as written, with its own weights: the
 * same value on two rows is evidence, whatever the document. `unusable` when it identifies no one: its
 * digits were lost to scientific notation, it is a phone number (a household's), or it is too short.
 */
export type IdentifierKind = 'passport' | 'health_insurance' | 'unknown' | 'unusable';

export function identifierKindOf(value: string): IdentifierKind {
  if (SCIENTIFIC.test(value) || value.length < MIN_IDENTIFIER_CHARS || isMobileNumber(value)) return 'unusable';
  if (PASSPORT.test(value)) return 'passport';
  if (HEALTH_INSURANCE.test(value)) return 'health_insurance';
  return 'unknown';
}

/**
 * Cleans one citizen ID; `context` (the row's cleaned birth year and sex) is used only to flag a CCCD whose
 * digits 4–6 disagree with them. An ID that is neither a CCCD nor a CMND (kind `invalid`, kept as written)
 * carries one more finding saying what it was taken to be (identifierKindOf).
 */
export function normalizeCitizenId(raw: string, context: IdContext): Cleaned<CitizenId> {
  const result = normalizeKnownKinds(raw, context);
  if (result.value?.kind !== 'invalid') return result;
  return cleaned(result.value, [...result.findings, finding('citizen_id.other_identifier', identifierKindOf(result.value.value))]);
}

function normalizeKnownKinds(raw: string, context: IdContext): Cleaned<CitizenId> {
  if (isBlank(raw)) return cleaned(null);
  if (TWELVE_DIGITS.test(raw) && !isPlaceholderNumber(raw)) return twelveDigits(raw, [], context);

  const trimmed = raw.trim();
  if (SCIENTIFIC.test(trimmed)) {
    return cleaned({ kind: 'invalid', value: trimmed }, [
      finding('citizen_id.scientific_notation'),
    ]);
  }
  const compact = trimmed.replace(FLOAT_NUMBER, '$1').replace(FORMATTING, '');
  const findings: Finding[] = compact === trimmed ? [] : [FORMATTING_REMOVED];

  if (!DIGITS_ONLY.test(compact)) {
    if (PLACEHOLDER_WORDS.has(asciiKey(trimmed))) return cleaned(null, [PLACEHOLDER]);
    return cleaned({ kind: 'invalid', value: compact }, [
      ...findings,
      finding('citizen_id.not_digits', PASSPORT.test(compact) ? 'passport' : 'letters'),
    ]);
  }
  if (compact === '' || isPlaceholderNumber(compact)) return cleaned(null, [PLACEHOLDER]);
  if (isMobileNumber(compact)) {
    return cleaned({ kind: 'invalid', value: compact }, [
      ...findings,
      finding('citizen_id.phone_number'),
    ]);
  }

  switch (compact.length) {
    case 12:
      return twelveDigits(compact, findings, context);
    case 11:
    case 10:
      return restoredZeros(compact, findings, context);
    case 9:
      return cleaned({ kind: 'cmnd', value: compact }, findings);
    default:
      return wrongLength(compact, findings);
  }
}

/**
 * Excel stored the ID as a number and dropped its leading zero(s) (DOMAIN §0 trap 1). Excel drops all of
 * them, so what is left starts with a non-zero digit; then the padded prefix must be a province.
 */
function restoredZeros(digits: string, findings: Finding[], context: IdContext): Cleaned<CitizenId> {
  const padded = digits.padStart(12, '0');
  if (digits[0] === '0' || !CCCD_PROVINCE_CODES.has(padded.slice(0, 3))) return wrongLength(digits, findings);
  findings.push(finding('citizen_id.leading_zero_restored'));
  return twelveDigits(padded, findings, context);
}

function wrongLength(digits: string, findings: Finding[]): Cleaned<CitizenId> {
  findings.push(finding('citizen_id.wrong_length'));
  return cleaned({ kind: 'invalid', value: digits }, findings);
}

/** A 12-digit number: a known province prefix, then digits 4–6 against the row's sex and birth year (DOMAIN §1.1). */
function twelveDigits(id: string, findings: Finding[], context: IdContext): Cleaned<CitizenId> {
  if (!CCCD_PROVINCE_CODES.has(id.slice(0, 3))) {
    findings.push(finding('citizen_id.unknown_province'));
    return cleaned({ kind: 'invalid', value: id }, findings);
  }
  if (context.sex !== null) {
    const encoded: Sex = (id.charCodeAt(3) - 48) % 2 === 0 ? 'male' : 'female';
    if (encoded !== context.sex) {
      findings.push(finding('citizen_id.sex_mismatch'));
    }
  }
  if (context.birthYear !== null && cccdBirthYear(id) !== context.birthYear) {
    findings.push(
      finding('citizen_id.birth_year_mismatch'),
    );
  }
  return cleaned({ kind: 'cccd', value: id }, findings);
}

/** `001085012345` → `0010******45`: enough to tell IDs apart in logs without disclosing them. */
export function maskCitizenId(id: string): string {
  if (id.length <= 6) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 6) + id.slice(-2);
}

/**
 * Two IDs masked for a reviewer comparing them: as `maskCitizenId`, and also the digits where two IDs of one
 * length differ in at most MAX_REVEALED places (a typo, a transposition, a wrong century digit), so that
 * `0010******45` beside `0010******45` can no longer hide `001085…` against `001095…`. IDs that differ more,
 * or in length, are plainly different: nothing more is shown. What both share stays masked.
 */
export function maskCitizenIdPair(a: string | null, b: string | null): readonly [string | null, string | null] {
  const plain = [a === null ? null : maskCitizenId(a), b === null ? null : maskCitizenId(b)] as const;
  if (a === null || b === null || a.length !== b.length) return plain;
  const differing = [...a].flatMap((digit, i) => (digit !== b[i] ? [i] : []));
  if (differing.length === 0 || differing.length > MAX_REVEALED) return plain;
  const reveal = (id: string, masked: string) => [...masked].map((c, i) => (differing.includes(i) ? id[i] : c)).join('');
  return [reveal(a, plain[0]!), reveal(b, plain[1]!)];
}

/** More differing digits than this is no typo: the IDs are different, and a reviewer needs no more of them. */
const MAX_REVEALED = 3;
