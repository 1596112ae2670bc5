import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { febrl, pairMetrics, syntheticVietnamese } from '../../scripts/eval-matchers.js';
import { linkRecords } from '../../matchers/engine.js';
import { record, cccd, type Person } from './helpers.js';

const DATASETS = path.resolve(import.meta.dirname, '../../../shared/datasets');

describe('linkRecords on FEBRL dataset1', () => {
  it('reaches pairwise F1 ≥ 0.95 with weights estimated from the data itself', () => {
    const data = febrl(['dataset1.csv'], DATASETS);
    expect(data.records).toHaveLength(1000);
    const result = linkRecords(data.records);
    const m = pairMetrics(result.clusters, data.truth);
    expect(m.truePairs).toBe(500);
    expect(m.f1).toBeGreaterThanOrEqual(0.95);
    expect(m.precision).toBeGreaterThanOrEqual(0.97);
    expect(result.stats.pairsCompared).toBeLessThan(5000);
    expect(result.model.lambda).toBeGreaterThan(0);
    expect(result.model.lambda).toBeLessThan(0.01);
  });
});

describe('linkRecords with reviewers\' decisions', () => {
  it('merges a pair decided the same, keeps apart a pair decided different, and drops both from review', () => {
    const data = febrl(['dataset1.csv'], DATASETS);
    const before = linkRecords(data.records);
    const linked = before.joined.at(0);
    const apart = { a: 0, b: data.records.length - 1 };
    expect(before.clusters[apart.a]).not.toBe(before.clusters[apart.b]);

    const after = linkRecords(data.records, { decisions: { same: [[apart.a, apart.b]], different: [[linked.a, linked.b]] } });
    expect(after.clusters[apart.a]).toBe(after.clusters[apart.b]);
    expect(after.clusters[linked.a]).not.toBe(after.clusters[linked.b]);
    const inReview = (x: number, y: number) => after.review.some((l) => (l.a === x && l.b === y) || (l.a === y && l.b === x));
    expect(inReview(linked.a, linked.b)).toBe(false);
    expect([...after.joined].some((l) => l.a === apart.a && l.b === apart.b && l.reason?.includes('reviewer'))).toBe(true);
    // A reviewer's "same person" is taken before any scored link (its weight is infinite).
    expect(after.joined.at(0)).toMatchObject({ a: apart.a, b: apart.b, weight: Number.POSITIVE_INFINITY });
  });
});

