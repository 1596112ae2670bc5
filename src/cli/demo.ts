/**
 * `vaxsync demo`: the main job end to end on a generated sample, so a newcomer sees the whole flow
 * on the embedded database with nothing to install. Each stage of the pipeline adds its step here.
 */
import path from 'node:path';
import { loadConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { fieldQuality, formatFieldQuality, problemCounts } from '../report/quality.js';
import { writeSynthFiles } from '../synth/generate.js';
import { linkAll } from '../link/link.js';
import { importFiles } from './import.js';

export async function runDemo(
  database: Database,
  options: { persons: number; seed: number },
  log: (line: string) => void,
): Promise<void> {
  const dir = path.join(loadConfig().dataDir, 'demo');
  log(`database: ${database.description}`);
  const files = await writeSynthFiles({ persons: options.persons, seed: options.seed, dir });
  log(`1. generated ${files.rows} records of ${options.persons} people with realistic errors: ${files.records}`);
  log('2. import and clean');
  const [summary] = await importFiles(database, [files.records], { source: 'demo' }, (line) => log(`   ${line}`));
  log('3. data quality of this batch');
  const scope = { batchId: summary!.batchId };
  log(formatFieldQuality(await fieldQuality(database, scope)).replace(/^/gm, '   '));
  const top = (await problemCounts(database, scope)).filter((c) => c.severity !== 'fix').slice(0, 8);
  log('   most frequent problems:');
  for (const c of top) log(`   ${String(c.rows).padStart(7)}  ${c.code}`);
  log('4. link: the same person across rows, the same injection across reports');
  const link = await linkAll(database);
  log(
    `   ${link.records} rows → ${link.persons} people and ${link.doses} doses; ${link.pairsCompared} pairs compared, ` +
      `${link.accepted} links accepted, ${link.review} pairs for review, ${link.vetoed} refused by a hard rule`,
  );
  log(`\nNext: npx vaxsync quality --batch ${summary!.batchId} --out problems.csv   (row-level problems for the stations)`);
  log('      npx vaxsync review list                                  (pairs for the working groups)');
}
