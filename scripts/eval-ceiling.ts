/**
 * In-sample oracle ceiling of person-level pairwise F1 on the Splink labelled sets (issue 14): the best any
 * classifier could reach that sees only the engine's comparison levels, on the record contract's fields.
 *
 *   npx tsx scripts/eval-ceiling.ts fake1000|fake20000|hist50k [--sample 1000000] [--seed 1] [--json OUT]
 *
 * The table goes to stdout, progress to stderr. test/eval/ceiling.test.ts holds the figures issue 14 cites.
 *
 * Records: publicSetRows (scripts/public-sets.ts) → cleanRecord → toMatchRecord → prepareRecords, as import
 * and the link stage do. Quarantined rows are never linked; their truth pairs count as missed.
 *
 * Pairs: every blocked pair (candidatePairs, DEFAULT_BLOCKING_RULES, DEFAULT_SETTINGS.maxBlockSize), every
 * truth pair, and the rest: all pairs for fake1000; for the larger sets `--sample` uniform draws (with
 * replacement) of which those neither blocked nor truth are kept, each weighing (number of such pairs) / (kept).
 *
 * Features: the pattern is a pair's full comparison vector (DEFAULT_COMPARISONS). Variants add the rounded
 * term-frequency adjustment at each TF level (`+tf`), an exact e-mail level from the raw Splink file (`+email`:
 * no contract column), or, hist50k only, the birth dates cleaning rejects (before 1900) kept as written (`+dates`).
 *
 * Scopes: `blocked` (only blocked pairs can be accepted: what the engine can do today), `all` (any pair),
 * `all+flag` (any pair, the pattern also saying whether blocking proposed it).
 *
 * Search: patterns ranked by match share m/(m+u). The sweep accepts the first k patterns, clusters by
 * connected components and scores every within-cluster pair (as src/eval/pairwise.ts), for every k. The
 * greedy variant takes the same order but keeps a pattern only if the clustered F1 rises (with P >= 0.995 for
 * the floor column). The ceiling of a cell is the better of the two. A sampled pair cannot be clustered: each
 * accepted one of weight w adds w·|C_i|·|C_j| false pairs (first order).
 *
 * Caveats: in-sample, so optimistic (most for fake1000, where many patterns hold a handful of pairs); pattern
 * level only (what the levels do not encode is invisible); neither search is the optimal clustering; the
 * sampled columns (`all`, `all+flag` on fake20000 and hist50k) move by about 0.02 between seeds, while the
 * `blocked` columns and the pairs completeness are exact.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { publicSetRows, DATASETS, type PublicSet } from './public-sets.js';
import { cleanRecord } from '../src/clean/record.js';
import { toMatchRecord, type LinkRow } from '../src/link/rows.js';
import {
  prepareRecords,
  candidatePairs,
  DEFAULT_BLOCKING_RULES,
  DEFAULT_COMPARISONS,
  DEFAULT_SETTINGS,
  distinctVectors,
  buildTfTables,
  NULL_LEVEL,
  type RecordTable,
  type TfTables,
} from '../matchers/index.js';
import { tfRecord } from '../matchers/comparisons.js';
import { recordTfAdjustment } from '../matchers/term-frequency.js';

export type CeilingSet = 'fake1000' | 'fake20000' | 'hist50k';
export const CEILING_SETS: readonly CeilingSet[] = ['fake1000', 'fake20000', 'hist50k'];
/** The raw Splink files, for the e-mail column the contract drops. */
const FILES: Record<CeilingSet, string> = {
  fake1000: 'fake_1000.csv',
  fake20000: 'fake_20000.csv',
  hist50k: 'historical_figures_with_errors_50k.csv',
};

export type Feature = 'contract' | 'contract+tf' | 'contract+email' | 'contract+dates' | 'contract+dates+tf';
export type Scope = 'blocked' | 'all' | 'all+flag';
export const SCOPES: readonly Scope[] = ['blocked', 'all', 'all+flag'];
/** The feature sets the CLI runs: e-mail only on the fakes (hist50k has none), the kept dates only on hist50k. */
export const DEFAULT_FEATURES: Record<CeilingSet, readonly Feature[]> = {
  fake1000: ['contract', 'contract+tf', 'contract+email'],
  fake20000: ['contract', 'contract+tf', 'contract+email'],
  hist50k: ['contract', 'contract+tf', 'contract+dates', 'contract+dates+tf'],
};
/** The precision floor of issue 14. */
export const FLOOR = 0.995;

