/** `vaxsync dedupe INPUT --out OUT.csv`: import, clean, link and export in one command (records contract). */
import fs from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { csvLine } from '../base/csv.js';
import type { Database } from '../db/database.js';
import { batchLinkCounts, writeDedupeCsv } from '../link/export.js';
import { linkAll } from '../link/link.js';
import { importFiles } from './import.js';

export async function runDedupe(
  database: Database,
  input: string,
  options: { readonly out: string; readonly source?: string; readonly today: string; readonly candidates?: string },
  log: (line: string) => void,
): Promise<void> {
  const [summary] = await importFiles(database, [input], { source: options.source ?? 'dedupe', today: options.today }, log);
  const batchId = summary!.batchId;
  // Candidate pairs within this file's batch, as row numbers (a pair with a row of another batch is left out).
  const candidateRows: number[] = [];
  const link = await linkAll(
    database,
    {},
    options.candidates
      ? {
          onCandidates: (aBatch, aRow, bBatch, bRow) => {
            if (aBatch === batchId && bBatch === batchId) candidateRows.push(aRow, bRow);
          },
        }
      : {},
  );
  const stages = Object.entries(link.seconds)
    .filter(([stage]) => !stage.startsWith('match.'))
    .map(([stage, s]) => `${stage} ${s.toFixed(1)} s`)
    .join(', ');
  log(`linked ${link.records} records: ${link.pairsCompared} pairs compared, ${link.accepted} links accepted (${stages})`);
  for (const warning of link.warnings) log(`  warning: ${warning}`);

  const out = fs.createWriteStream(options.out);
  await writeDedupeCsv(database, batchId, out);
  out.end();
  await finished(out);

  if (options.candidates) await writeCandidates(database, batchId, candidateRows, options.candidates);

  const counts = await batchLinkCounts(database, batchId);
  log(
    `${summary!.rows} rows read, ${summary!.quarantined} quarantined, ${counts.people} people, ${counts.doses} doses, ` +
      `${counts.review} pairs sent to review; written to ${options.out}`,
  );
}

/** `record_id_a,record_id_b` per candidate pair (record ids are the file's own: no personal data beyond them). */
async function writeCandidates(database: Database, batchId: number, rows: readonly number[], file: string): Promise<void> {
  const ids = await database.db.selectFrom('record').select(['row_number', 'record_id']).where('batch_id', '=', batchId).execute();
  const idOf = new Map(ids.map((r) => [r.row_number, r.record_id]));
  const out = fs.createWriteStream(file);
  out.write('record_id_a,record_id_b\n');
  for (let k = 0; k < rows.length; k += 2) {
    const line = csvLine([idOf.get(rows[k]!) ?? '', idOf.get(rows[k + 1]!) ?? '']) + '\n';
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
}
