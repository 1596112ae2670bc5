import { describe, expect, it } from 'vitest';
import { always, defineComparison, DEFAULT_COMPARISONS, NULL_LEVEL, nameComparison, type Comparison } from '../../matchers/comparisons.js';
import { estimateM } from '../../matchers/em.js';
import { debiasU, estimateU } from '../../matchers/estimate-u.js';
import { estimateLambda } from '../../matchers/lambda.js';
import type { Model } from '../../matchers/model.js';
import { levelWeights, scorePair } from '../../matchers/predict.js';
import { buildTfTables, tfAdjustment } from '../../matchers/term-frequency.js';
import { seededRandom } from '../../src/base/random.js';
import type { ComparisonVectors } from '../../matchers/vectors.js';
import { record } from './helpers.js';

/** Comparisons used only through their level lists (vectors are simulated). */
const simulated = (name: string, levels: number): Comparison =>
  defineComparison(
    name,
    () => true,
    Array.from({ length: levels }, (_, l) => ({ key: `l${l}`, label: `level ${l}`, when: l === levels - 1 ? always : () => false })),
  );

function draw(probabilities: readonly number[], x: number): number {
  let acc = 0;
  for (let l = 0; l < probabilities.length; l++) {
    acc += probabilities[l]!;
    if (x < acc) return l;
  }
  return probabilities.length - 1;
}

describe('estimateM (EM with u fixed)', () => {
  const comparisons = [simulated('a', 3), simulated('b', 2), simulated('c', 4)];
  const trueM = [
    [0.8, 0.15, 0.05],
    [0.9, 0.1],
    [0.6, 0.25, 0.1, 0.05],
  ];
  const u = [
    [0.01, 0.09, 0.9],
    [0.3, 0.7],
    [0.02, 0.05, 0.13, 0.8],
  ];
  const lambda = 0.2;

  function simulate(pairs: number, seed: number, missing = 0): ComparisonVectors {
    const random = seededRandom(seed);
    const levels = new Int8Array(pairs * comparisons.length);
    for (let p = 0; p < pairs; p++) {
      const match = random() < lambda;
      for (let c = 0; c < comparisons.length; c++) {
        levels[p * comparisons.length + c] = random() < missing ? NULL_LEVEL : draw((match ? trueM : u)[c]!, random());
      }
    }
    return { levels, width: comparisons.length, count: pairs };
  }

  it('recovers known m and λ from simulated comparison vectors', () => {
    const result = estimateM(simulate(60_000, 1), comparisons, u);
    expect(result.converged).toBe(true);
    expect(result.lambda).toBeCloseTo(lambda, 1);
    expect(Math.abs(result.lambda - lambda)).toBeLessThan(0.01);
    result.m.forEach((levels, c) => levels.forEach((m, l) => expect(Math.abs(m - trueM[c]![l]!)).toBeLessThan(0.02)));
  });

  it('treats missing values as missing, not as a level', () => {
    const result = estimateM(simulate(60_000, 2, 0.3), comparisons, u);
    result.m.forEach((levels, c) => levels.forEach((m, l) => expect(Math.abs(m - trueM[c]![l]!)).toBeLessThan(0.03)));
  });

  it('keeps every m above zero, so no weight is infinite', () => {
    // Level 2 of comparison a never occurs.
    const vectors = simulate(5_000, 3);
    for (let p = 0; p < vectors.count; p++) if (vectors.levels[p * 3] === 2) vectors.levels[p * 3] = 1;
    const result = estimateM(vectors, comparisons, u);
    expect(result.m[0]![2]).toBeGreaterThan(0);
    const weights = levelWeights({ comparisons, m: result.m, u });
    for (const row of weights) for (const w of row) expect(Number.isFinite(w)).toBe(true);
  });

  it('is deterministic', () => {
    const v = simulate(10_000, 4);
    expect(estimateM(v, comparisons, u)).toEqual(estimateM(v, comparisons, u));
  });
});

