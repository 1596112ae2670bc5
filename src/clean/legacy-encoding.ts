/**
 * Vietnamese typed in a legacy 8-bit font rather than Unicode (DOMAIN.md §2.3, "Legacy 8-bit encodings in Excel").
 *
 * Before Unicode, Vietnamese was typed with fonts that drew Vietnamese letters at the code points of Latin-1
 * symbols and letters: TCVN3 (ABC, fonts `.VnTime`) puts `ễ` at 0xD4 (`Ô`), VNI-Windows (`VNI-Times`) writes
 * `ễ` as `e` + `ã`. Excel keeps the code points, so once the font is gone the cell reads `NguyÔn` or `Nguyeãn`.
 * Such a cell cannot be cleaned letter by letter; it has to be converted, so it is detected and reported.
 */

export type LegacyEncoding = 'tcvn3' | 'vni';

/**
 * TCVN 5712:1993 (VN3, the ABC keyboard's `.Vn…` fonts), bytes 0xA0–0xFF → Unicode, one character per byte
 * (glibc `iconvdata/tcvn5712-1.c`, same as X11 `lcUniConv/tcvn.h`). 0xB0–0xB4 are combining tone marks.
 * VN1's upper-case letters in 0x01–0x17 and 0x80–0x9F are not used by the VN3 fonts and are left alone.
 */
const TCVN3_HIGH =
  '\u00a0\u0102\u00c2\u00ca\u00d4\u01a0\u01af\u0110\u0103\u00e2\u00ea\u00f4\u01a1\u01b0\u0111\u1eb0' +
  '\u0300\u0309\u0303\u0301\u0323\u00e0\u1ea3\u00e3\u00e1\u1ea1\u1eb2\u1eb1\u1eb3\u1eb5\u1eaf\u1eb4' +
  '\u1eae\u1ea6\u1ea8\u1eaa\u1ea4\u1ec0\u1eb7\u1ea7\u1ea9\u1eab\u1ea5\u1ead\u00e8\u1ec2\u1ebb\u1ebd' +
  '\u00e9\u1eb9\u1ec1\u1ec3\u1ec5\u1ebf\u1ec7\u00ec\u1ec9\u1ec4\u1ebe\u1ed2\u0129\u00ed\u1ecb\u00f2' +
  '\u1ed4\u1ecf\u00f5\u00f3\u1ecd\u1ed3\u1ed5\u1ed7\u1ed1\u1ed9\u1edd\u1edf\u1ee1\u1edb\u1ee3\u00f9' +
  '\u1ed6\u1ee7\u0169\u00fa\u1ee5\u1eeb\u1eed\u1eef\u1ee9\u1ef1\u1ef3\u1ef7\u1ef9\u00fd\u1ef5\u1ed0';

const ACUTE = '\u0301';
const GRAVE = '\u0300';
const HOOK = '\u0309';
const TILDE = '\u0303';
const DOT = '\u0323';
const CIRCUMFLEX = '\u0302';
const BREVE = '\u0306';
const HORN = '\u031b';

/**
 * VNI-Windows writes a vowel as its base letter followed by one mark character (both in Latin-1), the mark
 * carrying the vowel mark, the tone, or both: `aø` = à, `aâ` = â, `aá` = ấ, `aê` = ă, `aé` = ắ. Upper-case
 * text uses the upper-case mark (`AØ` = À).
 */
const VNI_TONE_MARKS: readonly (readonly [mark: string, combining: string])[] = [
  ['ù', ACUTE], ['ø', GRAVE], ['û', HOOK], ['õ', TILDE], ['ï', DOT],
];
const VNI_CIRCUMFLEX_MARKS: readonly (readonly [mark: string, combining: string])[] = [
  ['â', ''], ['á', ACUTE], ['à', GRAVE], ['å', HOOK], ['ã', TILDE], ['ä', DOT],
];
const VNI_BREVE_MARKS: readonly (readonly [mark: string, combining: string])[] = [
  ['ê', ''], ['é', ACUTE], ['è', GRAVE], ['ú', HOOK], ['ü', TILDE], ['ë', DOT],
];

/** VNI base characters (lower case) → the Unicode base letter and the marks that may follow them. */
const VNI_BASES: readonly (readonly [base: string, letter: string, marks: readonly (readonly [string, string])[]])[] = [
  ['a', 'a', VNI_TONE_MARKS],
  ['a', 'a' + CIRCUMFLEX, VNI_CIRCUMFLEX_MARKS],
  ['a', 'a' + BREVE, VNI_BREVE_MARKS],
  ['e', 'e', VNI_TONE_MARKS],
  ['e', 'e' + CIRCUMFLEX, VNI_CIRCUMFLEX_MARKS],
  ['o', 'o', VNI_TONE_MARKS],
  ['o', 'o' + CIRCUMFLEX, VNI_CIRCUMFLEX_MARKS],
  ['ô', 'o' + HORN, VNI_TONE_MARKS], // `ô` alone is ơ in VNI
  ['u', 'u', VNI_TONE_MARKS],
  ['ö', 'u' + HORN, VNI_TONE_MARKS], // `ö` alone is ư
  ['y', 'y', VNI_TONE_MARKS.filter(([mark]) => mark !== 'ï')], // ỵ is the single character `î`
];

