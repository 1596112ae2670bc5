/**
 * The matching engine end to end, the one function the pipeline calls:
 * prepare → block → compare → estimate u (random pairs) and m, λ (EM) → score → hard rules → cluster.
 *
 * Nothing here is fitted to a data set: weights are re-estimated from each input, and the only fixed
 * choices are the settings below, whose defaults are documented with their reasons.
 */
import { collectGarbage } from '../src/base/collect-garbage.js';
import { stageClock, type LapListener } from '../src/base/stage-clock.js';
import { ColumnSpill, type SpillOptions } from '../src/base/column-spill.js';
import { blockPairs, DEFAULT_BLOCKING_RULES, type BlockingOptions, type BlockingRule, type BlockingSummary, type CandidatePairs, type PairChunk } from './blocking.js';
import { clusterPairs, linkComponents, sortStrongestFirst, type LinkColumns, type LinkList, type RefusalReason } from './cluster.js';
import { DEFAULT_COMPARISONS, DEFAULT_CORRELATED, type Comparison } from './comparisons.js';
import type { EmOptions } from './em.js';
import { estimateU } from './estimate-u.js';
import { priorWeight, probabilityOf, type Model } from './model.js';
import { PatternBuilder, scorePatterns } from './predict.js';
import { buildTfTables, type TfTables } from './term-frequency.js';
import { prepareRecords, type MatchRecords, type PreparedRecord, type RecordTable } from './record.js';
import { DEFAULT_HARD_RULES, DEFAULT_RECORD_RULES, reliableId, type HardRule, type RecordRules } from './rules.js';
import { fitModel, TrainingCounts } from './training.js';

export interface LinkSettings {
  /** At most four of them with TF levels (a pair's TF sides fit one byte: predict.ts, PairPatterns). */
  readonly comparisons?: readonly Comparison[];
  /** Groups of comparisons dependent among non-matches, given a joint u (default: phone, commune, address). */
  readonly correlated?: readonly (readonly string[])[];
  readonly blockingRules?: readonly BlockingRule[];
  readonly hardRules?: readonly HardRule[];
  /** Rules built per run from all the records (default: twins' pre-naming rows). */
  readonly recordRules?: readonly RecordRules[];
  /** Blocks larger than this are skipped with a warning. */
  readonly maxBlockSize?: number;
  /** Blocks larger than this (of rules with further keys) are compared only where a pair shares one (BlockingRule.narrowBy). */
  readonly splitBlockSize?: number;
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
  /**
   * Incremental linking (see IncrementalInput): score with an earlier run's model instead of fitting
   * one, compare only pairs touching a changed record, and start from the earlier run's people.
   */
  readonly incremental?: IncrementalInput;
  /** Called with the candidate pairs blocking proposes, a chunk at a time (for measuring blocking: pairs completeness). */
  readonly onCandidates?: (pairs: PairChunk) => void;
  /** Where the candidate pairs wait between stages past a memory budget (ColumnSpill): default TMPDIR, 64 MiB. */
  readonly spill?: SpillOptions;
  /** Hears each stage of the matcher as it ends (blocking, compare, …) with its seconds: progress for long runs. */
  readonly onStage?: LapListener;
}

/**
 * What an incremental run knows from the previous one. The model's m, u and λ are reused: a batch of a
 * few thousand new rows is too little to re-estimate them, and reusing them keeps scores comparable from
 * one night to the next. Term frequencies are recounted over all records, so a surname that the new
 * batch makes common weighs less at once. A full run (no `incremental`) re-estimates everything.
 */
