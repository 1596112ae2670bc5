import { expect, it } from 'vitest';
import { RefDigest } from '../../src/link/ref-digest.js';

const digestOf = (refs: readonly (readonly [number, number])[]) => {
  const d = new RefDigest();
  for (const [batch, row] of refs) d.add(batch, row);
  return d.value;
};

it('is the same for the same refs in any order, and differs when one is missing, added or swapped', () => {
  const refs: [number, number][] = [];
  for (let batch = 1; batch <= 5; batch++) for (let row = 1; row <= 400; row++) refs.push([batch, row]);
  const value = digestOf(refs);
  expect(digestOf([...refs].reverse())).toBe(value);
  expect(digestOf([...refs].sort((a, b) => a[1] - b[1] || b[0] - a[0]))).toBe(value);
  expect(value.startsWith('2000:')).toBe(true);
  expect(digestOf([[1, 7]])).not.toBe(digestOf([[7, 1]]));
  const seen = new Set([value]);
  // one ref replaced by another of the same count, each way
  for (let i = 0; i < refs.length; i += 97) {
    const changed = refs.map((r, j) => (j === i ? ([r[0], r[1] + 1000] as const) : r));
    seen.add(digestOf(changed));
  }
  seen.add(digestOf(refs.slice(1)));
  seen.add(digestOf([...refs, [6, 1]]));
  // a ref whose batch and row are swapped
  seen.add(digestOf(refs.map((r) => (r[0] === 1 && r[1] === 7 ? ([7, 1] as const) : r))));
  expect(seen.size).toBe(1 + Math.ceil(refs.length / 97) + 3);
});
