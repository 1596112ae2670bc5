/**
 * Pairwise evaluation of a clustering (`record_id,person_id,dose_id`, the dedupe output contract) against the
 * truth, at two levels: people (records sharing `person_id`) and doses (records sharing a non-empty `dose_id`).
 *
 * A pair of records is "predicted" when the prediction puts both in one cluster, "truth" when the truth does,
 * and "correct" (`truePairs`) when both do. Pairs are counted, never enumerated: every record falls in one cell
 * (truth cluster, predicted cluster) of a contingency table, and a cell, cluster or table of n records holds
 * n(n-1)/2 pairs. Time and memory are O(records + clusters); on a million rows most of the time goes to
 * parsing the files and hashing the ids.
 *
 * The empty cluster label means "in no cluster" (a row with no dose): such a record forms no pair, and for
 * the split/merged diagnosis it counts as a cluster of its own.
 */
import { createReadStream } from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import Papa from 'papaparse';
import { VaxsyncError } from '../base/errors.js';

/** The label of a record that belongs to no cluster (an empty `dose_id`). */
export const NO_CLUSTER = '';

/** An evaluation that cannot go on: a file is unreadable or malformed, or the two sides hold different records. */
export class EvaluationError extends VaxsyncError<'evaluate.bad_input'> {
  override readonly name = 'EvaluationError';

  constructor(message: string) {
    super('evaluate.bad_input', message);
  }
}

export interface ClusteringScore {
  /** Predicted pairs that are also truth pairs. */
  readonly truePairs: number;
  readonly predictedPairs: number;
  readonly truthPairs: number;
  /** truePairs / predictedPairs; 1 when nothing is predicted together (no claim, so no wrong claim). */
  readonly precision: number;
  /** truePairs / truthPairs; 1 when the truth has no pair (nothing to find). */
  readonly recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  readonly f1: number;
  /** Truth clusters whose records fall into two or more predicted clusters (missed links). */
  readonly splitTruthClusters: number;
  /** Predicted clusters that hold records of two or more truth clusters (wrong links). */
  readonly mergedPredictedClusters: number;
}

/** A growable list of 32-bit integers: 4 bytes per record where an array of numbers would box or spread. */
class IntList {
  private data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** Adds 1 to the value at `index` and returns the value before. */
  increment(index: number): number {
    return this.data[index]!++;
  }

