import { describe, expect, it } from 'vitest';
import { clusterPairs, linkList, sortStrongestFirst, strongestFirst, type ClusterOptions, type RefusalReason, type WeightedLink } from '../../matchers/cluster.js';
import { seededRandom } from '../../src/base/random.js';

/** clusterPairs over link objects, with the callbacks given the links rather than their indexes. */
function cluster(
  n: number,
  links: readonly WeightedLink[],
  idOf: (i: number) => string | null,
  options: Omit<ClusterOptions, 'onJoined' | 'onRefused'> & {
    onJoined?: (link: WeightedLink) => void;
    onRefused?: (link: WeightedLink, why: RefusalReason) => void;
  } = {},
): Int32Array {
  const { onJoined, onRefused, ...rest } = options;
  return clusterPairs(n, linkList(links), idOf, {
    ...rest,
    ...(onJoined ? { onJoined: (k: number) => onJoined(links[k]!) } : {}),
    ...(onRefused ? { onRefused: (k: number, why: RefusalReason) => onRefused(links[k]!, why) } : {}),
  });
}

describe('clusterPairs', () => {
  it('joins records transitively and numbers clusters densely in record order', () => {
    const clusters = cluster(5, [
      { a: 3, b: 4, weight: 5 },
      { a: 0, b: 1, weight: 10 },
      { a: 1, b: 2, weight: 8 },
    ], () => null);
    expect(Array.from(clusters)).toEqual([0, 0, 0, 1, 1]);
  });

  it('reports the links that joined clusters: one fewer than the records of each cluster', () => {
    const joined: number[] = [];
    cluster(4, [
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
    const clusters = cluster(4, links, () => null, { cannotLink: [[3, 0]], onRefused: (l) => refused.push(l.weight) });
    expect(clusters[0]).toBe(clusters[1]);
    expect(clusters[1]).toBe(clusters[2]);
    expect(clusters[3]).not.toBe(clusters[0]);
    expect(refused).toEqual([6]);
    // without the decision the same links make one cluster
    expect(new Set(cluster(4, links, () => null)).size).toBe(1);
  });

  it('never puts two different reliable IDs in one cluster, even through a record without an ID', () => {
    const ids = ['001090111111', null, '001090222222'];
    const refused: number[] = [];
    const clusters = cluster(
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
    const clusters = cluster(
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
    const clusters = cluster(2, [{ a: 0, b: 1, weight: 10 }], (i) => ids[i] ?? null);
    expect(clusters[0]).toBe(clusters[1]);
  });

  it('checks merged ID sets, not only the two records of a link', () => {
    // 0–1 share an ID; 2–3 share another; linking 1–2 would join the two IDs.
    const ids = ['001090111111', '001090111111', '001090222222', '001090222222'];
    const clusters = cluster(
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

  it('starts from known clusters: their records stay together, and their IDs count for every link', () => {
    // 0 and 1 are one person from an earlier run, 2 is new; 3 is new and carries another ID.
    const ids = ['001090111111', null, null, '001090222222'];
    const groups = Int32Array.from([0, 0, -1, -1]);
    const clusters = cluster(
      4,
      [
        { a: 1, b: 2, weight: 10 },
        { a: 2, b: 3, weight: 8 },
      ],
      (i) => ids[i] ?? null,
      { groups },
    );
    expect(clusters[0]).toBe(clusters[1]);
    expect(clusters[2]).toBe(clusters[1]);
    expect(clusters[3]).not.toBe(clusters[0]);
  });
});

describe('strongestFirst', () => {
  /** The order as a comparison sort defines it: weight descending, ties by index. */
  function byComparison(weights: readonly number[]): number[] {
    return Array.from(Int32Array.from(weights, (_, k) => k).sort((x, y) => weights[y]! - weights[x]! || x - y));
  }

  it('orders by weight descending, ties in index order, as a comparison sort does', () => {
    const random = seededRandom(5);
    // Many ties, both zeros, infinities (a reviewer's "same person"), tiny and huge magnitudes.
    const specials = [0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1e300, -1e300, 3.5, -3.5];
    const weights = Array.from({ length: 50_000 }, (_, k) =>
      k % 3 === 0 ? specials[Math.floor(random() * specials.length)]! : k % 3 === 1 ? Math.round(random() * 40 - 20) / 4 : (random() - 0.5) * 100,
    );
    const links = linkList(weights.map((weight, k) => ({ a: k, b: k + 1, weight })));
    expect(Array.from(strongestFirst(links))).toEqual(byComparison(weights));
    expect(Array.from(strongestFirst(linkList([])))).toEqual([]);
  });

  it('orders links that share their top bits, in buckets of every size it sorts differently', () => {
    const random = seededRandom(9);
    // Weights within 16 ± 2⁻¹³ fall into two buckets of their top 16 bits (below 16, and from 16 up) of over
    // 10,000 links each, sorted with 16-bit digits; their negatives (about 2,100 a bucket) and 300 values
    // just above 3 (2,338 links) with 8-bit digits; the rest, spread up to 10⁶, in buckets of at most 32
    // links by insertion (785 links in 99 buckets). Ties are drawn from a short list so that every path
    // meets equal weights too.
    const ties = Array.from({ length: 40 }, () => 16 + (random() - 0.5) / 4096);
    const weights = Array.from({ length: 30_000 }, (_, k) => {
      const near = k % 5 === 0 ? ties[Math.floor(random() * ties.length)]! : 16 + (random() - 0.5) / 4096;
      return k % 7 === 0 ? -near : k % 11 === 0 ? 3 + Math.floor(random() * 300) / 2 ** 40 : k % 13 === 0 ? random() * 1e6 : near;
    });
    const links = linkList(weights.map((weight, k) => ({ a: k, b: k + 1, weight })));
    expect(Array.from(strongestFirst(links))).toEqual(byComparison(weights));
  });

  it('falls back to the comparison sort when a weight is not a number', () => {
    const weights = [1, Number.NaN, 3, 2, Number.NaN, 3];
    expect(Array.from(strongestFirst(linkList(weights.map((weight, k) => ({ a: k, b: k + 1, weight })))))).toEqual(byComparison(weights));
  });
});

describe('sortStrongestFirst', () => {
  it("puts links in place in strongestFirst's order, ties in theirs, each link whole", () => {
    const random = seededRandom(11);
    for (const count of [0, 1, 2, 7, 1000, 40_000]) {
      // Few distinct weights, so that ties are everywhere and long cycles of the permutation too.
      const weights = Array.from({ length: count }, () => (random() < 0.1 ? Infinity : Math.floor(random() * 50) / 4));
      // Neither column is the link's index, so that writing an index where a value belongs fails too.
      const a = Int32Array.from(weights, (_, k) => 5 * k + 2);
      const b = Int32Array.from(weights, (_, k) => 3 * k + 1);
      const weight = Float64Array.from(weights);
      const order = strongestFirst({ count, a: (k) => 5 * k + 2, b: (k) => 3 * k + 1, weight: (k) => weights[k]! });
      sortStrongestFirst({ a, b, weight, count });
      expect(Array.from(a)).toEqual(Array.from(order, (k) => 5 * k + 2));
      expect(Array.from(b)).toEqual(Array.from(order, (k) => 3 * k + 1));
      expect(Array.from(weight)).toEqual(Array.from(order, (k) => weights[k]!));
    }
  });

  it('clusters as listed the same as through the order of the unsorted links', () => {
    const random = seededRandom(12);
    const n = 3000;
    const links: WeightedLink[] = Array.from({ length: 12_000 }, () => {
      const x = Math.floor(random() * n);
      const y = Math.floor(random() * n);
      return { a: Math.min(x, y), b: Math.max(x, y) + (x === y ? 1 : 0), weight: Math.floor(random() * 30) };
    }).filter((l) => l.b < n);
    const ids = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? String(100_000 + (i % 50)) : null));
    const refusedBefore: number[] = [];
    const before = clusterPairs(n, linkList(links), (i) => ids[i]!, { onRefused: (k) => refusedBefore.push(k) });
    const order = strongestFirst(linkList(links));
    const columns = { a: Int32Array.from(links, (l) => l.a), b: Int32Array.from(links, (l) => l.b), weight: Float64Array.from(links, (l) => l.weight), count: links.length };
    sortStrongestFirst(columns);
    const refusedAfter: number[] = [];
    const sorted = { count: columns.count, a: (k: number) => columns.a[k]!, b: (k: number) => columns.b[k]!, weight: (k: number) => columns.weight[k]! };
    const after = clusterPairs(n, sorted, (i) => ids[i]!, { order: 'listed', onRefused: (k) => refusedAfter.push(order[k]!) });
    expect(Array.from(after)).toEqual(Array.from(before));
    expect(refusedAfter).toEqual(refusedBefore);
    expect(refusedBefore.length).toBeGreaterThan(0);
  });
});
