/**
 * Full name (họ và tên): repairs the ways a name gets damaged on its way into a spreadsheet, without ever
 * guessing a letter the clerk did not type (a name typed without diacritics stays without them).
 */
import { cleaned, finding, isBlank, type Cleaned, type Finding } from './finding.js';
import { asciiKey } from '../base/text.js';
import type { PersonName } from './types.js';

// ---- Vietnamese letters, as tables indexed by UTF-16 code unit ------------------------------------------------

/** Tones in NFD, in table order: 0 = ngang (none), then huyền, sắc, ngã, hỏi, nặng (DOMAIN.md §2.3). */
const TONES = ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323'] as const;
/** The twelve Vietnamese vowels without tone: six plain ones, then the six with a vowel mark. */
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'y', 'ă', 'â', 'ê', 'ô', 'ơ', 'ư'] as const;
const PLAIN_VOWELS = 6;

/** Every Vietnamese letter is below U+1F00 (the precomposed ones end at U+1EF9). */
const TABLE_SIZE = 0x1f00;
const NOT_A_LETTER = 0;
const LOWER = 1;
const UPPER = 2;
/** Case of each Vietnamese (or ASCII) letter; NOT_A_LETTER for everything else, including combining marks. */
const LETTER_CASE = new Uint8Array(TABLE_SIZE);
/** 1 + index in VOWELS of a vowel's toneless form (both cases), 0 for non-vowels. */
const VOWEL = new Uint8Array(TABLE_SIZE);
/** Index in TONES of a vowel's tone. */
const TONE = new Uint8Array(TABLE_SIZE);
/** Lower-case vowel by `VOWEL * TONES.length + tone`. */
const TONED: string[] = [];

for (const [v, vowel] of VOWELS.entries()) {
  for (const [t, tone] of TONES.entries()) {
    const lower = (vowel + tone).normalize('NFC');
    const upper = lower.toUpperCase();
    TONED[(v + 1) * TONES.length + t] = lower;
    for (const [ch, letterCase] of [[lower, LOWER], [upper, UPPER]] as const) {
      const code = ch.charCodeAt(0);
      LETTER_CASE[code] = letterCase;
      VOWEL[code] = v + 1;
      TONE[code] = t;
    }
  }
}
/** Consonant letters of Vietnamese; f j w z are letters in names too, but never part of a Vietnamese syllable. */
const CONSONANTS = 'bcdđghklmnpqrstvx';
/** 1 + index in CONSONANTS (both cases), 0 for anything else. */
const CONSONANT = new Uint8Array(TABLE_SIZE);
for (const [i, ch] of Array.from(CONSONANTS).entries()) {
  for (const [c, letterCase] of [[ch, LOWER], [ch.toUpperCase(), UPPER]] as const) {
    LETTER_CASE[c.charCodeAt(0)] = letterCase;
    CONSONANT[c.charCodeAt(0)] = i + 1;
  }
}
for (const ch of 'fjwz') {
  LETTER_CASE[ch.charCodeAt(0)] = LOWER;
  LETTER_CASE[ch.toUpperCase().charCodeAt(0)] = UPPER;
}

/** Table lookups by UTF-16 code unit; code units past the tables are not Vietnamese letters. */
const caseOf = (code: number): number => LETTER_CASE[code] ?? NOT_A_LETTER;
const vowelOf = (code: number): number => VOWEL[code] ?? 0;
const toneOf = (code: number): number => TONE[code] ?? 0;
const consonantOf = (code: number): number => CONSONANT[code] ?? 0;

/** Up to three consonants `s[from, to)` as a number (one base-32 digit each, any case), or -1. Allocates nothing. */
function consonantsKey(s: string, from: number, to: number): number {
  if (to - from > 3) return -1;
  let key = 0;
  for (let i = from; i < to; i++) {
    const c = consonantOf(s.charCodeAt(i));
    if (c === 0) return -1;
    key = key * 32 + c;
  }
  return key;
}
const keyOf = (consonants: string): number => consonantsKey(consonants, 0, consonants.length);