  /** The values pushed so far (a view, not a copy). */
  values(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** The index of NO_CLUSTER: a record that is in no cluster. */
const NONE = -1;

/** Cluster labels → dense indexes 0, 1, 2, …, with the pairs inside the clusters kept current. */
class ClusterIndex {
  private readonly indexByLabel = new Map<string, number>();
  private readonly sizes = new IntList();
  /** Σ n(n-1)/2 over the clusters. */
  pairs = 0;

  get count(): number {
    return this.sizes.length;
  }

  /** The index of `label`'s cluster, after counting one more record in it; NONE for NO_CLUSTER. */
  addRecord(label: string): number {
    if (label === NO_CLUSTER) return NONE;
    const index = this.indexByLabel.get(label);
    if (index === undefined) {
      this.indexByLabel.set(label, this.sizes.length);
      this.sizes.push(1);
      return this.sizes.length - 1;
    }
    // The n-th record of a cluster makes a pair with each of the n-1 already there.
    this.pairs += this.sizes.increment(index);
    return index;
  }
}

/** The contingency table summed up: pairs in the same cell, and clusters that span several cells. */
interface Contingency {
  readonly truePairs: number;
  readonly splitTruthClusters: number;
  readonly mergedPredictedClusters: number;
}

/**
 * The streaming core: feed each record once with its truth and predicted cluster labels, then read the score.
 * Memory per record is two 32-bit cluster indexes; the cells of the contingency table are counted by
 * `score()` in one pass over the records grouped by truth cluster, which is faster than a map of cells
 * (no hashing of a million cell keys). Does not check that a record is fed only once; the callers below do.
 */
export class PairwiseCounter {
  private readonly truth = new ClusterIndex();
  private readonly predicted = new ClusterIndex();
  /** The truth and predicted cluster index of each record fed, in order (NONE: no cluster). */
  private readonly truthOf = new IntList();
  private readonly predictedOf = new IntList();

  add(truthLabel: string, predictedLabel: string): void {
    this.truthOf.push(this.truth.addRecord(truthLabel));
    this.predictedOf.push(this.predicted.addRecord(predictedLabel));
  }

  score(): ClusteringScore {
    const { truePairs, splitTruthClusters, mergedPredictedClusters } = this.contingency();
    const predictedPairs = this.predicted.pairs;
    const truthPairs = this.truth.pairs;
    const precision = predictedPairs === 0 ? 1 : truePairs / predictedPairs;
    const recall = truthPairs === 0 ? 1 : truePairs / truthPairs;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { truePairs, predictedPairs, truthPairs, precision, recall, f1, splitTruthClusters, mergedPredictedClusters };
  }

  /** O(records + clusters): the records grouped by truth cluster (a counting sort), then each group's cells. */
  private contingency(): Contingency {
    const truthOf = this.truthOf.values();
    const predictedOf = this.predictedOf.values();
    const truthClusters = this.truth.count;
    const predictedClusters = this.predicted.count;

    // Records of truth cluster t are byTruth[start[t]] … byTruth[start[t + 1] - 1].
    const start = new Int32Array(truthClusters + 1);
    for (const t of truthOf) if (t !== NONE) start[t + 1]!++;
    for (let t = 0; t < truthClusters; t++) start[t + 1]! += start[t]!;
    const byTruth = new Int32Array(start[truthClusters]!);
    const next = start.slice(0, truthClusters);
    for (let r = 0; r < truthOf.length; r++) {
      const t = truthOf[r]!;
      if (t !== NONE) byTruth[next[t]!++] = r;
    }

    // Distinct cells per cluster: a record with no cluster on one side is alone in its cell, so it counts as
    // a cell of its own for the cluster it has on the other side.
    const truthCells = new Int32Array(truthClusters);
    const predictedCells = new Int32Array(predictedClusters);
    /** Records of the current truth cluster per predicted cluster; reset through `touched` after each group. */
    const inCell = new Int32Array(predictedClusters);
    const touched = new Int32Array(predictedClusters);
    let truePairs = 0;
    for (let t = 0; t < truthClusters; t++) {
      let touchedCount = 0;
      for (let i = start[t]!; i < start[t + 1]!; i++) {
        const p = predictedOf[byTruth[i]!]!;
        if (p === NONE) {
          truthCells[t]!++;
          continue;
        }
        const before = inCell[p]!;
        if (before === 0) {
          touched[touchedCount++] = p;
          truthCells[t]!++;
          predictedCells[p]!++;
        }
        truePairs += before;
        inCell[p] = before + 1;
      }
      for (let k = 0; k < touchedCount; k++) inCell[touched[k]!] = 0;
    }
    for (let r = 0; r < truthOf.length; r++) {
      const p = predictedOf[r]!;
      if (truthOf[r] === NONE && p !== NONE) predictedCells[p]!++;
    }

    const spread = (cells: Int32Array): number => cells.reduce((n, c) => (c >= 2 ? n + 1 : n), 0);
    return { truePairs, splitTruthClusters: spread(truthCells), mergedPredictedClusters: spread(predictedCells) };
  }
}

/** How many record_ids are shown in a mismatch error. */
const MISMATCH_EXAMPLES = 5;

/** Record ids found on one side only, counted, with the first few kept as examples. */
class MissingRecords {
  count = 0;
  readonly examples: string[] = [];

  add(recordId: string): void {
    if (this.count++ < MISMATCH_EXAMPLES) this.examples.push(recordId);
  }

  describe(what: string): string {
    return `${this.count} record${this.count === 1 ? '' : 's'} ${what} (e.g. ${this.examples.join(', ')})`;
  }
}

function throwOnMismatch(
  truthOnly: MissingRecords,
  predictedOnly: MissingRecords,
  truthName: string,
  predictedName: string,
): void {
  const problems: string[] = [];
  if (truthOnly.count > 0) problems.push(truthOnly.describe(`of ${truthName} missing from ${predictedName}`));
  if (predictedOnly.count > 0) problems.push(predictedOnly.describe(`of ${predictedName} not in ${truthName}`));
  if (problems.length > 0) throw new EvaluationError(`the files hold different records: ${problems.join('; ')}`);
}

/**
 * Scores the clustering `predicted` (record_id → cluster label) against `truth`. NO_CLUSTER ('') puts a record
 * in no cluster. Both maps must hold the same record ids; otherwise an EvaluationError names how many differ,
 * with examples.
 */
export function evaluateClustering(
  truth: ReadonlyMap<string, string>,
  predicted: ReadonlyMap<string, string>,
): ClusteringScore {
  const truthOnly = new MissingRecords();
  const predictedOnly = new MissingRecords();
  const counter = new PairwiseCounter();
  for (const [recordId, truthLabel] of truth) {
    const predictedLabel = predicted.get(recordId);
    if (predictedLabel === undefined) truthOnly.add(recordId);
    else counter.add(truthLabel, predictedLabel);
  }
  for (const recordId of predicted.keys()) if (!truth.has(recordId)) predictedOnly.add(recordId);
  throwOnMismatch(truthOnly, predictedOnly, 'the truth', 'the prediction');
  return counter.score();
}

// =====================================================================================================
// Files
// =====================================================================================================

/** The scores of one clustering file against a truth file. */
export interface ClusteringEvaluation {
  readonly records: number;
  /** Pairs of records sharing person_id. */
  readonly person: ClusteringScore;
  /** Pairs of records sharing a non-empty dose_id. */
  readonly dose: ClusteringScore;
}

/** One data row of a `record_id,person_id,dose_id` file. */
interface ClusterRow {
  readonly recordId: string;
  readonly personId: string;
  readonly doseId: string;
  /** 1-based row of the file, the header being row 1 (the line number unless a quoted field spans lines). */
  readonly row: number;
}

const CLUSTER_COLUMNS = ['record_id', 'person_id', 'dose_id'] as const;

/**
 * Rewrites CRLF and lone CR line endings as LF. A file touched by a script (awk, sed) often keeps the CRLF
 * header of the original and gets LF rows, and a parser that guesses one line ending would then read the
 * whole body as one row. A CR at the end of a chunk is held back in case the next chunk starts with LF.
 */
function lineEndingsToLf(): Transform {
  let heldCr = false;
  return new Transform({
    decodeStrings: false,
    encoding: 'utf8',
    transform(chunk: string, _encoding, done) {
      let text = heldCr ? `\r${chunk}` : chunk;
      heldCr = text.endsWith('\r');
      if (heldCr) text = text.slice(0, -1);
      done(null, text.replace(/\r\n?/g, '\n'));
    },
    flush(done) {
      done(null, heldCr ? '\n' : '');
    },
  });
}

/**
 * Streams the data rows of a `record_id,person_id,dose_id` CSV (UTF-8, BOM optional; columns in any order,
 * extra columns ignored, blank lines skipped) to `onRow`. Rejects with an EvaluationError naming the file,
 * and the row where there is one, for an unreadable file, a bad header or row, or an error thrown by `onRow`.
 *
 * papaparse rather than csv-parse: with its step callback it reads a million rows in under a second, several
 * times faster than csv-parse's async iterator.
 */
function readClusterRows(file: string, onRow: (row: ClusterRow) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const source = createReadStream(file, { encoding: 'utf8' });
    const text = lineEndingsToLf();
    pipeline(source, text, () => undefined); // a read error reaches `text`, hence papaparse's error callback
    let row = 0;
    let header: readonly string[] | null = null;
    let at: readonly number[] = [];
    let failure: EvaluationError | null = null;
    const fail = (problem: string, parser: Papa.Parser): void => {
      failure = new EvaluationError(`${file}, row ${row}: ${problem}`);
      parser.abort();
    };
    Papa.parse<string[]>(text, {
      delimiter: ',',
      newline: '\n',
      step(result, parser) {
        row++;
        const fields = result.data;
        if (fields.length === 1 && fields[0]!.trim() === '') return;
        if (result.errors.length > 0) return fail(result.errors[0]!.message, parser);
        if (header === null) {
          header = fields.map((name) => name.replace(/^\uFEFF/, '').trim().toLowerCase());
          at = CLUSTER_COLUMNS.map((column) => header!.indexOf(column));
          if (at.includes(-1)) {
            return fail(`the header must name ${CLUSTER_COLUMNS.join(', ')}; found ${fields.join(', ')}`, parser);
          }
          return;
        }
        if (fields.length !== header.length) {
          return fail(`${fields.length} fields where the header has ${header.length}`, parser);
        }
        const recordId = fields[at[0]!]!.trim();
        const personId = fields[at[1]!]!.trim();
        if (recordId === '') return fail('empty record_id', parser);
        if (personId === '') return fail('empty person_id (every record belongs to a person)', parser);
        try {
          onRow({ recordId, personId, doseId: fields[at[2]!]!.trim(), row });
        } catch (error) {
          if (!(error instanceof EvaluationError)) throw error;
          failure = error;
          parser.abort();
        }
      },
      complete() {
        source.destroy();
        if (failure) reject(failure);
        else if (header === null) reject(new EvaluationError(`${file}: empty file, expected the header ${CLUSTER_COLUMNS.join(',')}`));
        else resolve();
      },
      error(error: Error) {
        source.destroy();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') reject(new EvaluationError(`${file}: no such file`));
        else if (code === 'EISDIR') reject(new EvaluationError(`${file}: is a folder, not a file`));
        else reject(new EvaluationError(`${file}: ${error.message}`));
      },
    });
  });
}