export interface Point {
  /** Match share of the last pattern accepted. */
  readonly share: number;
  readonly patterns: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly predicted: number;
  readonly correct: number;
}
export interface SweepResult {
  readonly best: Point;
  readonly bestAtFloor: Point | null;
  /** The same sweep scored pair by pair, without transitive closure (accepted pairs only). */
  readonly pairwise: Point;
  readonly pairwiseAtFloor: Point | null;
  readonly patterns: number;
  readonly stopped: string;
}
export type GreedyPoint = Point & { readonly accepted: number };

/** Per record build (`contract`: as cleaning leaves them; `dates`: with the rejected birth dates kept). */
export interface BuildSummary {
  readonly matchable: number;
  readonly quarantined: number;
  readonly withBirthDate: number;
  readonly datesBypassed: number;
  readonly blockedPairs: number;
  readonly blockedTruth: number;
  /** Share of all truth pairs that blocking proposes. */
  readonly pairsCompleteness: number;
  readonly matchableTruth: number;
  readonly matchableTruthShare: number;
  readonly sampleNote: string;
  readonly pairs: number;
  /** Recall after closure of a classifier that accepts exactly the blocked truth pairs (P = 1). */
  readonly perfectOnBlockedRecall: number;
}

export interface CeilingRow {
  readonly features: Feature;
  readonly scope: Scope;
  readonly result: SweepResult;
  readonly greedy: GreedyPoint;
  readonly greedyAtFloor: GreedyPoint;
  /** The cell's ceiling: the better of the sweep and the greedy search. */
  readonly ceiling: { readonly best: Point; readonly atFloor: Point | null };
  readonly pairsCompleteness: number;
  /** F1 of a perfect classifier on the blocked pairs: 2r/(1+r) with r = perfectOnBlockedRecall. */
  readonly perfectOnBlockedF1: number;
}

export interface Ceiling {
  readonly set: CeilingSet;
  readonly records: number;
  readonly truthPairs: number;
  readonly today: string;
  readonly builds: { readonly contract?: BuildSummary; readonly dates?: BuildSummary };
  readonly rows: readonly CeilingRow[];
}

export interface CeilingOptions {
  /** Uniform pair draws for fake20000 and hist50k (default 1,000,000). */
  readonly sample?: number;
  /** xorshift32 seed of the draws (default 1). The draws run on, in order, through both record builds. */
  readonly seed?: number;
  /** Feature sets to run (default DEFAULT_FEATURES[set]). */
  readonly variants?: readonly Feature[];
  /**
   * Scopes to score (default all three). With `blocked` alone no pair outside blocking is enumerated or
   * drawn: the `blocked` cells do not depend on them.
   */
  readonly scopes?: readonly Scope[];
  /** Cleaning's today (default the current UTC date). */
  readonly today?: string;
  readonly datasets?: string;
  /** Progress lines (the CLI prints them on stderr). */
  readonly log?: (line: string) => void;
}

const validDay = (y: number, m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;

interface Built {
  readonly prepared: RecordTable;
  /** Matchable index → row index. */
  readonly rowOf: number[];
  readonly quarantined: number;
  readonly datesKept: number;
  readonly datesBypassed: number;
}

type Rows = ReturnType<typeof publicSetRows>;

/** The records as the link stage sees them; `keepDates`: a birth date cleaning rejected is kept as written when it is a valid yyyy-mm-dd. */
function build(rows: Rows, today: string, keepDates: boolean): Built {
  const match = [];
  const rowOf: number[] = [];
  let quarantined = 0;
  let datesKept = 0;
  let datesBypassed = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const c = cleanRecord({ record_id: r.record_id, full_name: r.full_name, birth_date: r.birth_date, sex: r.sex, citizen_id: r.citizen_id, address: r.address }, { today });
    if (c.quarantineReason !== null) {
      quarantined++;
      continue;
    }
    const v = c.values;
    let birth = v.birth_date;
    if (keepDates && birth === null) {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(r.birth_date);
      if (m && validDay(Number(m[1]), Number(m[2]), Number(m[3]))) {
        birth = r.birth_date;
        datesBypassed++;
      }
    }
    if (birth !== null) datesKept++;
    const link: LinkRow = {
      batch_id: 1, row_number: i + 1, quarantined: false, name_key: v.name_key, full_name: v.full_name, birth_date: birth, sex: v.sex,
      citizen_id: v.citizen_id, citizen_id_kind: v.citizen_id_kind, phone: v.phone, commune_current: v.commune_current, address: v.address,
      vaccine_code: v.vaccine_code, vaccination_date: v.vaccination_date, dose_number: v.dose_number, lot_number: v.lot_number,
      guardian_key: v.guardian_key, guardian_phone: v.guardian_phone,
    };
    match.push(toMatchRecord(link, match.length));
    rowOf.push(i);
  }
  return { prepared: prepareRecords(match), rowOf, quarantined, datesKept, datesBypassed };
}

