import { describe, expect, it } from 'vitest';
import { finding } from '../../src/clean/finding.js';
import { decodeLegacy, detectLegacyEncoding } from '../../src/clean/legacy-encoding.js';

// TCVN3 (ABC, .VnTime) cells as Excel shows them once the font is gone, and what they say (DOMAIN.md §2.3).
const TCVN3: readonly (readonly [string, string])[] = [
  ['NguyÔn V¨n An', 'Nguyễn Văn An'],
  ['TrÇn ThÞ H»ng', 'Trần Thị Hằng'],
  ['Lª V¨n B×nh', 'Lê Văn Bình'],
  ['Ph¹m ThÞ Lan', 'Phạm Thị Lan'],
  ['B¶o Th¾ng', 'Bảo Thắng'],
  // ư is 0xAD, the soft hyphen: invisible, and lost when the text is copied through a web page, as in
  // DOMAIN.md's `Mêng Kh¬ng`, which therefore reads "Mờng Khơng" and is still TCVN3.
  ['M\u00adêng Kh\u00ad¬ng', 'Mường Khương'],
  ['Mêng Kh¬ng', 'Mờng Khơng'],
  ['§Æng ThÞ H\u00ad¬ng', 'Đặng Thị Hương'],
];

const VNI: readonly (readonly [string, string])[] = [
  ['Nguyeãn Vaên An', 'Nguyễn Văn An'],
  ['Xin chaøo caùc baïn', 'Xin chào các bạn'],
  ['Traàn Thò Hoàng', 'Trần Thị Hồng'],
  ['Ñaëng Thò Höông', 'Đặng Thị Hương'],
  ['NGUYEÃN VAÊN AN', 'NGUYỄN VĂN AN'],
];

const UNICODE = [
  'Nguyễn Văn An',
  'Nguyễn Văn An'.normalize('NFD'),
  'ÔNG VĂN Ô',
  'ÔNG Ô', // only Latin-1 letters, and valid Vietnamese as it stands
  'Đỗ Thị Hương',
  'Lê Thị Ánh',
  'NGUYỄN THỊ THỦY',
  'Hoàng Anh', // `oà` is also VNI for ồ
  'Lê Tú', // also valid TCVN3 ("Lờ Tỳ"), but nothing in it is impossible in Unicode Vietnamese
  'Nguyen Van A',
  'José Müller',
  'Renée',
  'François Ångström',
  'Muñoz',
  // UTF-8 read as Windows-1252 (mojibake) is repaired by the name rule, not taken for a legacy font
  'Tráº§n Thá»‹ Lan',
  'Nguyá»…n VÄƒn An',
  '',
];

describe('detectLegacyEncoding', () => {
  it.each(TCVN3)('detects TCVN3 in %j', (cell) => {
    expect(detectLegacyEncoding(cell)).toBe('tcvn3');
  });

  it.each(VNI)('detects VNI in %j', (cell) => {
    expect(detectLegacyEncoding(cell)).toBe('vni');
  });

  it.each(UNICODE)('leaves Unicode and foreign names alone: %j', (cell) => {
    expect(detectLegacyEncoding(cell)).toBeNull();
  });
});

describe('decodeLegacy', () => {
  it.each(TCVN3)('decodes TCVN3 %j', (cell, unicode) => {
    expect(decodeLegacy(cell, 'tcvn3')).toBe(unicode);
  });

  it.each(VNI)('decodes VNI %j', (cell, unicode) => {
    expect(decodeLegacy(cell, 'vni')).toBe(unicode);
  });

  it('composes the TCVN3 combining tone marks (0xB0–0xB4) and returns NFC', () => {
    const decoded = decodeLegacy('Ho\u00b0a Thu\u00b1y', 'tcvn3');
    expect(decoded).toBe('Hòa Thủy');
    expect(decoded).toBe(decoded.normalize('NFC'));
  });

  it('passes ASCII, digits and punctuation through unchanged', () => {
    expect(decodeLegacy('Lan, 1990 (con)', 'tcvn3')).toBe('Lan, 1990 (con)');
    expect(decodeLegacy('Lan, 1990 (con)', 'vni')).toBe('Lan, 1990 (con)');
  });
});

