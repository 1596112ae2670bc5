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
});
