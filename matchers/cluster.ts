/**
 * Clusters from accepted pairwise links: union–find, strongest links first.
 *
 * Links are transitive (A–B and B–C put A and C together), so a pair rule alone cannot stop two people
 * with different reliable IDs from meeting through a third record with no ID. Each cluster root keeps the
 * set of reliable IDs its records carry, and a union that would join two incompatible IDs is refused.
 * Taking links by descending weight means the strongest evidence claims a record first and the weaker,
 * conflicting link is the one refused.
 */
import { withinOneEdit } from './strings.js';

export interface WeightedLink {
  readonly a: number;
  readonly b: number;
  readonly weight: number;
}

/**
 * The links to cluster, read by index. A million-record run accepts millions of links: the engine serves
 * them from its typed pair arrays instead of building an object per link (`linkList` wraps objects).
 */
export interface LinkList {
  readonly count: number;
  a(k: number): number;
  b(k: number): number;
  weight(k: number): number;
}

export function linkList(links: readonly WeightedLink[]): LinkList {
  return { count: links.length, a: (k) => links[k]!.a, b: (k) => links[k]!.b, weight: (k) => links[k]!.weight };
}

/**
 * Why a link was refused: it would join two different reliable IDs, two records decided different, or two
 * records a hard rule keeps apart (`keepApart`).
 */
export type RefusalReason = 'citizen_ids' | 'decided_different' | 'kept_apart';

export interface ClusterOptions {
  /** Whether two reliable IDs may belong to one person. Default: equal or one typing slip apart. */
  readonly compatible?: (x: string, y: string) => boolean;
  /** Called with the index of each link that joined two clusters: together they form a spanning forest. */
  readonly onJoined?: (k: number) => void;
  /**
   * Called with the index of each link that clustering refused, and why; for `kept_apart`, `pair` is the
   * index in `keepApart` of the pair the link would have joined.
   */
  readonly onRefused?: (k: number, why: RefusalReason, pair?: number) => void;
  /**
   * Pairs of records a hard rule vetoes: never in one cluster, even through others (cluster-level
   * constraints). Links are taken strongest first, so the link refused is the weakest one that would
   * complete a chain between the two.
   */
  readonly keepApart?: readonly (readonly [number, number])[];
  /** Pairs of records a person decided are different people: never in one cluster, even through others. */
  readonly cannotLink?: readonly (readonly [number, number])[];
  /**
   * Clusters known before these links (incremental linking: the people of earlier runs): records with the
   * same non-negative group start in one cluster, -1 starts alone. Their IDs are pooled without a check,
   * since an earlier run (or a reviewer) already accepted them together.
   */
  readonly groups?: Int32Array;
  /**
   * The links' indexes strongest first, as `strongestFirst` gives them: for a caller that clusters the same
   * links several times (the engine's constraint rounds), so that millions of links are sorted once. Or
   * `listed`: the links are listed strongest first already (`sortStrongestFirst`), and no array of their
   * indexes is made (148 MB at ten million records, at clustering's peak).
   */
  readonly order?: Int32Array | 'listed';
}

/** Links in columns: link k is (a[k], b[k]) of weight[k]. */
export interface LinkColumns {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly weight: Float64Array;
  readonly count: number;
}

/**
 * Puts the links in `strongestFirst`'s order, in place (ties keep their order), so that they can be
 * clustered as listed. The order is made and dropped here, before clustering makes its own arrays.
 */
export function sortStrongestFirst(links: LinkColumns): void {
  const { a, b, weight, count } = links;
  const order = strongestFirst({ count, a: (k) => a[k]!, b: (k) => b[k]!, weight: (k) => weight[k]! });
  // Position x takes the link at order[x], one cycle of the permutation at a time; a position done has its
  // entry flipped (~, below zero) so that each cycle is followed once.
  for (let x = 0; x < count; x++) {
    if (order[x]! < 0) continue;
    const firstA = a[x]!;
    const firstB = b[x]!;
    const firstWeight = weight[x]!;
    for (let to = x; ; ) {
      const from = order[to]!;
      order[to] = ~from;
      if (from === x) {
        a[to] = firstA;
        b[to] = firstB;
        weight[to] = firstWeight;
        break;
      }
      a[to] = a[from]!;
      b[to] = b[from]!;
      weight[to] = weight[from]!;
      to = from;
    }
  }
}

