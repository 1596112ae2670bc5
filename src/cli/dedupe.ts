/** `vaxsync dedupe INPUT --out OUT.csv`: import, clean, link and export in one command (records contract). */
import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Database } from '../db/database.js';
import { batchLinkCounts, writeDedupeCsv } from '../link/export.js';
import { linkAll } from '../link/link.js';
import { importFiles } from './import.js';

export async function runDedupe(
  database: Database,
  input: string,
  options: { readonly out: string; readonly source?: string; readonly today: string },
  log: (line: string) => void,
): Promise<void> {
  const [summary] = await importFiles(database, [input], { source: options.source ?? 'dedupe', today: options.today }, log);
  const batchId = summary!.batchId;
  const link = await linkAll(database);
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

  const counts = await batchLinkCounts(database, batchId);
  log(
    `${summary!.rows} rows read, ${summary!.quarantined} quarantined, ${counts.people} people, ${counts.doses} doses, ` +
      `${counts.review} pairs sent to review; written to ${options.out}`,
  );
}
