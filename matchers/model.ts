/**
 * Fellegi–Sunter model: each comparison level has m = P(level | same person) and u = P(level | different
 * people); a pair's weight is log2(λ/(1-λ)) + Σ log2(m/u) and its match probability 2^w / (1 + 2^w).
 *
 * Estimation follows Splink:
 * - u from random pairs (nearly all of them non-matches), so it is the chance agreement of each level;
 * - m by expectation–maximisation with u held fixed (training.ts runs one session per blocking rule):
 *   holding u anchors the "different people" class to real chance agreement, so EM cannot swap classes;
 * - λ, the prior, over all pairs (estimateLambda);
 * - term-frequency adjustment at the levels where both records hold the same name: agreeing on
 *   `nguyen van hung` is weaker evidence than agreeing on a rare name. EM runs without it (as in Splink);
 *   the adjustment is added when scoring.
 *
 * One departure from plain Fellegi–Sunter: comparisons known to be dependent among *non-matches* form a
 * correlated group with a joint u. A family shares one phone, commune and address, so for two members
 * of one household the three agree together; multiplying their u's as if independent claims ~35 bits of
 * evidence where there are ~13, and siblings merge. The joint u of each sub-pattern is counted from the
 * same random pairs (exact marginals, never a product). m stays a product: for one person, a mistyped
 * phone says nothing about a changed address.
 *
 * Everything is deterministic given the seed: the sampler is a seeded PRNG and EM starts from fixed values.
 */
import { seededRandom } from '../src/base/random.js';
import { NULL_LEVEL, tfValue, type Comparison, type TfField } from './comparisons.js';
import { prepareRecord, type MatchRecord, type PreparedRecord } from './record.js';

/** Probabilities are kept away from 0 and 1 so that no log is infinite and EM can still move them. */
const MIN_PROBABILITY = 1e-6;

export type Probabilities = readonly (readonly number[])[];

/** Joint u of a group of comparisons that are dependent among non-matches. */
export interface JointU {
  /** Comparison indices, in the order the waterfall attributes the group's weight. */
  readonly members: readonly number[];
  /** Sub-pattern code = Σ slot_i · radix_i, slot 0 = member absent (null, neutral or ignored), l+1 = level l. */
  readonly radix: readonly number[];
  /** u of every sub-pattern, by code (code 0, nothing present: 1). */
  readonly u: Float64Array;
}

export interface UModel {
  /** Marginal u per comparison and level (1 for neutral levels). */
  readonly u: Probabilities;
  readonly joint: readonly JointU[];
}

export interface UEstimate extends UModel {
  /** Pairs actually compared (all pairs when there are fewer than `samplePairs`). */
  readonly pairs: number;
}

export interface UOptions {
  readonly samplePairs: number;
  readonly seed: number;
  /** Groups of comparison names with a joint u (names not among the comparisons are ignored). */
  readonly correlated?: readonly (readonly string[])[];
}

const usableLevel = (comparison: Comparison, level: number) => level !== NULL_LEVEL && !comparison.levels[level]!.neutral;

/**
 * u from random record pairs. With fewer than `samplePairs` pairs in total every pair is used, so small
 * sets get exact frequencies. Counts are smoothed (+0.5 per level or sub-pattern) so that a level never seen
 * among random pairs (two equal IDs) gets a small, finite u rather than an infinite weight.
 */