const VOWEL_I = 1 + VOWELS.indexOf('i');
const VOWEL_U = 1 + VOWELS.indexOf('u');
const ONSET_G = keyOf('g');
const ONSET_Q = keyOf('q');

/** Onsets as written (`q` stands for `qu`, `g` for `gi`: their u/i is a vowel letter and is handled apart). */
const ONSETS: ReadonlySet<number> = new Set(
  ['', 'b', 'c', 'ch', 'd', 'đ', 'g', 'gh', 'h', 'k', 'kh', 'l', 'm', 'n', 'ng', 'ngh', 'nh', 'p', 'ph', 'q', 'r', 's', 't', 'th', 'tr', 'v', 'x'].map(keyOf),
);
const CODAS: ReadonlySet<number> = new Set(['', 'c', 'ch', 'm', 'n', 'ng', 'nh', 'p', 't'].map(keyOf));

/** A vowel sequence as a number: one base-16 digit per vowel (1 + index in VOWELS). */
function nucleusKey(vowels: string): number {
  let key = 0;
  for (const ch of vowels) key = key * 16 + 1 + VOWELS.indexOf(ch as (typeof VOWELS)[number]);
  return key;
}

/** The vowel nuclei of Vietnamese (after a `qu`/`gi` onset has taken its u/i). */
const NUCLEI: ReadonlySet<number> = new Set(
  [
    ...VOWELS,
    ...['ai', 'ao', 'au', 'ay', 'âu', 'ây', 'eo', 'êu', 'ia', 'iê', 'iu', 'oa', 'oă', 'oe', 'oi', 'oo', 'ôi', 'ơi'],
    ...['ua', 'uâ', 'uê', 'ui', 'uô', 'uơ', 'uy', 'ưa', 'ưi', 'ươ', 'ưu', 'yê'],
    ...['iêu', 'oai', 'oao', 'oay', 'oeo', 'uây', 'uôi', 'uya', 'uyê', 'uyu', 'ươi', 'ươu', 'yêu'],
  ].map(nucleusKey),
);

// ---- Tone placement ------------------------------------------------------------------------------------------

/**
 * Index in `s` of the vowel that should carry the tone of the syllable `s[from, to)` (NFC, any case), or -1
 * when the word is not shaped like a Vietnamese syllable (foreign or minority names are left alone).
 *
 * The convention is the traditional one the project uses everywhere (README: hoà → hòa, thuỷ → thủy):
 * - a vowel with a vowel mark (ă â ê ô ơ ư) carries it, the second one in ươ (người, được, Thuyền, Khuê);
 * - otherwise the middle vowel of three (ngoài, khuỷu);
 * - otherwise, of two vowels, the second when a final consonant follows (Hoàng, toán, Huỳnh) and the first
 *   when none does (hòa, khỏe, thủy, bìa, mùa, tài);
 * - the u of `qu` and the i of `gi` belong to the onset (Quý, Quỳnh, già).
 * QĐ 1989/QĐ-BGDĐT (2018) prefers the "new" placement on the open oa/oe/uy (hoà, khoẻ, thuỷ); both appear in
 * official text (DOMAIN.md §0 #5, §2.3), so one of them has to be chosen for the key to be stable.
 */
