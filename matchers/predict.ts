/**
 * Scoring (Splink's predict): a pair's match weight in bits, prior + Σ level weights with the
 * term-frequency adjustment, and its probability; one pair with its waterfall (explain) or the candidate
 * pairs a chunk at a time from their comparison vectors (the engine).
 */
import { ColumnSpill, type SpillOptions } from '../src/base/column-spill.js';
import { NULL_LEVEL, tfRecord, tfValue, type Comparison, type TfField } from './comparisons.js';
import { groupIndex, MIN_PROBABILITY, priorWeight, probabilityOf, usableLevel, type Model, type Weights } from './model.js';
import { prepareRecord, type MatchRecord, type NameGroups, type RecordTable } from './record.js';
import { recordTfAdjustment } from './term-frequency.js';
import { VectorIndex } from './vectors.js';
import type { TfTables } from './term-frequency.js';

/**
 * log2(m/u) per level with the level's cap, neutral levels at 0, using the marginal u. For a comparison in
 * a correlated group this is its weight *alone*; in a pair the group's members share the joint u.
 */
export function levelWeights(model: Pick<Model, 'comparisons' | 'm' | 'u'>): number[][] {
  return model.comparisons.map((comparison, c) =>
    comparison.levels.map((level, l) => {
      if (level.neutral) return 0;
      const w = Math.log2(Math.max(model.m[c]![l]!, MIN_PROBABILITY) / Math.max(model.u[c]![l]!, MIN_PROBABILITY));
      return level.maxWeight === undefined ? w : Math.min(w, level.maxWeight);
    }),
  );
}

export interface LevelScore {
  readonly comparison: string;
  /** Level index, NULL_LEVEL when either side is missing. */
  readonly level: number;
  readonly label: string;
  /** The level in Vietnamese (comparisons.ts `labelVi`), or null where the level has none. */
  readonly labelVi: string | null;
  /** Bits contributed, term-frequency adjustment included. */
  readonly weight: number;
  /** The part of `weight` due to the value's frequency (0 when the level has no TF table). */
  readonly tfAdjustment: number;
}

export interface PairScore {
  /** Total match weight in bits: prior + Σ level weights. */
  readonly weight: number;
  readonly probability: number;
  readonly prior: number;
  /** The waterfall: one line per comparison, in model order. */
  readonly levels: readonly LevelScore[];
}

/**
 * One pair's score with its waterfall. Inside a correlated group the joint weight is split by the chain
 * rule in member order: phone gets log2 m/u(phone), commune log2 m/(u(phone, commune) / u(phone)), …, so
 * the lines still add up to the total.
 */
export function scorePair(a: MatchRecord, b: MatchRecord, model: Model): PairScore {
  const pa = prepareRecord(a);
  const pb = prepareRecord(b);
  const weights = levelWeights(model);
  const groupOf = groupIndex(model.comparisons.length, model);
  const prior = priorWeight(model.lambda);
  const levels = model.comparisons.map((comparison) => comparison.compare(pa, pb));
  const groupWeight = new Map<number, number>();
  for (const g of model.joint) {
    let code = 0;
    let previous = 1;
    for (let i = 0; i < g.members.length; i++) {
      const c = g.members[i]!;
      const level = levels[c]!;
      if (!usableLevel(model.comparisons[c]!, level)) continue;
      code += (level + 1) * g.radix[i]!;
      const u = Math.max(g.u[code]!, MIN_PROBABILITY);
      groupWeight.set(c, Math.log2(Math.max(model.m[c]![level]!, MIN_PROBABILITY) / (u / previous)));
      previous = u;
    }
  }
  let total = prior;
  const lines = model.comparisons.map((comparison, c): LevelScore => {
    const level = levels[c]!;
    if (level === NULL_LEVEL) return { comparison: comparison.name, level, label: 'missing on one side', labelVi: null, weight: 0, tfAdjustment: 0 };
    const def = comparison.levels[level]!;
    let tf = 0;
    const tfFrom = def.tf ? tfRecord(def, pa, pb) : null;
    if (def.tf && tfFrom) tf = recordTfAdjustment(model.tf, def.tf, tfFrom) ?? 0;
    const base = groupOf[c]! >= 0 ? (groupWeight.get(c) ?? 0) : weights[c]![level]!;
    const weight = base + tf;
    total += weight;
    return { comparison: comparison.name, level, label: def.label, labelVi: def.labelVi ?? null, weight, tfAdjustment: tf };
  });
  return { weight: total, probability: probabilityOf(total), prior, levels: lines };
}

