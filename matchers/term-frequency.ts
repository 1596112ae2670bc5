/**
 * Term-frequency adjustment at the levels where both records hold the same name: agreeing on
 * `nguyen van hung` is weaker evidence than agreeing on a rare name. EM runs without it (as in Splink);
 * the adjustment is added when scoring (predict.ts).
 */
import { tfValue, type TfField } from './comparisons.js';
import { prepareRecords, type MatchRecords, type PreparedRecord } from './record.js';

/** Frequencies of one field's values over the records, for the term-frequency adjustment. */
export interface TfTable {
  readonly counts: ReadonlyMap<string, number>;
  readonly total: number;
  /**
   * Σ f_v²: the chance that two random records agree on this field. A value as frequent as this gets no
   * adjustment; rarer values gain weight and commoner ones lose it.
   */
  readonly sumSquares: number;
}

/**
 * `word`: every word of every name, for a one-word name (`Grace`, a FEBRL or Splink row with a name word
 * missing). Among whole names a lone word is rare, because few rows have one, so the `name` table would
 * give agreeing on `grace` the weight of a rare name; as a word it is as common as it is in names. Optional:
 * a model stored before it had none, and then the `name` table serves as before.
 */
export type TfTables = Readonly<Record<TfField, TfTable>> & { readonly word?: TfTable };

/**
 * The table of counts already made (an incremental link adds its new records' values to the last run's).
 * Σ f_v² is taken as Σ c_v² / total², from integers exact far past any province's rows, so it does not
 * depend on the order the values were met in: counted anew or carried over, the same counts give the same
 * bits.
 */
export function tfTableOfCounts(counts: Map<string, number>): TfTable {
  let total = 0;
  let squares = 0;
  for (const c of counts.values()) {
    total += c;
    squares += c * c;
  }
  return { counts, total, sumSquares: total === 0 ? 0 : squares / (total * total) };
}

/**
 * The tables of a run's records, counted a distinct name at a time (RecordTable.nameGroups): the counts,
 * and the order their values were first met in, are those of counting record by record.
 */
export function buildTfTables(records: MatchRecords): TfTables {
  const table = prepareRecords(records);
  const name = new Map<string, number>();
  const given = new Map<string, number>();
  const word = new Map<string, number>();
  const add = (counts: Map<string, number>, value: string | null, n: number) => {
    if (value !== null) counts.set(value, (counts.get(value) ?? 0) + n);
  };
  const { first, count } = table.nameGroups();
  for (let part = 0; part < first.length; part++) {
    if (count[part] === 0) continue;
    const r = table.at(first[part]!)!;
    add(name, tfValue('name', r), count[part]!);
    add(given, tfValue('given', r), count[part]!);
    for (const w of r.tokens) add(word, w, count[part]!);
  }
  return { name: tfTableOfCounts(name), given: tfTableOfCounts(given), word: tfTableOfCounts(word) };
}

/**
 * The adjustment a record's value gets at a level with term frequencies of `field`; null when the record
 * has no such value. A one-word name is looked up among all name words (TfTables.word).
 */
export function recordTfAdjustment(tables: TfTables, field: TfField, r: PreparedRecord): number | null {
  if (field === 'name' && r.tokens.length === 1 && tables.word) return tfAdjustment(tables.word, r.tokens[0]!);
  const value = tfValue(field, r);
  return value === null ? null : tfAdjustment(tables[field], value);
}

/**
 * Bits added to a TF level's weight when both records hold `value`:
 * log2(Σf² / f_value). Splink's adjustment, log2(u / tf), with u taken as the table's own chance
 * agreement so that it also applies to levels whose u includes other conditions (same given name *and*
 * a close family name). A value unseen in the table counts as seen once.
 */
export function tfAdjustment(table: TfTable, value: string): number {
  if (table.total === 0 || table.sumSquares === 0) return 0;
  const f = Math.max(table.counts.get(value) ?? 1, 1) / table.total;
  return Math.log2(table.sumSquares / f);
}
