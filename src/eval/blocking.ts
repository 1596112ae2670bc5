/**
 * How well blocking did, against the truth: of the pairs of records that are one person, the share that
 * blocking proposed as candidates (pairs completeness, the ceiling on recall: a pair never compared is
 * never linked), and how many candidate pairs it took per record (the cost).
 *
 * The candidates are the file `vaxsync dedupe --candidates` writes, `record_id_a,record_id_b`, each
 * unordered pair once; the truth is the `record_id,person_id,dose_id` file of `vaxsync evaluate`.
 */
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import { EvaluationError } from './pairwise.js';

export interface BlockingScore {
  readonly records: number;
  /** Pairs of records sharing person_id in the truth. */
  readonly truthPairs: number;
  readonly candidatePairs: number;
  /** Candidate pairs that are truth pairs. */
  readonly trueCandidatePairs: number;
  /** trueCandidatePairs / truthPairs; 1 when the truth has no pair. */
  readonly pairsCompleteness: number;
  /** candidatePairs / records. */
  readonly pairsPerRecord: number;
}

/** Streams a headed CSV, calling `onRow` with the fields of each data row. */
function readRows(file: string, columns: readonly string[], onRow: (fields: readonly string[], at: readonly number[]) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let header: readonly number[] | null = null;
    let row = 0;
    let failure: EvaluationError | null = null;
    Papa.parse<string[]>(createReadStream(file, { encoding: 'utf8' }), {
      delimiter: ',',
      step(result, parser) {
        row++;
        const fields = result.data;
        if (fields.length === 1 && fields[0]!.trim() === '') return;
        if (header === null) {
          const names = fields.map((name) => name.replace(/^\uFEFF/, '').trim().toLowerCase());
          header = columns.map((c) => names.indexOf(c));
          if (header.includes(-1)) {
            failure = new EvaluationError(`${file}: the header must name ${columns.join(', ')}; found ${fields.join(', ')}`);
            parser.abort();
          }
          return;
        }
        onRow(fields, header);
      },
      complete: () => (failure ? reject(failure) : resolve()),
      error: (e: Error) => reject(new EvaluationError(`${file}, row ${row}: ${e.message}`)),
    });
  });
}

/** Scores the candidate pairs of `candidatesFile` against the persons of `truthFile`. */
export async function evaluateBlockingFiles(truthFile: string, candidatesFile: string): Promise<BlockingScore> {
  const personOf = new Map<string, string>();
  await readRows(truthFile, ['record_id', 'person_id'], (f, at) => personOf.set(f[at[0]!]!, f[at[1]!]!));
  const sizes = new Map<string, number>();
  for (const person of personOf.values()) sizes.set(person, (sizes.get(person) ?? 0) + 1);
  let truthPairs = 0;
  for (const k of sizes.values()) truthPairs += (k * (k - 1)) / 2;

  let candidatePairs = 0;
  let trueCandidatePairs = 0;
  const unknown: string[] = [];
  await readRows(candidatesFile, ['record_id_a', 'record_id_b'], (f, at) => {
    const a = personOf.get(f[at[0]!]!);
    const b = personOf.get(f[at[1]!]!);
    if (a === undefined || b === undefined) {
      if (unknown.length < 5) unknown.push(a === undefined ? f[at[0]!]! : f[at[1]!]!);
      return;
    }
    candidatePairs++;
    if (a === b) trueCandidatePairs++;
  });
  if (unknown.length > 0) throw new EvaluationError(`${candidatesFile} names records not in ${truthFile} (e.g. ${unknown.join(', ')})`);
  const records = personOf.size;
  return {
    records,
    truthPairs,
    candidatePairs,
    trueCandidatePairs,
    pairsCompleteness: truthPairs ? trueCandidatePairs / truthPairs : 1,
    pairsPerRecord: records ? candidatePairs / records : 0,
  };
}

export function formatBlockingScore(s: BlockingScore): string {
  return (
    `blocking: ${s.trueCandidatePairs} of ${s.truthPairs} truth pairs proposed (pairs completeness ${s.pairsCompleteness.toFixed(4)}), ` +
    `${s.candidatePairs} candidate pairs, ${s.pairsPerRecord.toFixed(2)} per record`
  );
}