/** xorshift32 in [0, 1). */
function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

interface PairSet {
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly count: number;
  readonly blocked: Uint8Array;
  readonly truth: Uint8Array;
  readonly weight: Float64Array;
  /** 1: a sampled pair standing for `weight` pairs (never truth, never blocked). */
  readonly sampled: Uint8Array;
}

interface Context {
  readonly set: CeilingSet;
  readonly rows: Rows;
  readonly rawById: Map<string, Record<string, string>>;
  readonly truthOfRow: readonly number[];
  readonly truthPairs: number;
  readonly sample: number;
  readonly seed: number;
  readonly rand: () => number;
  /** Whether pairs outside blocking are enumerated or drawn. */
  readonly outside: boolean;
}

function pairSet(ctx: Context, b: Built): { pairs: PairSet; blockedCount: number; blockedTruth: number; matchableTruth: number; sampleNote: string } {
  const m = b.prepared.length;
  const truthOf = b.rowOf.map((r) => ctx.truthOfRow[r]!);
  const key = (i: number, j: number) => (i < j ? i * m + j : j * m + i);
  const seen = new Map<number, number>();
  const L: number[] = [];
  const R: number[] = [];
  const blocked: number[] = [];
  const add = (i: number, j: number, isBlocked: boolean) => {
    const k = key(i, j);
    const at = seen.get(k);
    if (at !== undefined) {
      if (isBlocked) blocked[at] = 1;
      return;
    }
    seen.set(k, L.length);
    L.push(Math.min(i, j));
    R.push(Math.max(i, j));
    blocked.push(isBlocked ? 1 : 0);
  };
  const cand = candidatePairs(b.prepared, DEFAULT_BLOCKING_RULES, { maxBlockSize: DEFAULT_SETTINGS.maxBlockSize, splitBlockSize: DEFAULT_SETTINGS.splitBlockSize });
  for (let p = 0; p < cand.count; p++) add(cand.left[p]!, cand.right[p]!, true);
  const blockedCount = L.length;
  // Truth pairs among matchable records.
  const members = new Map<number, number[]>();
  truthOf.forEach((t, i) => members.set(t, [...(members.get(t) ?? []), i]));
  let matchableTruth = 0;
  for (const ms of members.values()) for (let x = 0; x < ms.length; x++) for (let y = x + 1; y < ms.length; y++) {
    matchableTruth++;
    add(ms[x]!, ms[y]!, false);
  }
  let blockedTruth = 0;
  for (let p = 0; p < blockedCount; p++) if (truthOf[L[p]!] === truthOf[R[p]!]) blockedTruth++;
  const enumerated = L.length;
  const sampling = ctx.outside && ctx.set !== 'fake1000';
  let weight = 1;
  let sampleNote = 'no pair outside blocking and truth (blocked scope only)';
  if (ctx.outside && ctx.set === 'fake1000') {
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) add(i, j, false);
    sampleNote = `all ${(m * (m - 1)) / 2} pairs enumerated`;
  } else if (sampling) {
    const total = (m * (m - 1)) / 2;
    const rest = total - enumerated; // neither blocked nor truth
    let kept = 0;
    const sampledL: number[] = [];
    const sampledR: number[] = [];
    for (let s = 0; s < ctx.sample; s++) {
      const i = Math.floor(ctx.rand() * m);
      let j = Math.floor(ctx.rand() * (m - 1));
      if (j >= i) j++;
      if (seen.has(key(i, j))) continue;
      kept++;
      sampledL.push(Math.min(i, j));
      sampledR.push(Math.max(i, j));
    }
    weight = rest / kept;
    for (let s = 0; s < kept; s++) {
      L.push(sampledL[s]!);
      R.push(sampledR[s]!);
      blocked.push(0);
    }
    sampleNote = `${ctx.sample} uniform draws (seed ${ctx.seed}), ${kept} neither blocked nor truth kept, each weighing ${weight.toFixed(1)} (= ${rest} such pairs / ${kept})`;
  }
  const count = L.length;
  const pairs: PairSet = {
    left: Int32Array.from(L),
    right: Int32Array.from(R),
    count,
    blocked: Uint8Array.from(blocked),
    truth: Uint8Array.from(L.map((l, p) => (truthOf[l] === truthOf[R[p]!] ? 1 : 0))),
    weight: Float64Array.from(L.map((_, p) => (p >= enumerated && sampling ? weight : 1))),
    sampled: Uint8Array.from(L.map((_, p) => (p >= enumerated && sampling ? 1 : 0))),
  };
  return { pairs, blockedCount, blockedTruth, matchableTruth, sampleNote };
}