/** VNI characters that stand alone for a Vietnamese letter (the i vowels, ỵ, ơ, ư, đ). */
const VNI_SINGLES: readonly (readonly [vni: string, letter: string])[] = [
  ['í', 'í'], ['ì', 'ì'], ['æ', 'ỉ'], ['ó', 'ĩ'], ['ò', 'ị'], ['î', 'ỵ'], ['ô', 'ơ'], ['ö', 'ư'], ['ñ', 'đ'],
];

function buildVniPairs(): ReadonlyMap<string, string> {
  const pairs = new Map<string, string>();
  for (const [base, letter, marks] of VNI_BASES) {
    for (const [mark, combining] of marks) {
      const lower = (letter + combining).normalize('NFC');
      const upper = lower.toUpperCase();
      // The mark's case is not trusted: fonts were mixed within a cell, and the base letter decides the case.
      for (const m of [mark, mark.toUpperCase()]) {
        pairs.set(base + m, lower);
        pairs.set(base.toUpperCase() + m, upper);
      }
    }
  }
  return pairs;
}

const VNI_PAIRS = buildVniPairs();
const VNI_SINGLE = new Map<string, string>(
  VNI_SINGLES.flatMap(([vni, letter]) => [[vni, letter], [vni.toUpperCase(), letter.toUpperCase()]] as const),
);

function decodeTcvn3(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out += code >= 0xa0 && code <= 0xff ? TCVN3_HIGH[code - 0xa0] : text[i];
  }
  return out.normalize('NFC');
}

function decodeVni(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const pair = VNI_PAIRS.get(text.slice(i, i + 2));
    if (pair !== undefined) {
      out += pair;
      i++;
    } else {
      const ch = text.charAt(i);
      out += VNI_SINGLE.get(ch) ?? ch;
    }
  }
  return out.normalize('NFC');
}

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const STOP_CODA = /(?:c|ch|p|t)$/;

/**
 * The shape of a Vietnamese syllable without its tone: onset, vowel nucleus, final consonant. Nuclei ending in a
 * semivowel (`ai`, `ươi`, …) take no final consonant. Deliberately a little lenient (any coda after the other
 * nuclei): it only has to tell Vietnamese from the noise a wrong decoding makes (`Mỹller`, `Traàn`).
 */
const SYLLABLE = new RegExp(
  '^(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?' +
    '(?:(?:iêu|yêu|oai|oao|oay|oeo|uôi|ươi|ươu|uya|uyu|uây|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|ưa|ưi|ưu)' +
    '|(?:uyê|iê|yê|uô|ươ|oa|oă|oe|oo|uâ|uê|uơ|uy|a|ă|â|e|ê|i|o|ô|ơ|u|ư|y)(?:ch|ng|nh|[cmnpt])?)$',
);

/** A word (any case, NFC) spelled as one Vietnamese syllable: valid onset, nucleus, coda; one tone; stop codas take only sắc/nặng. */
export function isVietnameseSyllable(word: string): boolean {
  const decomposed = word.toLowerCase().normalize('NFD');
  const tones = decomposed.match(TONE_MARKS);
  if (tones && tones.length > 1) return false;
  const bare = decomposed.replace(TONE_MARKS, '').normalize('NFC');
  if (!SYLLABLE.test(bare)) return false;
  return !tones || !STOP_CODA.test(bare) || tones[0] === ACUTE || tones[0] === DOT;
}

/** Runs of letters (ASCII and Latin-1) and legacy code points: ASCII punctuation, digits and spaces separate them. */
const LEGACY_WORDS = /[A-Za-z\u00a1-\u00ff]+/g;
const ASCII_LETTERS = /^[A-Za-z]+$/;

/**
 * Whether `decode` turns the cell into Vietnamese: every word it changes becomes a valid Vietnamese syllable,
 * and at least one of those words was not valid Vietnamese as it stood. The second condition keeps real
 * Unicode text that happens to use only Latin-1 letters (`Hoàng Anh`, `Lê Tú`) from being "decoded".
 */
function decodesToVietnamese(text: string, decode: (word: string) => string): boolean {
  let evidence = false;
  for (const [word] of text.matchAll(LEGACY_WORDS)) {
    if (ASCII_LETTERS.test(word)) continue;
    const decoded = decode(word);
    if (decoded === word) continue;
    if (!isVietnameseSyllable(decoded)) return false;
    if (!isVietnameseSyllable(word)) evidence = true;
  }
  return evidence;
}

/**
 * The legacy font a cell was typed in, or null for Unicode (or unrecognisable) text.
 *
 * Legacy text read as Latin-1 only ever contains code points up to U+00FF, so anything else (ă, ơ, ư, đ, ạ, a
 * combining mark, or plain ASCII) is Unicode or at least not legacy; the check stops there for nearly all cells.
 * Otherwise the cell is decoded both ways, word by word (see `decodesToVietnamese`). TCVN3 is tried first:
 * it was the official standard and the more common one; a cell that reads as Vietnamese both ways is rare.
 */
export function detectLegacyEncoding(text: string): LegacyEncoding | null {
  let latin1 = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) return null;
    if (code >= 0x80) latin1 = true;
  }
  if (!latin1) return null;
  if (decodesToVietnamese(text, decodeTcvn3)) return 'tcvn3';
  if (decodesToVietnamese(text, decodeVni)) return 'vni';
  return null;
}

/** Converts legacy-font text to Unicode (NFC). Characters outside the encoding's table pass through unchanged. */
export function decodeLegacy(text: string, encoding: LegacyEncoding): string {
  return encoding === 'tcvn3' ? decodeTcvn3(text) : decodeVni(text);
}
