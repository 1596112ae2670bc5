import { describe, expect, it } from 'vitest';
import { clusterPairs } from '../../matchers/cluster.js';

describe('clusterPairs', () => {
  it('joins records transitively and numbers clusters densely in record order', () => {
    const clusters = clusterPairs(5, [
      { a: 3, b: 4, weight: 5 },
      { a: 0, b: 1, weight: 10 },
      { a: 1, b: 2, weight: 8 },
    ], () => null);
    expect(Array.from(clusters)).toEqual([0, 0, 0, 1, 1]);
  });

  it('reports the links that joined clusters: one fewer than the records of each cluster', () => {
    const joined: number[] = [];
    clusterPairs(4, [
      { a: 0, b: 1, weight: 10 },
      { a: 1, b: 2, weight: 8 },
      { a: 0, b: 2, weight: 7 },
      { a: 2, b: 3, weight: 1 },
    ], () => null, { onJoined: (l) => joined.push(l.weight) });
    expect(joined).toEqual([10, 8, 1]);
  });

  it('keeps apart two records a reviewer called different people, even through a third record', () => {
    const refused: number[] = [];
    const links = [
      { a: 0, b: 1, weight: 10 },
      { a: 1, b: 2, weight: 8 },
      { a: 2, b: 3, weight: 6 },
    ];
    const clusters = clusterPairs(4, links, () => null, { cannotLink: [[3, 0]], onRefused: (l) => refused.push(l.weight) });
    expect(clusters[0]).toBe(clusters[1]);
    expect(clusters[1]).toBe(clusters[2]);
    expect(clusters[3]).not.toBe(clusters[0]);
    expect(refused).toEqual([6]);
    // without the decision the same links make one cluster
    expect(new Set(clusterPairs(4, links, () => null)).size).toBe(1);
  });

  it('never puts two different reliable IDs in one cluster, even through a record without an ID', () => {
    const ids = ['001090111111', null, '001090222222'];
    const refused: number[] = [];
    const clusters = clusterPairs(
      3,
      [
        { a: 0, b: 1, weight: 10 },
        { a: 1, b: 2, weight: 8 },
      ],
      (i) => ids[i] ?? null,
      { onRefused: (l) => refused.push(l.weight) },
    );
    expect(clusters[0]).toBe(clusters[1]);
    expect(clusters[2]).not.toBe(clusters[0]);
    expect(refused).toEqual([8]);
  });

  it('lets the strongest link claim a record first', () => {
    const ids = ['001090111111', null, '001090222222'];
    const clusters = clusterPairs(
      3,
      [
        { a: 0, b: 1, weight: 3 },
        { a: 1, b: 2, weight: 12 },
      ],
      (i) => ids[i] ?? null,
    );
    expect(clusters[1]).toBe(clusters[2]);
    expect(clusters[0]).not.toBe(clusters[1]);
  });

  it('treats IDs one typing slip apart as one person', () => {
    const ids = ['001090111111', '001090111112'];
    const clusters = clusterPairs(2, [{ a: 0, b: 1, weight: 10 }], (i) => ids[i] ?? null);
    expect(clusters[0]).toBe(clusters[1]);
  });

  it('checks merged ID sets, not only the two records of a link', () => {
    // 0–1 share an ID; 2–3 share another; linking 1–2 would join the two IDs.
    const ids = ['001090111111', '001090111111', '001090222222', '001090222222'];
    const clusters = clusterPairs(
      4,
      [
        { a: 0, b: 1, weight: 20 },
        { a: 2, b: 3, weight: 20 },
        { a: 0, b: 3, weight: 15 },
      ],
      (i) => ids[i] ?? null,
    );
    expect(new Set(clusters).size).toBe(2);
  });
});
