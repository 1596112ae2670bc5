/**
 * u, the chance agreement of each level, from random record pairs (Splink's estimate_u), and its
 * correction for the matches hidden among them once m and λ are known.
 */
import { seededRandom } from '../src/base/random.js';
import { NULL_LEVEL, type Comparison } from './comparisons.js';
import { usableLevel, type JointU, type Probabilities, type UModel } from './model.js';
import { prepareRecords, type MatchRecords, type PreparedRecord } from './record.js';

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


/**
 * u from random record pairs. With fewer than `samplePairs` pairs in total every pair is used, so small
 * sets get exact frequencies. Counts are smoothed (+0.5 per level or sub-pattern) so that a level never seen
 * among random pairs (two equal IDs) gets a small, finite u rather than an infinite weight.
 */
export function estimateU(records: MatchRecords, comparisons: readonly Comparison[], options: UOptions): UEstimate {
  const prepared = prepareRecords(records);
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
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) count(prepared.at(i)!, prepared.at(j)!);
    pairs = all;
  } else {
    const random = seededRandom(options.seed);
    for (; pairs < options.samplePairs; pairs++) {
      const i = Math.floor(random() * n);
      let j = Math.floor(random() * (n - 1));
      if (j >= i) j++;
      count(prepared.at(i)!, prepared.at(j)!);
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
    const sampled = levels.map((level, l) => (level.neutral ? 1 : (raw[l]! + 0.5) / (total + 0.5 * counted)));
    // A level counted over all pairs (Level.countAllPairs) takes its exact share; the others keep their
    // proportions in the rest.
    levels.forEach((level, l) => {
      if (!level.countAllPairs || level.neutral) return;
      const { atLevel, present } = level.countAllPairs(prepared);
      if (present <= 0) return;
      const exact = Math.min(Math.max(atLevel, 0.5) / present, 0.5);
      const rest = 1 - sampled[l]!;
      for (let k = 0; k < levels.length; k++) if (k !== l && !levels[k]!.neutral) sampled[k] = (sampled[k]! * (1 - exact)) / rest;
      sampled[l] = exact;
    });
    return sampled;
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
