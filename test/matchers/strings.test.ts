import { describe, expect, it } from 'vitest';
import { isFoldedSyllable, isSubsequence, osaDistance, sortedJaccard, withinOneEdit } from '../../matchers/strings.js';
import { seededRandom } from '../../src/base/random.js';

/** Textbook full-matrix OSA distance, to check the banded, affix-stripping one against. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

describe('osaDistance', () => {
  it('agrees with the full-matrix definition for every bound', () => {
    const random = seededRandom(9);
    const word = () => Array.from({ length: Math.floor(random() * 8) }, () => 'abc'[Math.floor(random() * 3)]).join('');
    for (let t = 0; t < 20_000; t++) {
      const a = word();
      const b = word();
      const d = reference(a, b);
      for (const max of [0, 1, 2, 3, 50]) expect(osaDistance(a, b, max)).toBe(d > max ? max + 1 : d);
    }
  });

  it('counts an adjacent transposition as one edit', () => {
    expect(osaDistance('nguyen', 'ngyuen')).toBe(1);
    expect(osaDistance('1987', '1978')).toBe(1);
    expect(osaDistance('nguyen van an', 'nguyen van anh', 2)).toBe(1);
  });
});

describe('withinOneEdit', () => {
  it('matches osaDistance ≤ 1', () => {
    const random = seededRandom(10);
    const word = () => Array.from({ length: Math.floor(random() * 6) }, () => 'ab'[Math.floor(random() * 2)]).join('');
    for (let t = 0; t < 20_000; t++) {
      const a = word();
      const b = word();
      expect(withinOneEdit(a, b)).toBe(reference(a, b) <= 1);
    }
  });
});

describe('sortedJaccard and isSubsequence', () => {
  it('compute token overlap and ordered containment', () => {
    expect(sortedJaccard(['a', 'b', 'c'], ['b', 'c', 'd'])).toBeCloseTo(0.5);
    expect(sortedJaccard([], [])).toBe(0);
    expect(isSubsequence(['thi'], ['thi', 'minh'])).toBe(true);
    expect(isSubsequence(['minh', 'thi'], ['thi', 'minh'])).toBe(false);
  });
});

describe('isFoldedSyllable', () => {
  it('takes the folded form of Vietnamese syllables, onset, nucleus and coda', () => {
    for (const w of ['a', 'an', 'nguyen', 'nghieng', 'khuyen', 'quynh', 'gioi', 'duong', 'phuong', 'thanh', 'oanh', 'uyen', 'tuong', 'hoai', 'khuya']) {
      expect(isFoldedSyllable(w), w).toBe(true);
    }
  });
  it('refuses what a slip or a foreign spelling leaves', () => {
    for (const w of ['hpuogn', 'xuyeb', 'trug', 'aoh', 'thabd', 'ihne', 'thomas', 'ksor', 'k', 'nguyenn']) expect(isFoldedSyllable(w), w).toBe(false);
  });
});