export interface IncrementalInput {
  readonly model: Model;
  /** 1 for records new or reopened since the last run. */
  readonly changed: Uint8Array;
  /** The person (as a dense group number) of each unchanged record, -1 for changed ones. */
  readonly groups: Int32Array;
  /**
   * Term frequencies over all records, where the records given are only part of them (the blocks of the
   * changed ones): by default they are counted over the records given.
   */
  readonly tf?: TfTables;
  /** Block sizes over all records, where the records given are only part of them (BlockingOptions.blockSize). */
  readonly blockSize?: BlockingOptions['blockSize'];
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
 * - splitBlockSize 20: a block of a common name and birth year (or date, or commune) over 20 records is
 *   compared only where a pair also shares a commune, phone, ID or another part of the date (BlockingRule.narrowBy).
 *   Such blocks grow with the history while a person's rows do not, so whole they made the pairs grow with
 *   its square: on the generator's province 10.3 pairs a record at a million rows, 17.0 at three million;
 *   split, 8.3 and 10.0. On the million rows (240,000 people, seed 42) person F1 stayed 0.9981 (precision
 *   0.9994 → 0.9996, recall 0.9968 → 0.9965, pairs completeness 0.9960 → 0.9946); the public sets have no
 *   such blocks and did not change.
 * - uSamplePairs 1,000,000: u of a 1-in-10⁴ level is then estimated from ~100 agreements.
 */
export const DEFAULT_SETTINGS = {
  acceptAbove: 0.95,
  reviewAbove: 0.5,
  maxBlockSize: 500,
  splitBlockSize: 20,
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

const REVIEWER_SAME = 'a reviewer decided: the same person';

/**
 * The links that joined two clusters, in columns: a province's run joins millions (ten million records,
 * some 7.9 million links), and as Link objects they took ~160 bytes each, here 17. Read one with `at`, or
 * iterate.
 */
export class JoinedLinks implements Iterable<Link> {
  /** Record ids, a < b. */
  readonly a: Int32Array;
  readonly b: Int32Array;
  /** +∞ for a pair a reviewer decided is the same person. */
  readonly weight: Float64Array;
  /** 1 where a reviewer decided the pair is the same person. */
  readonly decided: Uint8Array;
  constructor(readonly length: number) {
    this.a = new Int32Array(length);
    this.b = new Int32Array(length);
    this.weight = new Float64Array(length);
    this.decided = new Uint8Array(length);
  }
  at(i: number): Link {
    if (!(Number.isInteger(i) && i >= 0 && i < this.length)) throw new RangeError(`JoinedLinks: no link ${i} of ${this.length}`);
    const a = this.a[i]!;
    const b = this.b[i]!;
    const weight = this.weight[i]!;
    return this.decided[i] === 1 ? { a, b, weight, probability: 1, reason: REVIEWER_SAME } : { a, b, weight, probability: probabilityOf(weight) };
  }
  *[Symbol.iterator](): Iterator<Link> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
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
  /** Pairs of records found in one cluster that a hard rule keeps apart, whose cluster was split. */
  readonly keptApart: number;
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
  /** How many links were accepted: scored at or above acceptAbove (or decided the same) and not refused. */
  readonly accepted: number;
  /**
   * The accepted links that joined two clusters, strongest first: a spanning forest of every person,
   * enough to explain each merge (the other accepted links only repeat what these already joined).
   */
  readonly joined: JoinedLinks;
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
  kept_apart: 'would put two records a hard rule keeps apart in one person',
};

/**
 * Clusters larger than this are not searched pair by pair for vetoed records (n² rule checks): a person has a
 * few dozen rows, so such a cluster is already wrong in ways a split at one pair would not repair.
 */
const MAX_CLUSTER_CHECKED = 2000;
/** Re-clustering rounds: each adds the vetoed pairs the previous clusters held (rarely more than one). */
const MAX_CONSTRAINT_ROUNDS = 4;

/** A link's outcome in clustering (engine rounds): not taken (its two records already together), joined, refused. */
const NO_OUTCOME = 0;
const JOINED = 1;
const REFUSED = 2;

/**
 * Clusters numbered as one clustering of everything numbers them (by each cluster's lowest record), from
 * `previous` where `again` is false and from `redone` where it is true.
 */
function mergeClusters(previous: Int32Array, redone: Int32Array, again: (i: number) => boolean): Int32Array {
  const n = previous.length;
  const merged = new Int32Array(n);
  const numberOfPrevious = new Int32Array(n).fill(-1);
  const numberOfRedone = new Int32Array(n).fill(-1);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const numbers = again(i) ? numberOfRedone : numberOfPrevious;
    const c = (again(i) ? redone : previous)[i]!;
    if (numbers[c] === -1) numbers[c] = next++;
    merged[i] = numbers[c]!;
  }
  return merged;
}

/** The indexes k < count for which `keep(k)`, ascending: the links of a later clustering round. */
function linksWhere(count: number, keep: (k: number) => boolean): Int32Array {
  let length = 0;
  for (let k = 0; k < count; k++) if (keep(k)) length++;
  const kept = new Int32Array(length);
  for (let k = 0, x = 0; k < count; k++) if (keep(k)) kept[x++] = k;
  return kept;
}

/** The match weight (bits) that corresponds to a match probability. */
function weightOf(probability: number): number {
  return Math.log2(probability / (1 - probability));
}

/**
 * Links in AcceptedLinks' first chunk; each next one holds twice as many, up to the last size. Past 2²³
 * links a chunk's columns (32 and 64 MiB) are each past glibc's largest threshold for mapping an allocation
 * apart, so that one collected is given back to the system at once; smaller ones come from the allocator's
 * arenas, which keep what is freed (chunks of a million links, 4 and 8 MiB, stayed in the RSS after they were
 * collected: at 10M clustering started at 2,666 MiB with them dead).
 */
const FIRST_ACCEPTED_CHUNK = 1 << 16;
const LAST_ACCEPTED_CHUNK = 1 << 23;

/**
 * The accepted links as scoring finds them (37.0 million at ten million records, 16 bytes each), filled in
 * chunks and copied out one column at a time into arrays of their count: arrays doubled as they filled, then
 * cut, held them up to three times over. Clustering reads the exact arrays: through the chunks it took 105 s
 * at 10M instead of 64. They are handed on strongest first (records a < b, and the weight).
 */
class AcceptedLinks {
  private as: Int32Array[] = [];
  private bs: Int32Array[] = [];
  private weights: Float64Array[] = [];
  /** The last chunk's columns (the lists' last), the links in it, and the links in the chunks before it. */
  private a = new Int32Array(0);
  private b = new Int32Array(0);
  private weight = new Float64Array(0);
  private filled = 0;
  private before = 0;
  push(a: number, b: number, weight: number): void {
    if (this.filled === this.a.length) this.grow();
    const i = this.filled++;
    this.a[i] = a;
    this.b[i] = b;
    this.weight[i] = weight;
  }
  private grow(): void {
    const size = this.a.length === 0 ? FIRST_ACCEPTED_CHUNK : Math.min(this.a.length * 2, LAST_ACCEPTED_CHUNK);
    this.before += this.filled;
    this.filled = 0;
    this.as.push((this.a = new Int32Array(size)));
    this.bs.push((this.b = new Int32Array(size)));
    this.weights.push((this.weight = new Float64Array(size)));
  }
  /** The links in arrays of their own, strongest first; the chunks are let go column by column. */
  finish(): LinkColumns {
    const count = this.before + this.filled;
    const column = <A extends Int32Array | Float64Array>(chunks: A[], out: A): A => {
      let at = 0;
      for (const chunk of chunks) {
        const length = Math.min(chunk.length, count - at);
        out.set(chunk.subarray(0, length), at);
        at += length;
      }
      return out;
    };
    // Each column's chunks are collected before the next column is made (collectGarbage): otherwise all the
    // chunks outlive the copy, 16 bytes a link on top of the columns.
    const a = column(this.as, new Int32Array(count));
    this.as = [];
    this.a = new Int32Array(0);
    collectGarbage();
    const b = column(this.bs, new Int32Array(count));
    this.bs = [];
    this.b = new Int32Array(0);
    collectGarbage();
    const weight = column(this.weights, new Float64Array(count));
    this.weights = [];
    this.weight = new Float64Array(0);
    this.before = 0;
    this.filled = 0;
    collectGarbage();
    const links = { a, b, weight, count };
    sortStrongestFirst(links);
    collectGarbage(); // the order it sorted by, before clustering makes its arrays
    return links;
  }
}

/** What scoring the candidates leaves for clustering: the candidate pairs themselves are dropped. */
interface ScoredCandidates {
  readonly accepted: LinkColumns;
  readonly review: Link[];
  readonly vetoed: Link[];
  readonly model: Model;
  readonly blocking: BlockingSummary;
}

/**
 * Blocking, comparison vectors, the model (fitted, or an incremental run's own) and every candidate's
 * weight, then the pairs sorted into accepted, for review and vetoed by the thresholds and hard rules
 * (pairs `decided` by a reviewer are left out). The candidates are the largest data of a run (some 150
 * million pairs at ten million records) and are only ever read front to back: blocking hands them on a
 * chunk at a time into a ColumnSpill, comparing reads them back into another with their vectors, and each
 * fit and the scoring read those a chunk at a time. Only the accepted links stay for clustering.
 */
function scoredCandidates(
  prepared: RecordTable,
  settings: LinkSettings,
  thresholds: { readonly acceptAbove: number; readonly reviewAbove: number },
  hardRules: readonly HardRule[],
  decided: (a: number, b: number) => boolean,
  lap: (stage: 'blocking' | 'compare' | 'estimateU' | 'estimateM' | 'score') => void,
): ScoredCandidates {
  const comparisons = settings.comparisons ?? DEFAULT_COMPARISONS;
  const blockingRules = settings.blockingRules ?? DEFAULT_BLOCKING_RULES;
  const incremental = settings.incremental;
  const blocked = new ColumnSpill(['int32', 'int32', 'uint32'] as const, settings.spill);
  let builder: PatternBuilder | null = null;
  try {
    // Term frequencies and each record's TF adjustments before blocking (PatternBuilder says why): their
    // time counts in blocking's.
    const tf = incremental?.tf ?? buildTfTables(prepared);
    builder = new PatternBuilder(prepared, comparisons, tf, settings.spill);
    const blocking = blockPairs(
      prepared,
      blockingRules,
      {
        maxBlockSize: settings.maxBlockSize ?? DEFAULT_SETTINGS.maxBlockSize,
        splitBlockSize: settings.splitBlockSize ?? DEFAULT_SETTINGS.splitBlockSize,
        ...(incremental ? { changed: incremental.changed } : {}),
        ...(incremental?.blockSize ? { blockSize: incremental.blockSize } : {}),
      },
      (chunk) => {
        settings.onCandidates?.(chunk);
        blocked.append([chunk.left, chunk.right, chunk.agree], chunk.count);
      },
    );
    lap('blocking');
    // The pairs' rule bits are read once, into the training counts (an incremental run trains nothing).
    const counts = incremental ? null : new TrainingCounts();
    blocked.forEachChunk(([left, right, agree], count) => {
      const patternOf = builder!.add(left, right, count);
      if (counts) for (let p = 0; p < count; p++) counts.add(patternOf[p]!, agree[p]!);
    });
    blocked.close();
    const patterns = builder.finish();
    lap('compare');
    let model: Model;
    if (incremental) model = { ...incremental.model, tf };
    else {
      const u = estimateU(prepared, comparisons, {
        samplePairs: settings.uSamplePairs ?? DEFAULT_SETTINGS.uSamplePairs,
        seed: settings.seed ?? DEFAULT_SETTINGS.seed,
        correlated: settings.correlated ?? DEFAULT_CORRELATED,
      });
      lap('estimateU');
      model = fitModel(prepared, patterns, tf, counts!.compressed(patterns.levels, patterns.width), comparisons, blockingRules, u, settings.em);
    }
    lap('estimateM');

    const reviewWeight = weightOf(thresholds.reviewAbove);
    const acceptWeight = weightOf(thresholds.acceptAbove);
    const accepted = new AcceptedLinks();
    const review: Link[] = [];
    const vetoed: Link[] = [];
    // A fitted model's weights are its evidence with the prior added last, as fitting sums them; an
    // incremental run's model scores with its prior first, as it always has (scorePair's order).
    const prior = incremental ? 0 : priorWeight(model.lambda);
    scorePatterns(patterns, incremental ? model : { ...model, lambda: null }, ({ left, right, count }, weights) => {
      for (let p = 0; p < count; p++) {
        const weight = incremental ? weights[p]! : weights[p]! + prior;
        // Written so that a weight that is not a number (a broken model: the probabilities are floored, so
        // none is expected) is neither accepted nor reviewed: accepted, it would merge people on nothing.
        if (!(weight >= reviewWeight)) continue;
        const a = left[p]!;
        const b = right[p]!;
        if (decided(a, b)) continue;
        let reason: string | null = null;
        let outcome: HardRule['outcome'];
        const ra = prepared.at(a)!;
        const rb = prepared.at(b)!;
        for (const rule of hardRules) {
          reason = rule.check(ra, rb);
          if (reason !== null) {
            outcome = rule.outcome;
            break;
          }
        }
        if (reason !== null) (outcome === 'review' ? review : vetoed).push({ a, b, weight, probability: probabilityOf(weight), reason });
        else if (weight < acceptWeight) review.push({ a, b, weight, probability: probabilityOf(weight) });
        else accepted.push(a, b, weight);
      }
    });
    lap('score');
    return { accepted: accepted.finish(), review, vetoed, model, blocking };
  } finally {
    blocked.close();
    builder?.close();
  }
}

export function linkRecords(records: MatchRecords, settings: LinkSettings = {}): LinkResult {
  const staticRules = settings.hardRules ?? DEFAULT_HARD_RULES;
  const acceptAbove = settings.acceptAbove ?? DEFAULT_SETTINGS.acceptAbove;
  const reviewAbove = settings.reviewAbove ?? DEFAULT_SETTINGS.reviewAbove;
  if (!(reviewAbove > 0 && reviewAbove <= acceptAbove && acceptAbove < 1)) {
    throw new Error(`need 0 < reviewAbove <= acceptAbove < 1, got ${reviewAbove} and ${acceptAbove}`);
  }
  const clock = stageClock(['prepare', 'blocking', 'compare', 'estimateU', 'estimateM', 'score', 'cluster'] as const, settings.onStage);
  const lap = clock.lap;

  const prepared = prepareRecords(records);
  const hardRules: readonly HardRule[] = [...staticRules, ...(settings.recordRules ?? DEFAULT_RECORD_RULES).flatMap((build) => build(prepared))];
  lap('prepare');
  const incremental = settings.incremental;
  const n = prepared.length;
  const pairKey = (x: number, y: number) => (x < y ? x * n + y : y * n + x);
  const decided = new Set<number>();
  for (const [x, y] of [...(settings.decisions?.same ?? []), ...(settings.decisions?.different ?? [])]) decided.add(pairKey(x, y));
  const { accepted, review, vetoed, model, blocking } = scoredCandidates(prepared, settings, { acceptAbove, reviewAbove }, hardRules, (a, b) => decided.has(pairKey(a, b)), lap);
  // Links to merge: the reviewers' "same person" pairs first, then the accepted pairs.
  const same = (settings.decisions?.same ?? []).map(([x, y]) => [Math.min(x, y), Math.max(x, y)] as const);

  // Listed strongest first: the reviewers' links are of infinite weight and come first (ties keep their
  // order), then the accepted ones, sorted (AcceptedLinks.finish).
  const S = same.length;
  const links: LinkList = {
    count: S + accepted.count,
    a: (k) => (k < S ? same[k]![0] : accepted.a[k - S]!),
    b: (k) => (k < S ? same[k]![1] : accepted.b[k - S]!),
    weight: (k) => (k < S ? Number.POSITIVE_INFINITY : accepted.weight[k - S]!),
  };
  const linkAt = (k: number): Link => {
    if (k < S) return { a: same[k]![0], b: same[k]![1], weight: Number.POSITIVE_INFINITY, probability: 1, reason: REVIEWER_SAME };
    const weight = accepted.weight[k - S]!;
    return { a: accepted.a[k - S]!, b: accepted.b[k - S]!, weight, probability: probabilityOf(weight) };
  };
  // Cluster-level constraints: pairs are vetoed one by one above, but links are transitive, so a person can
  // still hold two vetoed records through a chain of others (A–B–C with A, C twins). Each round clusters
  // with the vetoed pairs found so far kept apart (the weakest link completing such a chain is refused and
  // goes to review with the rule's reason), then looks inside the new clusters for more.
  //
  // Records linked by no chain of links (nor an earlier run's person) never meet in a cluster, so clustering
  // is independent from one such component to the next: a later round clusters again only the components
  // where the round before found new pairs to keep apart, and keeps every other component's clusters and
  // links' outcomes (at a million records, a few dozen components instead of the whole run again).
  const keepApart: [number, number][] = [];
  const keepReasons: string[] = [];
  const kept = new Set<number>();
  const componentOf = linkComponents(n, links, incremental?.groups);
  // Each link's outcome in its component's last clustering, and the reason of each refused one.
  const outcome = new Uint8Array(links.count);
  const refusalOf = new Map<number, string>();
  let clusters: Int32Array = new Int32Array(0);
  // Components to cluster this round (by componentOf), null for all of them.
  let again: Uint8Array | null = null;
  for (let round = 0; ; round++) {
    const redo = again;
    // The round before left its clustering's arrays and the search's dead (~300 MB at ten million records):
    // collected now, before this round makes them again, or the second round is clustering's peak.
    if (redo !== null) collectGarbage();
    const inRound = (i: number) => redo === null || redo[componentOf[i]!] === 1;
    const roundOrder = redo === null ? 'listed' : linksWhere(links.count, (k) => inRound(links.a(k)));
    if (roundOrder !== 'listed') {
      for (const k of roundOrder) {
        outcome[k] = NO_OUTCOME;
        refusalOf.delete(k);
      }
    }
    const roundClusters = clusterPairs(n, links, (i) => (inRound(i) ? reliableId(prepared.at(i)!) : null), {
      onRefused: (k, why, pair) => {
        outcome[k] = REFUSED;
        refusalOf.set(k, why === 'kept_apart' && pair !== undefined ? `${REFUSAL_REASONS[why]}: ${keepReasons[pair]}` : REFUSAL_REASONS[why]);
      },
      onJoined: (k) => (outcome[k] = JOINED),
      cannotLink: settings.decisions?.different ?? [],
      keepApart,
      order: roundOrder,
      ...(incremental ? { groups: incremental.groups } : {}),
    });
    clusters = redo === null ? roundClusters : mergeClusters(clusters, roundClusters, inRound);
    if (round === MAX_CONSTRAINT_ROUNDS) break;
    let found = 0;
    again = new Uint8Array(n);
    // The clusters of the other components are those of the round before, already searched.
    forEachVetoedPairInClusters(clusters, inRound, (a, b, reason) => {
      const key = pairKey(a, b);
      if (kept.has(key) || decided.has(key)) return;
      kept.add(key);
      keepApart.push([a, b]);
      keepReasons.push(reason);
      again![componentOf[a]!] = 1;
      found++;
    });
    if (found === 0) break;
  }
  // The links' outcomes in the order clustering took them, as one clustering of everything reports them.
  let joinedCount = 0;
  for (let k = 0; k < links.count; k++) if (outcome[k] === JOINED) joinedCount++;
  const joined = new JoinedLinks(joinedCount);
  const refused: Link[] = [];
  let j = 0;
  for (let k = 0; k < links.count; k++) {
    if (outcome[k] === JOINED) {
      joined.a[j] = links.a(k);
      joined.b[j] = links.b(k);
      joined.weight[j] = links.weight(k);
      joined.decided[j++] = k < S ? 1 : 0;
    } else if (outcome[k] === REFUSED) refused.push({ ...linkAt(k), reason: refusalOf.get(k)! });
  }
  const refusedCount = refused.length;
  for (const link of refused) review.push(link);
  lap('cluster');

  /** Calls `found` for every pair of records of one cluster that a hard rule (of either outcome) holds. */
  function forEachVetoedPairInClusters(of: Int32Array, searched: (i: number) => boolean, found: (a: number, b: number, reason: string) => void): void {
    // The searched records by cluster, ascending within each (a counting sort into typed arrays: a map of
    // arrays was an object per cluster, millions at province scale). Clusters are searched in the order of
    // their second record, as a map filled record by record would list them.
    const start = new Int32Array(of.length + 1);
    for (let i = 0; i < of.length; i++) if (searched(i)) start[of[i]! + 1]!++;
    for (let c = 0; c < of.length; c++) start[c + 1]! += start[c]!;
    const fill = start.slice(0, of.length);
    const members = new Int32Array(start[of.length]!);
    for (let i = 0; i < of.length; i++) if (searched(i)) members[fill[of[i]!]!++] = i;
    for (let i = 0; i < of.length; i++) {
      const c = of[i]!;
      const s = start[c]!;
      const size = start[c + 1]! - s;
      if (size < 2 || members[s + 1] !== i || size > MAX_CLUSTER_CHECKED) continue;
      const list = members.subarray(s, s + size);
      let cluster: PreparedRecord[] | null = null;
      for (let x = 0; x < list.length; x++) {
        for (let y = x + 1; y < list.length; y++) {
          const a = list[x]!;
          const b = list[y]!;
          const ra = prepared.at(a)!;
          const rb = prepared.at(b)!;
          for (const rule of hardRules) {
            const reason = rule.check(ra, rb);
            if (reason === null) continue;
            cluster ??= Array.from(list, (i) => prepared.at(i)!);
            if (rule.standsInCluster && !rule.standsInCluster(ra, rb, cluster)) continue;
            found(a, b, reason);
            break;
          }
        }
      }
    }
  }
  const seconds = { ...clock.seconds, total: clock.elapsed() };

  return {
    clusters,
    accepted: links.count - refusedCount,
    joined,
    review,
    vetoed,
    model,
    stats: {
      records: prepared.length,
      pairsCompared: blocking.count,
      blocks: blocking.blocks,
      cappedBlocks: blocking.cappedBlocks,
      blockingWarnings: blocking.warnings,
      perRule: blocking.perRule,
      vetoed: vetoed.length,
      refusedByCluster: refusedCount,
      keptApart: keepApart.length,
      seconds,
    },
  };
}