function tonePosition(s: string, from: number, to: number): number {
  let start = from;
  while (start < to && vowelOf(s.charCodeAt(start)) === 0) start++;
  let end = start;
  while (end < to && vowelOf(s.charCodeAt(end)) !== 0) end++;
  if (start === end || end - start > 4) return -1;
  const onset = consonantsKey(s, from, start);
  if (!ONSETS.has(onset) || !CODAS.has(consonantsKey(s, end, to))) return -1;

  const first = vowelOf(s.charCodeAt(start));
  if (onset === ONSET_Q) {
    if (first !== VOWEL_U || end - start < 2) return -1;
    start++;
  } else if (onset === ONSET_G && first === VOWEL_I && end - start > 1) {
    start++;
  }
  let key = 0;
  let marked = -1;
  for (let i = start; i < end; i++) {
    const v = vowelOf(s.charCodeAt(i));
    key = key * 16 + v;
    if (v > PLAIN_VOWELS) marked = i;
  }
  if (!NUCLEI.has(key)) return -1;
  if (marked >= 0) return marked;
  const length = end - start;
  if (length === 3) return start + 1;
  if (length === 2 && end === to) return start;
  return end - 1;
}

/** Where the single tone of `s[from, to)` is, -1 when there is none, -2 when there are several. */
function toneIndex(s: string, from: number, to: number): number {
  let at = -1;
  for (let i = from; i < to; i++) {
    if (toneOf(s.charCodeAt(i)) !== 0) {
      if (at >= 0) return -2;
      at = i;
    }
  }
  return at;
}

function withTone(ch: string, tone: number): string {
  const code = ch.charCodeAt(0);
  const lower = TONED[vowelOf(code) * TONES.length + tone]!;
  return caseOf(code) === UPPER ? lower.toUpperCase() : lower;
}

/** The word with its tone on the right vowel; the same string when it already is (or cannot be placed). */
function placeTone(word: string): string {
  const at = toneIndex(word, 0, word.length);
  if (at < 0) return word;
  const target = tonePosition(word, 0, word.length);
  if (target < 0 || target === at) return word;
  const chars = word.split('');
  chars[target] = withTone(chars[target]!, toneOf(word.charCodeAt(at)));
  chars[at] = withTone(chars[at]!, 0);
  return chars.join('');
}

// ---- Fast path -----------------------------------------------------------------------------------------------

/**
 * True when `s` needs no repair: Vietnamese/ASCII letters only (hence NFC, no look-alikes, no mojibake), words
 * separated by single spaces, each word title case with its tone where it belongs. Most rows are like this;
 * the check is a table lookup per character and allocates nothing.
 */
function isCanonical(s: string): boolean {
  let wordStart = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i === s.length || s.charCodeAt(i) === 0x20) {
      if (i === wordStart) return false;
      const at = toneIndex(s, wordStart, i);
      if (at >= 0) {
        const target = tonePosition(s, wordStart, i);
        if (target >= 0 && target !== at) return false;
      }
      wordStart = i + 1;
      continue;
    }
    if (caseOf(s.charCodeAt(i)) !== (i === wordStart ? UPPER : LOWER)) return false;
  }
  return true;
}

/** `asciiKey` of every letter in the tables (`ễ` → `e`, `Đ` → `d`), so that keys can be built letter by letter. */
const FOLDED: readonly string[] = Array.from({ length: TABLE_SIZE }, (_, code) =>
  caseOf(code) === NOT_A_LETTER ? '' : asciiKey(String.fromCharCode(code)),
);

/**
 * `asciiKey(s)` for a cleaned name (single spaces, no space at the ends). Names of Vietnamese and ASCII letters,
 * nearly all of them, are folded letter by letter, which costs a fraction of `asciiKey`'s normalisation and
 * regular expressions; anything else (a hyphen, a foreign letter) goes through `asciiKey` itself.
 */
function nameKey(s: string): string {
  let key = '';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const folded = code === 0x20 ? ' ' : FOLDED[code];
    if (!folded) return asciiKey(s);
    key += folded;
  }
  return key;
}

// ---- Repairs -------------------------------------------------------------------------------------------------

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Windows-1252 bytes 0x80–0x9F, which it maps to punctuation instead of Latin-1's control characters (WHATWG
 * index-windows-1252; written out because Node's TextDecoder decodes this label as Latin-1).
 */
