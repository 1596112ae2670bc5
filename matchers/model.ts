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
 *
 * This module holds what a model is; each step has its own module, as in Splink: estimate-u.ts (u from
 * random pairs), em.ts (m by expectation–maximisation), lambda.ts (the prior), term-frequency.ts, and
 * predict.ts (weights and probabilities of pairs). training.ts runs them in order.
 */
import { NULL_LEVEL, type Comparison } from './comparisons.js';
import type { TfTables } from './term-frequency.js';

/** Probabilities are kept away from 0 and 1 so that no log is infinite and EM can still move them. */
export const MIN_PROBABILITY = 1e-6;

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

/** A level that is evidence: present and not neutral. */
export const usableLevel = (comparison: Comparison, level: number) => level !== NULL_LEVEL && !comparison.levels[level]!.neutral;

/** A plain u table (no correlated groups) or a full UModel. */
export function asUModel(u: Probabilities | UModel): UModel {
  return 'joint' in u ? u : { u, joint: [] };
}

/** Group index of each comparison, -1 when it is not in a correlated group. */
export function groupIndex(width: number, model: UModel): number[] {
  const groupOf = new Array<number>(width).fill(-1);
  model.joint.forEach((g, k) => g.members.forEach((c) => (groupOf[c] = k)));
  return groupOf;
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

export function priorWeight(lambda: number): number {
  return Math.log2(lambda / (1 - lambda));
}

export function probabilityOf(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}