export function estimateU(records: readonly MatchRecord[], comparisons: readonly Comparison[], options: UOptions): UEstimate {
  const prepared = records.map((r) => prepareRecord(r));
  const n = prepared.length;
  const width = comparisons.length;
  const counts = comparisons.map((c) => new Float64Array(c.levels.length));
  const groups = (options.correlated ?? [])
    .map((names) => names.map((name) => comparisons.findIndex((c) => c.name === name)).filter((c) => c >= 0))
    .filter((members) => members.length >= 2);
  const radices = groups.map((members) => {
    const radix: number[] = [];
    let r = 1;
    for (const c of members) {
      radix.push(r);
      r *= comparisons[c]!.levels.length + 1;
    }
    return { radix, size: r };
  });
  const groupCounts = radices.map(({ size }) => new Float64Array(size));
  // Pairs in which each subset of a group's members is present, by subset bitmask.
  const subsetTotals = groups.map((members) => new Float64Array(1 << members.length));
  const row = new Int8Array(width);

  const count = (a: PreparedRecord, b: PreparedRecord) => {
    for (let c = 0; c < width; c++) {
      const level = comparisons[c]!.compare(a, b);
      row[c] = level;
      if (level !== NULL_LEVEL) counts[c]![level]!++;
    }
    for (let g = 0; g < groups.length; g++) {
      const members = groups[g]!;
      const { radix } = radices[g]!;
      let present = 0;
      for (let i = 0; i < members.length; i++) if (usableLevel(comparisons[members[i]!]!, row[members[i]!]!)) present |= 1 << i;
      // Every non-empty subset of the present members: exact marginal counts for every sub-pattern.
      for (let s = present; s > 0; s = (s - 1) & present) {
        let code = 0;
        for (let i = 0; i < members.length; i++) if (s & (1 << i)) code += (row[members[i]!]! + 1) * radix[i]!;
        groupCounts[g]![code]!++;
        subsetTotals[g]![s]!++;
      }
    }
  };

  let pairs = 0;
  const all = (n * (n - 1)) / 2;
  if (all <= options.samplePairs) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) count(prepared[i]!, prepared[j]!);
    pairs = all;
  } else {
    const random = seededRandom(options.seed);
    for (; pairs < options.samplePairs; pairs++) {
      const i = Math.floor(random() * n);
      let j = Math.floor(random() * (n - 1));
      if (j >= i) j++;
      count(prepared[i]!, prepared[j]!);
    }
  }

  const u = comparisons.map((comparison, c) => {
    const levels = comparison.levels;
    const raw = counts[c]!;
    let total = 0;
    let counted = 0;
    for (let l = 0; l < levels.length; l++) {
      if (levels[l]!.neutral) continue;
      total += raw[l]!;
      counted++;
    }
    return levels.map((level, l) => (level.neutral ? 1 : (raw[l]! + 0.5) / (total + 0.5 * counted)));
  });

  const joint = groups.map((members, g): JointU => {
    const { radix, size } = radices[g]!;
    const table = new Float64Array(size);
    const usableCount = members.map((c) => comparisons[c]!.levels.filter((l) => !l.neutral).length);
    for (let code = 0; code < size; code++) {
      let subset = 0;
      let cells = 1;
      let valid = true;
      for (let i = 0; i < members.length; i++) {
        const slot = Math.floor(code / radix[i]!) % (comparisons[members[i]!]!.levels.length + 1);
        if (slot === 0) continue;
        if (comparisons[members[i]!]!.levels[slot - 1]!.neutral) valid = false;
        subset |= 1 << i;
        cells *= usableCount[i]!;
      }
      table[code] = subset === 0 ? 1 : valid ? (groupCounts[g]![code]! + 0.5) / (subsetTotals[g]![subset]! + 0.5 * cells) : 1;
    }
    return { members, radix, u: table };
  });
  return { u, joint, pairs };
}

/**
 * Random pairs are *nearly* all non-matches: the share of levels among them is λ·m + (1−λ)·u. On a
 * small, heavily duplicated set (FEBRL: 1 pair in 1,000 is a match) the matches inflate u of the
 * agreeing levels several-fold, so once m and λ are known, u is solved from that identity. The floor is
 * the u of a level never seen in the sample. On large data λ is ~1e-6 and this changes nothing.
 */
export function debiasU(estimate: UEstimate, comparisons: readonly Comparison[], m: Probabilities, lambda: number): UEstimate {
  const floor = 0.5 / Math.max(estimate.pairs, 1);
  const solve = (observed: number, mProbability: number) => Math.max((observed - lambda * mProbability) / (1 - lambda), floor);
  const u = estimate.u.map((levels, c) => {
    const defs = comparisons[c]!.levels;
    const raw = levels.map((x, l) => (defs[l]!.neutral ? 1 : solve(x, m[c]![l]!)));
    const norm = raw.reduce((s, x, l) => s + (defs[l]!.neutral ? 0 : x), 0);
    return raw.map((x, l) => (defs[l]!.neutral ? 1 : x / norm));
  });
  const joint = estimate.joint.map((g): JointU => {
    const table = new Float64Array(g.u.length);
    for (let code = 0; code < g.u.length; code++) {
      let mJoint = 1;
      let present = false;
      for (let i = 0; i < g.members.length; i++) {
        const c = g.members[i]!;
        const slot = Math.floor(code / g.radix[i]!) % (comparisons[c]!.levels.length + 1);
        if (slot === 0) continue;
        present = true;
        mJoint *= m[c]![slot - 1]!;
      }
      table[code] = present ? solve(g.u[code]!, mJoint) : 1;
    }
    return { ...g, u: table };
  });
  return { u, joint, pairs: estimate.pairs };
}

