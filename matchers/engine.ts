/**
 * The matching engine end to end, the one function the pipeline calls:
 * prepare → block → compare → estimate u (random pairs) and m, λ (EM) → score → hard rules → cluster.
 *
 * Nothing here is fitted to a data set: weights are re-estimated from each input, and the only fixed
 * choices are the settings below, whose defaults are documented with their reasons.
 */
import { candidatePairs, DEFAULT_BLOCKING_RULES, type BlockingRule, type CandidatePairs } from './blocking.js';
import { clusterPairs, type RefusalReason } from './cluster.js';
import { DEFAULT_COMPARISONS, DEFAULT_CORRELATED, type Comparison } from './comparisons.js';
import { comparisonVectors, estimateU, probabilityOf, type EmOptions, type Model } from './model.js';
import { prepareRecords, type MatchRecord } from './record.js';
import { DEFAULT_HARD_RULES, reliableId, type HardRule } from './rules.js';
import { fitModel } from './training.js';

export interface LinkSettings {
  readonly comparisons?: readonly Comparison[];
  /** Groups of comparisons dependent among non-matches, given a joint u (default: phone, commune, address). */
  readonly correlated?: readonly (readonly string[])[];
  readonly blockingRules?: readonly BlockingRule[];
  readonly hardRules?: readonly HardRule[];
  /** Blocks larger than this are skipped with a warning. */
  readonly maxBlockSize?: number;
  /** Links at or above this match probability are accepted (merged) unless a hard rule forbids them. */
  readonly acceptAbove?: number;
  /** Links at or above this (and below acceptAbove) go to the review queue. */
  readonly reviewAbove?: number;
  /** Random pairs used to estimate u. */
  readonly uSamplePairs?: number;
  readonly seed?: number;
  readonly em?: EmOptions;
  /** What reviewers decided about pairs of records (by record id): these override the score. */
  readonly decisions?: ReviewDecisions;
}

/**
 * A reviewer's "same person" is merged whatever the score and the pair hard rules say (a person looked
 * at both records); clustering still refuses to join two different reliable citizen IDs. "Different
 * people" is kept apart, also through other records. Decided pairs leave the review queue.
 */
export interface ReviewDecisions {
  readonly same: readonly (readonly [number, number])[];
  readonly different: readonly (readonly [number, number])[];
}

/**
 * Defaults, and why:
 * - acceptAbove 0.95: a wrong merge hides a person's doses under someone else's record and is costly to
 *   find afterwards; a missed merge shows up as a duplicate a station can still fix. So automatic merges
 *   need 19:1 odds; the band below is for people.
 * - reviewAbove 0.5: a pair more likely the same person than not is worth a human look; below that, the
 *   queue would fill with noise.
 * - maxBlockSize 500: 124,750 pairs per block at most. A legitimate block of one person's rows, or of one
 *   name and birth date, is far smaller; blocks past this are placeholders (`01/01`, `000000000`).
 * - uSamplePairs 1,000,000: u of a 1-in-10⁴ level is then estimated from ~100 agreements.
 */
export const DEFAULT_SETTINGS = {
  acceptAbove: 0.95,
  reviewAbove: 0.5,
  maxBlockSize: 500,
  uSamplePairs: 1_000_000,
  seed: 20_240_601,
} as const;

export interface Link {
  /** Record ids, a < b. */
  readonly a: number;
  readonly b: number;
  readonly weight: number;
  readonly probability: number;
  /** Why the link was not accepted despite its score (hard rule or clustering conflict). */
  readonly reason?: string;
}

export interface LinkStats {
  readonly records: number;
  readonly pairsCompared: number;
  readonly blocks: number;
  readonly cappedBlocks: number;
  readonly blockingWarnings: readonly string[];
  readonly perRule: CandidatePairs['perRule'];
  readonly vetoed: number;
  readonly refusedByCluster: number;
  readonly seconds: {
    readonly prepare: number;
    readonly blocking: number;
    readonly compare: number;
    readonly estimateU: number;
    /** m by EM sessions, term frequencies, λ, and every candidate's weight. */
    readonly estimateM: number;
    /** Hard rules and thresholds. */
    readonly score: number;
    readonly cluster: number;
    readonly total: number;
  };
}

export interface LinkResult {
  /** Cluster (person) index per record. */
  readonly clusters: Int32Array;
  /** Links merged into clusters. */
  readonly accepted: readonly Link[];
  /**
   * The accepted links that joined two clusters, strongest first: a spanning forest of every person,
   * enough to explain each merge (the other accepted links only repeat what these already joined).
   */
  readonly joined: readonly Link[];
  /** Links for a person to decide: scored between reviewAbove and acceptAbove, or refused by clustering. */
  readonly review: readonly Link[];
  /** Links scored at or above reviewAbove that a hard rule forbids, with the rule's reason. */
  readonly vetoed: readonly Link[];
  readonly model: Model;
  readonly stats: LinkStats;
}

