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
  for (const [high, low] of keys) {
    const name = `${high}:${low}`;
    expect(table.add(high, low)).toBe(!expected.has(name));
    if (!expected.has(name)) expected.set(name, undefined);
  }
  expect(table.size).toBe(expected.size);
  keys.forEach(([high, low], i) => {
    if (i % 3 === 0) return;
    // 0 and negative values are values like any other.
    table.set(high, low, i % 4 === 1 ? 0 : -i);
    expected.set(`${high}:${low}`, i % 4 === 1 ? 0 : -i);
  });
  for (const [high, low] of keys) {
    expect(table.has(high, low)).toBe(true);
    expect(table.get(high, low, 12345)).toBe(expected.get(`${high}:${low}`) ?? 12345);
  }
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
  for (let k = 0; k < 100_000; k++) expect(table.get(k, k * 31, -1)).toBe(k < 1000 && k % 2 === 1 ? -1 : k);
  expect(table.size).toBe(100_000);
});
