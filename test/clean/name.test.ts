import { describe, expect, it } from 'vitest';
import type { Cleaned } from '../../src/clean/finding.js';
import { normalizeName } from '../../src/clean/name.js';
import type { PersonName } from '../../src/clean/types.js';

const codes = (result: Cleaned<PersonName>) => result.findings.map((f) => f.code);

describe('normalizeName: already clean', () => {
  it('returns a clean name unchanged, split, with its key and no findings', () => {
    expect(normalizeName('Nguyễn Thị Minh Khai')).toEqual({
      value: { full: 'Nguyễn Thị Minh Khai', family: 'Nguyễn', middle: 'Thị Minh', given: 'Khai', key: 'nguyen thi minh khai' },
      findings: [],
    });
  });

  it.each(['Nguyễn Thị Thủy', 'Đặng Văn Hòa', 'Hoàng Quý Thuyền', 'Lê Khuê', 'Trần Quí', 'Nguyen Van A', 'Vi Văn Xồng', 'José Müller'])(
    'leaves %j alone',
    (name) => {
      const result = normalizeName(name);
      expect(result.value?.full).toBe(name);
      expect(result.findings).toEqual([]);
    },
  );

  it('gives a two-word name an empty middle name', () => {
    expect(normalizeName('Lê An').value).toEqual({ full: 'Lê An', family: 'Lê', middle: '', given: 'An', key: 'le an' });
  });

  it('folds Đ to d in the key', () => {
    expect(normalizeName('Đặng Thị Đào').value?.key).toBe('dang thi dao');
  });
});

describe('normalizeName: the station file of test/ingest/import.test.ts', () => {
  it('title-cases an ALL CAPS name and moves the tone of THUỶ', () => {
    const result = normalizeName('NGUYỄN THỊ THUỶ');
    expect(result.value).toEqual({ full: 'Nguyễn Thị Thủy', family: 'Nguyễn', middle: 'Thị', given: 'Thủy', key: 'nguyen thi thuy' });
    expect(codes(result)).toEqual(['full_name.case', 'full_name.tone_mark_convention']);
    expect(result.findings.every((f) => f.severity === 'fix')).toBe(true);
  });

  it('normalises NFD input to NFC, then applies the tone convention', () => {
    const result = normalizeName('Trần Văn Hoà'.normalize('NFD'));
    expect(result.value?.full).toBe('Trần Văn Hòa');
    expect(result.value?.full).toBe('Trần Văn Hòa'.normalize('NFC'));
    expect(codes(result)).toEqual(['full_name.unicode_normalized', 'full_name.tone_mark_convention']);
  });

  it('collapses runs of spaces', () => {
    const result = normalizeName('Lê  Văn   An');
    expect(result.value?.full).toBe('Lê Văn An');
    expect(codes(result)).toEqual(['full_name.whitespace']);
  });
});

describe('normalizeName: Unicode', () => {
  it('reports NFC alone when an NFD name already follows the convention', () => {
    const result = normalizeName('Nguyễn Thị Thủy'.normalize('NFD'));
    expect(result.value?.full).toBe('Nguyễn Thị Thủy');
    expect(codes(result)).toEqual(['full_name.unicode_normalized']);
  });

  it('replaces the Icelandic Eth (Ð, ð) with Đ, đ', () => {
    const result = normalizeName('Ðặng Văn ðức');
    expect(result.value).toMatchObject({ full: 'Đặng Văn Đức', key: 'dang van duc' });
    expect(result.value?.full.charCodeAt(0)).toBe(0x110);
    expect(codes(result)).toEqual(['full_name.lookalike_letter', 'full_name.case']);
  });

  it('repairs UTF-8 read as Windows-1252 (mojibake)', () => {
    const result = normalizeName('Nguyá»…n VÄƒn An');
    expect(result.value?.full).toBe('Nguyễn Văn An');
    expect(codes(result)).toEqual(['full_name.mojibake_repaired']);
  });

  it('repairs mojibake, then moves the tone of the repaired text', () => {
    const result = normalizeName('Tráº§n Thá»‹ Thuá»·');
    expect(result.value?.full).toBe('Trần Thị Thủy');
    expect(codes(result)).toEqual(['full_name.mojibake_repaired', 'full_name.tone_mark_convention']);
  });

  it('repairs UTF-8 read as Latin-1, and the mojibake of NFD text', () => {
    const latin1 = Buffer.from('Đỗ Thị Hương', 'utf8').toString('latin1');
    expect(normalizeName(latin1).value?.full).toBe('Đỗ Thị Hương');
    const nfd = Buffer.from('Bùi Thị Lan'.normalize('NFD'), 'utf8').toString('latin1');
    const result = normalizeName(nfd);
    expect(result.value?.full).toBe('Bùi Thị Lan');
    expect(codes(result)).toEqual(['full_name.mojibake_repaired', 'full_name.unicode_normalized']);
  });

  it('repairs mojibake whatever byte its first letter past ASCII leads with (C3, C4, C6, E1)', () => {
    // The repair first checks that this letter's byte leads a UTF-8 sequence and a continuation byte
    // follows it; a check too strict would leave `LÃª` as it is.
    const cp1252 = new TextDecoder('windows-1252');
    for (const name of ['Lê Thị Hoa', 'Võ Tú Anh', 'Hà Anh', 'Đặng Văn Ơn', 'Ưng Hoàng Phúc', 'Trịnh Văn Bảy']) {
      const mojibake = cp1252.decode(Buffer.from(name, 'utf8'));
      expect(mojibake).not.toBe(name);
      expect(normalizeName(mojibake).value?.full, mojibake).toBe(name);
    }
  });

  it('does not "repair" Latin-1 names that are not mojibake', () => {
    expect(normalizeName('Renée Dubois')).toEqual({
      value: { full: 'Renée Dubois', family: 'Renée', middle: '', given: 'Dubois', key: 'renee dubois' },
      findings: [],
    });
  });
});