const CP1252_80_9F =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** Character → byte for text that was decoded as Windows-1252 (or as Latin-1: U+0000–U+00FF are their own bytes). */
const CP1252_BYTE: ReadonlyMap<string, number> = new Map([
  ...Array.from({ length: 256 }, (_, byte) => [String.fromCharCode(byte), byte] as const),
  ...Array.from(CP1252_80_9F, (ch, i) => [ch, 0x80 + i] as const),
]);

/** What a repaired name may hold: Vietnamese (or ASCII) letters and printable ASCII. */
function isVietnameseText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (caseOf(code) === NOT_A_LETTER && (code < 0x20 || code > 0x7e)) return false;
  }
  return true;
}

/**
 * `Nguyá»…n` → `Nguyễn` (DOMAIN.md §2.3, mojibake): re-encodes as Windows-1252 and decodes as UTF-8. Accepted
 * only when every character had a Windows-1252 byte, the bytes are valid UTF-8, and every letter of the result
 * is Vietnamese; ordinary Latin-1 text (`José`) is almost never valid UTF-8, so it is left alone.
 */
function repairMojibake(s: string): string | null {
  let first = -1;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 0x80) {
      if (!CP1252_BYTE.has(s.charAt(i))) return null;
      if (first < 0) first = i;
    }
  }
  if (first < 0) return null;
  // UTF-8's first byte past ASCII leads a sequence (C2–F4) and a continuation byte (80–BF) follows it. Most
  // names whose letters all have a Windows-1252 byte (`Võ Tú Anh`) fail this, and are left without decoding
  // them, which would fail and throw.
  const lead = CP1252_BYTE.get(s.charAt(first))!;
  const next = first + 1 < s.length ? CP1252_BYTE.get(s.charAt(first + 1)) : undefined;
  if (lead < 0xc2 || lead > 0xf4 || next === undefined || next < 0x80 || next > 0xbf) return null;
  const bytes = Uint8Array.from(s, (ch) => CP1252_BYTE.get(ch)!);
  let decoded: string;
  try {
    decoded = utf8.decode(bytes);
  } catch {
    return null;
  }
  return isVietnameseText(decoded.normalize('NFC')) ? decoded : null;
}

/** Icelandic Eth, typed for Đ because it looks the same (DOMAIN.md §0 #6). */
const LOOKALIKES = /[\u00d0\u00f0]/g;
/** Invisible joiners and byte-order marks: not spaces, just noise inside or around words. */
const INVISIBLE = /\u200c|\u200d|\u2060|\ufeff/g;
/** White space, including NBSP and the zero-width space. */
const SPACES = /[\s\u200b]+/g;
/** Words of letters, joined inside by a hyphen or an apostrophe (H'Hen, Lò-Văn), separated by single spaces. */
const NAME_SHAPE = /^[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*(?: [\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*)*$/u;
const STRAY_ENDS = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
const DIGIT = /\p{N}/u;
const LETTER = /\p{L}/u;
/** A dot right after a one-letter word: `T.` in `Nguyễn T. Lan`. */
const ABBREVIATION_DOTS = /(?<=(?:^| )\p{L})\.(?= |$)/gu;

/** Space, hyphen, apostrophes: what separates the parts of a name that each start with a capital. */
const isSeparator = (code: number): boolean => code === 0x20 || code === 0x2d || code === 0x27 || code === 0x2019;

/** Each word, and each part after a hyphen or apostrophe, starts with a capital (locale-free case mapping). */
function titleCase(s: string): string {
  const lower = s.toLowerCase();
  let out = '';
  let copied = 0;
  for (let i = 0; i < lower.length; i++) {
    if (i > 0 && !isSeparator(lower.charCodeAt(i - 1))) continue;
    const upper = lower.charAt(i).toUpperCase();
    if (upper.length !== 1 || upper === lower.charAt(i)) continue;
    out += lower.slice(copied, i) + upper;
    copied = i + 1;
  }
  return out + lower.slice(copied);
}

/** `placeTone` applied to each part of the name. */
function placeTones(s: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i < s.length && !isSeparator(s.charCodeAt(i))) continue;
    out += placeTone(s.slice(start, i)) + (i < s.length ? s.charAt(i) : '');
    start = i + 1;
  }
  return out;
}