/** Per pair, its pattern: the comparison vector, and the extra feature when one is asked for. */
function patterns(ctx: Context, b: Built, pairs: PairSet, extra: 'none' | 'tf' | 'email'): string[] {
  const vec = distinctVectors(b.prepared, pairs, DEFAULT_COMPARISONS);
  const w = vec.width;
  let tf: TfTables | null = null;
  if (extra === 'tf') tf = buildTfTables(b.prepared);
  const email = b.rowOf.map((r) => {
    const e = (ctx.rawById.get(ctx.rows[r]!.record_id)?.email ?? '').trim().toLowerCase();
    return e === '' ? null : e;
  });
  const out = new Array<string>(pairs.count);
  for (let p = 0; p < pairs.count; p++) {
    const levels: number[] = [];
    const row = vec.patternOf[p]! * w;
    for (let c = 0; c < w; c++) levels.push(vec.levels[row + c]!);
    let s = levels.join(',');
    if (extra === 'tf') {
      // Integer bits of the TF adjustment at each TF level the pair is at (what the engine adds to the level's weight).
      const a = b.prepared.at(pairs.left[p]!)!;
      const bb = b.prepared.at(pairs.right[p]!)!;
      for (let c = 0; c < w; c++) {
        const level = levels[c]!;
        if (level === NULL_LEVEL) continue;
        const def = DEFAULT_COMPARISONS[c]!.levels[level]!;
        if (!def.tf) continue;
        const from = tfRecord(def, a, bb);
        const adj = from ? recordTfAdjustment(tf!, def.tf, from) : null;
        s += `|tf${c}:${adj === null ? 'x' : Math.round(adj)}`;
      }
    } else if (extra === 'email') {
      const ea = email[pairs.left[p]!];
      const eb = email[pairs.right[p]!];
      s += `|e${ea == null || eb == null ? -1 : ea === eb ? 0 : 1}`;
    }
    out[p] = s;
  }
  return out;
}

/** Match and non-match mass per pattern over the pairs in scope. */
function patternStats(pairs: PairSet, pat: readonly string[], scope: Scope) {
  const idOf = new Map<string, number>();
  const mSum: number[] = [];
  const uSum: number[] = [];
  const byPattern: number[][] = [];
  for (let p = 0; p < pairs.count; p++) {
    if (scope === 'blocked' && pairs.blocked[p] !== 1) continue;
    const key = scope === 'all+flag' ? `${pat[p]!}|b${pairs.blocked[p]!}` : pat[p]!;
    let id = idOf.get(key);
    if (id === undefined) {
      idOf.set(key, (id = mSum.length));
      mSum.push(0);
      uSum.push(0);
      byPattern.push([]);
    }
    if (pairs.truth[p] === 1) mSum[id]! += pairs.weight[p]!;
    else uSum[id]! += pairs.weight[p]!;
    byPattern[id]!.push(p);
  }
  return { mSum, uSum, byPattern };
}

const MAX_SAMPLED_ACCEPTED = 200_000;

