/**
 * The one diacritic fold, and the lookup key built on it. Cleaning rules, matchers, connectors and the
 * synthetic-data generator all fold text here, so `Đặng` means `Dang` everywhere.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NOT_KEY_CHARACTERS = /[^a-z0-9]+/g;
/** Combining marks and every other code point whose canonical order could move when a string is decomposed. */
const MARK = /\p{M}/u;

/** Code points below this are folded from a table; the table covers Latin, Vietnamese and their marks. */
const TABLE_SIZE = 0x2000;

/**
 * For each code point below U+2000: its fold as one character (or '' for a combining mark that goes), or
 * `undefined` where a per-character fold could differ from folding the whole string (a decomposition that
 * leaves more than one character, or a mark that stays and could be reordered): such text takes the slow path.
 */
const FOLD_TABLE: readonly (string | undefined)[] = Array.from({ length: TABLE_SIZE }, (_, code) => {
  const folded = foldSlowly(String.fromCharCode(code));
  return folded === '' || (folded.length === 1 && !MARK.test(folded)) ? folded : undefined;
});

function foldSlowly(s: string): string {
  return s
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/[\u0110\u00d0]/g, 'D')
    .replace(/[\u0111\u00f0]/g, 'd');
}

/**
 * Removes Vietnamese (and other Latin) diacritics, from NFC or NFD text: `Đặng Thị Thủy` → `Dang Thi Thuy`.
 * Đ/đ have no Unicode decomposition, so they are mapped explicitly; the Icelandic Eth (Ð/ð), often typed
 * for Đ, too. Letters with no diacritic and ASCII come back as they are (case kept).
 *
 * The result is exactly NFD-then-strip-the-marks; Vietnamese and ASCII text (all the synthetic generator
 * and nearly every record holds) is folded from a table a character at a time, several times faster, and
 * anything the table cannot promise to fold the same way goes through the normalisation.
 */
export function foldDiacritics(text: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    const folded = code < TABLE_SIZE ? FOLD_TABLE[code] : undefined;
    if (folded === undefined) return foldSlowly(text);
    if (folded === text[i]) continue;
    out += text.slice(start, i) + folded;
    start = i + 1;
  }
  return start === 0 ? text : out + text.slice(start);
}

/**
 * Lower-case, diacritic-free, letters and digits separated by single spaces: a key for lookups
 * (`  Nguyễn-Thị  THỦY ` → `nguyen thi thuy`).
 */
export function asciiKey(s: string): string {
  return foldDiacritics(s).toLowerCase().replace(NOT_KEY_CHARACTERS, ' ').trim();
}

/**
 * `asciiKey` with no spaces at all (`Ngày sinh`, `NgàySinh` → `ngaysinh`; `Vero Cell`, `Verocell` →
 * `verocell`): for names that people write run together or apart, such as column headers and product names.
 */
export function compactKey(s: string): string {
  return asciiKey(s).replace(/ /g, '');
}