/**
 * Link indexes by weight, descending; ties in index order, so the result is deterministic. A radix sort on
 * the weights' bits (0 and -0 as one weight): for millions of links a comparison sort calls a comparator ~20
 * times per link. The links are first put in place into buckets of their keys' top 16 bits (an American flag
 * sort), then each bucket is sorted by the other 48 bits with a stable radix sort, from its indexes in order:
 * that one needs a second array, but only of the largest bucket's size. Sorting all the links so took a second
 * array of them all, 150 MB at ten million records on top of clustering's peak. Weights that are not all
 * numbers (NaN) go through the comparison sort, whose order they define.
 */
export function strongestFirst(links: LinkList): Int32Array {
  const n = links.count;
  for (let k = 0; k < n; k++) if (Number.isNaN(links.weight(k))) return comparisonSorted(links);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  // A weight's bits as two unsigned halves that order as the weights do, descending: a negative weight's
  // bits as they are, a positive one's with the sign bit set, all flipped. Read afresh for each pass rather
  // than kept (8 bytes a link).
  const bits = new Float64Array(1);
  const halves = new Uint32Array(bits.buffer);
  const [lo, hi] = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? [0, 1] : [1, 0];
  /** Link k's key: its high half. */
  const highHalf = (k: number): number => {
    const weight = links.weight(k);
    bits[0] = weight === 0 ? 0 : weight;
    const h = halves[hi]!;
    return (h >>> 31 === 1 ? h : ~(h | 0x8000_0000)) >>> 0;
  };
  /** Link k's key: its low half. */
  const lowHalf = (k: number): number => {
    const weight = links.weight(k);
    bits[0] = weight === 0 ? 0 : weight;
    return (halves[hi]! >>> 31 === 1 ? halves[lo]! : ~halves[lo]!) >>> 0;
  };
  const top = (k: number) => highHalf(k) >>> 16;

  // The buckets of the top 16 bits, in place: each link is swapped straight into its bucket.
  const head = new Int32Array(1 << 16);
  const tail = new Int32Array(1 << 16);
  for (let k = 0; k < n; k++) tail[top(k)]!++;
  let largest = 0;
  for (let d = 0, at = 0; d < 1 << 16; d++) {
    largest = Math.max(largest, tail[d]!);
    head[d] = at;
    at += tail[d]!;
    tail[d] = at;
  }
  for (let d = 0; d < 1 << 16; d++) {
    while (head[d]! < tail[d]!) {
      let k = order[head[d]!]!;
      let kd = top(k);
      while (kd !== d) {
        const swapped = order[head[kd]!]!;
        order[head[kd]!++] = k;
        k = swapped;
        kd = top(k);
      }
      order[head[d]!++] = k;
    }
  }

  // Each bucket by the other 48 bits, least significant digit first: 3 passes of 16-bit digits in a large
  // bucket, 6 of 8 bits in a smaller one, where clearing 65,536 counts would cost more than the pass. (A
  // digit never straddles the key's halves.)
  const scratch = new Int32Array(largest > SMALL_RUN ? largest : 0);
  const counts = new Int32Array(1 << 16);
  for (let d = 0, from = 0; d < 1 << 16; d++) {
    const to = tail[d]!;
    const m = to - from;
    if (m <= SMALL_RUN) {
      // Insertion sort: weight descending, then index.
      for (let x = from + 1; x < to; x++) {
        const k = order[x]!;
        const weight = links.weight(k);
        let y = x - 1;
        for (; y >= from; y--) {
          const other = order[y]!;
          const w = links.weight(other);
          if (w > weight || (w === weight && other < k)) break;
          order[y + 1] = other;
        }
        order[y + 1] = k;
      }
    } else {
      let run = order.subarray(from, to).sort(); // by index, the order ties keep
      let spare = scratch.subarray(0, m);
      const width = m >= 1 << 12 ? 16 : 8;
      const mask = (1 << width) - 1;
      for (let shift = 0; shift < 48; shift += width) {
        const half = shift >= 32 ? highHalf : lowHalf;
        const at = shift & 31;
        counts.fill(0, 0, mask + 1);
        for (let x = 0; x < m; x++) counts[(half(run[x]!) >>> at) & mask]!++;
        // All the run's links share this digit (equal weights do all of them): the pass would change nothing.
        if (counts[(half(run[0]!) >>> at) & mask] === m) continue;
        for (let v = 0, sum = 0; v <= mask; v++) {
          const c = counts[v]!;
          counts[v] = sum;
          sum += c;
        }
        for (let x = 0; x < m; x++) {
          const k = run[x]!;
          spare[counts[(half(k) >>> at) & mask]!++] = k;
        }
        [run, spare] = [spare, run];
      }
      // The passes made (a skipped one swaps nothing) may leave the sorted run in the scratch array.
      if (run.buffer !== order.buffer) order.set(run, from);
    }
    from = to;
  }
  return order;
}