/**
 * Each record's TF adjustment for a field, computed on first use, as an index into `values`, the distinct
 * adjustments met (index 0: 0, for a record without the field). An adjustment reads only the record's
 * name, so it is computed once a distinct name (RecordTable.nameGroups), in the order the names were first
 * met, and `values` is what a record-by-record pass would make. Indexed by record position (record ids are dense).
 */
function recordTfAdjustments(records: RecordTable, tables: TfTables): { readonly values: number[]; readonly index: (field: TfField) => Int32Array } {
  const values = [0];
  const byField: Partial<Record<TfField, Int32Array>> = {};
  let groups: NameGroups | null = null;
  const index = (field: TfField): Int32Array => {
    let arr = byField[field];
    if (!arr) {
      const { first, count, partOf } = (groups ??= records.nameGroups());
      // Keyed by the value, not the part: one name may have several parts (RecordTable.nameGroups).
      const memo = new Map<string, number>();
      const ofPart = new Int32Array(first.length);
      for (let part = 0; part < first.length; part++) {
        if (count[part] === 0) continue;
        const r = records.at(first[part]!)!;
        const value = tfValue(field, r);
        if (value === null) continue;
        // A one-word name's adjustment comes from another table (recordTfAdjustment): its own memo key.
        const key = r.tokens.length === 1 ? `\u0000${value}` : value;
        let k = memo.get(key);
        if (k === undefined) {
          memo.set(key, (k = values.length));
          values.push(recordTfAdjustment(tables, field, r) ?? 0);
        }
        ofPart[part] = k;
      }
      arr = new Int32Array(records.length);
      for (let i = 0; i < records.length; i++) arr[i] = ofPart[partOf(i)]!;
      byField[field] = arr;
    }
    return arr;
  };
  return { values, index };
}

/** A pair's columns between comparing and scoring: its two records, its distinct vector, its TF sides. */
export const PATTERN_COLUMNS = ['int32', 'int32', 'int32', 'uint8'] as const;

/** One chunk of pairs as PairPatterns keeps them (PATTERN_COLUMNS). */
export interface PatternChunk {
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly patternOf: Int32Array;
  /** Per pair, two bits per TF slot: 0 the pair adds no adjustment there, 1 the left record's, 2 the right's. */
  readonly tfSide: Uint8Array;
  readonly count: number;
}

/**
 * The candidate pairs reduced to what scoring needs while m, u and λ change but the term frequencies do
 * not (fitModel scores every candidate once per refit): each pair's comparison vector as the index of a
 * distinct one, and for each comparison with TF levels which of the pair's records gives the TF
 * adjustment, if any — two bits a pair each, one byte in all, the adjustments themselves looked up per
 * record. The pairs, 13 bytes each, are kept in a ColumnSpill (a file past its memory budget) and read a
 * chunk at a time: at ten million records' 150 million pairs they were 3.2 GB of the process's memory with
 * their weights. Records' ids are their positions, as prepareRecords makes them.
 */
export interface PairPatterns {
  /** The distinct vectors, `width` levels each. */
  readonly levels: Int8Array;
  readonly width: number;
  /** Per comparison, its slot among those with a TF level, or -1. */
  readonly tfSlot: Int32Array;
  /** distinct vectors × TF slots: which of recordTf the level of that vector reads, or -1. */
  readonly tfOfPattern: Int32Array;
  /** Per TF field met: each record's adjustment, as an index into tfValues (0 for a record without the field). */
  readonly recordTf: readonly Int32Array[];
  /** The distinct TF adjustments; index 0 is 0. */
  readonly tfValues: Float64Array;
  /** The pairs (PATTERN_COLUMNS), read a chunk at a time by scorePatterns; PatternBuilder.close lets them go. */
  readonly pairs: ColumnSpill<typeof PATTERN_COLUMNS>;
}

