/**
 * `vaxsync reconcile --registry SOURCE`: opens the registry SOURCE names (connectors/registry/open.ts),
 * checks the people that need it, prints the counts per status and writes the contract's file. The caller
 * resolves each option against the configuration (src/config.ts) before calling.
 */
import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import { openRegistry, type RegistrySource } from '../../connectors/registry/open.js';
import type { Database } from '../db/database.js';
import { reconcile } from '../reconcile/reconcile.js';
import { formatStatusCounts, registryStatusCounts, statusCountsCsv, writeReconcileCsv } from '../reconcile/report.js';

export interface ReconcileCliOptions extends RegistrySource {
  readonly out?: string;
  readonly summaryOut?: string;
  readonly all?: boolean;
  readonly maxAgeDays?: number;
}

export async function runReconcile(database: Database, options: ReconcileCliOptions, log: (line: string) => void): Promise<void> {
  const connector = await openRegistry(database, options, log);
  try {
    const summary = await reconcile(database, connector, {
      all: options.all ?? false,
      ...(options.maxAgeDays !== undefined ? { maxAgeDays: options.maxAgeDays } : {}),
    });
    log(`checked ${summary.checked} people against ${summary.registry} in ${summary.seconds.toFixed(1)} s; ` +
      `${summary.adopted} golden records took registry values`);
  } finally {
    await connector.close();
  }
  const counts = await registryStatusCounts(database);
  log(formatStatusCounts(counts));
  if (options.summaryOut) {
    await fs.promises.writeFile(options.summaryOut, statusCountsCsv(counts));
    log(`counts per commune written to ${options.summaryOut}`);
  }
  if (options.out) {
    const out = fs.createWriteStream(options.out);
    await writeReconcileCsv(database, out);
    out.end();
    await finished(out);
    log(`person_id,citizen_id,status,fields written to ${options.out}`);
  }
}