/** Buckets this small are sorted by insertion rather than by radix passes. */
const SMALL_RUN = 32;

function comparisonSorted(links: LinkList): Int32Array {
  const weights = new Float64Array(links.count);
  for (let k = 0; k < links.count; k++) weights[k] = links.weight(k);
  const order = new Int32Array(links.count);
  for (let k = 0; k < links.count; k++) order[k] = k;
  return order.sort((x, y) => weights[y]! - weights[x]! || x - y);
}

/**
 * The connected components of the links and the `groups` (ClusterOptions) together, ignoring every
 * constraint: a label per record (one of the component's records), shared by the records of a component.
 * No clustering of these links puts records of two components in one cluster.
 */
export function linkComponents(n: number, links: LinkList, groups?: Int32Array): Int32Array {
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const join = (x: number, y: number) => {
    const rx = find(x);
    const ry = find(y);
    if (rx !== ry) parent[rx] = ry;
  };
  for (let k = 0; k < links.count; k++) join(links.a(k), links.b(k));
  if (groups) {
    const firstOfGroup = new Map<number, number>();
    groups.forEach((group, i) => {
      if (group < 0) return;
      const first = firstOfGroup.get(group);
      if (first === undefined) firstOfGroup.set(group, i);
      else join(first, i);
    });
  }
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) label[i] = find(i);
  return label;
}

/**
 * Cluster index per record (0..k-1, numbered in order of each cluster's lowest record index).
 * `idOf(i)` gives record i's reliable citizen ID, or null.
 */
