import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from '../../src/base/csv.js';

describe('csvLine and csvField', () => {
  it('quotes per RFC 4180 and round-trips commas, quotes and line breaks', () => {
    const values = ['R1', 'a,b', 'say "hi"', 'line1\nline2', 'cr\r\nlf', '', 'Nguyễn Thị Hoà', 'semi;colon'];
    const line = csvLine(values);
    expect(line).toBe('R1,"a,b","say ""hi""","line1\nline2","cr\r\nlf",,Nguyễn Thị Hoà,semi;colon');
    expect(parse(`${line}\r\n`, { relax_column_count: false })).toEqual([values]);
    expect(values.map((v) => csvField(v)).join(',')).toBe(line);
  });

  it('quotes on the semicolon when that is the delimiter', () => {
    const values = ['a;b', 'c,d', 'x"y'];
    const line = csvLine(values, ';');
    expect(line).toBe('"a;b";c,d;"x""y"');
    expect(parse(line, { delimiter: ';' })).toEqual([values]);
  });

  it('writes null and undefined as nothing and numbers as JavaScript does', () => {
    expect(csvLine(['a', null, 3, undefined, 0.5])).toBe('a,,3,,0.5');
    expect([null, 3, undefined, 0.5].map((v) => csvField(v))).toEqual(['', '3', '', '0.5']);
  });
});
