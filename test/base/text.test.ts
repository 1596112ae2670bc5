import { describe, expect, it } from 'vitest';
import { asciiKey, compactKey, foldDiacritics } from '../../src/base/text.js';

/** The definition the fast path must agree with: decompose, drop the combining marks, map Đ/Ð. */
const reference = (s: string) =>
  s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[\u0110\u00d0]/g, 'D').replace(/[\u0111\u00f0]/g, 'd');

describe('foldDiacritics', () => {
  it('strips Vietnamese diacritics from NFC and NFD text, including Đ and the look-alike Ð', () => {
    expect(foldDiacritics('Đặng Thị Thủy')).toBe('Dang Thi Thuy');
    expect(foldDiacritics('NGUYỄN VĂN ĐỨC'.normalize('NFD'))).toBe('NGUYEN VAN DUC');
    expect(foldDiacritics('Ðoàn ðức')).toBe('Doan duc');
    expect(foldDiacritics('plain ascii, 123')).toBe('plain ascii, 123');
  });

  it('is exactly decompose-and-strip on every code point below U+3000 and on mixed strings', () => {
    for (let code = 0; code < 0x3000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCharCode(code);
      expect(foldDiacritics(ch), `U+${code.toString(16)}`).toBe(reference(ch));
    }
    // Marks that stay (Cyrillic titlo), decompositions into several letters (Tibetan, Hangul), signs above U+2000.
    for (const s of ['Hòa\u0483b', 'x\u0f73y', 'Việt 한국', 'Å\u212b\u2126', 'e\u0301\u0323', 'ă\u0483\u0301']) {
      expect(foldDiacritics(s), s).toBe(reference(s));
    }
  });
});

describe('keys', () => {
  it('asciiKey: lower case, no diacritics, words of letters and digits', () => {
    expect(asciiKey('  Nguyễn-Thị  THỦY ')).toBe('nguyen thi thuy');
    expect(asciiKey('SĐT')).toBe('sdt');
  });

  it('compactKey: asciiKey without spaces, for names written run together or apart', () => {
    expect(compactKey('Ngày sinh')).toBe(compactKey('NgàySinh'));
    expect(compactKey('Vero Cell')).toBe('verocell');
  });
});
