/** λ, the prior probability that two records drawn at random are the same person. */
import { MIN_PROBABILITY, priorWeight, probabilityOf } from './model.js';

/**
 * The prior for scoring: the share of matches among *all* n(n-1)/2 pairs, not among the candidates.
 * u comes from random pairs, so the prior must be the random-pair one too; the candidates' own λ (near 1
 * when blocking is good) would add its odds to every candidate twice. Found as the fixed point of
 * λ = Σ posterior(candidate; λ) / all pairs, pairs outside the candidates counting as non-matches.
 * `evidence` holds each candidate's Σ level weights (TF included), in bits, without a prior.
 */
export function estimateLambda(evidence: Float64Array, totalPairs: number, maxIterations = 500): number {
  const histogram = new WeightHistogram();
  histogram.add(evidence, evidence.length);
  return histogram.lambda(totalPairs, maxIterations);
}

/**
 * The fixed point of estimateLambda from its histogram (`weights[k]` bits, `counts[k]` candidates), summed in
 * the histogram's order; `candidates` is the count of all of them, the first guess's numerator.
 */
export function lambdaOfHistogram(
  weights: Float64Array,
  counts: Float64Array,
  candidates: number,
  totalPairs: number,
  maxIterations = 500,
): number {
  let lambda = Math.min(0.5, candidates / totalPairs);
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

/** Histograms of at most this many bins from the lowest to the highest are counted in an array; wider ones in a Map. */
const MAX_ARRAY_BINS = 1 << 24;

/** Bins a histogram's array adds beyond the span met so far when it grows (weights span a few hundred bits). */
const ARRAY_MARGIN = 1 << 14;

/**
 * Candidates' evidence counted in bins of 1/256 bit (millions of candidates become a few thousand (weight,
 * count) pairs, and the rounding moves a posterior by less than 0.3%), fed a chunk at a time as scoring
 * streams them: bins in the order the evidence first reaches them (the order estimateLambda sums them in,
 * so the same evidence gives the same λ to the bit however it is chunked). Counted in an array indexed by
 * bin, grown as the span widens, while the bins span few enough, which is what a Map keyed by bin would
 * give, several times faster over millions of candidates.
 */
export class WeightHistogram {
  private static readonly binsPerBit = 256;
  /** The array's first bin; slotOf[bin - low] is the bin's index in bins/counts, or -1. */
  private low = 0;
  private slotOf: Int32Array | null = null;
  /** Bin → index in bins/counts, once the span is too wide for the array (or a bin is not finite). */
  private byBin: Map<number, number> | null = null;
  private readonly bins: number[] = [];
  private readonly counts: number[] = [];
  /** Candidates counted. */
  total = 0;

  add(evidence: Float64Array, count: number): void {
    const { binsPerBit } = WeightHistogram;
    for (let p = 0; p < count; p++) {
      const bin = Math.round(evidence[p]! * binsPerBit);
      const slotOf = this.slotOf;
      const i = bin - this.low;
      const k = slotOf !== null && i >= 0 && i < slotOf.length ? slotOf[i]! : -1;
      if (k >= 0) this.counts[k]!++;
      else this.counts[this.newSlot(bin)]!++;
    }
    this.total += count;
  }

  /** estimateLambda's fixed point over the candidates counted, among `totalPairs` pairs in all. */
  lambda(totalPairs: number, maxIterations = 500): number {
    if (this.total === 0 || totalPairs <= 0) return MIN_PROBABILITY;
    const { binsPerBit } = WeightHistogram;
    return lambdaOfHistogram(Float64Array.from(this.bins, (b) => b / binsPerBit), Float64Array.from(this.counts), this.total, totalPairs, maxIterations);
  }

  /** The index of `bin` in bins/counts, a new one (count 0) where the bin was not met yet. */
  private newSlot(bin: number): number {
    if (this.byBin === null && this.cover(bin)) {
      const i = bin - this.low;
      const known = this.slotOf![i]!;
      if (known >= 0) return known;
      this.slotOf![i] = this.bins.length;
    } else {
      const known = this.byBin!.get(bin);
      if (known !== undefined) return known;
      this.byBin!.set(bin, this.bins.length);
    }
    // A Map keeps a key of -0 as +0.
    this.bins.push(bin === 0 ? 0 : bin);
    this.counts.push(0);
    return this.bins.length - 1;
  }

  /** Grows the array to hold `bin`; false (and the bins moved to a Map) where the span would be too wide. */
  private cover(bin: number): boolean {
    const slotOf = this.slotOf;
    if (slotOf !== null && bin >= this.low && bin < this.low + slotOf.length) return true;
    const low = slotOf === null ? bin : Math.min(this.low, bin);
    const high = slotOf === null ? bin : Math.max(this.low + slotOf.length - 1, bin);
    if (!Number.isFinite(bin) || high - low >= MAX_ARRAY_BINS) {
      this.byBin = new Map(this.bins.map((b, k) => [b, k]));
      this.slotOf = null;
      return false;
    }
    const grownLow = Math.max(low - ARRAY_MARGIN, high - MAX_ARRAY_BINS + 1);
    const grownHigh = Math.min(high + ARRAY_MARGIN, grownLow + MAX_ARRAY_BINS - 1);
    const grown = new Int32Array(grownHigh - grownLow + 1).fill(-1);
    this.bins.forEach((b, k) => (grown[b - grownLow] = k));
    this.low = grownLow;
    this.slotOf = grown;
    return true;
  }
}
