import { describe, expect, it } from 'vitest';
import {
  addressComparison,
  always,
  birthDateComparison,
  citizenIdComparison,
  communeComparison,
  defineComparison,
  DEFAULT_COMPARISONS,
  DEFAULT_CORRELATED,
  nameComparison,
  NULL_LEVEL,
  phoneComparison,
  sexComparison,
  tfRecord,
  type Comparison,
} from '../../matchers/comparisons.js';
import { estimateU } from '../../matchers/estimate-u.js';
import { estimateLambda, lambdaOfHistogram, WeightHistogram } from '../../matchers/lambda.js';
import { MIN_PROBABILITY, groupIndex, priorWeight, type Weights } from '../../matchers/model.js';
import { levelWeights, PatternBuilder, scorePatterns, type PairPatterns } from '../../matchers/predict.js';
import { prepareRecords, RecordTableBuilder, type MatchRecord, type RecordList, type RecordTable } from '../../matchers/record.js';
import { buildTfTables, recordTfAdjustment } from '../../matchers/term-frequency.js';
import type { ComparisonVectors } from '../../matchers/vectors.js';
import { seededRandom } from '../../src/base/random.js';
import { record } from './helpers.js';

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Ngọc'];
const GIVEN = ['Hùng', 'Lan', 'An', 'Anh', 'Thủy', 'Nam', 'Hương'];

/** Records drawn from small pools, so that every level of every comparison occurs, with fields missing at times. */
function records(n: number, seed: number): MatchRecord[] {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const maybe = <T>(x: T): T | null => (random() < 0.15 ? null : x);
  return Array.from({ length: n }, (_, i) => {
    const words = random() < 0.1 ? [pick(GIVEN)] : [pick(FAMILY), ...(random() < 0.7 ? [pick(MIDDLE)] : []), ...(random() < 0.2 ? [pick(MIDDLE)] : []), pick(GIVEN)];
    const year = 1990 + Math.floor(random() * 3);
    const sex = random() < 0.5 ? 'male' : 'female';
    const r = record(i, {
      name: maybe(words.join(' ')),
      birth: maybe(random() < 0.2 ? String(year) : `${year}-0${1 + Math.floor(random() * 2)}-1${Math.floor(random() * 3)}`),
      sex: maybe(sex),
      id: maybe(random() < 0.5 ? `00119${year % 10}00012${Math.floor(random() * 3)}` : `01234567${Math.floor(random() * 3)}`),
      phone: maybe(`09000000${Math.floor(random() * 4)}`),
      commune: maybe(`c${Math.floor(random() * 3)}`),
      address: maybe(`thon ${Math.floor(random() * 3)} xom ${Math.floor(random() * 2)}`),
    });
    return { ...r, guardianKey: random() < 0.5 ? null : `${pick(FAMILY)} thi ${pick(GIVEN)}`.toLowerCase() };
  });
}

/** A table of `list` whose fields stop sharing their values after `maxShared` distinct ones. */
function tableOf(list: readonly MatchRecord[], maxShared: number): RecordTable {
  const builder = new RecordTableBuilder(list.length, maxShared);
  for (const r of list) builder.add(r);
  return builder.finish();
}

function allPairs(n: number) {
  const left: number[] = [];
  const right: number[] = [];
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      left.push(a);
      right.push(b);
    }
  }
  return { left: Int32Array.from(left), right: Int32Array.from(right), count: left.length };
}

/** A seeded m: positive, summing to 1 over each comparison's levels. */
function randomM(comparisons: readonly Comparison[], seed: number): number[][] {
  const random = seededRandom(seed);
  return comparisons.map((c) => {
    const raw = c.levels.map(() => random() ** 3);
    const sum = raw.reduce((s, x) => s + x, 0);
    return raw.map((x) => x / sum);
  });
}

