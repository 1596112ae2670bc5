import { describe, expect, it } from 'vitest';
import { HASH64, HashedStringSet, hash64 } from '../../src/base/string-hash.js';
import { keyHash } from '../../src/link/scope.js';

describe('hash64', () => {
  it('is the hash link_key stores: high word signed, low word unsigned', () => {
    hash64('nguyen thi lan|1990');
    expect(Number.isInteger(HASH64[0])).toBe(true);
    expect(HASH64[0]).toBeGreaterThanOrEqual(-(2 ** 31));
    expect(HASH64[0]).toBeLessThan(2 ** 31);
    expect(HASH64[1]).toBeGreaterThanOrEqual(0);
    expect(HASH64[1]).toBeLessThan(2 ** 32);
    expect(BigInt(keyHash('nguyen thi lan|1990'))).toBe(BigInt(HASH64[0]!) * 2n ** 32n + BigInt(HASH64[1]!));
  });
});

describe('HashedStringSet', () => {
  it('answers as a Set of the same strings does, through many growths, duplicates included', () => {
    const set = new HashedStringSet(4);
    const reference = new Set<string>();
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 200_000; i++) {
      // About one id in four drawn again: a file's record_ids repeated.
      const id = `R${(next() % 150_000).toString().padStart(7, '0')}`;
      expect(set.add(id)).toBe(!reference.has(id));
      reference.add(id);
    }
    expect(set.size).toBe(reference.size);
    for (let i = 0; i < 150_000; i += 7) {
      const id = `R${i.toString().padStart(7, '0')}`;
      expect(set.has(id)).toBe(reference.has(id));
    }
    expect(set.has('')).toBe(false);
    expect(set.add('')).toBe(true);
    expect(set.add('')).toBe(false);
  });

  it('tells apart strings of one length that differ in one place or in order', () => {
    const set = new HashedStringSet();
    for (const id of ['001090012345', '001090012354', '001090021345', '100090012345', 'ab', 'ba']) expect(set.add(id)).toBe(true);
    expect(set.size).toBe(6);
  });
});