function duplicateError(file: string, row: ClusterRow): EvaluationError {
  return new EvaluationError(`${file}, row ${row.row}: record_id ${row.recordId} appears more than once`);
}

/**
 * Scores the clustering file `predictedFile` against `truthFile`, both `record_id,person_id,dose_id` CSVs.
 * The truth is held in memory (one entry per record); the prediction is streamed against it. Throws an
 * EvaluationError naming the file for an unreadable or malformed file or a duplicate record_id, and one naming
 * how many records (with examples) are in one file only.
 */
export async function evaluateClusteringFiles(truthFile: string, predictedFile: string): Promise<ClusteringEvaluation> {
  const indexById = new Map<string, number>();
  const truthPersons: string[] = [];
  const truthDoses: string[] = [];
  await readClusterRows(truthFile, (row) => {
    indexById.set(row.recordId, truthPersons.length);
    // A new id grows the map by one; a repeated one only overwrites its entry. One hash lookup, not two.
    if (indexById.size === truthPersons.length) throw duplicateError(truthFile, row);
    truthPersons.push(row.personId);
    truthDoses.push(row.doseId);
  });

  const seen = new Uint8Array(truthPersons.length);
  const person = new PairwiseCounter();
  const dose = new PairwiseCounter();
  const predictedOnly = new MissingRecords();
  await readClusterRows(predictedFile, (row) => {
    const index = indexById.get(row.recordId);
    if (index === undefined) {
      predictedOnly.add(row.recordId);
      return;
    }
    if (seen[index] === 1) throw duplicateError(predictedFile, row);
    seen[index] = 1;
    person.add(truthPersons[index]!, row.personId);
    dose.add(truthDoses[index]!, row.doseId);
  });

  const truthOnly = new MissingRecords();
  if (seen.includes(0)) for (const [recordId, index] of indexById) if (seen[index] === 0) truthOnly.add(recordId);
  throwOnMismatch(truthOnly, predictedOnly, truthFile, predictedFile);
  return { records: truthPersons.length, person: person.score(), dose: dose.score() };
}
