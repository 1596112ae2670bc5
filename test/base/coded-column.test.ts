import { describe, expect, it } from 'vitest';
import { CodedColumn } from '../../src/base/coded-column.js';

describe('CodedColumn', () => {
  it('gives back each row its value or null, holds each distinct value once, and cuts to the rows filled', () => {
    const values = ['COVID-PF', null, 'BCG', 'COVID-PF', '', 'BCG', null];
    const column = new CodedColumn(10);
    values.forEach((v, i) => column.set(i, v));
    const cut = column.sealed(values.length);
    expect(cut.length).toBe(values.length);
    expect(Array.from({ length: cut.length }, (_, i) => cut.at(i))).toEqual(values);
    // Rows never set read as null; rows past the cut do not exist.
    expect(column.at(9)).toBeNull();
    expect(() => cut.at(values.length)).toThrow(RangeError);
    expect(() => column.set(0, 'X')).toThrow(/after seal/);
  });

  // Codes start a byte wide and widen at 256 and 65,536 values: every row must read back across both.
  it('reads back every row after its codes widen from one byte to two and to four', () => {
    const rows = 140_000;
    const column = new CodedColumn(rows + 5);
    const valueOf = (i: number) => (i % 7 === 3 ? null : `v${i % 70_000}`);
    for (let i = 0; i < rows; i++) column.set(i, valueOf(i));
    const cut = column.sealed(rows);
    let wrong = 0;
    for (let i = 0; i < rows; i++) if (cut.at(i) !== valueOf(i)) wrong++;
    expect(wrong).toBe(0);
  });
});
