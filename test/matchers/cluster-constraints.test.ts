/**
 * Cluster-level constraints (issue 14): pairs are vetoed one by one, but links are transitive, so a person
 * could hold two vetoed records through a chain of others. The engine splits such a cluster at its weakest
 * link and sends the cut to review with the rule's reason.
 */
import { describe, expect, it } from 'vitest';
import { syntheticVietnamese } from '../../scripts/eval-matchers.js';
import { clusterPairs, linkList } from '../../matchers/cluster.js';
import { linkRecords } from '../../matchers/engine.js';
import { DEFAULT_HARD_RULES, type HardRule } from '../../matchers/rules.js';
import { cccd, record, type Person } from './helpers.js';

describe('clusterPairs with keepApart', () => {
  it('refuses the weakest link of a chain A–B–C whose ends are kept apart, naming the pair', () => {
    const refused: [number, string, number | undefined][] = [];
    const links = linkList([
      { a: 0, b: 1, weight: 12 },
      { a: 1, b: 2, weight: 7 },
    ]);
    const clusters = clusterPairs(3, links, () => null, { keepApart: [[0, 2]], onRefused: (k, why, pair) => refused.push([k, why, pair]) });
    expect(clusters[0]).toBe(clusters[1]);
    expect(clusters[2]).not.toBe(clusters[0]);
    expect(refused).toEqual([[1, 'kept_apart', 0]]);
    // the weaker end loses whichever side it is on
    const other = clusterPairs(3, linkList([{ a: 0, b: 1, weight: 3 }, { a: 1, b: 2, weight: 9 }]), () => null, { keepApart: [[0, 2]] });
    expect(other[1]).toBe(other[2]);
    expect(other[0]).not.toBe(other[1]);
    // without the constraint the chain is one cluster
    expect(new Set(clusterPairs(3, links, () => null)).size).toBe(1);
  });
});

describe('linkRecords: a chain A–B–C whose ends a hard rule vetoes', () => {
  const background = syntheticVietnamese(1500, 5).records;
  const offset = background.length;
  const person: Person = { name: 'Đặng Thị Hồng Nhung', birth: '1991-04-17', sex: 'female', phone: '0912000111', commune: '09990', address: 'Thôn 4 xóm Chùa' };
  const rows: Person[] = [
    { ...person, id: cccd(1991, 'female', '445566') }, // A
    { ...person, id: cccd(1991, 'female', '445566') }, // B: A's twin row, the stronger link
    { ...person, id: null, address: 'Thôn 9' }, // C: like B, without the ID: the weaker link
  ];
  const [A, B, C] = [offset, offset + 1, offset + 2];
  const records = [...background, ...rows.map((p, i) => record(offset + i, p))];
  // A rule that knows A and C are two people (as twins, a mother and child, two siblings would be).
  const apart: HardRule = { name: 'test_apart', check: (a, b) => ((a.id === A && b.id === C) || (a.id === C && b.id === A) ? 'test: A and C are two people' : null) };

  const plain = linkRecords(records);

  it('merges the chain when nothing forbids it', () => {
    expect(plain.clusters[A]).toBe(plain.clusters[B]);
    expect(plain.clusters[B]).toBe(plain.clusters[C]);
  });

  it('splits it at the weakest link, sends the cut to review with the reason, and never merges A and C', () => {
    const result = linkRecords(records, { hardRules: [...DEFAULT_HARD_RULES, apart] });
    expect(result.clusters[A]).toBe(result.clusters[B]);
    expect(result.clusters[C]).not.toBe(result.clusters[A]);
    expect(result.stats.keptApart).toBe(plain.stats.keptApart + 1);
    const cut = result.review.find((l) => (l.a === B && l.b === C) || (l.a === C && l.b === B));
    expect(cut?.reason).toMatch(/hard rule keeps apart.*test: A and C are two people/);
    // the direct pair is vetoed as before
    expect(result.vetoed.some((l) => l.a === A && l.b === C && l.reason === 'test: A and C are two people')).toBe(true);
    // and the rest of the run is unchanged: its clusters, and the links that joined or were refused there,
    // which the second round (clustering only the chain's component again) keeps from the first
    expect(Array.from(result.clusters.slice(0, offset))).toEqual(Array.from(plain.clusters.slice(0, offset)));
    const background = (links: readonly { a: number; b: number }[]) => links.filter((l) => l.a < offset && l.b < offset);
    expect(background([...result.joined])).toEqual(background([...plain.joined]));
    expect(background(result.review)).toEqual(background(plain.review));
    expect(background([...plain.joined]).length).toBeGreaterThan(0);
  });
});