export function clusterPairs(n: number, links: LinkList, idOf: (i: number) => string | null, options: ClusterOptions = {}): Int32Array {
  const compatible = options.compatible ?? withinOneEdit;
  const parent = new Int32Array(n);
  const rank = new Uint8Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  // Reliable IDs per root: the first in `firstId` (null: none), any other distinct ones in `moreIds` (rare:
  // most clusters have at most one). An array slot per record rather than a map entry and an array per
  // record with an ID: at ten million records those were millions of objects for the collector to trace.
  const firstId: (string | null)[] = new Array<string | null>(n);
  for (let i = 0; i < n; i++) firstId[i] = idOf(i);
  const moreIds = new Map<number, string[]>();
  /** The distinct reliable IDs of root r, first one first (an empty list for none). */
  const idsOf = (r: number): readonly string[] => {
    const first = firstId[r]!;
    if (first === null) return [];
    const more = moreIds.get(r);
    return more === undefined ? [first] : [first, ...more];
  };
  /** Whether the clusters of roots ra and rb hold two reliable IDs that cannot be one person's. */
  const incompatible = (ra: number, rb: number): boolean => {
    const a = firstId[ra]!;
    const b = firstId[rb]!;
    if (a === null || b === null) return false;
    if (!moreIds.has(ra) && !moreIds.has(rb)) return !compatible(a, b);
    const ib = idsOf(rb);
    return idsOf(ra).some((x) => ib.some((y) => !compatible(x, y)));
  };

  // Per root, the records its members must never share a cluster with (reviewers' "different people", and
  // hard-rule vetoes), each with its source: -1 for a reviewer's decision, else the index in keepApart.
  const forbidden = new Map<number, { other: number; source: number }[]>();
  const forbid = (x: number, y: number, source: number) => {
    let list = forbidden.get(x);
    if (!list) forbidden.set(x, (list = []));
    list.push({ other: y, source });
  };
  for (const [x, y] of options.cannotLink ?? []) {
    forbid(x, y, -1);
    forbid(y, x, -1);
  }
  (options.keepApart ?? []).forEach(([x, y], i) => {
    forbid(x, y, i);
    forbid(y, x, i);
  });
  /** The source of a constraint between the clusters of roots `root` and `other`, or undefined. */
  const forbids = (root: number, other: number): number | undefined => forbidden.get(root)?.find((f) => find(f.other) === other)?.source;

  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[x] !== root) {
      const next = parent[x]!;
      parent[x] = root;
      x = next;
    }
    return root;
  };

  const union = (ra: number, rb: number): number => {
    if (rank[ra]! < rank[rb]!) [ra, rb] = [rb, ra];
    parent[rb] = ra;
    if (rank[ra] === rank[rb]) rank[ra]!++;
    const fb = forbidden.get(rb);
    if (fb) {
      forbidden.delete(rb);
      const fa = forbidden.get(ra);
      if (fa) for (const f of fb) fa.push(f);
      else forbidden.set(ra, fb);
    }
    const b = firstId[rb]!;
    if (b !== null) {
      const moreB = moreIds.get(rb);
      if (firstId[ra] === null) {
        firstId[ra] = b;
        if (moreB !== undefined) moreIds.set(ra, moreB);
      } else if (moreB !== undefined || b !== firstId[ra]) {
        const ia = idsOf(ra);
        const added = idsOf(rb).filter((y) => !ia.includes(y));
        if (added.length > 0) moreIds.set(ra, [...(moreIds.get(ra) ?? []), ...added]);
      }
      firstId[rb] = null;
      if (moreB !== undefined) moreIds.delete(rb);
    }
    return ra;
  };

  if (options.groups) {
    const firstOfGroup = new Map<number, number>();
    options.groups.forEach((group, i) => {
      if (group < 0) return;
      const first = firstOfGroup.get(group);
      if (first === undefined) firstOfGroup.set(group, i);
      else {
        const ra = find(first);
        const rb = find(i);
        if (ra !== rb) union(ra, rb);
      }
    });
  }

  /** Link k, in its turn: joins its two clusters, or is refused, or (already together) nothing. */
  const take = (k: number): void => {
    const ra = find(links.a(k));
    const rb = find(links.b(k));
    if (ra === rb) return;
    if (incompatible(ra, rb)) {
      options.onRefused?.(k, 'citizen_ids');
      return;
    }
    const source = forbids(ra, rb) ?? forbids(rb, ra);
    if (source !== undefined) {
      if (source < 0) options.onRefused?.(k, 'decided_different');
      else options.onRefused?.(k, 'kept_apart', source);
      return;
    }
    options.onJoined?.(k);
    union(ra, rb);
  };
  const order = options.order ?? strongestFirst(links);
  if (order === 'listed') for (let k = 0; k < links.count; k++) take(k);
  else for (const k of order) take(k);

  const clusters = new Int32Array(n);
  const numberOf = new Int32Array(n).fill(-1);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const root = find(i);
    if (numberOf[root] === -1) numberOf[root] = next++;
    clusters[i] = numberOf[root]!;
  }
  return clusters;
}
