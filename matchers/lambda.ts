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
