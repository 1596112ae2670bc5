import { describe, expect, it } from 'vitest';
import {
  addressComparison,
  always,
  birthDateComparison,
  citizenIdComparison,
  communeComparison,
  defineComparison,
  familyClose,
  nameComparison,
  NULL_LEVEL,
  phoneComparison,
  sexComparison,
  wordsContained,
  type Comparison,
} from '../../matchers/comparisons.js';
import type { PreparedRecord } from '../../matchers/record.js';
import { cccd, prepared, type Person } from './helpers.js';

const levelOf = (comparison: Comparison, a: Person, b: Person) => comparison.compare(prepared(a), prepared(b, 1));
const label = (comparison: Comparison, a: Person, b: Person) => {
  const level = levelOf(comparison, a, b);
  return level === NULL_LEVEL ? 'null' : comparison.levels[level]!.label;
};
const name = (a: string | null, b: string | null) => label(nameComparison, { name: a }, { name: b });
const address = (a: string, b: string) => label(addressComparison, { address: a }, { address: b });

describe('name comparison', () => {
  it('orders the Vietnamese variants of one name from strongest to weakest', () => {
    expect(name('Nguyễn Thị Thủy', 'Nguyễn Thị Thủy')).toBe('same name with diacritics');
    expect(name('Nguyễn Thị Thủy', 'NGUYỄN THỊ THỦY')).toBe('same name with diacritics');
    expect(name('Nguyễn Thị Thủy', 'Nguyen Thi Thuy')).toBe('same name without diacritics');
    // Old vs new tone placement (Thủy/Thuỷ): different code points, equal key.
    expect(name('Nguyễn Thị Thủy', 'Nguyễn Thị Thuỷ')).toBe('same name without diacritics');
    // Hùng and Hưng fold to the same key: "without diacritics" is weaker than "with" for that reason.
    expect(name('Trần Văn Hùng', 'Trần Văn Hưng')).toBe('same name without diacritics');
    expect(name('Nguyễn Thị Thủy', 'Thị Thủy Nguyễn')).toBe('same words in another order');
    expect(name('Nguyễn Thủy', 'Nguyễn Thị Thủy')).toBe('same family and given name, middle name(s) missing on one side');
    expect(name('Nguyễn Thị Minh Khai', 'Nguyễn Minh Khai')).toBe('same family and given name, middle name(s) missing on one side');
    expect(name('Nguyễn Thị Thủy', 'Nguyễn Thị Thuỳ')).toBe('same name without diacritics');
    expect(name('Nguyen Thi Thuy', 'Nguyen Thi Thuj')).toBe('one edit apart');
    expect(name('Nguyen Thi Thuy', 'Nguyen Thi Tuhy')).toBe('one edit apart'); // adjacent transposition
    expect(name('Nguyen Thi Thuy', 'Nguyen Thi Thao')).toBe('two edits apart (names of 8 letters or more)');
    // Shorter than 8 letters on one side: two edits change most of the name.
    expect(name('Le Van An', 'Le Van Nam')).toBe('different');
    expect(name('Le Van Nam', 'Le Van Lan')).toBe('two edits apart (names of 8 letters or more)');
    expect(name('Huỳnh Văn An', 'Hoàng Văn An')).toBe('same given name, family name close (Hoàng/Huỳnh, Vũ/Võ, a typo)');
    expect(name('Nguyễn Thủy', 'Thủy')).toBe('words missing on one side (only the given name, or only family + given)');
    expect(name('Trần Văn Minh', 'Nguyễn Văn Minh')).toBe('different');
    expect(name('Nguyễn Thị Thủy', 'Nguyễn Thị Lan')).toBe('different');
  });

  it('never treats regional variants as equal', () => {
    expect(levelOf(nameComparison, { name: 'Vũ Thị Lan' }, { name: 'Võ Thị Lan' })).toBeGreaterThan(1);
    expect(levelOf(nameComparison, { name: 'Huỳnh Văn An' }, { name: 'Hoàng Văn An' })).toBeGreaterThan(1);
    expect(familyClose('hoang', 'huynh')).toBe(true);
    expect(familyClose('vu', 'vo')).toBe(true);
    // Short surnames one letter apart are different surnames, not typos.
    expect(familyClose('le', 'ly')).toBe(false);
    expect(familyClose('nguyen', 'nguyn')).toBe(true);
  });

  it('matches the words of a shorter name exactly when short, within one slip when long', () => {
    expect(wordsContained(['ryan'], ['cole', 'rnyan'])).toBe(true);
    expect(wordsContained(['an'], ['nguyen', 'van', 'anh'])).toBe(false);
    expect(wordsContained(['nguyen', 'thuy'], ['nguyen', 'thuy'])).toBe(false); // not shorter
  });

  it('is null when either name is missing', () => {
    expect(levelOf(nameComparison, { name: null }, { name: 'Nguyễn An' })).toBe(NULL_LEVEL);
  });
});