/**
 * Precision, recall and F1 of the clusters that `find` and `size` describe, `correct` of the `predicted`
 * enumerated within-cluster pairs being truth pairs. A sampled pair cannot be clustered: each accepted one
 * adds its weight times the sizes of the two clusters it would join (first order).
 */
function clusteredScore(
  pairs: PairSet,
  sampledAccepted: readonly number[],
  find: (x: number) => number,
  size: Int32Array,
  predicted: number,
  correct: number,
  truthPairs: number,
): { precision: number; recall: number; f1: number; pred: number } {
  let extra = 0;
  for (const p of sampledAccepted) {
    const ra = find(pairs.left[p]!);
    const rb = find(pairs.right[p]!);
    if (ra !== rb) extra += pairs.weight[p]! * size[ra]! * size[rb]!;
  }
  const pred = predicted + extra;
  const precision = pred === 0 ? 1 : correct / pred;
  const recall = correct / truthPairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, pred };
}

function sweep(m: number, truthOf: readonly number[], truthPairs: number, pairs: PairSet, pat: readonly string[], scope: Scope): SweepResult {
  const { mSum, uSum, byPattern } = patternStats(pairs, pat, scope);
  const order = mSum.map((_, i) => i).filter((i) => mSum[i]! > 0);
  order.sort((a, b) => mSum[b]! / (mSum[b]! + uSum[b]!) - mSum[a]! / (mSum[a]! + uSum[a]!) || mSum[b]! - mSum[a]!);

  // Incremental union-find with per-cluster truth counts.
  const parent = Int32Array.from({ length: m }, (_, i) => i);
  const size = new Int32Array(m).fill(1);
  const counts: (Map<number, number> | null)[] = truthOf.map((t) => new Map([[t, 1]]));
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  let predicted = 0;
  let correct = 0;
  const union = (a: number, b: number) => {
    let ra = find(a);
    let rb = find(b);
    if (ra === rb) return;
    if (size[ra]! < size[rb]!) [ra, rb] = [rb, ra];
    const big = counts[ra]!;
    const small = counts[rb]!;
    for (const [t, c] of small) {
      const had = big.get(t) ?? 0;
      correct += had * c;
      big.set(t, had + c);
    }
    predicted += size[ra]! * size[rb]!;
    parent[rb] = ra;
    size[ra]! += size[rb]!;
    counts[rb] = null;
  };
  const sampledAccepted: number[] = [];
  let best: Point | null = null;
  let bestAtFloor: Point | null = null;
  let stopped = 'swept every pattern with a truth pair';
  let k = 0;
  let mAcc = 0;
  let uAcc = 0;
  let pairwise: Point | null = null;
  let pairwiseAtFloor: Point | null = null;
  for (const id of order) {
    k++;
    mAcc += mSum[id]!;
    uAcc += uSum[id]!;
    {
      const precision = mAcc / (mAcc + uAcc);
      const recall = mAcc / truthPairs;
      const f1 = (2 * precision * recall) / (precision + recall);
      const point: Point = { share: mSum[id]! / (mSum[id]! + uSum[id]!), patterns: k, precision, recall, f1, predicted: mAcc + uAcc, correct: mAcc };
      if (!pairwise || f1 > pairwise.f1) pairwise = point;
      if (precision >= FLOOR && (!pairwiseAtFloor || f1 > pairwiseAtFloor.f1)) pairwiseAtFloor = point;
    }
    for (const p of byPattern[id]!) {
      if (pairs.sampled[p] === 1) sampledAccepted.push(p);
      else union(pairs.left[p]!, pairs.right[p]!);
    }
    if (sampledAccepted.length > MAX_SAMPLED_ACCEPTED) {
      stopped = `clustering stopped at match share ${(mSum[id]! / (mSum[id]! + uSum[id]!)).toExponential(2)} (over ${MAX_SAMPLED_ACCEPTED} sampled pairs accepted)`;
      break;
    }
    const { precision, recall, f1, pred } = clusteredScore(pairs, sampledAccepted, find, size, predicted, correct, truthPairs);
    const point: Point = { share: mSum[id]! / (mSum[id]! + uSum[id]!), patterns: k, precision, recall, f1, predicted: pred, correct };
    if (!best || f1 > best.f1) best = point;
    if (precision >= FLOOR && (!bestAtFloor || f1 > bestAtFloor.f1)) bestAtFloor = point;
  }
  return { best: best!, bestAtFloor, pairwise: pairwise!, pairwiseAtFloor, patterns: order.length, stopped };
}

