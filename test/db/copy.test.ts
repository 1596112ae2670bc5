import { describe, expect, it } from 'vitest';
import { copyLine, copyValue, textArrayLiteral } from '../../src/db/copy.js';

describe('COPY text encoding', () => {
  it('escapes backslash, tab and line breaks, and writes null as \\N', () => {
    expect(copyValue('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue(42)).toBe('42');
    expect(copyLine(['x', null, 3])).toBe('x\t\\N\t3\n');
  });

  it('quotes every array element and escapes quotes and backslashes inside', () => {
    expect(textArrayLiteral([])).toBe('{}');
    expect(textArrayLiteral(['', 'NULL', 'a"b', 'c\\d', 'x,y'])).toBe('{"","NULL","a\\"b","c\\\\d","x,y"}');
  });
});