/** Comparison with TF levels of both fields, one taken from the record with fewer words. */
const givenComparison = defineComparison('given', (a, b) => a.given === null || b.given === null, [
  { key: 'same', label: 'same given name', tf: 'given', when: (a, b) => a.given === b.given },
  { key: 'lone', label: 'one side a lone word', tf: 'name', tfFrom: 'fewerWords', when: (a, b) => a.tokens.length === 1 || b.tokens.length === 1 },
  { key: 'different', label: 'different', when: always },
]);

function expectSameBits(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  let differing = 0;
  for (let p = 0; p < expected.length; p++) if (!Object.is(actual[p], expected[p])) differing++;
  expect(differing).toBe(0);
}

/** Every pair's own comparison vector, a row each: the reference distinctVectors' patterns must give back. */
function comparisonVectors(
  records: RecordList,
  pairs: { readonly left: Int32Array; readonly right: Int32Array; readonly count: number },
  comparisons: readonly Comparison[],
): ComparisonVectors {
  const width = comparisons.length;
  const levels = new Int8Array(pairs.count * width);
  for (let p = 0; p < pairs.count; p++) {
    for (let c = 0; c < width; c++) levels[p * width + c] = comparisons[c]!.compare(records.at(pairs.left[p]!)!, records.at(pairs.right[p]!)!);
  }
  return { levels, width, count: pairs.count };
}

/**
 * The reference scorePatterns must equal bit for bit: each pair scored from its own comparison vector, as
 * the engine scored pairs before their vectors were held once each (scorePair's arithmetic: level weights,
 * or a group's members' log m less the group's joint log u, and each level's TF adjustment, in comparison order).
 */
function scoreVectors(
  records: RecordList,
  pairs: { readonly left: Int32Array; readonly right: Int32Array; readonly count: number },
  vectors: ComparisonVectors,
  model: Weights & { readonly lambda: number | null },
): Float64Array {
  const comparisons = model.comparisons;
  const width = vectors.width;
  const weights = levelWeights(model);
  const groupOf = groupIndex(width, model);
  const logM = model.m.map((levels, c) =>
    levels.map((x, l) => (comparisons[c]!.levels[l]!.neutral ? 0 : Math.log2(Math.max(x, MIN_PROBABILITY)))),
  );
  const groupLogU = model.joint.map((g) => g.u.map((x) => Math.log2(Math.max(x, MIN_PROBABILITY))));
  const memberRadix = comparisons.map((_, c) => (groupOf[c]! >= 0 ? model.joint[groupOf[c]!]!.radix[model.joint[groupOf[c]!]!.members.indexOf(c)]! : 0));
  const codes = new Int32Array(model.joint.length);
  const prior = model.lambda === null ? 0 : priorWeight(model.lambda);
  const out = new Float64Array(pairs.count);
  for (let p = 0; p < pairs.count; p++) {
    let w = prior;
    codes.fill(0);
    for (let c = 0; c < width; c++) {
      const level = vectors.levels[p * width + c]!;
      if (level === NULL_LEVEL) continue;
      const def = comparisons[c]!.levels[level]!;
      const g = groupOf[c]!;
      if (g < 0) w += weights[c]![level]!;
      else if (!def.neutral) {
        w += logM[c]![level]!;
        codes[g]! += (level + 1) * memberRadix[c]!;
      }
      if (def.tf) {
        const from = tfRecord(def, records.at(pairs.left[p]!)!, records.at(pairs.right[p]!)!);
        if (from) w += recordTfAdjustment(model.tf, def.tf, from) ?? 0;
      }
    }
    for (let g = 0; g < codes.length; g++) if (codes[g] !== 0) w -= groupLogU[g]![codes[g]!]!;
    out[p] = w;
  }
  return out;
}

