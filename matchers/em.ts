/**
 * m and λ by expectation–maximisation over comparison vectors with u held fixed (Splink's
 * expectation_maximisation). training.ts runs one session per blocking rule.
 */
import { NULL_LEVEL, type Comparison } from './comparisons.js';
import { asUModel, groupIndex, MIN_PROBABILITY, usableLevel, type Probabilities, type UModel } from './model.js';
import type { ComparisonVectors } from './vectors.js';

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
