import { expect, it } from 'vitest';
import { seededRandom } from '../../src/base/random.js';
import { BlockSizes, UNKNOWN } from '../../src/link/block-sizes.js';

it('holds each block once by rule and both words of its hash, with its size, as a map of their text does', () => {
  const random = seededRandom(7);
  const word = () => Math.floor(random() * 2 ** 32) - 2 ** 31;
  const table = new BlockSizes();
  const expected = new Map<string, number>();
  // Blocks that differ only in the rule, the high word or the low word, and words of few values, so that
  // slots collide; enough of them for the table to grow several times.
  const blocks: [number, number, number][] = [];
  for (let b = 0; b < 50_000; b++) {
    const [rule, high, low] = [Math.floor(random() * 17), b % 3 === 0 ? b % 7 : word(), b % 5 === 0 ? b % 11 : word()];
    blocks.push([rule, high, low], [(rule + 1) % 17, high, low], [rule, high ^ 1, low], [rule, high, low ^ 1]);
  }
  for (const [rule, high, low] of blocks) {
    const name = `${rule}:${high}:${low}`;
    expect(table.add(rule, high, low)).toBe(!expected.has(name));
    if (!expected.has(name)) expected.set(name, UNKNOWN);
  }
  expect(table.count).toBe(expected.size);
  blocks.forEach(([rule, high, low], i) => {
    if (i % 3 === 0) return;
    table.setSize(rule, high, low, i);
    expected.set(`${rule}:${high}:${low}`, i);
  });
  for (const [rule, high, low] of blocks) expect(table.size(rule, high, low)).toBe(expected.get(`${rule}:${high}:${low}`));
  expect(table.size(17, 1, 2)).toBe(UNKNOWN);
  // A size set for a block not added adds it.
  table.setSize(20, 5, 6, 9);
  expect(table.size(20, 5, 6)).toBe(9);
  expect(table.count).toBe(expected.size + 1);
});

it('takes a low word signed or unsigned as the same block, as blocking and the database give it', () => {
  const table = new BlockSizes();
  table.setSize(3, -5, 0xffff_fffe, 40);
  expect(table.size(3, -5, -2)).toBe(40);
  expect(table.add(3, -5, -2)).toBe(false);
  expect(table.size(3, 2 ** 32 - 5, 0xffff_fffe)).toBe(40);
});

it('refuses a rule below 0, the mark of an empty slot', () => {
  expect(() => new BlockSizes().add(-1, 1, 2)).toThrow(/rule is 0 or more/);
});