/**
 * A stronger oracle than the threshold sweep, for closure: patterns in the same order, each accepted only if
 * the clustered F1 (with P >= floor, when a floor is given) improves, else its unions are rolled back.
 * Patterns with match share below MIN_SHARE are not tried (adding pairs that are >95% false cannot raise F1).
 */
const MIN_SHARE = 0.05;

function greedy(m: number, truthOf: readonly number[], truthPairs: number, pairs: PairSet, pat: readonly string[], scope: Scope, floor: number): GreedyPoint {
  const { mSum, uSum, byPattern } = patternStats(pairs, pat, scope);
  const shareOf = (i: number) => mSum[i]! / (mSum[i]! + uSum[i]!);
  const order = mSum.map((_, i) => i).filter((i) => mSum[i]! > 0 && shareOf(i) >= MIN_SHARE);
  order.sort((a, b) => shareOf(b) - shareOf(a) || mSum[b]! - mSum[a]!);

  const parent = Int32Array.from({ length: m }, (_, i) => i);
  const size = new Int32Array(m).fill(1);
  const counts: Map<number, number>[] = truthOf.map((t) => new Map([[t, 1]]));
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x]!;
    return x;
  };
  let predicted = 0;
  let correct = 0;
  type Undo = { ra: number; rb: number; entries: [number, number][] };
  const union = (a: number, b: number, log: Undo[]) => {
    let ra = find(a);
    let rb = find(b);
    if (ra === rb) return;
    if (size[ra]! < size[rb]!) [ra, rb] = [rb, ra];
    const big = counts[ra]!;
    const entries: [number, number][] = [];
    for (const [t, c] of counts[rb]!) {
      const had = big.get(t) ?? 0;
      entries.push([t, had]);
      correct += had * c;
      big.set(t, had + c);
    }
    predicted += size[ra]! * size[rb]!;
    parent[rb] = ra;
    size[ra]! += size[rb]!;
    log.push({ ra, rb, entries });
  };
  const rollback = (log: Undo[]) => {
    for (let k = log.length - 1; k >= 0; k--) {
      const { ra, rb, entries } = log[k]!;
      parent[rb] = rb;
      size[ra]! -= size[rb]!;
      const big = counts[ra]!;
      for (const [t, had] of entries) {
        if (had === 0) big.delete(t);
        else big.set(t, had);
      }
    }
  };
  const sampledAccepted: number[] = [];
  let best: GreedyPoint = { share: 1, patterns: 0, precision: 1, recall: 0, f1: 0, predicted: 0, correct: 0, accepted: 0 };
  let accepted = 0;
  for (const id of order) {
    const log: Undo[] = [];
    const before = { predicted, correct, sampled: sampledAccepted.length };
    for (const p of byPattern[id]!) {
      if (pairs.sampled[p] === 1) sampledAccepted.push(p);
      else union(pairs.left[p]!, pairs.right[p]!, log);
    }
    const s = clusteredScore(pairs, sampledAccepted, find, size, predicted, correct, truthPairs);
    if (s.f1 > best.f1 && s.precision >= floor) {
      accepted++;
      best = { share: shareOf(id), patterns: order.indexOf(id) + 1, precision: s.precision, recall: s.recall, f1: s.f1, predicted: s.pred, correct, accepted };
    } else {
      rollback(log);
      predicted = before.predicted;
      correct = before.correct;
      sampledAccepted.length = before.sampled;
    }
  }
  return best;
}

const better = (a: Point | null, b: Point | null): Point | null => (a === null ? b : b === null || a.f1 >= b.f1 ? a : b);