/** Comparison vectors of the candidate pairs: row p holds the level of each comparison (NULL_LEVEL = -1). */
export interface ComparisonVectors {
  readonly levels: Int8Array;
  readonly width: number;
  readonly count: number;
  /** How many pairs each row stands for (compressed vectors); 1 each when absent. */
  readonly multiplicity?: Float64Array;
}

export function comparisonVectors(
  records: readonly PreparedRecord[],
  pairs: { readonly left: Int32Array; readonly right: Int32Array; readonly count: number },
  comparisons: readonly Comparison[],
): ComparisonVectors {
  const width = comparisons.length;
  const levels = new Int8Array(pairs.count * width);
  for (let p = 0; p < pairs.count; p++) {
    const a = records[pairs.left[p]!]!;
    const b = records[pairs.right[p]!]!;
    const row = p * width;
    for (let c = 0; c < width; c++) levels[row + c] = comparisons[c]!.compare(a, b);
  }
  return { levels, width, count: pairs.count };
}

/** A plain u table (no correlated groups) or a full UModel. */
function asUModel(u: Probabilities | UModel): UModel {
  return 'joint' in u ? u : { u, joint: [] };
}

/**
 * ln P(levels | non-match): independent comparisons multiply, each correlated group contributes the
 * joint u of the members present. `row[c]` is NULL_LEVEL where a comparison is missing or neutral.
 *
 * `ignored` comparisons (those an EM session's blocking rule conditions on) are left out, and a group
 * whose members are partly ignored contributes u(all present) / u(ignored present): the chance agreement
 * of the rest *given* what the rule forced. Among pairs sharing a commune and an address, a shared phone
 * is no longer a one-in-ten-thousand coincidence.
 */
function logNonMatch(
  row: ArrayLike<number>,
  comparisons: readonly Comparison[],
  model: UModel,
  groupOf: readonly number[],
  ignored: (c: number) => boolean = () => false,
): number {
  let lu = 0;
  for (let c = 0; c < comparisons.length; c++) {
    const level = row[c]!;
    if (level === NULL_LEVEL || groupOf[c]! >= 0 || ignored(c)) continue;
    lu += Math.log(Math.max(model.u[c]![level]!, MIN_PROBABILITY));
  }
  for (const g of model.joint) {
    let all = 0;
    let given = 0;
    for (let i = 0; i < g.members.length; i++) {
      const level = row[g.members[i]!]!;
      if (level === NULL_LEVEL) continue;
      all += (level + 1) * g.radix[i]!;
      if (ignored(g.members[i]!)) given += (level + 1) * g.radix[i]!;
    }
    if (all === given) continue;
    lu += Math.log(Math.max(g.u[all]!, MIN_PROBABILITY));
    if (given !== 0) lu -= Math.log(Math.max(g.u[given]!, MIN_PROBABILITY));
  }
  return lu;
}

/** Group index of each comparison, -1 when it is not in a correlated group. */
function groupIndex(width: number, model: UModel): number[] {
  const groupOf = new Array<number>(width).fill(-1);
  model.joint.forEach((g, k) => g.members.forEach((c) => (groupOf[c] = k)));
  return groupOf;
}

export interface MEstimate {
  /** m per comparison and level; for ignored comparisons, the starting (or fixed) values. */
  readonly m: Probabilities;
  /** Share of matches among the pairs EM saw (λ of that set, not of all pairs). */
  readonly lambda: number;
  /** Expected number of matches among the pairs EM saw. */
  readonly expectedMatches: number;
  /**
   * Per comparison: expected matches with a non-null level, i.e. how much evidence its m rests on
   * (0 when the comparison was ignored or always missing).
   */
  readonly support: readonly number[];
  readonly iterations: number;
  readonly converged: boolean;
}

export interface EmOptions {
  readonly maxIterations?: number;
  /** Stop when no m and not λ moves by more than this between iterations. */
  readonly tolerance?: number;
  readonly initialLambda?: number;
}

