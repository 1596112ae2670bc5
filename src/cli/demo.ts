/**
 * `vaxsync demo`: the main job end to end on a generated sample, so a newcomer sees the whole flow
 * on the embedded database with nothing to install. Each stage of the pipeline adds its step here.
 */
import path from 'node:path';
import { today, type Config } from '../config.js';
import type { Database } from '../db/database.js';
import { fieldQuality, formatFieldQuality, problemCounts } from '../report/quality.js';
import { writeSynthFiles } from '../synth/generate.js';
import { linkAll } from '../link/link.js';
import { importFiles } from './import.js';
import { fhirPlatform } from '../../connectors/platform/fhir-http.js';
import { startPlatformSimulator } from '../../connectors/platform/simulator.js';
import { fileRegistry, loadRegistryFile } from '../../connectors/registry/file.js';
import { pushOutbox } from '../push/push.js';
import { reconcile } from '../reconcile/reconcile.js';
import { reportText } from '../report/format.js';
import { coverageReport } from '../report/programme.js';

export async function runDemo(
  database: Database,
  config: Config,
  options: { persons: number; seed: number },
  log: (line: string) => void,
): Promise<void> {
  const dir = path.join(config.dataDir, 'demo');
  const date = today(config);
  log(`database: ${database.description}`);
  const files = await writeSynthFiles({ persons: options.persons, seed: options.seed, dir, registry: true });
  log(`1. generated ${files.rows} records of ${options.persons} people with realistic errors: ${files.records}`);
  log('2. import and clean');
  const [summary] = await importFiles(database, [files.records], { source: 'demo', today: date }, (line) => log(`   ${line}`));
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

  log('5. reconcile with the population registry (the generated extract)');
  const registryFile = files.registry!.registry;
  await loadRegistryFile(database, registryFile);
  const registry = await fileRegistry(database, registryFile);
  try {
    const checked = await reconcile(database, registry);
    log(`   ${checked.checked} people: ${Object.entries(checked.byStatus).map(([s, n]) => `${n} ${s}`).join(', ')}`);
  } finally {
    await registry.close();
  }

  log('6. push the verified people to the national platform (a local FHIR simulator)');
  const simulator = await startPlatformSimulator({ faults: { rate429: 0.05, errorRate: 0.05, retryAfterSeconds: 0, seed: options.seed } });
  const platform = fhirPlatform({ baseUrl: simulator.url, backoffMs: 20 });
  try {
    const pushed = await pushOutbox(database, platform);
    const stats = simulator.stats();
    log(`   ${pushed.sent} sent, ${pushed.rejected} rejected, ${pushed.failed} failed; the platform holds ${stats.stored.Patient} patients and ${stats.stored.Immunization} immunizations`);
  } finally {
    await platform.close();
    await simulator.close();
  }

  log('7. report: COVID-19 coverage by age group');
  const coverage = await coverageReport(database, { date });
  const overall = { ...coverage, rows: coverage.rows.filter((r) => r[0] === 'tất cả' && String(r[1]).startsWith('COVID')) };
  log(reportText(overall).replace(/^/gm, '   '));

  log(`\nNext: npx vaxsync problems --batch ${summary!.batchId} --out problems.csv   (row-level problems for the stations)`);
  log('      npx vaxsync review list                                  (pairs for the working groups)');
  log('      npx vaxsync report due --format html --out due.html      (call list of people due a dose, by village)');
  log('      npx vaxsync serve                                        (the API and the nightly schedule)');
}
