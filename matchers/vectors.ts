/** Comparison vectors: the level of every comparison for every candidate pair, computed once per run. */
import type { Comparison } from './comparisons.js';
import type { PreparedRecord } from './record.js';

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