describe('birth date comparison', () => {
  const date = (a: string | null, b: string | null) => label(birthDateComparison, { birth: a }, { birth: b });
  it('matches at the precision each side has', () => {
    expect(date('1990-05-12', '1990-05-12')).toBe('same day');
    expect(date('1990', '1990-05-12')).toBe('same at the coarser precision (year or month only on one side)');
    expect(date('1990-05', '1990-05-12')).toBe('same at the coarser precision (year or month only on one side)');
    expect(date('1990-05', '1990-06-12')).toBe('same year');
    expect(date('1990-05-12', '1990-12-05')).toBe('day and month swapped');
    expect(date('1990-05-12', '1990-05-13')).toBe('one digit off or two adjacent digits swapped');
    expect(date('1990-05-12', '1909-05-12')).toBe('one digit off or two adjacent digits swapped');
    expect(date('1990', '1991')).toBe('one digit off or two adjacent digits swapped');
    expect(date('1990-05-12', '1990-08-20')).toBe('same year');
    expect(date('1990-05-12', '1991-05-12')).toBe('one digit off or two adjacent digits swapped');
    expect(date('1989-05-12', '1990-05-12')).toBe('one year apart, same day and month');
    expect(date('1990-05-12', '1985-05-12')).toBe('2 to 10 years apart, same day and month');
    expect(date('1990-05-12', '2000-05-12')).toBe('2 to 10 years apart, same day and month');
    expect(date('1990-05-12', '2001-05-12')).toBe('different');
    expect(date('1988-05', '1990-05-12')).toBe('different'); // a month alone: no day to agree on
    expect(date('1990-05-12', '1985-01-01')).toBe('different');
    expect(date('1990', '1985')).toBe('different');
    expect(date(null, '1985')).toBe('null');
  });

  it('counts the days between dates known to the day: within a month, then within a year of another year', () => {
    // Day and month both off (two digits): not a slip, but 29 days apart.
    expect(date('1990-05-12', '1990-06-10')).toBe('within a month');
    // Across a new year every part differs, yet the dates are 21 days apart.
    expect(date('1990-12-20', '1991-01-10')).toBe('within a month');
    expect(date('1990-05-12', '1990-06-13')).toBe('same year');
    expect(date('1990-11-25', '1991-10-28')).toBe('within a year (another year)');
    expect(date('1990-05-12', '1991-06-20')).toBe('different');
    // A month alone on one side: no days to count.
    expect(date('1989-12', '1990-01-10')).toBe('different');
  });
});

describe('citizen ID comparison', () => {
  const id = (a: Person, b: Person) => label(citizenIdComparison, a, b);
  const parentId = cccd(1985, 'male');
  it('distinguishes exact, typo, other system and different', () => {
    expect(id({ id: parentId, birth: '1985-01-02' }, { id: parentId, birth: '1985' })).toBe('same ID');
    expect(id({ id: parentId }, { id: parentId.slice(0, 11) + '9' })).toBe('one edit or adjacent transposition apart');
    expect(id({ id: parentId }, { id: parentId.slice(0, 7) + parentId[8] + parentId[7] + parentId.slice(9) })).toBe(
      'one edit or adjacent transposition apart',
    );
    expect(id({ id: parentId }, { id: '123456789' })).toMatch(/^CMND vs CCCD/);
    expect(id({ id: parentId }, { id: cccd(1985, 'male', '999999') })).toBe('different');
    expect(id({ id: null }, { id: parentId })).toBe('null');
  });

  it("puts a parent's ID on a child's record at a low-weight level", () => {
    // Digits 4–6 say 1985; the child was born in 2015.
    const level = levelOf(citizenIdComparison, { id: parentId, birth: '2015-06-01' }, { id: parentId, birth: '2015-06-01' });
    expect(citizenIdComparison.levels[level]!.label).toBe("same ID, contradicting a birth year (a parent's ID?)");
    expect(citizenIdComparison.levels[level]!.maxWeight).toBeLessThanOrEqual(2);
  });

  it('compares identifiers of another kind (a 7-digit foreign number, a passport) at their own levels, never as a veto', () => {
    expect(id({ id: '6988048', kind: 'other' }, { id: '6988048', kind: 'other' })).toBe('same identifier of another kind (passport, BHYT, …)');
    expect(id({ id: '6988048', kind: 'other' }, { id: '6988848', kind: 'other' })).toBe('identifiers of another kind one edit apart');
    expect(id({ id: '6988048', kind: 'other' }, { id: '7364009', kind: 'other' })).toBe('different identifiers of another kind');
    // a passport beside a CCCD: two documents of one person say nothing either way
    expect(id({ id: 'C1234567', kind: 'other' }, { id: '001085012345', kind: 'cccd' })).toMatch(/^CMND vs CCCD, or another kind/);
    // a CCCD typed with a digit missing is not counted as one slip from a CCCD: cheap to hit by chance
    expect(id({ id: '00108501234', kind: 'other' }, { id: '001085012345', kind: 'cccd' })).toMatch(/^CMND vs CCCD, or another kind/);
  });

  it('makes the CMND/CCCD level neutral', () => {
    expect(citizenIdComparison.levels.find((l) => l.label.startsWith('CMND'))?.neutral).toBe(true);
  });
});

