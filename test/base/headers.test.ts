import { describe, expect, it } from 'vitest';
import { headerMatcher } from '../../src/base/headers.js';
import { asciiKey } from '../../src/base/text.js';

describe('headerMatcher', () => {
  const match = headerMatcher({ name: ['name', 'họ và tên', 'tên'], phone: ['phone', 'sđt'] }, asciiKey);

  it('finds fields by any alias, folded, and lists the columns that name none', () => {
    expect(match(['SĐT', 'Họ và Tên', 'ghi chú'])).toEqual({ columns: { phone: 0, name: 1 }, unmatched: [2] });
  });

  it('prefers the earlier alias when two columns name one field, whatever their order', () => {
    expect(match(['Tên', 'Họ và tên']).columns).toEqual({ name: 1 });
    expect(match(['Họ và tên', 'Tên']).columns).toEqual({ name: 0 });
  });

  it('refuses alias lists where one key names two fields', () => {
    expect(() => headerMatcher({ a: ['Mã'], b: ['ma'] }, asciiKey)).toThrow(/"ma" names both a and b/);
  });
});