/** The TCVN3 encoder that is the inverse of the decoder, byte by byte (VN3 has no upper case beyond Ă Â Ê Ô Ơ Ư Đ). */
const TCVN3_BYTE = new Map<string, string>();
for (let byte = 0xa1; byte <= 0xff; byte++) {
  const latin1 = String.fromCharCode(byte);
  TCVN3_BYTE.set(decodeLegacy(latin1, 'tcvn3'), latin1);
}
const toTcvn3 = (unicode: string): string => Array.from(unicode.normalize('NFC'), (ch) => TCVN3_BYTE.get(ch) ?? ch).join('');

/** A VNI-Windows encoder written from the font's layout, independently of the decoder. */
const VNI_TONE = { '': '', '\u0301': 'ù', '\u0300': 'ø', '\u0309': 'û', '\u0303': 'õ', '\u0323': 'ï' } as const;
const VNI_CIRCUMFLEX = { '': 'â', '\u0301': 'á', '\u0300': 'à', '\u0309': 'å', '\u0303': 'ã', '\u0323': 'ä' } as const;
const VNI_BREVE = { '': 'ê', '\u0301': 'é', '\u0300': 'è', '\u0309': 'ú', '\u0303': 'ü', '\u0323': 'ë' } as const;
const VNI_I = { '': 'i', '\u0301': 'í', '\u0300': 'ì', '\u0309': 'æ', '\u0303': 'ó', '\u0323': 'ò' } as const;
type Tone = keyof typeof VNI_TONE;

function toVni(unicode: string): string {
  return Array.from(unicode.normalize('NFC'), (ch) => {
    if (ch === 'đ') return 'ñ';
    if (ch === 'Đ') return 'Ñ';
    const [base = '', ...marks] = Array.from(ch.normalize('NFD'));
    if (!/[aeiouy]/i.test(base)) return ch;
    const upper = base !== base.toLowerCase();
    const cased = (s: string) => (upper ? s.toUpperCase() : s);
    const tone = (marks.find((m) => m in VNI_TONE && m !== '') ?? '') as Tone;
    if (/i/i.test(base)) return cased(VNI_I[tone]);
    if (/y/i.test(base) && tone === '\u0323') return cased('î');
    if (marks.includes('\u031b')) return cased(base.toLowerCase() === 'o' ? 'ô' : 'ö') + cased(VNI_TONE[tone]);
    if (marks.includes('\u0302')) return base + cased(VNI_CIRCUMFLEX[tone]);
    if (marks.includes('\u0306')) return base + cased(VNI_BREVE[tone]);
    return base + cased(VNI_TONE[tone]);
  }).join('');
}

const NAMES = [
  'Nguyễn Thị Thủy',
  'Đặng Văn Hưng',
  'Trương Mỹ Lệ',
  'Hoàng Quốc Việt',
  'Phạm Ngọc Thạch',
  'Bùi Thị Xuân',
  'Lương Thế Vinh',
  'Võ Thị Sáu',
  'Huỳnh Tấn Phát',
  'Ông Thị Bích',
  'Lê Thị Ngoãn',
  'Đỗ Thị Kỷ',
];

describe('round trips', () => {
  it('checks the VNI test encoder against the documented examples', () => {
    for (const [cell, unicode] of VNI) expect(toVni(unicode)).toBe(cell);
  });

  it.each(NAMES)('TCVN3-encoded %j is detected and decoded back', (name) => {
    const cell = toTcvn3(name);
    expect(cell).not.toBe(name);
    expect(detectLegacyEncoding(cell)).toBe('tcvn3');
    expect(decodeLegacy(cell, 'tcvn3')).toBe(name);
  });

  it.each(NAMES)('VNI-encoded %j is detected and decoded back', (name) => {
    const cell = toVni(name);
    expect(detectLegacyEncoding(cell)).toBe('vni');
    expect(decodeLegacy(cell, 'vni')).toBe(name);
    expect(decodeLegacy(cell.toUpperCase(), 'vni')).toBe(name.toUpperCase());
  });
});

describe('the legacy-encoding finding', () => {
  it('names the font family and the remedy, per encoding detected', () => {
    expect(finding('full_name.legacy_encoding', 'tcvn3').message).toBe(
      'The name is not Unicode text: it looks typed in the TCVN3 (ABC) font encoding, such as .VnTime; convert it to Unicode.',
    );
    expect(finding('full_name.legacy_encoding', 'vni').message).toBe(
      'The name is not Unicode text: it looks typed in the VNI-Windows font encoding, such as VNI-Times; convert it to Unicode.',
    );
  });
});