export interface EmSession extends EmOptions {
  /** Which pairs take part (default: all). */
  readonly include?: (pair: number) => boolean;
  /**
   * Comparisons left out entirely, like a missing value: those a blocking rule conditions on, whose
   * agreement among that rule's pairs is forced by construction rather than evidence of a match.
   */
  readonly ignore?: readonly boolean[];
  /** Comparisons whose m is known: used in the posterior, not re-estimated. */
  readonly fixedM?: readonly (readonly number[] | null)[];
}

/** Starting m: the strongest level most likely among matches, halving down the list, 10% on "different". */
export function initialM(comparison: Comparison): number[] {
  const levels = comparison.levels;
  const last = levels.length - 1;
  const m = levels.map((level, l) => (level.neutral ? 0 : l === last ? 0.1 : 0.5 ** l));
  const agreeing = m.slice(0, last).reduce((s, x) => s + x, 0);
  return m.map((x, l) => (levels[l]!.neutral ? 1 : l === last ? x : (0.9 * x) / agreeing));
}

/**
 * m and λ by EM over comparison vectors, u fixed. The vectors are first collapsed into distinct patterns
 * with counts (a few thousand at most, whatever the number of pairs), so each iteration is cheap, and
 * each pattern's non-match likelihood is computed once. Null, neutral and ignored comparisons take no
 * part: they are missing evidence, not a level.
 */