describe('scorePatterns', () => {
  const settings: { name: string; comparisons: readonly Comparison[]; correlated: readonly (readonly string[])[] }[] = [
    { name: 'the default comparisons and group', comparisons: DEFAULT_COMPARISONS, correlated: DEFAULT_CORRELATED },
    {
      // TF levels on two comparisons, neither first; a group holding a neutral level (another ID system).
      name: 'TF on two comparisons, a neutral level in a group',
      comparisons: [birthDateComparison, citizenIdComparison, nameComparison, phoneComparison, givenComparison, communeComparison, addressComparison, sexComparison],
      correlated: [['citizen_id', 'phone', 'commune'], ['address', 'sex']],
    },
    // Levels multiplying beyond the direct table (codes in a Map) and beyond 2^53 (vectors as string keys).
    { name: 'a comparison set twice over (radix ~6e11)', comparisons: [...DEFAULT_COMPARISONS, ...DEFAULT_COMPARISONS], correlated: [] },
    { name: 'a comparison set three times over (radix ~5e17)', comparisons: [...DEFAULT_COMPARISONS, ...DEFAULT_COMPARISONS, ...DEFAULT_COMPARISONS], correlated: [] },
  ];
  for (const { name, comparisons, correlated } of settings) {
    it(`gives scoreVectors' weights bit for bit: ${name}`, () => {
      const prepared = prepareRecords(records(260, 7));
      const pairs = allPairs(prepared.length);
      const vectors = comparisonVectors(prepared, pairs, comparisons);
      const tf = buildTfTables(prepared);
      const u = estimateU(prepared, comparisons, { samplePairs: 20_000, seed: 3, correlated });
      // Chunks of uneven sizes, kept in memory or (no budget) in a file, as the link streams them.
      for (const memoryBudget of [Infinity, 0]) {
        const builder = new PatternBuilder(prepared, comparisons, tf, { memoryBudget });
        const patternOf = new Int32Array(pairs.count);
        for (let start = 0, size = 1; start < pairs.count; start += size, size = size * 3 + 7) {
          const end = Math.min(pairs.count, start + size);
          patternOf.set(builder.add(pairs.left.slice(start, end), pairs.right.slice(start, end), end - start).subarray(0, end - start), start);
        }
        const patterns = builder.finish();
        expect(patterns.pairs.spilled).toBe(memoryBudget === 0);
        // Each pair's pattern is its own vector, and equal vectors share a pattern.
        const width = comparisons.length;
        let wrong = 0;
        for (let p = 0; p < pairs.count; p++) {
          const q = patternOf[p]!;
          for (let c = 0; c < width; c++) if (patterns.levels[q * width + c] !== vectors.levels[p * width + c]) wrong++;
        }
        expect(wrong).toBe(0);
        expect(new Set(Array.from({ length: pairs.count }, (_, p) => vectors.levels.subarray(p * width, (p + 1) * width).join())).size).toBe(patterns.levels.length / width);
        for (const seed of [1, 2, 3]) {
          const m = randomM(comparisons, seed);
          for (const lambda of [null, 1e-5, 0.3]) {
            const expected = scoreVectors(prepared, pairs, vectors, { comparisons, m, u: u.u, joint: u.joint, tf, lambda });
            expectSameBits(allWeights(patterns, { comparisons, m, u: u.u, joint: u.joint, lambda }, pairs), expected);
          }
        }
        builder.close();
      }
    });
  }
});

describe('PatternBuilder', () => {
  it('gives each record the TF adjustments of its name when a name has several parts (past MAX_SHARED)', () => {
    // A builder that stops sharing after 3 distinct values: the pools' names come back as new parts, so a
    // name's adjustment is worked out under several parts, and must be the same adjustment each time.
    const list = records(200, 5);
    const shared = prepareRecords(list);
    const split = tableOf(list, 3);
    const comparisons = [nameComparison, givenComparison, birthDateComparison];
    const pairs = allPairs(list.length);
    const tf = buildTfTables(shared);
    const u = estimateU(shared, comparisons, { samplePairs: 5_000, seed: 3, correlated: [] });
    const model = { comparisons, m: randomM(comparisons, 4), u: u.u, joint: u.joint, lambda: null };
    const expected = scoreVectors(shared, pairs, comparisonVectors(shared, pairs, comparisons), { ...model, tf });
    const builder = new PatternBuilder(split, comparisons, tf);
    builder.add(pairs.left, pairs.right, pairs.count);
    const patterns = builder.finish();
    expectSameBits(allWeights(patterns, model, pairs), expected);
    builder.close();
  });
});