describe('normalizeName: white space', () => {
  it('trims and collapses NBSP, tabs, the zero-width space and the BOM', () => {
    const result = normalizeName('\ufeff\u00a0Lê\tVăn\u200bAn\u00a0 ');
    expect(result.value?.full).toBe('Lê Văn An');
    expect(codes(result)).toEqual(['full_name.whitespace']);
  });

  it('removes zero-width joiners inside a word without splitting it', () => {
    expect(normalizeName('Ngu\u200dyễn Văn An').value?.full).toBe('Nguyễn Văn An');
  });
});

describe('normalizeName: case', () => {
  it.each([
    ['nguyễn thị thủy', 'Nguyễn Thị Thủy'],
    ['NGUYỄN VĂN ÔN', 'Nguyễn Văn Ôn'],
    ['nGUYỄN vĂN an', 'Nguyễn Văn An'],
  ])('%j → %j', (raw, full) => {
    const result = normalizeName(raw);
    expect(result.value?.full).toBe(full);
    expect(codes(result)).toEqual(['full_name.case']);
  });

  it('invents no diacritics for a name typed without them', () => {
    const result = normalizeName('nguyen van a');
    expect(result.value).toEqual({ full: 'Nguyen Van A', family: 'Nguyen', middle: 'Van', given: 'A', key: 'nguyen van a' });
    expect(codes(result)).toEqual(['full_name.case']);
  });

  it('title-cases each part of a name joined by an apostrophe or hyphen', () => {
    const result = normalizeName("h'hen niê");
    expect(result.value).toEqual({ full: "H'Hen Niê", family: "H'Hen", middle: '', given: 'Niê', key: 'h hen nie' });
    expect(codes(result)).toEqual(['full_name.case']);
  });

  it('fixes case and tone together: ĐẶNG thị hoà', () => {
    const result = normalizeName('ĐẶNG thị hoà');
    expect(result.value?.full).toBe('Đặng Thị Hòa');
    expect(codes(result)).toEqual(['full_name.case', 'full_name.tone_mark_convention']);
  });
});

describe('normalizeName: tone-mark convention (traditional placement)', () => {
  // The word is used as the given name of "Lê Văn …" so that nothing else changes.
  it.each([
    // open oa / oe / uy: the new placement moves to the first vowel
    ['hoà', 'hòa'],
    ['Hoà', 'Hòa'],
    ['Thuỷ', 'Thủy'],
    ['Khoẻ', 'Khỏe'],
    ['Thuý', 'Thúy'],
    ['Uỷ', 'Ủy'],
    ['Thoả', 'Thỏa'],
    ['Xoè', 'Xòe'],
    ['Quý Hoá', 'Quý Hóa'],
    // misplaced tones from typing (DOMAIN.md §2.3, underthesea's example)
    ['baỏ', 'bảo'],
    ['lựơng', 'lượng'],
    ['nghịêm', 'nghiệm'],
    ['Ngoaì', 'Ngoài'],
    ['Gìa', 'Già'],
    ['khuâý', 'khuấy'],
  ])('%j → %j', (word, expected) => {
    const result = normalizeName(`Lê Văn ${word}`);
    const title = expected.replace(/^./, (c) => c.toUpperCase());
    expect(result.value?.full).toBe(`Lê Văn ${title}`);
    expect(codes(result)).toContain('full_name.tone_mark_convention');
  });

  it.each([
    'Hòa', 'Thủy', 'Khỏe', 'Hoàng', 'Toán', 'Thuận', 'Huyền', 'Thuyền', 'Quý', 'Quí', 'Quỳnh', 'Khuê', 'Huế',
    'Nguyễn', 'Người', 'Khuỷu', 'Giữa', 'Già', 'Gìn', 'Quốc', 'Hưởng', 'Thuở', 'Ngoãn', 'Huỳnh', 'Tài', 'Mùa', 'Bìa',
  ])('keeps %j', (word) => {
    const result = normalizeName(`Lê Văn ${word}`);
    expect(result.value?.full).toBe(`Lê Văn ${word}`);
    expect(result.findings).toEqual([]);
  });

  it('does not touch i/y spelling', () => {
    expect(normalizeName('Trần Thị Quí').value?.full).toBe('Trần Thị Quí');
    expect(normalizeName('Trần Thị Mỹ Kỳ').value?.full).toBe('Trần Thị Mỹ Kỳ');
  });

  it('leaves a word that is not a Vietnamese syllable alone', () => {
    const result = normalizeName('Moa Ksór');
    expect(result.value?.full).toBe('Moa Ksór');
    expect(result.findings).toEqual([]);
  });
});