describe('estimateU', () => {
  it('uses every pair of a small set, with smoothing', () => {
    const records = [
      record(0, { sex: 'male' }),
      record(1, { sex: 'male' }),
      record(2, { sex: 'female' }),
      record(3, { sex: 'female' }),
    ];
    const sex = DEFAULT_COMPARISONS.find((c) => c.name === 'sex')!;
    const { u, pairs } = estimateU(records, [sex], { samplePairs: 1000, seed: 1 });
    expect(pairs).toBe(6);
    expect(u[0]![0]).toBeCloseTo(2.5 / 7);
    expect(u[0]![1]).toBeCloseTo(4.5 / 7);
  });

  it('gives households a joint u for phone, commune and address, far above the product of the three', () => {
    // 500 households of 4: the three fields agree together or not at all.
    const records = Array.from({ length: 2000 }, (_, i) => {
      const h = Math.floor(i / 4);
      return record(i, { phone: `09${String(h).padStart(8, '0')}`, commune: `c${h}`, address: `thon ${h} xom ${h}` });
    });
    const comparisons = DEFAULT_COMPARISONS.filter((c) => ['phone', 'commune', 'address'].includes(c.name));
    const estimate = estimateU(records, comparisons, { samplePairs: 3_000_000, seed: 1, correlated: [['phone', 'commune', 'address']] });
    const g = estimate.joint[0]!;
    const allAgree = 1 * g.radix[0]! + 1 * g.radix[1]! + 1 * g.radix[2]!; // level 0 of each, slot 1
    const product = estimate.u[0]![0]! * estimate.u[1]![0]! * estimate.u[2]![0]!;
    expect(g.u[allAgree]).toBeGreaterThan(1000 * product);
    expect(g.u[allAgree]).toBeCloseTo(3 / 1999, 3);
  });
});

describe('term-frequency adjustment', () => {
  // 200 people named Nguyễn Văn Hùng, two named Tôn Thất Đạm, 300 others.
  const records = [
    ...Array.from({ length: 200 }, (_, i) => record(i, { name: 'Nguyễn Văn Hùng', birth: `${1950 + (i % 50)}-01-01` })),
    record(200, { name: 'Tôn Thất Đạm', birth: '1960-01-01' }),
    record(201, { name: 'Tôn Thất Đạm', birth: '1960-01-01' }),
    ...Array.from({ length: 300 }, (_, i) => record(202 + i, { name: `Lê Thị Hoa ${i}`, birth: '1970-01-01' })),
  ];
  const comparisons = [nameComparison];
  const model: Model = {
    comparisons,
    m: [[0.7, 0.1, 0.02, 0.05, 0.05, 0.02, 0.02, 0.02, 0.02]],
    u: [[0.001, 0.001, 0.0001, 0.0001, 0.001, 0.002, 0.001, 0.001, 0.993]],
    joint: [],
    lambda: 0.001,
    tf: buildTfTables(records),
    em: [],
  };

  it('weighs agreement on a common name less than on a rare one', () => {
    const common = scorePair(records[0]!, records[1]!, model);
    const rare = scorePair(records[200]!, records[201]!, model);
    expect(common.levels[0]!.level).toBe(0);
    expect(rare.levels[0]!.level).toBe(0);
    expect(common.weight).toBeLessThan(rare.weight);
    expect(common.levels[0]!.tfAdjustment).toBeLessThan(0);
    expect(rare.levels[0]!.tfAdjustment).toBeGreaterThan(0);
    expect(tfAdjustment(model.tf.name, 'nguyen van hung')).toBeLessThan(tfAdjustment(model.tf.name, 'ton that dam'));
  });

  it('prints a waterfall that adds up to the total', () => {
    const score = scorePair(records[200]!, records[201]!, model);
    const sum = score.prior + score.levels.reduce((s, l) => s + l.weight, 0);
    expect(score.weight).toBeCloseTo(sum, 10);
    expect(score.probability).toBeCloseTo(1 / (1 + 2 ** -score.weight), 12);
    expect(score.levels[0]).toMatchObject({ comparison: 'name', label: 'same name with diacritics' });
  });
});

describe('debiasU and estimateLambda', () => {
  it('removes the matches hidden among random pairs from u', () => {
    const comparisons = [simulated('a', 2)];
    const sampled = { u: [[0.01, 0.99]], joint: [], pairs: 1_000_000 };
    const m = [[0.9, 0.1]];
    const debiased = debiasU(sampled, comparisons, m, 0.005);
    // observed 0.01 = λ·0.9 + (1-λ)·u  ⇒  u ≈ 0.00553
    expect(debiased.u[0]![0]).toBeCloseTo((0.01 - 0.005 * 0.9) / 0.995 / ((0.01 - 0.0045) / 0.995 + (0.99 - 0.0005) / 0.995), 6);
    expect(debiased.u[0]![0]).toBeLessThan(0.01);
  });

  it('finds the share of matches over all pairs, not over the candidates', () => {
    // 10 certain matches and 90 certain non-matches among the candidates of 1,000 records.
    const evidence = Float64Array.from({ length: 100 }, (_, i) => (i < 10 ? 60 : -60));
    const lambda = estimateLambda(evidence, (1000 * 999) / 2);
    expect(lambda).toBeCloseTo(10 / ((1000 * 999) / 2), 8);
  });
});