describe('linkRecords on Vietnamese records', () => {
  // Hand-made people appended to a synthetic background (EM needs a population to learn from).
  const background = syntheticVietnamese(1500, 5).records;
  const people: Person[] = [];
  const add = (p: Person) => people.push(p) - 1;
  const thuy = { birth: '1990-05-12', sex: 'female' as const, phone: '0912345678', commune: '09999', address: 'Thôn 3 xóm Bãi' };
  const thuyRows = [
    add({ ...thuy, name: 'Nguyễn Thị Thủy', id: cccd(1990, 'female', '123456') }),
    add({ ...thuy, name: 'Nguyen Thi Thuy', id: cccd(1990, 'female', '123456') }),
    add({ ...thuy, name: 'Nguyễn Thủy', id: null }),
    add({ ...thuy, name: 'Nguyễn Thị Thuỷ', birth: '1990', id: cccd(1990, 'female', '123456') }),
  ];
  const household = { phone: '0987654321', commune: '09998', address: 'Thôn 7 xóm Đình' };
  const parentId = cccd(1985, 'male', '654321');
  const parent = add({ ...household, name: 'Lê Văn Hùng', birth: '1985-01-02', sex: 'male', id: parentId });
  const child = add({ ...household, name: 'Lê Văn Nam', birth: '2016-07-08', sex: 'male', id: parentId });
  const child2 = add({ ...household, name: 'Lê Văn Nam', birth: '2016-07-08', sex: 'male', id: null });
  const twinA = add({ ...household, name: 'Lê Minh Anh', birth: '2019-03-04', sex: 'female', id: parentId });
  const twinB = add({ ...household, name: 'Lê Minh Châu', birth: '2019-03-04', sex: 'female', id: parentId });
  const twinA2 = add({ ...household, name: 'Le Minh Anh', birth: '2019-03-04', sex: 'female', id: null });
  // Same name, birth date and commune, different valid CCCDs: two people.
  const sameName = { name: 'Phạm Văn Đức', birth: '1970-10-10', sex: 'male' as const, commune: '09997' };
  const duc1 = add({ ...sameName, id: cccd(1970, 'male', '111111') });
  const duc2 = add({ ...sameName, id: cccd(1970, 'male', '222222') });

  const offset = background.length;
  const records = [...background, ...people.map((p, i) => record(offset + i, p))];
  const result = linkRecords(records);
  const cluster = (i: number) => result.clusters[offset + i];

  it('puts the variants of one person in one cluster', () => {
    for (const r of thuyRows) expect(cluster(r)).toBe(cluster(thuyRows[0]!));
    expect(cluster(child2)).toBe(cluster(child));
    expect(cluster(twinA2)).toBe(cluster(twinA));
  });

  it("keeps a parent and a child recorded under the parent's ID apart", () => {
    expect(cluster(child)).not.toBe(cluster(parent));
  });

  it('keeps twins apart', () => {
    expect(cluster(twinA)).not.toBe(cluster(twinB));
  });

  it('keeps two people with different valid CCCDs apart, and says why', () => {
    expect(cluster(duc1)).not.toBe(cluster(duc2));
    const link = result.vetoed.find((l) => l.a === offset + duc1 && l.b === offset + duc2);
    expect(link?.reason).toMatch(/two different citizen IDs/);
  });

  it('reports the stages and the model', () => {
    const s = result.stats;
    expect(s.records).toBe(records.length);
    expect(s.pairsCompared).toBeGreaterThan(0);
    expect(Object.keys(s.seconds)).toEqual(['prepare', 'blocking', 'compare', 'estimateU', 'estimateM', 'score', 'cluster', 'total']);
    expect(result.model.em.length).toBeGreaterThan(0);
    for (const l of result.joined) expect(l.probability).toBeGreaterThanOrEqual(0.95);
    expect(result.accepted).toBeGreaterThanOrEqual(result.joined.length);
    for (const l of result.review) expect(l.probability).toBeGreaterThanOrEqual(0.5);
  });

  it('takes the links strongest first: those that joined two clusters come in descending weight', () => {
    const weights = [...result.joined].map((l) => l.weight);
    expect(weights.length).toBeGreaterThan(1000);
    expect(weights.findIndex((w, k) => k > 0 && w > weights[k - 1]!)).toBe(-1);
  });

  it('links the synthetic background well', () => {
    const truth = syntheticVietnamese(1500, 5).truth;
    const m = pairMetrics(result.clusters.slice(0, offset), truth);
    expect(m.f1).toBeGreaterThan(0.95);
  });

  it('is deterministic', () => {
    const again = linkRecords(records);
    expect(Array.from(again.clusters)).toEqual(Array.from(result.clusters));
    expect(again.model.lambda).toBe(result.model.lambda);
  });

  it('gives the same links, review queue and model with its pairs in a file as in memory', () => {
    const spilled = linkRecords(records, { spill: { memoryBudget: 0 } });
    const inMemory = linkRecords(records, { spill: { memoryBudget: Infinity } });
    expect(result.stats.pairsCompared).toBeGreaterThan(1000);
    for (const run of [spilled, inMemory]) {
      expect(Array.from(run.clusters)).toEqual(Array.from(result.clusters));
      expect([...run.joined]).toEqual([...result.joined]);
      expect(run.review).toEqual(result.review);
      expect(run.vetoed).toEqual(result.vetoed);
      expect(run.model).toEqual(result.model);
    }
  });

  it('rejects thresholds in the wrong order', () => {
    expect(() => linkRecords(records.slice(0, 10), { acceptAbove: 0.5, reviewAbove: 0.9 })).toThrow(/reviewAbove/);
  });
});
