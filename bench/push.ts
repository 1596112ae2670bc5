/**
 * Pushing at province scale for `npm run bench`: 100,000 generated people (BENCH_PUSH_PERSONS) imported,
 * linked and reconciled against the generator's registry, then pushed with their doses to the platform
 * simulator answering after 20 ms, as a remote platform would.
 */
import { fhirPlatform } from '../connectors/platform/fhir-http.js';
import { startPlatformSimulator } from '../connectors/platform/simulator.js';
import { fileRegistry, loadRegistryFile } from '../connectors/registry/file.js';
import type { Database } from '../src/db/database.js';
import { importFile } from '../src/ingest/import.js';
import { loadConfig, today } from '../src/config.js';
import { linkAll } from '../src/link/link.js';
import { pushOutbox } from '../src/push/push.js';
import { reconcile } from '../src/reconcile/reconcile.js';
import { writeSynthFiles } from '../src/synth/generate.js';
import { peakMemory } from './memory.js';

export async function benchPush(database: Database, dir: string, persons: number): Promise<void> {
  let started = performance.now();
  const files = await writeSynthFiles({ persons, seed: 11, dir, registry: true });
  await importFile(database, files.records, { source: 'bench-push', today: today(loadConfig()) });
  await linkAll(database);
  await loadRegistryFile(database, files.registry!.registry);
  const registry = await fileRegistry(database, files.registry!.registry);
  await reconcile(database, registry);
  await registry.close();
  console.log(`push set-up: ${persons.toLocaleString('en')} generated people imported, linked and reconciled in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const simulator = await startPlatformSimulator({ keepResources: false, faults: { latencyMs: 20 } });
  const platform = fhirPlatform({ baseUrl: simulator.url, concurrency: 8 });
  const memory = peakMemory();
  started = performance.now();
  try {
    const summary = await pushOutbox(database, platform, { bundlePersons: 100 });
    const seconds = (performance.now() - started) / 1000;
    const stats = simulator.stats();
    console.log(
      `push to the platform simulator (20 ms latency): ${summary.sent.toLocaleString('en')} people sent ` +
        `(${stats.creates.Immunization.toLocaleString('en')} doses), ${summary.rejected} rejected, ${summary.failed} failed in ` +
        `${seconds.toFixed(1)} s = ${Math.round(summary.sent / seconds).toLocaleString('en')} people/s, peak RSS ${memory()} MiB`,
    );
  } finally {
    await platform.close();
    await simulator.close();
  }
}
