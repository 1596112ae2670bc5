/**
 * How well reconciliation assigned the registry statuses, against a generator's truth: each true person's
 * expected status (registry-truth.csv: person_id,citizen_id,status,fields) is compared with the status of
 * the predicted person holding most of its records (the dedupe output maps records to predicted persons,
 * the reconcile output predicted persons to statuses). Linking errors therefore count against the score,
 * as they would in the field.
 */
import fs from 'node:fs';
import Papa from 'papaparse';
import { EvaluationError } from './pairwise.js';

export interface StatusEvaluation {
  readonly persons: number;
  readonly correct: number;
  readonly accuracy: number;
  /** expected status → predicted status → people. */
  readonly confusion: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

function readCsv(file: string, columns: readonly string[]): Record<string, string>[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new EvaluationError(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\ufeff/, ''), { header: true, skipEmptyLines: true });
  const missing = columns.filter((c) => !parsed.meta.fields?.includes(c));
  if (missing.length > 0) throw new EvaluationError(`${file}: missing column(s) ${missing.join(', ')}`);
  return parsed.data;
}

export function evaluateStatusFiles(files: {
  readonly truth: string;
  readonly pred: string;
  readonly registryTruth: string;
  readonly reconciled: string;
}): StatusEvaluation {
  const predictedPerson = new Map(readCsv(files.pred, ['record_id', 'person_id']).map((r) => [r.record_id!, r.person_id!]));
  const recordsOf = new Map<string, string[]>();
  for (const r of readCsv(files.truth, ['record_id', 'person_id'])) {
    const list = recordsOf.get(r.person_id!);
    if (list) list.push(r.record_id!);
    else recordsOf.set(r.person_id!, [r.record_id!]);
  }
  const statusOf = new Map(readCsv(files.reconciled, ['person_id', 'status']).map((r) => [r.person_id!, r.status!]));

  const confusion = new Map<string, Map<string, number>>();
  let persons = 0;
  let correct = 0;
  for (const expected of readCsv(files.registryTruth, ['person_id', 'status'])) {
    // The predicted person holding most of this person's records (the first on a tie).
    const votes = new Map<string, number>();
    for (const record of recordsOf.get(expected.person_id!) ?? []) {
      const p = predictedPerson.get(record);
      if (p !== undefined) votes.set(p, (votes.get(p) ?? 0) + 1);
    }
    let best: string | undefined;
    for (const [p, n] of votes) if (best === undefined || n > votes.get(best)!) best = p;
    const got = (best !== undefined ? statusOf.get(best) : undefined) ?? 'unchecked';
    persons++;
    if (got === expected.status) correct++;
    const row = confusion.get(expected.status!) ?? new Map<string, number>();
    row.set(got, (row.get(got) ?? 0) + 1);
    confusion.set(expected.status!, row);
  }
  return { persons, correct, accuracy: persons === 0 ? 0 : correct / persons, confusion };
}

export function formatStatusEvaluation(e: StatusEvaluation): string {
  const statuses = [...new Set([...e.confusion.keys(), ...[...e.confusion.values()].flatMap((m) => [...m.keys()])])];
  const width = Math.max(10, ...statuses.map((s) => s.length));
  const lines = [
    `registry statuses: ${e.correct} of ${e.persons} people right, accuracy ${e.accuracy.toFixed(4)}`,
    `${'expected \\ got'.padEnd(width + 2)}${statuses.map((s) => s.padStart(width)).join('')}`,
  ];
  for (const [expected, row] of e.confusion) {
    lines.push(`${expected.padEnd(width + 2)}${statuses.map((s) => String(row.get(s) ?? 0).padStart(width)).join('')}`);
  }
  return lines.join('\n');
}
