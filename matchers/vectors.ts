/** Comparison vectors: the level of every comparison for every candidate pair, computed once per run. */
import type { Comparison } from './comparisons.js';
import type { PreparedRecord, RecordList } from './record.js';

/**
 * Comparison vectors, a row each: the level of each comparison (NULL_LEVEL = -1). What EM reads, compressed
 * (training.ts compressVectors: each distinct row once, with the pairs it stands for).
 */
export interface ComparisonVectors {
  readonly levels: Int8Array;
  readonly width: number;
  readonly count: number;
  /** How many pairs each row stands for (compressed vectors); 1 each when absent. */
  readonly multiplicity?: Float64Array;
}

/**
 * The candidate pairs' comparison vectors with each distinct vector held once: a few thousand distinct
 * ones stand for millions of pairs, so a pair costs the index of its vector (4 bytes) instead of a level
 * per comparison. Distinct vectors are numbered in the order pairs first reach them.
 */
export interface DistinctVectors {
  /** The distinct vectors, `width` levels each. */
  readonly levels: Int8Array;
  readonly width: number;
  /** Index into the distinct vectors of each pair. */
  readonly patternOf: Int32Array;
  /** Pairs. */
  readonly count: number;
}

/**
 * Codes up to this many are indexed directly in a typed array (4 MB; the default comparisons have 801,900
 * codes); beyond, through a Map. The pairs' count is not known when pairs stream past, so the table is not
 * sized by it.
 */
const MAX_DIRECT_CODES = 1 << 20;

/**
 * Pairs' comparison vectors numbered as distinct vectors, pair by pair, in the order pairs first reach them:
 * the pairs themselves can stream past (the link's come from blocking a chunk at a time).
 */
export class VectorIndex {
  readonly width: number;
  private readonly radices: number[];
  private readonly direct: Int32Array | null;
  private readonly numeric: boolean;
  private readonly index = new Map<number | string, number>();
  private readonly rows: number[] = [];
  private readonly row: Int8Array;
  private distinct = 0;

  constructor(private readonly comparisons: readonly Comparison[]) {
    this.width = comparisons.length;
    let radix = 1;
    this.radices = comparisons.map((c) => {
      const r = radix;
      radix *= c.levels.length + 1;
      return r;
    });
    this.direct = radix <= MAX_DIRECT_CODES ? new Int32Array(radix).fill(-1) : null;
    // Numeric codes while exact in a double; the levels joined as a string beyond.
    this.numeric = radix <= Number.MAX_SAFE_INTEGER;
    this.row = new Int8Array(this.width);
  }

  /** The distinct vector of the pair (a, b), numbered from 0 in the order met. */
  patternOf(a: PreparedRecord, b: PreparedRecord): number {
    const { comparisons, width, radices, row, direct } = this;
    let code = 0;
    for (let c = 0; c < width; c++) {
      const level = comparisons[c]!.compare(a, b);
      row[c] = level;
      code += (level + 1) * radices[c]!;
    }
    const key = direct || this.numeric ? code : row.join(',');
    let q = direct ? direct[code]! : (this.index.get(key) ?? -1);
    if (q < 0) {
      q = this.distinct++;
      if (direct) direct[code] = q;
      else this.index.set(key, q);
      for (let c = 0; c < width; c++) this.rows.push(row[c]!);
    }
    return q;
  }

  /** Level of comparison c in distinct vector q. */
  level(q: number, c: number): number {
    return this.rows[q * this.width + c]!;
  }

  /** The distinct vectors met so far, `width` levels each. */
  levels(): Int8Array {
    return Int8Array.from(this.rows);
  }
}

export function distinctVectors(
  records: RecordList,
  pairs: { readonly left: Int32Array; readonly right: Int32Array; readonly count: number },
  comparisons: readonly Comparison[],
): DistinctVectors {
  const index = new VectorIndex(comparisons);
  const patternOf = new Int32Array(pairs.count);
  for (let p = 0; p < pairs.count; p++) patternOf[p] = index.patternOf(records.at(pairs.left[p]!)!, records.at(pairs.right[p]!)!);
  return { levels: index.levels(), width: index.width, patternOf, count: pairs.count };
}