describe('sex, phone, commune and address comparisons', () => {
  it('agree or disagree, null when missing', () => {
    expect(label(sexComparison, { sex: 'male' }, { sex: 'male' })).toBe('same');
    expect(label(sexComparison, { sex: 'male' }, { sex: 'female' })).toBe('different');
    expect(label(sexComparison, { sex: null }, { sex: 'female' })).toBe('null');
    expect(label(phoneComparison, { phone: '0912345678' }, { phone: '0912345678' })).toBe('same');
    expect(label(phoneComparison, { phone: '0912345678' }, { phone: '0912345679' })).toBe('different');
    expect(label(communeComparison, { commune: '00004' }, { commune: '00004' })).toBe('same');
    expect(label(communeComparison, { commune: '00004' }, { commune: null })).toBe('null');
  });

  it('compares addresses as folded token sets', () => {
    expect(address('Thôn 3, xã Yên Lạc', 'thon 3 xa yen lac')).toBe('Jaccard ≥ 0.8');
    expect(address('Thôn 3 xã Yên Lạc', 'Xóm 3 xã Yên Lạc')).toBe('Jaccard ≥ 0.5');
    expect(address('Thôn 3 xã Yên Lạc', 'Số 12 phố Huế')).toBe('different');
  });

  it('lets a long word be one typing slip off, a short one not', () => {
    expect(address('London', 'Lndon')).toBe('the same words, some one typing slip apart (words of 5 letters or more)');
    expect(address('Swansea', 'Swasea')).toBe('the same words, some one typing slip apart (words of 5 letters or more)');
    expect(address('Thôn 3', 'Thôn 4')).toBe('different');
    expect(address('Xóm Trường', 'Xom Truong Lang')).toBe('Jaccard ≥ 0.5');
    expect(address('London', 'London Bridge')).toBe('Jaccard ≥ 0.5');
    expect(address('London', 'Lndon Bridge')).toBe('different');
  });

  it('pairs the words up whichever record comes first (a first word one slip from two of the other side)', () => {
    // london↔londoo and londonx↔londonx: taking londonx for london first left londonx nothing.
    const slip = 'the same words, some one typing slip apart (words of 5 letters or more)';
    expect(address('london londonx', 'londonx londoo')).toBe(slip);
    expect(address('londonx londoo', 'london londonx')).toBe(slip);
  });
});

describe('defineComparison', () => {
  const levels = [
    { key: 'same', label: 'same', when: (a: PreparedRecord, b: PreparedRecord) => a.sex === b.sex },
    { key: 'different', label: 'different', when: always },
  ] as const;

  it('numbers the levels by their declared order, so an inserted level moves the later ones with it', () => {
    const plain = defineComparison('sex', (a, b) => a.sex === null || b.sex === null, levels);
    const inserted = defineComparison('sex', plain.missing, [levels[0], { key: 'never', label: 'never', when: () => false }, levels[1]]);
    expect(plain.level).toEqual({ same: 0, different: 1 });
    expect(inserted.level).toEqual({ same: 0, never: 1, different: 2 });
    expect(inserted.compare(prepared({ sex: 'male' }), prepared({ sex: 'female' }, 1))).toBe(inserted.level.different);
    expect(plain.compare(prepared({ sex: 'male' }), prepared({ sex: null }, 1))).toBe(NULL_LEVEL);
  });

  it('returns the first level that holds, whatever the number of levels', () => {
    const [a, b] = [prepared({ sex: 'male' }), prepared({ sex: 'male' }, 1)];
    for (let count = 2; count <= 12; count++) {
      for (let holding = 0; holding < count; holding++) {
        // levels from `holding` on hold; the ones before do not
        const defs = Array.from({ length: count }, (_, l) => ({
          key: `k${l}`,
          label: `level ${l}`,
          when: l === count - 1 ? always : () => l >= holding,
        }));
        const comparison = defineComparison('x', () => false, defs);
        expect(comparison.compare(a, b)).toBe(holding);
        expect(defineComparison('x', () => true, defs).compare(a, b)).toBe(NULL_LEVEL);
      }
    }
  });

  it('refuses levels a stored model could not tell apart, and a last level that is not the catch-all', () => {
    expect(() => defineComparison('x', () => false, [levels[0], { ...levels[1], label: 'same' }])).toThrow(/share a label/);
    expect(() => defineComparison('x', () => false, [levels[0], { ...levels[1], key: 'same' }])).toThrow(/share a key/);
    expect(() => defineComparison('x', () => false, [levels[1], levels[0]])).toThrow(/catch-all/);
  });
});
