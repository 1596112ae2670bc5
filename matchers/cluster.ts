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

/** Why a link was refused: it would join two different reliable IDs, or two records decided different. */
export type RefusalReason = 'citizen_ids' | 'decided_different';

export interface ClusterOptions<L extends WeightedLink> {
  /** Whether two reliable IDs may belong to one person. Default: equal or one typing slip apart. */
  readonly compatible?: (x: string, y: string) => boolean;
  /** Called for each link that joined two clusters: together they form a spanning forest of the clusters. */
  readonly onJoined?: (link: L) => void;
  /** Called for each link that clustering refused, and why. */
  readonly onRefused?: (link: L, why: RefusalReason) => void;
  /** Pairs of records a person decided are different people: never in one cluster, even through others. */
  readonly cannotLink?: readonly (readonly [number, number])[];
}

/**
 * Cluster index per record (0..k-1, numbered in order of each cluster's lowest record index).
 * `idOf(i)` gives record i's reliable citizen ID, or null.
 */
export function clusterPairs<L extends WeightedLink>(
  n: number,
  links: readonly L[],
  idOf: (i: number) => string | null,
  options: ClusterOptions<L> = {},
): Int32Array {
  const compatible = options.compatible ?? withinOneEdit;
  const parent = new Int32Array(n);
  const rank = new Uint8Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  // Reliable IDs per root; absent for roots with none (most clusters have at most one distinct ID).
  const ids = new Map<number, string[]>();
  for (let i = 0; i < n; i++) {
    const id = idOf(i);
    if (id !== null) ids.set(i, [id]);
  }

  // Per root, the records its members must never share a cluster with (reviewers' "different people").
  const forbidden = new Map<number, number[]>();
  for (const [x, y] of options.cannotLink ?? []) {
    forbidden.set(x, [...(forbidden.get(x) ?? []), y]);
    forbidden.set(y, [...(forbidden.get(y) ?? []), x]);
  }
  const forbids = (root: number, other: number) => forbidden.get(root)?.some((r) => find(r) === other) ?? false;

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

  // Stable sort on weight, descending: ties keep input order, so the result is deterministic.
  const order = links.map((_, k) => k).sort((x, y) => links[y]!.weight - links[x]!.weight || x - y);
  for (const k of order) {
    const link = links[k]!;
    let ra = find(link.a);
    let rb = find(link.b);
    if (ra === rb) continue;
    const ia = ids.get(ra);
    const ib = ids.get(rb);
    if (ia && ib && ia.some((x) => ib.some((y) => !compatible(x, y)))) {
      options.onRefused?.(link, 'citizen_ids');
      continue;
    }
    if (forbids(ra, rb) || forbids(rb, ra)) {
      options.onRefused?.(link, 'decided_different');
      continue;
    }
    options.onJoined?.(link);
    if (rank[ra]! < rank[rb]!) [ra, rb] = [rb, ra];
    parent[rb] = ra;
    if (rank[ra] === rank[rb]) rank[ra]!++;
    const fb = forbidden.get(rb);
    if (fb) {
      forbidden.delete(rb);
      forbidden.set(ra, [...(forbidden.get(ra) ?? []), ...fb]);
    }
    if (ib) {
      ids.delete(rb);
      if (ia) {
        for (const y of ib) if (!ia.includes(y)) ia.push(y);
      } else ids.set(ra, ib);
    }
  }

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
