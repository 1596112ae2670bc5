/**
 * A generated sample taken through the pipeline up to the registry: imported, linked and reconciled
 * against the generator's own registry extract. The starting point of the push, report and console tests.
 */
import { fileRegistry, loadRegistryFile } from '../../connectors/registry/file.js';
import type { Database } from '../../src/db/database.js';
import { importFile } from '../../src/ingest/import.js';
import { linkAll } from '../../src/link/link.js';
import { reconcile } from '../../src/reconcile/reconcile.js';
import { writeSynthFiles } from '../../src/synth/generate.js';

export async function reconciledSample(database: Database, options: { persons: number; seed: number; dir: string }): Promise<void> {
  const files = await writeSynthFiles({ ...options, registry: true });
  await importFile(database, files.records, { today: '2026-11-01' });
  await linkAll(database);
  await loadRegistryFile(database, files.registry!.registry);
  const registry = await fileRegistry(database, files.registry!.registry);
  try {
    await reconcile(database, registry);
  } finally {
    await registry.close();
  }
}
