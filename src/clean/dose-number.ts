/**
 * Dose number (mũi thứ): an integer from 1, written as `2`, `Mũi 2`, `mũi thứ hai`, `M2`, `2.0` or
 * `Mũi 1 (cơ bản)`. A booster named without its place in the series (`nhắc lại`, `nhắc lại lần 1`) has no
 * dose number: after a 2-dose primary series booster 1 is dose 3, after DPT's 3 it is dose 4 (DOMAIN §5).
 */
import { cleaned, finding, isBlank, type Cleaned } from './finding.js';
import { MAX_DOSE } from './limits.js';
import { asciiKey } from '../base/text.js';

const PLAIN = /^(?:[1-9]|10)$/;
const DECIMAL = /^([+-]?\d+)[.,](\d+)$/;
const SIGNED_INTEGER = /^[+-]?\d+$/;
/** `asciiKey` tokens: letters and digits apart, so `m2` reads as `m`, `2`. */
const TOKENS = /[a-z]+|\d+/g;

/** Number words after `mũi thứ` / `lần` (ascii keys): thứ nhất, một, hai, ba, tư/bốn, năm, … mười. */
const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ['nhat', 1], ['mot', 1], ['hai', 2], ['ba', 3], ['bon', 4], ['tu', 4], ['nam', 5],
  ['sau', 6], ['bay', 7], ['tam', 8], ['chin', 9], ['muoi', 10],
]);
/** Words that may surround the number: mũi, thứ, liều, lần, số, dose, M; cơ bản (primary series). */
const FILLER_WORDS: ReadonlySet<string> = new Set(['mui', 'thu', 'lieu', 'lan', 'so', 'dose', 'm', 'co', 'ban']);
/** Words that name a booster: nhắc lại, bổ sung, tăng cường, booster. */
const BOOSTER_WORDS: ReadonlySet<string> = new Set(['nhac', 'lai', 'bo', 'sung', 'tang', 'cuong', 'booster']);

const REFORMATTED = finding('dose_number.reformatted');

function outOfRange(): Cleaned<number> {
  return cleaned(null, [finding('dose_number.out_of_range')]);
}

function unreadable(): Cleaned<number> {
  return cleaned(null, [finding('dose_number.unreadable')]);
}

export function normalizeDoseNumber(raw: string): Cleaned<number> {
  if (PLAIN.test(raw)) return cleaned(Number(raw));
  if (isBlank(raw)) return cleaned(null);
  const text = raw.trim();

  const decimal = DECIMAL.exec(text);
  if (decimal !== null) {
    if (!/^0+$/.test(decimal[2]!)) return unreadable(); // 2.5: no such dose
    return inRange(Number(decimal[1]));
  }
  if (SIGNED_INTEGER.test(text)) return inRange(Number(text));
  return fromWords(asciiKey(text));
}

function inRange(n: number): Cleaned<number> {
  return n >= 1 && n <= MAX_DOSE ? cleaned(n, [REFORMATTED]) : outOfRange();
}

/** `mui 2`, `mui thu hai`, `m2`, `mui 1 co ban`, `mui 3 nhac lai`, `nhac lai`: exactly one number among known words. */
function fromWords(key: string): Cleaned<number> {
  let dose: number | null = null;
  let boosterBeforeNumber = false;
  let booster = false;
  for (const token of key.match(TOKENS) ?? []) {
    const n = token.charCodeAt(0) <= 57 ? Number(token) : NUMBER_WORDS.get(token);
    if (n !== undefined) {
      if (dose !== null) return unreadable(); // two numbers: `1/2`, `mũi 2 - 2021`
      dose = n;
      boosterBeforeNumber = booster;
    } else if (BOOSTER_WORDS.has(token)) {
      booster = true;
    } else if (!FILLER_WORDS.has(token)) {
      return unreadable();
    }
  }
  if (dose === null || boosterBeforeNumber) {
    if (!booster) return unreadable();
    return cleaned(null, [
      finding('dose_number.no_number'),
    ]);
  }
  return inRange(dose);
}