/** TF slots a pair's byte of tfSide holds. */
const MAX_TF_SLOTS = 4;

/**
 * Compares candidate pairs a chunk at a time as they stream past and keeps them as PairPatterns: the
 * distinct vectors in the order pairs first reach them, each pair's TF sides, the pairs in a ColumnSpill.
 */
export class PatternBuilder {
  private readonly index: VectorIndex;
  private readonly width: number;
  private readonly tfSlot: Int32Array;
  private readonly slots: number;
  private readonly recordTf: Int32Array[] = [];
  /** Per comparison and level, the index into recordTf its TF adjustment reads, or -1. */
  private readonly tfLevels: number[][];
  private readonly tfValues: number[];
  private readonly spill: ColumnSpill<typeof PATTERN_COLUMNS>;
  private patternOf = new Int32Array(0);
  private tfSide = new Uint8Array(0);

  /**
   * Each record's TF adjustments are worked out here, before any pair comes: the link makes its builder
   * before blocking, so that this garbage is collected while blocking runs rather than piled on blocking's
   * own, which at ten million records waits for a collection (about 1 GB of typed arrays).
   */
  constructor(
    private readonly records: RecordTable,
    private readonly comparisons: readonly Comparison[],
    tables: TfTables,
    spill: SpillOptions = {},
  ) {
    this.width = comparisons.length;
    this.index = new VectorIndex(comparisons);
    const adjustments = recordTfAdjustments(records, tables);
    this.tfValues = adjustments.values;
    this.tfSlot = new Int32Array(this.width).fill(-1);
    let slots = 0;
    comparisons.forEach((c, i) => {
      if (c.levels.some((l) => l.tf)) this.tfSlot[i] = slots++;
    });
    if (slots > MAX_TF_SLOTS) throw new Error(`at most ${MAX_TF_SLOTS} comparisons with TF levels, got ${slots}`);
    this.slots = slots;
    this.tfLevels = comparisons.map((c) =>
      c.levels.map((l) => {
        if (!l.tf) return -1;
        const perRecord = adjustments.index(l.tf);
        const known = this.recordTf.indexOf(perRecord);
        return known >= 0 ? known : this.recordTf.push(perRecord) - 1;
      }),
    );
    this.spill = new ColumnSpill(PATTERN_COLUMNS, spill);
  }

  /** Compares `count` pairs and keeps them; returns each one's distinct vector (valid until the next call). */
  add(left: Int32Array, right: Int32Array, count: number): Int32Array {
    if (this.patternOf.length < count) {
      this.patternOf = new Int32Array(count);
      this.tfSide = new Uint8Array(count);
    }
    const { records, comparisons, width, tfSlot, tfLevels, index, patternOf, tfSide } = this;
    for (let p = 0; p < count; p++) {
      const a = records.at(left[p]!)!;
      const b = records.at(right[p]!)!;
      const q = index.patternOf(a, b);
      patternOf[p] = q;
      let sides = 0;
      for (let c = 0; c < width; c++) {
        const slot = tfSlot[c]!;
        if (slot < 0) continue;
        const level = index.level(q, c);
        if (level === NULL_LEVEL || tfLevels[c]![level]! < 0) continue;
        const def = comparisons[c]!.levels[level]!;
        if (def.tfFrom === undefined) sides |= 1 << (2 * slot);
        else {
          const from = tfRecord(def, a, b);
          if (from) sides |= (from.id === left[p] ? 1 : 2) << (2 * slot);
        }
      }
      tfSide[p] = sides;
    }
    this.spill.append([left, right, patternOf, tfSide], count);
    return patternOf;
  }

  /** The pairs added, as scoring reads them. */
  finish(): PairPatterns {
    const { width, slots, tfSlot, tfLevels } = this;
    const levels = this.index.levels();
    const distinct = levels.length / Math.max(width, 1);
    const tfOfPattern = new Int32Array(distinct * slots).fill(-1);
    for (let q = 0; q < distinct; q++) {
      for (let c = 0; c < width; c++) {
        const level = levels[q * width + c]!;
        if (tfSlot[c]! >= 0 && level !== NULL_LEVEL) tfOfPattern[q * slots + tfSlot[c]!] = tfLevels[c]![level]!;
      }
    }
    return { levels, width, tfSlot, tfOfPattern, recordTf: this.recordTf, tfValues: Float64Array.from(this.tfValues), pairs: this.spill };
  }