/** The ceiling table of one set: per feature set and scope, the sweep, the greedy search and their better. */
export function ceilingOf(set: CeilingSet, options: CeilingOptions = {}): Ceiling {
  const sample = options.sample ?? 1_000_000;
  const seed = options.seed ?? 1;
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const variants = options.variants ?? DEFAULT_FEATURES[set];
  const scopes = SCOPES.filter((s) => (options.scopes ?? SCOPES).includes(s));
  const log = options.log ?? (() => undefined);
  const datasets = options.datasets ?? DATASETS;

  const rows = publicSetRows(set as PublicSet, datasets);
  const raw = parse(fs.readFileSync(path.join(datasets, 'splink', FILES[set]), 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
  const truthIdOf = new Map<string, number>();
  const truthOfRow = rows.map((r) => {
    let t = truthIdOf.get(r.person);
    if (t === undefined) truthIdOf.set(r.person, (t = truthIdOf.size));
    return t;
  });
  const truthSizes = new Map<number, number>();
  for (const t of truthOfRow) truthSizes.set(t, (truthSizes.get(t) ?? 0) + 1);
  let truthPairs = 0;
  for (const s of truthSizes.values()) truthPairs += (s * (s - 1)) / 2;
  const ctx: Context = {
    set, rows, rawById: new Map(raw.map((r) => [r.unique_id!, r])), truthOfRow, truthPairs, sample, seed, rand: xorshift(seed),
    outside: scopes.some((s) => s !== 'blocked'),
  };

  const out: CeilingRow[] = [];
  const builds: { contract?: BuildSummary; dates?: BuildSummary } = {};
  const runBuild = (label: 'contract' | 'dates', b: Built, features: readonly [Feature, 'none' | 'tf' | 'email'][]) => {
    log(`${label}: ${b.prepared.length} matchable records (${b.quarantined} quarantined), ${b.datesKept} with a birth date (${b.datesBypassed} past the 1900 limit)`);
    const { pairs, blockedCount, blockedTruth, matchableTruth, sampleNote } = pairSet(ctx, b);
    const pc = blockedTruth / truthPairs;
    log(`${label}: ${blockedCount} blocked pairs, ${blockedTruth} truth pairs among them (PC ${pc.toFixed(4)} of ${truthPairs}; ${matchableTruth} truth pairs between matchable records); ${sampleNote}`);
    const truthOf = b.rowOf.map((r) => truthOfRow[r]!);
    // A perfect classifier on the blocked pairs (accept exactly the blocked truth pairs, P = 1): recall after closure.
    const parent = Int32Array.from({ length: b.prepared.length }, (_, i) => i);
    const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
    for (let p = 0; p < pairs.count; p++) if (pairs.blocked[p] === 1 && pairs.truth[p] === 1) parent[find(pairs.left[p]!)] = find(pairs.right[p]!);
    const cells = new Map<number, number>();
    for (let i = 0; i < b.prepared.length; i++) cells.set(find(i), (cells.get(find(i)) ?? 0) + 1);
    let reach = 0;
    for (const c of cells.values()) reach += (c * (c - 1)) / 2;
    const r = reach / truthPairs;
    const rm = matchableTruth / truthPairs;
    log(`${label}: perfect classifier on blocked pairs: recall ${r.toFixed(4)} (F1 ${((2 * r) / (1 + r)).toFixed(4)} at P 1); on every pair of matchable records: recall ${rm.toFixed(4)} (F1 ${((2 * rm) / (1 + rm)).toFixed(4)})`);
    builds[label] = {
      matchable: b.prepared.length, quarantined: b.quarantined, withBirthDate: b.datesKept, datesBypassed: b.datesBypassed, blockedPairs: blockedCount, blockedTruth,
      pairsCompleteness: pc, matchableTruth, matchableTruthShare: rm, sampleNote, pairs: pairs.count, perfectOnBlockedRecall: r,
    };
    for (const [f, extra] of features) {
      const pat = patterns(ctx, b, pairs, extra);
      for (const scope of scopes) {
        const result = sweep(b.prepared.length, truthOf, truthPairs, pairs, pat, scope);
        const g = greedy(b.prepared.length, truthOf, truthPairs, pairs, pat, scope, 0);
        const gf = greedy(b.prepared.length, truthOf, truthPairs, pairs, pat, scope, FLOOR);
        out.push({
          features: f, scope, result, greedy: g, greedyAtFloor: gf,
          ceiling: { best: better(result.best, g)!, atFloor: better(result.bestAtFloor, gf.precision >= FLOOR && gf.accepted > 0 ? gf : null) },
          pairsCompleteness: pc, perfectOnBlockedF1: (2 * r) / (1 + r),
        });
        log(`${f} / ${scope}: greedy with skips: best F1 ${g.f1.toFixed(4)} (P ${g.precision.toFixed(4)} R ${g.recall.toFixed(4)}, ${g.accepted} patterns kept); at P≥${FLOOR}: F1 ${gf.f1.toFixed(4)} (P ${gf.precision.toFixed(4)} R ${gf.recall.toFixed(4)}, ${gf.accepted} kept)`);
        const fmt = (p: Point | null) => (p ? `F1 ${p.f1.toFixed(4)} (P ${p.precision.toFixed(4)} R ${p.recall.toFixed(4)}, share ≥ ${p.share.toFixed(3)}, ${p.patterns} patterns)` : 'none');
        log(`${f} / ${scope}: best ${fmt(result.best)}; at P≥${FLOOR}: ${fmt(result.bestAtFloor)}; ${result.patterns} patterns with a match; ${result.stopped}`);
        log(`${f} / ${scope}: no closure: best ${fmt(result.pairwise)}; at P≥${FLOOR}: ${fmt(result.pairwiseAtFloor)}`);
      }
    }
  };

  const EXTRA = { contract: 'none', 'contract+tf': 'tf', 'contract+email': 'email', 'contract+dates': 'none', 'contract+dates+tf': 'tf' } as const;
  const plain = variants.filter((f) => !f.startsWith('contract+dates'));
  const dated = variants.filter((f) => f.startsWith('contract+dates'));
  if (plain.length > 0) runBuild('contract', build(rows, today, false), plain.map((f) => [f, EXTRA[f]]));
  if (dated.length > 0) runBuild('dates', build(rows, today, true), dated.map((f) => [f, EXTRA[f]]));
  return { set, records: rows.length, truthPairs, today, builds, rows: out };
}

/** The CLI's table (stdout). */
export function ceilingTable(c: Ceiling): string {
  const lines = [
    `\n${c.set}: ${c.records} records, ${c.truthPairs} truth pairs`,
    '| features | scope | best F1 | P | R | best F1 at P>=0.995 | P | R | greedy+skips: best F1 (P/R) | greedy+skips: at P>=0.995 (P/R) | no closure: best F1 (P/R) | no closure: at P>=0.995 | patterns | note |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const pw = (p: Point | null) => (p ? `${p.f1.toFixed(3)} (${p.precision.toFixed(3)}/${p.recall.toFixed(3)})` : '-');
  for (const r of c.rows) {
    const b = r.result.best;
    const f = r.result.bestAtFloor;
    lines.push(`| ${r.features} | ${r.scope} | ${b.f1.toFixed(3)} | ${b.precision.toFixed(3)} | ${b.recall.toFixed(3)} | ${f ? f.f1.toFixed(3) : '-'} | ${f ? f.precision.toFixed(3) : '-'} | ${f ? f.recall.toFixed(3) : '-'} | ${pw(r.greedy)} | ${pw(r.greedyAtFloor)} | ${pw(r.result.pairwise)} | ${pw(r.result.pairwiseAtFloor)} | ${r.result.patterns} | ${r.result.stopped} |`);
  }
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('eval-ceiling.ts')) {
  const args = process.argv.slice(2);
  const set = args[0] as CeilingSet;
  if (!CEILING_SETS.includes(set)) {
    console.error(`usage: npx tsx scripts/eval-ceiling.ts ${CEILING_SETS.join('|')} [--sample N] [--seed S] [--json OUT]`);
    process.exit(2);
  }
  const opt = (name: string, def: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1]! : def;
  };
  const t0 = process.cpuUsage();
  const cpu = () => ((process.cpuUsage(t0).user + process.cpuUsage(t0).system) / 1e6).toFixed(1);
  const log = (s: string) => console.error(`[${cpu()} s cpu] ${s}`);
  const c = ceilingOf(set, { sample: Number(opt('--sample', '1000000')), seed: Number(opt('--seed', '1')), log });
  console.log(ceilingTable(c));
  const jsonOut = opt('--json', '');
  if (jsonOut) {
    const results = c.rows.map(({ features, scope, result, greedy, greedyAtFloor }) => ({ features, scope, result, greedy, greedyAtFloor }));
    fs.writeFileSync(jsonOut, JSON.stringify({ set: c.set, truthPairs: c.truthPairs, records: c.records, today: c.today, ...c.builds, results }, null, 1));
  }
  log('done');
}