const REFUSAL_REASONS: Readonly<Record<RefusalReason, string>> = {
  citizen_ids: 'would put two different citizen IDs (CCCD) in one person',
  decided_different: 'would put two records a reviewer called different people in one person',
};

/** The match weight (bits) that corresponds to a match probability. */
function weightOf(probability: number): number {
  return Math.log2(probability / (1 - probability));
}

export function linkRecords(records: readonly MatchRecord[], settings: LinkSettings = {}): LinkResult {
  const comparisons = settings.comparisons ?? DEFAULT_COMPARISONS;
  const blockingRules = settings.blockingRules ?? DEFAULT_BLOCKING_RULES;
  const hardRules = settings.hardRules ?? DEFAULT_HARD_RULES;
  const acceptAbove = settings.acceptAbove ?? DEFAULT_SETTINGS.acceptAbove;
  const reviewAbove = settings.reviewAbove ?? DEFAULT_SETTINGS.reviewAbove;
  if (!(reviewAbove > 0 && reviewAbove <= acceptAbove && acceptAbove < 1)) {
    throw new Error(`need 0 < reviewAbove <= acceptAbove < 1, got ${reviewAbove} and ${acceptAbove}`);
  }
  const seconds = { prepare: 0, blocking: 0, compare: 0, estimateU: 0, estimateM: 0, score: 0, cluster: 0, total: 0 };
  const clock = () => performance.now() / 1000;
  const t0 = clock();
  let t = t0;
  const lap = (stage: Exclude<keyof typeof seconds, 'total'>) => {
    const now = clock();
    seconds[stage] = now - t;
    t = now;
  };

  const prepared = prepareRecords(records);
  lap('prepare');
  const pairs = candidatePairs(prepared, blockingRules, { maxBlockSize: settings.maxBlockSize ?? DEFAULT_SETTINGS.maxBlockSize });
  lap('blocking');
  const vectors = comparisonVectors(prepared, pairs, comparisons);
  lap('compare');
  const u = estimateU(prepared, comparisons, {
    samplePairs: settings.uSamplePairs ?? DEFAULT_SETTINGS.uSamplePairs,
    seed: settings.seed ?? DEFAULT_SETTINGS.seed,
    correlated: settings.correlated ?? DEFAULT_CORRELATED,
  });
  lap('estimateU');
  const { model, weights } = fitModel(prepared, pairs, vectors, comparisons, blockingRules, u, settings.em);
  lap('estimateM');

  const reviewWeight = weightOf(reviewAbove);
  const acceptWeight = weightOf(acceptAbove);
  const n = prepared.length;
  const pairKey = (x: number, y: number) => (x < y ? x * n + y : y * n + x);
  const decided = new Set<number>();
  for (const [x, y] of [...(settings.decisions?.same ?? []), ...(settings.decisions?.different ?? [])]) decided.add(pairKey(x, y));
  const candidates: Link[] = (settings.decisions?.same ?? []).map(([x, y]) => ({
    a: Math.min(x, y),
    b: Math.max(x, y),
    weight: Number.POSITIVE_INFINITY,
    probability: 1,
    reason: 'a reviewer decided: the same person',
  }));
  const review: Link[] = [];
  const vetoed: Link[] = [];
  for (let p = 0; p < pairs.count; p++) {
    const weight = weights[p]!;
    if (weight < reviewWeight) continue;
    const a = pairs.left[p]!;
    const b = pairs.right[p]!;
    if (decided.has(pairKey(a, b))) continue;
    const link = { a, b, weight, probability: probabilityOf(weight) };
    let reason: string | null = null;
    for (const rule of hardRules) {
      reason = rule.check(prepared[a]!, prepared[b]!);
      if (reason !== null) break;
    }
    if (reason !== null) vetoed.push({ ...link, reason });
    else if (weight >= acceptWeight) candidates.push(link);
    else review.push(link);
  }
  lap('score');

  const refused = new Map<Link, RefusalReason>();
  const joined: Link[] = [];
  const clusters = clusterPairs(prepared.length, candidates, (i) => reliableId(prepared[i]!), {
    onRefused: (link, why) => refused.set(link, why),
    onJoined: (link) => joined.push(link),
    cannotLink: settings.decisions?.different ?? [],
  });
  const accepted = candidates.filter((l) => !refused.has(l));
  for (const [l, why] of refused) {
    review.push({ ...l, reason: REFUSAL_REASONS[why] });
  }
  lap('cluster');
  seconds.total = clock() - t0;

  return {
    clusters,
    accepted,
    joined,
    review,
    vetoed,
    model,
    stats: {
      records: prepared.length,
      pairsCompared: pairs.count,
      blocks: pairs.blocks,
      cappedBlocks: pairs.cappedBlocks,
      blockingWarnings: pairs.warnings,
      perRule: pairs.perRule,
      vetoed: vetoed.length,
      refusedByCluster: refused.size,
      seconds,
    },
  };
}