/** Every pair's weight from scorePatterns' chunks, checking each chunk holds the pairs in their order. */
function allWeights(patterns: PairPatterns, model: Parameters<typeof scorePatterns>[1], pairs: { left: Int32Array; right: Int32Array; count: number }): Float64Array {
  const out = new Float64Array(pairs.count);
  let at = 0;
  scorePatterns(patterns, model, (chunk, weights) => {
    for (let p = 0; p < chunk.count; p++) {
      expect(chunk.left[p]).toBe(pairs.left[at + p]);
      expect(chunk.right[p]).toBe(pairs.right[at + p]);
    }
    out.set(weights.subarray(0, chunk.count), at);
    at += chunk.count;
  });
  expect(at).toBe(pairs.count);
  return out;
}

/** estimateLambda as it was before its histogram was counted in an array: a Map of bins in first-seen order. */
function lambdaByMap(evidence: Float64Array, totalPairs: number): number {
  const bins = new Map<number, number>();
  for (let p = 0; p < evidence.length; p++) {
    const bin = Math.round(evidence[p]! * 256);
    bins.set(bin, (bins.get(bin) ?? 0) + 1);
  }
  return lambdaOfHistogram(Float64Array.from(bins.keys(), (b) => b / 256), Float64Array.from(bins.values()), evidence.length, totalPairs);
}

describe('estimateLambda', () => {
  it('sums its bins in the order the evidence first reaches them, as a Map of bins did', () => {
    const random = seededRandom(11);
    // Weights of candidates, many on the edges between bins and around 0 (-0 among them).
    const evidence = Float64Array.from({ length: 200_000 }, (_, i) => {
      const x = random();
      if (i % 5 === 0) return (Math.floor(x * 4000) - 2000 + 0.5) / 256;
      if (i % 7 === 0) return -x / 1024;
      return x < 0.9 ? -40 + 30 * random() : 10 + 40 * random();
    });
    for (const total of [1e6, 2e10]) expect(Object.is(estimateLambda(evidence, total), lambdaByMap(evidence, total))).toBe(true);
    // Bins too far apart for an array.
    const wide = Float64Array.from(evidence, (x, i) => (i === 0 ? 1e6 : x));
    expect(Object.is(estimateLambda(wide, 2e10), lambdaByMap(wide, 2e10))).toBe(true);
  });

  it('gives the same λ fed a chunk at a time, the span widening chunk by chunk or past an array in the middle', () => {
    const random = seededRandom(12);
    // Narrow first, then wider and wider (the array grows), then a bin too far (the rest in a Map), NaN last.
    const evidence = Float64Array.from({ length: 60_000 }, (_, i) => {
      const spread = i < 10_000 ? 1 : i < 30_000 ? 200 : 900;
      if (i === 45_000) return -2e6;
      if (i === 59_999) return Number.NaN;
      return (random() - 0.5) * spread;
    });
    for (const upTo of [30_000, 50_000, 59_999, 60_000]) {
      const part = evidence.slice(0, upTo);
      const histogram = new WeightHistogram();
      for (let start = 0, size = 1; start < part.length; start += size, size = size * 2 + 1) {
        const chunk = part.slice(start, start + size);
        histogram.add(chunk, chunk.length);
      }
      expect(histogram.total).toBe(upTo);
      expect(Object.is(histogram.lambda(1e9), lambdaByMap(part, 1e9))).toBe(true);
    }
  });
});
