/**
 * Which encoding a CSV that is not UTF-8 was probably saved in, so that a station is told "this file is in
 * Windows-1258" rather than "the column Họ và tên is missing" (the header itself is what fails to decode).
 *
 * Vietnamese files that are not UTF-8 come in three encodings (DOMAIN.md §2.3): Windows-1258 (CP1258, what
 * "Save as CSV" wrote on a Vietnamese Windows before Excel had "CSV UTF-8"; tone marks are combining
 * characters), and the legacy font encodings TCVN3 (ABC) and VNI, whose bytes draw Vietnamese letters only in
 * their own fonts. Each is tried on the words of the file's first megabyte that hold a byte past ASCII; the
 * one under which most of them read as Vietnamese syllables is named.
 */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import { decodeLegacy, isVietnameseSyllable } from '../clean/legacy-encoding.js';

export type NotUtf8Guess = 'windows-1258' | 'tcvn3' | 'vni' | 'unknown';

export interface NotUtf8 {
  /** The 1-based line of the first byte sequence that is not UTF-8. */
  readonly line: number;
  readonly guess: NotUtf8Guess;
}

const SAMPLE_BYTES = 1 << 20;
/** Share of the non-ASCII words that must read as Vietnamese syllables for an encoding to be named. */
const MIN_SHARE = 0.6;

/** null when the file's first megabyte is UTF-8 (a sequence cut at the sample's end aside). */
export async function sniffNotUtf8(file: string): Promise<NotUtf8 | null> {
  const handle = await fs.promises.open(file, 'r');
  let sample: Buffer;
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    sample = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  // Nearly every file is UTF-8: the native check answers at once; only a file it refuses is scanned here
  // (which also forgives a sequence cut at the sample's end, which the native check does not).
  if (isUtf8(sample)) return null;
  const bad = firstInvalidUtf8(sample);
  if (bad < 0) return null;
  let line = 1;
  for (let i = 0; i < bad; i++) if (sample[i] === 0x0a) line++;
  return { line, guess: guessEncoding(sample) };
}

/** Byte offset of the first sequence that is not UTF-8; -1 if none (an incomplete one at the very end is allowed). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    if (i + length > bytes.length) {
      // cut by the sample's end: fine if what is there so far continues properly
      for (let k = i + 1; k < bytes.length; k++) if ((bytes[k]! & 0xc0) !== 0x80) return i;
      return -1;
    }
    for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    const second = bytes[i + 1]!;
    // overlong forms, UTF-16 surrogates and code points past U+10FFFF
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f) || (b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) return i;
    i += length;
  }
  return -1;
}

/** Words made of ASCII letters and bytes past ASCII, read one character per byte. */
const WORDS = /[A-Za-z\u0080-\u00ff]+/g;
const NON_ASCII = /[\u0080-\u00ff]/;
const windows1258 = new TextDecoder('windows-1258');

export function guessEncoding(sample: Uint8Array): NotUtf8Guess {
  const words = [...Buffer.from(sample).toString('latin1').matchAll(WORDS)].map((m) => m[0]).filter((w) => NON_ASCII.test(w));
  if (words.length === 0) return 'unknown';
  const decoders: readonly (readonly [NotUtf8Guess, (word: string) => string])[] = [
    ['windows-1258', (w) => windows1258.decode(Buffer.from(w, 'latin1')).normalize('NFC')],
    ['tcvn3', (w) => decodeLegacy(w, 'tcvn3')],
    ['vni', (w) => decodeLegacy(w, 'vni')],
  ];
  let best: NotUtf8Guess = 'unknown';
  let bestShare = MIN_SHARE;
  for (const [guess, decode] of decoders) {
    const share = words.filter((w) => isVietnameseSyllable(decode(w))).length / words.length;
    if (share > bestShare) [best, bestShare] = [guess, share];
  }
  return best;
}

/** What to tell the station, per guess: how the file was saved and how to save it right. */
export function notUtf8Problem(guess: NotUtf8Guess): string {
  switch (guess) {
    case 'windows-1258':
      return 'the text is not UTF-8: it looks like Windows-1258 (CP1258, the "Vietnamese (Windows)" encoding of an older Excel "Save as CSV"). Open it in Excel, save it as "CSV UTF-8 (Comma delimited)" (or as .xlsx) and upload again';
    case 'tcvn3':
    case 'vni':
      return `the text is not UTF-8: it looks typed in the ${guess === 'tcvn3' ? 'TCVN3 (ABC, .Vn fonts)' : 'VNI'} legacy font encoding. Convert it to Unicode (Unikey's converter, Ctrl+Shift+F6), save it as "CSV UTF-8" and upload again`;
    case 'unknown':
      return 'the text is not valid UTF-8; the file was probably saved in a legacy encoding (Windows-1258, TCVN3, VNI). Save it as "CSV UTF-8" and upload again';
  }
}