/**
 * Newborns are often recorded before they are named (DOMAIN.md §2.4): "Con bà Lan" (Mrs Lan's child),
 * "CB Lan", "Bé trai" (baby boy), "Sơ sinh" (newborn), "Chưa đặt tên" (not yet named). Matched on the key, so
 * the forms typed without diacritics are caught too.
 */
const PLACEHOLDER =
  /^(?:con (?:ba|chi|me|co|cua|em|anh|ong|bo)|cb|be (?:trai|gai)|so sinh|chua (?:dat |co )?ten|khong (?:co )?ten|vo danh)(?: |$)/;

/**
 * A pre-naming placeholder, word by word on the key: the relation (`con bà`, `con của`, `con của chị`, `cb`,
 * `con ông`, …) and what follows it, which is the guardian's name; or a name-less form (`bé trai`, `sơ sinh`,
 * `chưa đặt tên`) whose words may say the sex. A trailing `bé trai`/`bé gái` or `trai`/`gái` after the
 * guardian's name says the sex too.
 */
const PRE_NAMING =
  /^(?:(?:con(?: cua)?(?: (?:ba|chi|me|co|em|anh|ong|bo|cua))|cb)(?: (.+))?|(be trai|be gai|so sinh|chua (?:dat |co )?ten|khong (?:co )?ten|vo danh)(?: (.+))?)$/;
const TRAILING_SEX = / (?:be )?(trai|gai)$/;

/** Whether a name key is a newborn's pre-naming placeholder (`con ba nguyen thi lan`, `be gai`): no name of the child's own. */
export function isPreNamingKey(key: string): boolean {
  return PLACEHOLDER.test(key);
}

/** What a pre-naming placeholder says: no name of the child's own, maybe the guardian's name, maybe the sex. */
export interface PreNaming {
  /** The guardian's name as written after the relation (display form, as cleaned), or null (`Bé gái`). */
  readonly guardian: string | null;
  readonly sex: 'male' | 'female' | null;
}

/**
 * Recognises a newborn's pre-naming placeholder (DOMAIN.md §2.4, records contract): `Con bà Nguyễn Thị Lan`,
 * `CB Nguyễn Thị Lan`, `Con của Lan`, `Con ông Tâm`, `Bé trai`, `Bé gái`, with or without diacritics and in
 * any case. `full` is a cleaned name (normalizeName's `full`), `key` its key; null when the name is a name.
 */
export function preNamingOf(full: string, key: string): PreNaming | null {
  if (!PLACEHOLDER.test(key)) return null;
  const m = PRE_NAMING.exec(key);
  let sex: 'male' | 'female' | null = null;
  let rest: string | null = null;
  if (m) {
    rest = m[1] ?? m[3] ?? null;
    const bare = m[2];
    if (bare === 'be trai') sex = 'male';
    else if (bare === 'be gai') sex = 'female';
  }
  if (rest !== null) {
    const trailing = TRAILING_SEX.exec(rest);
    if (trailing) {
      sex = trailing[1] === 'trai' ? 'male' : 'female';
      rest = rest.slice(0, trailing.index);
    }
  }
  if (rest === null || rest === '') return { guardian: null, sex };
  // The same words of the display form: cleaning keeps one word of the key per word of the name.
  const words = full.split(' ');
  const keyWords = key.split(' ').length;
  const tail = (m![1] ?? m![3])!.split(' ').length;
  const guardian = words.length === keyWords ? words.slice(keyWords - tail, keyWords - tail + rest.split(' ').length).join(' ') : rest;
  return { guardian, sex };
}