describe('normalizeName: characters', () => {
  it.each([
    ['Nguyễn Văn An.', 'Nguyễn Văn An'],
    ['"Trần Thị Bích"', 'Trần Thị Bích'],
    ['- Lê Văn Tám,', 'Lê Văn Tám'],
  ])('removes stray punctuation around %j', (raw, full) => {
    const result = normalizeName(raw);
    expect(result.value?.full).toBe(full);
    expect(codes(result)).toEqual(['full_name.punctuation_removed']);
  });

  it.each(['0912345678', 'Nguyễn Văn 2', 'Lê Văn A1', '???', 'Nguyễn @ Văn', '079090012345.'])('rejects %j as not a name', (raw) => {
    const result = normalizeName(raw);
    expect(result.value).toBeNull();
    expect(result.findings.map((f) => [f.code, f.severity])).toEqual([['full_name.not_a_name', 'invalid']]);
  });

  it.each(['', '   ', '\u00a0\u200b', '\t'])('returns null with no findings for blank %j', (raw) => {
    expect(normalizeName(raw)).toEqual({ value: null, findings: [] });
  });
});

describe('normalizeName: warnings', () => {
  it.each([
    ['Con bà Lan', 'Con Bà Lan'],
    ['Con chị Hoa', 'Con Chị Hoa'],
    ['Con của Nguyễn Thị Lan', 'Con Của Nguyễn Thị Lan'],
    ['CB Lan', 'Cb Lan'],
    ['Bé trai', 'Bé Trai'],
    ['Bé gái', 'Bé Gái'],
    ['Sơ sinh', 'Sơ Sinh'],
    ['con ba lan', 'Con Ba Lan'],
  ])('flags the placeholder %j and keeps it', (raw, full) => {
    const result = normalizeName(raw);
    expect(result.value?.full).toBe(full);
    expect(result.findings.filter((f) => f.severity !== 'fix').map((f) => [f.code, f.severity])).toEqual([['full_name.placeholder', 'warning']]);
  });

  it('does not take real names for placeholders', () => {
    for (const name of ['Bế Văn Đàn', 'Cao Bá Quát', 'Sơn Thị Sinh']) expect(normalizeName(name).findings).toEqual([]);
  });

  it('keeps a name with an initial for the middle name, flagged', () => {
    const result = normalizeName('nguyễn t. lan');
    expect(result.value).toMatchObject({ full: 'Nguyễn T. Lan', family: 'Nguyễn', middle: 'T.', given: 'Lan', key: 'nguyen t lan' });
    expect(result.findings.map((f) => [f.code, f.severity])).toEqual([
      ['full_name.abbreviated', 'warning'],
      ['full_name.case', 'fix'],
    ]);
  });

  it('warns about a single-word name and puts the word in the given name', () => {
    const result = normalizeName('Lan');
    expect(result.value).toEqual({ full: 'Lan', family: '', middle: '', given: 'Lan', key: 'lan' });
    expect(result.findings.map((f) => [f.code, f.severity])).toEqual([['full_name.single_word', 'warning']]);
  });
});

describe('normalizeName: messages', () => {
  it('never quote the name', () => {
    const raws = ['NGUYỄN THỊ THUỶ', 'Nguyá»…n VÄƒn An', 'Ðặng  Văn ðức.', 'Con bà Lan', 'Lan', 'Nguyễn Văn 2'];
    for (const raw of raws) {
      const result = normalizeName(raw);
      for (const f of result.findings) {
        expect(f.message).not.toContain(raw.trim());
        if (result.value) expect(f.message).not.toContain(result.value.full);
      }
    }
  });
});

describe('normalizeName: fast path', () => {
  it('gives the same name through the full repair path (forced by a trailing space)', () => {
    for (const name of ['Nguyễn Thị Thủy', 'Hoàng Quý Thuyền', 'Con Bà Lan', 'Lan', 'Đỗ Khuỷu', 'Nguyen Van A']) {
      const fast = normalizeName(name);
      const full = normalizeName(`${name} `);
      expect(full.value).toEqual(fast.value);
      expect(codes(full)).toEqual(['full_name.whitespace', ...codes(fast)]);
    }
  });
});
