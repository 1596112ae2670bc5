/** Small text primitives shared by the cleaning rules and the matchers. */

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/**
 * Removes Vietnamese (and other Latin) diacritics: `Đặng Thị Thủy` → `Dang Thi Thuy`.
 * Đ/đ have no Unicode decomposition, so they are mapped explicitly; the Icelandic Eth (Ð/ð), often typed
 * for Đ, too.
 */
export function foldDiacritics(s: string): string {
  return s
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/[\u0110\u00d0]/g, 'D')
    .replace(/[\u0111\u00f0]/g, 'd');
}

/** Lower-case, diacritic-free, letters and digits separated by single spaces: a key for lookups. */
export function asciiKey(s: string): string {
  return foldDiacritics(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