/**
 * The repairs, in order: mojibake, NFC, look-alike letters, spacing, stray punctuation, case, tone placement.
 * Each is a fix reported only when it changed something; a value that is not a name at all is invalid.
 */
function repair(raw: string): Cleaned<string> {
  const findings: Finding[] = [];
  let s = raw;

  const unmangled = repairMojibake(s);
  if (unmangled !== null) {
    s = unmangled;
    findings.push(finding('full_name.mojibake_repaired'));
  }
  const nfc = s.normalize('NFC');
  if (nfc !== s) findings.push(finding('full_name.unicode_normalized'));
  s = nfc.replace(LOOKALIKES, (ch) => (ch === '\u00d0' ? '\u0110' : '\u0111'));
  if (s !== nfc) findings.push(finding('full_name.lookalike_letter'));
  const spaced = s.replace(INVISIBLE, '').replace(SPACES, ' ').trim();
  if (spaced !== s) findings.push(finding('full_name.whitespace'));
  s = spaced;

  if (!NAME_SHAPE.test(s)) {
    const stripped = s.replace(STRAY_ENDS, '').replace(SPACES, ' ');
    if (!LETTER.test(stripped)) {
      return cleaned(null, [...findings, finding('full_name.not_a_name', 'no_letters')]);
    }
    if (DIGIT.test(stripped)) {
      return cleaned(null, [...findings, finding('full_name.not_a_name', 'digits')]);
    }
    if (!NAME_SHAPE.test(stripped) && NAME_SHAPE.test(stripped.replace(ABBREVIATION_DOTS, ''))) {
      // `Nguyễn T. Lan`: an initial for a middle name is how clerks shorten names; the row still names a
      // person, so it is kept as typed and flagged for the station to write the name in full.
      findings.push(finding('full_name.abbreviated'));
    } else if (!NAME_SHAPE.test(stripped)) {
      return cleaned(null, [...findings, finding('full_name.not_a_name', 'symbols')]);
    }
    if (stripped !== s) findings.push(finding('full_name.punctuation_removed'));
    s = stripped;
  }

  const titled = titleCase(s);
  if (titled !== s) findings.push(finding('full_name.case'));
  const toned = placeTones(titled);
  if (toned !== titled) findings.push(finding('full_name.tone_mark_convention'));
  return cleaned(toned, findings);
}

/**
 * Cleans a full name and splits it into family, middle and given names.
 *
 * The split is positional: family = first word, given = last word, middle = the words between. Compound
 * surnames (Tôn Nữ, Âu Dương) are not recognised, because no confirmed list exists (DOMAIN.md §2.1), and
 * minority names often do not follow the pattern at all; matching relies on `full`/`key`, not on the parts.
 */
export function normalizeName(raw: string): Cleaned<PersonName> {
  if (isBlank(raw)) return cleaned(null);
  if (isCanonical(raw)) return personName(raw, []);
  const { value, findings } = repair(raw);
  return value === null ? cleaned(null, findings) : personName(value, findings);
}

/** Splits a cleaned name and adds the warnings about what it is, not how it was typed. */
function personName(full: string, findings: readonly Finding[]): Cleaned<PersonName> {
  const key = nameKey(full);
  const warnings: Finding[] = [];
  if (PLACEHOLDER.test(key)) {
    warnings.push(finding('full_name.placeholder'));
  }
  const firstSpace = full.indexOf(' ');
  const lastSpace = full.lastIndexOf(' ');
  if (firstSpace < 0) {
    warnings.push(finding('full_name.single_word'));
  }
  const name: PersonName = {
    full,
    family: firstSpace < 0 ? '' : full.slice(0, firstSpace),
    middle: firstSpace < lastSpace ? full.slice(firstSpace + 1, lastSpace) : '',
    given: full.slice(lastSpace + 1),
    key,
  };
  return cleaned(name, warnings.length === 0 ? findings : [...findings, ...warnings]);
}
