import { expect, it } from 'vitest';
import { Hash64Table } from '../../src/base/hash64-table.js';
import { seededRandom } from '../../src/base/random.js';

it('holds each key once by both words, with its value if one was set, as a Map of their text does', () => {
  const random = seededRandom(7);
  const word = () => Math.floor(random() * 2 ** 32) - 2 ** 31;
  const table = new Hash64Table(4);
  const expected = new Map<string, number | undefined>();
  // Keys that differ only in the high word or the low word, and words of few values, so that slots collide;
  // enough of them for the table to grow many times.
  const keys: [number, number][] = [];
  for (let k = 0; k < 50_000; k++) {
    const [high, low] = [k % 3 === 0 ? k % 7 : word(), k % 5 === 0 ? k % 11 : word()];
    keys.push([high, low], [high ^ 1, low], [high, low ^ 1], [high, low]);
  }
  // Compared as whole arrays: an expect per key made the test take seconds.
  const added = keys.map(([high, low]) => table.add(high, low));
  const addedExpected = keys.map(([high, low]) => {
    const name = `${high}:${low}`;
    if (expected.has(name)) return false;
    expected.set(name, undefined);
    return true;
  });
  expect(added).toEqual(addedExpected);
  expect(table.size).toBe(expected.size);
  keys.forEach(([high, low], i) => {
    if (i % 3 === 0) return;
    // 0 and negative values are values like any other.
    table.set(high, low, i % 4 === 1 ? 0 : -i);
    expected.set(`${high}:${low}`, i % 4 === 1 ? 0 : -i);
  });
  expect(keys.every(([high, low]) => table.has(high, low))).toBe(true);
  expect(keys.map(([high, low]) => table.get(high, low, 12345))).toEqual(keys.map(([high, low]) => expected.get(`${high}:${low}`) ?? 12345));
  expect(table.size).toBe(expected.size);
  // A key absent: not held, its value the fallback; a value set for it adds it.
  expect(table.has(12, 12)).toBe(false);
  expect(table.get(12, 12, -7)).toBe(-7);
  table.set(12, 12, 9);
  expect(table.get(12, 12, -7)).toBe(9);
  expect(table.size).toBe(expected.size + 1);
});

it('takes the key (0, 0) as a key, and a word signed or unsigned as the same word', () => {
  const table = new Hash64Table();
  expect(table.has(0, 0)).toBe(false);
  expect(table.add(0, 0)).toBe(true);
  expect(table.add(0, 0)).toBe(false);
  expect(table.get(0, 0, 3)).toBe(3);
  // hash64 leaves the low word unsigned and blocking reads it signed; the database gives it unsigned.
  table.set(-5, 0xffff_fffe, 40);
  expect(table.get(-5, -2, 0)).toBe(40);
  expect(table.add(-5, -2)).toBe(false);
  expect(table.get(2 ** 32 - 5, 0xffff_fffe, 0)).toBe(40);
  expect(table.size).toBe(2);
});

it('keeps values set before and after growing, a table of keys alone growing without them', () => {
  const table = new Hash64Table(16);
  for (let k = 0; k < 1000; k++) table.add(k, k * 31);
  for (let k = 0; k < 1000; k += 2) table.set(k, k * 31, k);
  for (let k = 1000; k < 100_000; k++) table.set(k, k * 31, k);
  const got = Array.from({ length: 100_000 }, (_, k) => table.get(k, k * 31, -1));
  expect(got).toEqual(Array.from({ length: 100_000 }, (_, k) => (k < 1000 && k % 2 === 1 ? -1 : k)));
  expect(table.size).toBe(100_000);
});
