import { describe, expect, it } from 'vitest';
import { decodeRawCells, encodeRawCells } from '../../src/base/raw-cells.js';
import { hasUnstorable } from '../../src/base/unstorable.js';

describe('encodeRawCells', () => {
  const rows: string[][] = [
    ['R1', 'Nguyễn Văn An', '12/10/1985'],
    ['R2', 'Lê 😀 Thị', ''],
    ['R3', 'C:\\users\\an', '\\u0000 typed as text'],
    ['R4', 'Nguy\u0000ễn', 'x'],
    ['R5', 'half \ud800 of a pair', 'low \udc00 alone'],
    ['R6', 'a pair 😀 and \u0000', 'tab\tand "quotes"'],
    ['R7', '\\ud800 as text, and the real one: \ud83d'],
  ];

  it('keeps every row exactly, in text PostgreSQL can store', () => {
    for (const cells of rows) {
      const text = encodeRawCells(cells);
      expect(decodeRawCells(text), JSON.stringify(cells)).toEqual(cells);
      expect(hasUnstorable(text), JSON.stringify(cells)).toBe(false);
    }
  });

  it('writes a row without NUL or a lone surrogate as a plain JSON array, the others with their cells escaped', () => {
    for (const cells of rows) {
      const plain = !cells.some(hasUnstorable);
      expect(encodeRawCells(cells) === JSON.stringify(cells), JSON.stringify(cells)).toBe(plain);
    }
    expect(JSON.parse(encodeRawCells(rows[3]!))).toEqual(['R4', { escaped: 'Nguy\\0ễn' }, 'x']);
  });
});