export function estimateM(
  vectors: ComparisonVectors,
  comparisons: readonly Comparison[],
  uModel: Probabilities | UModel,
  options: EmSession = {},
): MEstimate {
  const model = asUModel(uModel);
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.tolerance ?? 1e-6;
  const width = vectors.width;
  const ignored = (c: number) => options.ignore?.[c] === true;
  const fixed = (c: number) => options.fixedM?.[c] ?? null;
  const groupOf = groupIndex(width, model);

  // Collapse into patterns: code = Σ slot_c · radix_c with slot 0 = not taking part, slot l+1 = level l.
  const patternIndex = new Map<number, number>();
  const patternCounts: number[] = [];
  const patternRows: number[][] = [];
  const radix: number[] = [];
  let r = 1;
  for (const c of comparisons) {
    radix.push(r);
    r *= c.levels.length + 1;
  }
  // Ignored comparisons stay in the pattern (a correlated group is conditioned on their levels) but take
  // no part in the match likelihood.
  const usable = (c: number, level: number) => usableLevel(comparisons[c]!, level) && (!ignored(c) || groupOf[c]! >= 0);
  let total = 0;
  for (let p = 0; p < vectors.count; p++) {
    if (options.include && !options.include(p)) continue;
    const times = vectors.multiplicity ? vectors.multiplicity[p]! : 1;
    total += times;
    let code = 0;
    const base = p * width;
    for (let c = 0; c < width; c++) {
      const level = vectors.levels[base + c]!;
      if (usable(c, level)) code += (level + 1) * radix[c]!;
    }
    const known = patternIndex.get(code);
    if (known !== undefined) {
      patternCounts[known]! += times;
    } else {
      patternIndex.set(code, patternCounts.length);
      patternCounts.push(times);
      const row: number[] = [];
      for (let c = 0; c < width; c++) {
        const level = vectors.levels[base + c]!;
        row.push(usable(c, level) ? level : NULL_LEVEL);
      }
      patternRows.push(row);
    }
  }
  const patternLogU = patternRows.map((row) => logNonMatch(row, comparisons, model, groupOf, ignored));

  let m = comparisons.map((comparison, c) => fixed(c) ?? initialM(comparison));
  let lambda = options.initialLambda ?? 0.5;
  let iterations = 0;
  let converged = false;
  let expectedMatches = 0;
  let support = comparisons.map(() => 0);
  if (total === 0) return { m, lambda, expectedMatches, support, iterations, converged: true };

  while (iterations < maxIterations) {
    iterations++;
    const logM = m.map((levels) => levels.map((x) => Math.log(Math.max(x, MIN_PROBABILITY))));
    const sums = comparisons.map((c) => new Float64Array(c.levels.length));
    let matches = 0;
    for (let p = 0; p < patternRows.length; p++) {
      const row = patternRows[p]!;
      let lm = Math.log(lambda);
      for (let c = 0; c < width; c++) {
        const level = row[c]!;
        if (level !== NULL_LEVEL && !ignored(c)) lm += logM[c]![level]!;
      }
      // Posterior probability that this pattern is a match, computed stably.
      const posterior = 1 / (1 + Math.exp(Math.log(1 - lambda) + patternLogU[p]! - lm));
      const weight = posterior * patternCounts[p]!;
      matches += weight;
      for (let c = 0; c < width; c++) {
        const level = row[c]!;
        if (level !== NULL_LEVEL && !ignored(c)) sums[c]![level]! += weight;
      }
    }
    const nextLambda = Math.min(1 - MIN_PROBABILITY, Math.max(MIN_PROBABILITY, matches / total));
    const nextSupport = comparisons.map(() => 0);
    const next = comparisons.map((comparison, c) => {
      const levels = comparison.levels;
      const s = sums[c]!;
      let denominator = 0;
      for (let l = 0; l < levels.length; l++) if (!levels[l]!.neutral) denominator += s[l]!;
      nextSupport[c] = ignored(c) ? 0 : denominator;
      // Fixed, ignored, or null in every pair: nothing to learn, keep the current m.
      if (fixed(c) || ignored(c) || denominator === 0) return m[c]!;
      const raw = levels.map((level, l) => (level.neutral ? 0 : Math.max(s[l]! / denominator, MIN_PROBABILITY)));
      const norm = raw.reduce((x, y) => x + y, 0);
      return raw.map((x, l) => (levels[l]!.neutral ? 1 : x / norm));
    });
    let change = Math.abs(nextLambda - lambda);
    for (let c = 0; c < next.length; c++) {
      for (let l = 0; l < next[c]!.length; l++) change = Math.max(change, Math.abs(next[c]![l]! - m[c]![l]!));
    }
    m = next;
    lambda = nextLambda;
    expectedMatches = matches;
    support = nextSupport;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  return { m, lambda, expectedMatches, support, iterations, converged };
}

/**
 * The prior for scoring: the share of matches among *all* n(n-1)/2 pairs, not among the candidates.
 * u comes from random pairs, so the prior must be the random-pair one too; the candidates' own λ (near 1
 * when blocking is good) would add its odds to every candidate twice. Found as the fixed point of
 * λ = Σ posterior(candidate; λ) / all pairs, pairs outside the candidates counting as non-matches.
 * `evidence` holds each candidate's Σ level weights (TF included), in bits, without a prior.
 */
export function estimateLambda(evidence: Float64Array, totalPairs: number, maxIterations = 500): number {
  if (evidence.length === 0 || totalPairs <= 0) return MIN_PROBABILITY;
  // Histogram in 1/256-bit bins: millions of candidates become a few thousand (weight, count) pairs, and
  // the rounding moves a posterior by less than 0.3%.
  const binsPerBit = 256;
  const bins = new Map<number, number>();
  for (let p = 0; p < evidence.length; p++) {
    const bin = Math.round(evidence[p]! * binsPerBit);
    bins.set(bin, (bins.get(bin) ?? 0) + 1);
  }
  const weights = Float64Array.from(bins.keys(), (b) => b / binsPerBit);
  const counts = Float64Array.from(bins.values());
  let lambda = Math.min(0.5, evidence.length / totalPairs);
  for (let it = 0; it < maxIterations; it++) {
    const prior = priorWeight(lambda);
    let expected = 0;
    for (let k = 0; k < weights.length; k++) expected += counts[k]! * probabilityOf(weights[k]! + prior);
    const next = Math.min(1 - MIN_PROBABILITY, Math.max(1e-12, expected / totalPairs));
    const done = Math.abs(next - lambda) <= 1e-9 * lambda;
    lambda = next;
    if (done) break;
  }
  return lambda;
}

/** Frequencies of one field's values over the records, for the term-frequency adjustment. */
export interface TfTable {
  readonly counts: ReadonlyMap<string, number>;
  readonly total: number;
  /**
   * Σ f_v²: the chance that two random records agree on this field. A value as frequent as this gets no
   * adjustment; rarer values gain weight and commoner ones lose it.
   */
  readonly sumSquares: number;
}

export type TfTables = Readonly<Record<TfField, TfTable>>;

export function buildTfTable(values: Iterable<string | null>): TfTable {
  const counts = new Map<string, number>();
  let total = 0;
  for (const v of values) {
    if (v === null) continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    total++;
  }
  let sumSquares = 0;
  for (const c of counts.values()) sumSquares += (c / total) ** 2;
  return { counts, total, sumSquares };
}

export function buildTfTables(records: readonly MatchRecord[]): TfTables {
  const prepared = records.map((r) => prepareRecord(r));
  return {
    name: buildTfTable(prepared.map((r) => tfValue('name', r))),
    given: buildTfTable(prepared.map((r) => tfValue('given', r))),
  };
}

/**
 * Bits added to a TF level's weight when both records hold `value`:
 * log2(Σf² / f_value). Splink's adjustment, log2(u / tf), with u taken as the table's own chance
 * agreement so that it also applies to levels whose u includes other conditions (same given name *and*
 * a close family name). A value unseen in the table counts as seen once.
 */
export function tfAdjustment(table: TfTable, value: string): number {
  if (table.total === 0 || table.sumSquares === 0) return 0;
  const f = Math.max(table.counts.get(value) ?? 1, 1) / table.total;
  return Math.log2(table.sumSquares / f);
}

export interface EmReport {
  /** The blocking rule whose pairs the session used, or `all candidates` for the fallback. */
  readonly session: string;
  readonly pairs: number;
  readonly lambda: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Comparisons whose m this session estimated. */
  readonly estimated: readonly string[];
}

export interface Model extends UModel {
  readonly comparisons: readonly Comparison[];
  readonly m: Probabilities;
  /** Prior probability that two records drawn at random are the same person (estimateLambda). */
  readonly lambda: number;
  readonly tf: TfTables;
  /** How m was estimated: one line per EM session (see training.ts). */
  readonly em: readonly EmReport[];
}

/** What scoring needs: the model without its λ and EM report. */
export type Weights = Pick<Model, 'comparisons' | 'm' | 'u' | 'joint' | 'tf'>;

/**
 * log2(m/u) per level with the level's cap, neutral levels at 0, using the marginal u. For a comparison in
 * a correlated group this is its weight *alone*; in a pair the group's members share the joint u.
 */
export function levelWeights(model: Pick<Model, 'comparisons' | 'm' | 'u'>): number[][] {
  return model.comparisons.map((comparison, c) =>
    comparison.levels.map((level, l) => {
      if (level.neutral) return 0;
      const w = Math.log2(Math.max(model.m[c]![l]!, MIN_PROBABILITY) / Math.max(model.u[c]![l]!, MIN_PROBABILITY));
      return level.maxWeight === undefined ? w : Math.min(w, level.maxWeight);
    }),
  );
}

export function priorWeight(lambda: number): number {
  return Math.log2(lambda / (1 - lambda));
}

export function probabilityOf(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}

export interface LevelScore {
  readonly comparison: string;
  /** Level index, NULL_LEVEL when either side is missing. */
  readonly level: number;
  readonly label: string;
  /** Bits contributed, term-frequency adjustment included. */
  readonly weight: number;
  /** The part of `weight` due to the value's frequency (0 when the level has no TF table). */
  readonly tfAdjustment: number;
}

export interface PairScore {
  /** Total match weight in bits: prior + Σ level weights. */
  readonly weight: number;
  readonly probability: number;
  readonly prior: number;
  /** The waterfall: one line per comparison, in model order. */
  readonly levels: readonly LevelScore[];
}

/**
 * One pair's score with its waterfall. Inside a correlated group the joint weight is split by the chain
 * rule in member order: phone gets log2 m/u(phone), commune log2 m/(u(phone, commune) / u(phone)), …, so
 * the lines still add up to the total.
 */
export function scorePair(a: MatchRecord, b: MatchRecord, model: Model): PairScore {
  const pa = prepareRecord(a);
  const pb = prepareRecord(b);
  const weights = levelWeights(model);
  const groupOf = groupIndex(model.comparisons.length, model);
  const prior = priorWeight(model.lambda);
  const levels = model.comparisons.map((comparison) => comparison.compare(pa, pb));
  const groupWeight = new Map<number, number>();
  for (const g of model.joint) {
    let code = 0;
    let previous = 1;
    for (let i = 0; i < g.members.length; i++) {
      const c = g.members[i]!;
      const level = levels[c]!;
      if (!usableLevel(model.comparisons[c]!, level)) continue;
      code += (level + 1) * g.radix[i]!;
      const u = Math.max(g.u[code]!, MIN_PROBABILITY);
      groupWeight.set(c, Math.log2(Math.max(model.m[c]![level]!, MIN_PROBABILITY) / (u / previous)));
      previous = u;
    }
  }
  let total = prior;
  const lines = model.comparisons.map((comparison, c): LevelScore => {
    const level = levels[c]!;
    if (level === NULL_LEVEL) return { comparison: comparison.name, level, label: 'missing on one side', weight: 0, tfAdjustment: 0 };
    const def = comparison.levels[level]!;
    let tf = 0;
    if (def.tf) {
      const value = tfValue(def.tf, pa);
      if (value !== null) tf = tfAdjustment(model.tf[def.tf], value);
    }
    const base = groupOf[c]! >= 0 ? (groupWeight.get(c) ?? 0) : weights[c]![level]!;
    const weight = base + tf;
    total += weight;
    return { comparison: comparison.name, level, label: def.label, weight, tfAdjustment: tf };
  });
  return { weight: total, probability: probabilityOf(total), prior, levels: lines };
}

/**
 * Weights of many pairs at once from their comparison vectors (what the engine uses): the same arithmetic
 * as scorePair, with tables precomputed and each record's TF adjustment computed once. `lambda: null`
 * gives the evidence alone, without a prior (what estimateLambda needs).
 */
export function scoreVectors(
  records: readonly PreparedRecord[],
  pairs: { readonly left: Int32Array; readonly count: number },
  vectors: ComparisonVectors,
  model: Weights & { readonly lambda: number | null },
): Float64Array {
  const comparisons = model.comparisons;
  const width = vectors.width;
  const weights = levelWeights(model);
  const groupOf = groupIndex(width, model);
  // Members of a group add log2 m here; the group subtracts log2 u(joint) once per pair below.
  const logM = model.m.map((levels, c) =>
    levels.map((x, l) => (comparisons[c]!.levels[l]!.neutral ? 0 : Math.log2(Math.max(x, MIN_PROBABILITY)))),
  );
  const groupLogU = model.joint.map((g) => g.u.map((x) => Math.log2(Math.max(x, MIN_PROBABILITY))));
  const memberRadix = comparisons.map((_, c) => (groupOf[c]! >= 0 ? model.joint[groupOf[c]!]!.radix[model.joint[groupOf[c]!]!.members.indexOf(c)]! : 0));
  const codes = new Int32Array(model.joint.length);
  const prior = model.lambda === null ? 0 : priorWeight(model.lambda);
  const adjust: Partial<Record<TfField, Float64Array>> = {};
  const tfOf = (field: TfField): Float64Array => {
    let arr = adjust[field];
    if (!arr) {
      const table = model.tf[field];
      const memo = new Map<string, number>();
      arr = new Float64Array(records.length);
      for (let i = 0; i < records.length; i++) {
        const value = tfValue(field, records[i]!);
        if (value === null) continue;
        let x = memo.get(value);
        if (x === undefined) memo.set(value, (x = tfAdjustment(table, value)));
        arr[i] = x;
      }
      adjust[field] = arr;
    }
    return arr;
  };
  const tfLevels = comparisons.map((c) => c.levels.map((l) => (l.tf ? tfOf(l.tf) : null)));
  const neutral = comparisons.map((c) => c.levels.map((l) => l.neutral === true));
  const out = new Float64Array(pairs.count);
  for (let p = 0; p < pairs.count; p++) {
    let w = prior;
    const row = p * width;
    codes.fill(0);
    for (let c = 0; c < width; c++) {
      const level = vectors.levels[row + c]!;
      if (level === NULL_LEVEL) continue;
      const g = groupOf[c]!;
      if (g < 0) {
        w += weights[c]![level]!;
      } else if (!neutral[c]![level]) {
        w += logM[c]![level]!;
        codes[g]! += (level + 1) * memberRadix[c]!;
      }
      const tf = tfLevels[c]![level];
      if (tf) w += tf[pairs.left[p]!]!;
    }
    for (let g = 0; g < codes.length; g++) if (codes[g] !== 0) w -= groupLogU[g]![codes[g]!]!;
    out[p] = w;
  }
  return out;
}
