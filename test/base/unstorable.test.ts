import { describe, expect, it } from 'vitest';
import { escapeUnstorable, hasUnstorable, stripUnstorable, unescapeUnstorable } from '../../src/base/unstorable.js';

describe('characters PostgreSQL text cannot store', () => {
  it('finds NUL and lone surrogates, not a whole surrogate pair (an emoji) nor ordinary Vietnamese', () => {
    expect(hasUnstorable('Nguyễn Thị Lan')).toBe(false);
    expect(hasUnstorable('Lan 😀')).toBe(false);
    expect(hasUnstorable('Lan\u0000')).toBe(true);
    expect(hasUnstorable('Lan\ud83d')).toBe(true); // a high surrogate at the end
    expect(hasUnstorable('\ude00Lan')).toBe(true); // a low surrogate with no high one before it
    expect(hasUnstorable('😀\ud83d x')).toBe(true); // a pair, then a lone half
  });

  it('strips them, and escapes them so that the escape reads back to the exact text', () => {
    const text = 'a\\b\u0000c\ud800d😀';
    expect(stripUnstorable(text)).toBe('a\\bcd😀');
    expect(escapeUnstorable(text)).toBe('a\\\\b\\0c\\ud800d😀');
    expect(unescapeUnstorable(escapeUnstorable(text))).toBe(text);
    expect(escapeUnstorable('plain \\ text')).toBe('plain \\ text');
  });
});
