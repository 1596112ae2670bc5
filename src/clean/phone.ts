/**
 * Phone numbers to one canonical national form, `0` + 9 digits for mobiles (DOMAIN.md §3.2).
 *
 * Every accepted transformation keeps the subscriber: the country code, a zero Excel dropped and the
 * pre-2018 11-digit prefixes (whose last 7 digits never changed) all map to the number dialled today.
 */
import { cleaned, finding, isBlank, type Cleaned, type Finding } from './finding.js';

/** The 11-digit mobile prefixes migrated between 15 Sep 2018 and 30 Jun 2019 (DOMAIN §3.2), old → new. */
export const OLD_MOBILE_PREFIXES: ReadonlyMap<string, string> = new Map([
  // Viettel
  ['0162', '032'], ['0163', '033'], ['0164', '034'], ['0165', '035'], ['0166', '036'], ['0167', '037'], ['0168', '038'], ['0169', '039'],
  // MobiFone
  ['0120', '070'], ['0121', '079'], ['0122', '077'], ['0126', '076'], ['0128', '078'],
  // VinaPhone
  ['0123', '083'], ['0124', '084'], ['0125', '085'], ['0127', '081'], ['0129', '082'],
  // Vietnamobile
  ['0186', '056'], ['0188', '058'],
  // Gmobile (Gtel)
  ['0199', '059'],
]);

/** Today's mobile ranges, 03x 05x 07x 08x 09x (DOMAIN §3.2), 10 digits. */
const MOBILE = /^0[35789]\d{8}$/;
/** Fixed lines since the 2017 renumbering: `02` + area code + subscriber, 11 digits in all. */
const LANDLINE = /^02\d{9}$/;
/** Spaces, dots, dashes, parentheses, quotes: typing conventions, not digits. */
const FORMATTING = /[\s\u00a0\u200b.\-()'"]/g;
const DIGITS = /^\d+$/;
const NON_DIGITS = /\D+/g;
/** Between two numbers in one cell: `/`, `;`, `,`, `|`, a line break, a spaced dash, or a word for "or"/"and". */
const SEPARATOR = /[/;,|\n]|\s[-–]\s|\s(?:hoặc|hoac|or|và|va)\s/i;
const HAS_DIGIT = /\d/;
/** A 10-digit number needs at least this many digits; two of them at least twice as many. */
const SEVERAL_NUMBERS_MIN_DIGITS = 18;

/** Whether `digits` (digits only) is a Vietnamese mobile number, current or pre-2018 (for misplaced-column checks). */
export function isMobileNumber(digits: string): boolean {
  return MOBILE.test(digits) || (digits.length === 11 && OLD_MOBILE_PREFIXES.has(digits.slice(0, 4)));
}

/**
 * `0912345678` → `091*****78`: the network prefix (0 + the 2-digit mobile network code, which says only which
 * carrier issued the number) and the last two digits, enough for a reviewer to tell two numbers apart
 * without the subscriber number being disclosed. Short values are masked whole.
 */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 5) + phone.slice(-2);
}

export function normalizePhone(raw: string): Cleaned<string> {
  if (isBlank(raw)) return cleaned(null);
  if (MOBILE.test(raw)) return cleaned(raw);

  const numbers = raw.split(SEPARATOR).filter((part) => HAS_DIGIT.test(part));
  if (numbers.length > 1) return firstOfSeveral(numbers[0]!);
  const digitCount = raw.replace(NON_DIGITS, '').length;
  if (digitCount >= SEVERAL_NUMBERS_MIN_DIGITS) {
    const first = firstNumberOf(raw);
    if (first !== null) return firstOfSeveral(first);
  }
  return normalizeOne(raw);
}

function firstOfSeveral(first: string): Cleaned<string> {
  const result = normalizeOne(first);
  return cleaned(result.value, [
    ...result.findings,
    finding('phone.several_numbers'),
  ]);
}

/**
 * `0912 345 678 0987 654 321`, `0912345678-0987654321`: the shortest run of digit groups from the start
 * that is a whole number on its own, or null when there is none.
 */
function firstNumberOf(raw: string): string | null {
  let digits = '';
  for (const group of raw.split(NON_DIGITS)) {
    digits += group;
    if (digits.length >= 9 && normalizeOne(digits).value !== null) return digits;
  }
  return null;
}

function normalizeOne(text: string): Cleaned<string> {
  const findings: Finding[] = [];
  const trimmed = text.trim();
  // The `+` of `+84` / `(+84)` belongs to the country code, reported as such rather than as formatting.
  const plus = trimmed.indexOf('+');
  const international = plus !== -1;
  const written = international ? trimmed.slice(0, plus) + trimmed.slice(plus + 1) : trimmed;
  let digits = written.replace(FORMATTING, '');
  if (digits !== written) findings.push(finding('phone.formatting_removed'));
  if (!DIGITS.test(digits) || (international && !digits.startsWith('84'))) return unusable();

  // +84 912 345 678 (mobile, 11 digits) or +84 162 345 6789 / +84 24 3826 1234 (12 digits); `+84 0912…` too.
  if (digits.startsWith('84') && (digits.length === 11 || digits.length === 12)) {
    digits = digits[2] === '0' ? digits.slice(2) : `0${digits.slice(2)}`;
    findings.push(finding('phone.country_code_removed'));
  } else if (digits[0] !== '0' && (digits.length === 9 || digits.length === 10)) {
    // Excel stores the number as a number and drops the zero (10-digit: an old 11-digit or fixed-line number).
    digits = `0${digits}`;
    findings.push(finding('phone.leading_zero_restored'));
  }
  if (digits.length === 11) {
    const prefix = OLD_MOBILE_PREFIXES.get(digits.slice(0, 4));
    if (prefix !== undefined) {
      digits = prefix + digits.slice(4);
      findings.push(finding('phone.old_prefix_converted'));
    }
  }
  return MOBILE.test(digits) || LANDLINE.test(digits) ? cleaned(digits, findings) : unusable();
}

function unusable(): Cleaned<string> {
  return cleaned(null, [
    finding('phone.invalid'),
  ]);
}
