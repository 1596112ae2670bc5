/** The typing noise applied to names: diacritics lost, tone marks moved, one typo, extra spaces. */
import type { Random } from '../base/random.js';
import { foldDiacritics } from '../base/text.js';

const TONE = '\u0300\u0301\u0303\u0309\u0323';
const END = '(?![\\p{L}\\p{M}])';
const OLD_TO_NEW = [
  new RegExp(`(?<![qQ])([oO])([${TONE}])([aAeE])${END}`, 'gu'),
  new RegExp(`(?<![qQ])([uU])([${TONE}])([yY])${END}`, 'gu'),
];
const NEW_TO_OLD = [
  new RegExp(`(?<![qQ])([oO])([aAeE])([${TONE}])${END}`, 'gu'),
  new RegExp(`(?<![qQ])([uU])([yY])([${TONE}])${END}`, 'gu'),
];

/**
 * Moves the tone mark of open `oa`, `oe`, `uy` syllables between the old placement (hòa, thủy) and the new
 * one (hoà, thuỷ), in whichever direction applies; other text is unchanged. Returns NFC.
 */
export function swapTonePlacement(text: string): string {
  const nfd = text.normalize('NFD');
  let out = nfd;
  for (const re of OLD_TO_NEW) out = out.replace(re, '$1$3$2');
  if (out === nfd) for (const re of NEW_TO_OLD) out = out.replace(re, '$1$3$2');
  return out.normalize('NFC');
}

const TYPO_LETTERS = 'abcdeghiklmnopqrstuvxy';

function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && ch !== ' ' && ch.toLowerCase() !== ch.toUpperCase();
}

/** One substitution, deletion or transposition of a letter (NFC input). */
export function typo(name: string, rng: Random): string {
  const chars = Array.from(name);
  const letters: number[] = [];
  chars.forEach((c, i) => {
    if (isLetter(c)) letters.push(i);
  });
  if (letters.length < 3) return name;
  const at = rng.pick(letters);
  const ch = chars[at] as string;
  let op = rng.int(0, 2);
  if (op === 1 && !(isLetter(chars[at - 1]) && isLetter(chars[at + 1]))) op = 0; // delete inside a word only
  if (op === 2 && !(isLetter(chars[at + 1]) && chars[at + 1] !== ch)) op = 0;
  if (op === 0) {
    let sub = TYPO_LETTERS.charAt(rng.int(0, TYPO_LETTERS.length - 1));
    if (sub === foldDiacritics(ch).toLowerCase()) sub = sub === 'a' ? 'e' : 'a';
    chars[at] = ch === ch.toUpperCase() ? sub.toUpperCase() : sub;
  } else if (op === 1) {
    chars.splice(at, 1);
  } else {
    chars[at] = chars[at + 1] as string;
    chars[at + 1] = ch;
  }
  return chars.join('');
}

export function extraSpaces(name: string, rng: Random): string {
  switch (rng.int(0, 2)) {
    case 0: {
      const parts = name.split(' ');
      if (parts.length < 2) return ` ${name}`;
      const at = rng.int(1, parts.length - 1);
      return `${parts.slice(0, at).join(' ')}  ${parts.slice(at).join(' ')}`;
    }
    case 1:
      return ` ${name}`;
    default:
      return `${name} `;
  }
}