  /** Lets the pairs go (PairPatterns.pairs included): after scoring, or when a stage fails. */
  close(): void {
    this.spill.close();
  }
}

/**
 * Every candidate's weight from PairPatterns, as scorePair adds it up (the test holds them equal bit for
 * bit, against each pair scored from its own vector), a chunk at a time: `visit` gets the chunk and its
 * weights (both valid only during the call). Each pattern's level weights are looked up once, and every
 * pair then adds them, its TF adjustments and the groups' joint u in comparison order. Where that
 * reference adds nothing (a missing or neutral level, no TF, no group member present) this adds +0, which
 * leaves any sum but -0 unchanged, and a sum that starts at +0 or a prior never becomes -0.
 */
export function scorePatterns(
  patterns: PairPatterns,
  model: Omit<Weights, 'tf'> & { readonly lambda: number | null },
  visit: (chunk: PatternChunk, weights: Float64Array) => void,
): void {
  const { width, tfSlot, tfOfPattern, recordTf, tfValues } = patterns;
  const slots = tfSlot.filter((slot) => slot >= 0).length;
  const comparisons = model.comparisons;
  const weights = levelWeights(model);
  const groupOf = groupIndex(width, model);
  const groups = model.joint.length;
  const logM = model.m.map((levels, c) =>
    levels.map((x, l) => (comparisons[c]!.levels[l]!.neutral ? 0 : Math.log2(Math.max(x, MIN_PROBABILITY)))),
  );
  const groupLogU = model.joint.map((g) => g.u.map((x) => Math.log2(Math.max(x, MIN_PROBABILITY))));
  const memberRadix = comparisons.map((_, c) => (groupOf[c]! >= 0 ? model.joint[groupOf[c]!]!.radix[model.joint[groupOf[c]!]!.members.indexOf(c)]! : 0));
  const neutral = comparisons.map((c) => c.levels.map((l) => l.neutral === true));
  const distinct = patterns.levels.length / Math.max(width, 1);
  // Per pattern, in one row: what each comparison adds, then what each group subtracts.
  const stride = width + groups;
  const table = new Float64Array(distinct * stride);
  const codes = new Int32Array(groups);
  for (let q = 0; q < distinct; q++) {
    codes.fill(0);
    for (let c = 0; c < width; c++) {
      const level = patterns.levels[q * width + c]!;
      if (level === NULL_LEVEL) continue;
      const g = groupOf[c]!;
      if (g < 0) table[q * stride + c] = weights[c]![level]!;
      else if (!neutral[c]![level]) {
        table[q * stride + c] = logM[c]![level]!;
        codes[g]! += (level + 1) * memberRadix[c]!;
      }
    }
    for (let g = 0; g < groups; g++) if (codes[g] !== 0) table[q * stride + width + g] = groupLogU[g]![codes[g]!]!;
  }
  const prior = model.lambda === null ? 0 : priorWeight(model.lambda);
  let out = new Float64Array(0);
  patterns.pairs.forEachChunk(([left, right, patternOf, tfSide], count) => {
    if (out.length < count) out = new Float64Array(count);
    for (let p = 0; p < count; p++) {
      const q = patternOf[p]!;
      const row = q * stride;
      const sides = tfSide[p]!;
      let w = prior;
      for (let c = 0; c < width; c++) {
        w += table[row + c]!;
        const slot = tfSlot[c]!;
        if (slot < 0) continue;
        // A pair with no adjustment at a TF comparison adds tfValues[0], +0, as it always has.
        const side = (sides >> (2 * slot)) & 3;
        w += side === 0 ? tfValues[0]! : tfValues[recordTf[tfOfPattern[q * slots + slot]!]![side === 1 ? left[p]! : right[p]!]!]!;
      }
      for (let g = width; g < stride; g++) w -= table[row + g]!;
      out[p] = w;
    }
    visit({ left, right, patternOf, tfSide, count }, out);
  });
}
