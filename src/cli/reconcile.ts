/**
 * `vaxsync reconcile --registry SOURCE`: opens the registry SOURCE names, checks the people that need it,
 * prints the counts per status and writes the contract's file.
 *
 * SOURCE is a CSV/XLSX extract (loaded into the database first, unless the same file is loaded already),
 * an http(s):// registry service (token from --token or REGISTRY_TOKEN), or a postgres:// database
 * with --table (and --columns when its column names are not the contract's). The caller resolves each
 * option against the configuration (src/config.ts) before calling.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { fileRegistry, loadRegistryFile } from '../../connectors/registry/file.js';
import { httpRegistry } from '../../connectors/registry/http.js';
import { tableRegistry } from '../../connectors/registry/pg-table.js';
import { RegistryError, type RegistryConnector } from '../../connectors/registry/types.js';
import type { Database } from '../db/database.js';
import { reconcile } from '../reconcile/reconcile.js';
import { formatStatusCounts, registryStatusCounts, statusCountsCsv, writeReconcileCsv } from '../reconcile/report.js';

export interface ReconcileCliOptions {
  readonly registry: string;
  readonly out?: string;
  readonly summaryOut?: string;
  readonly all?: boolean;
  readonly maxAgeDays?: number;
  readonly token?: string;
  readonly table?: string;
  readonly columns?: string;
}

export async function openRegistry(database: Database, options: ReconcileCliOptions, log: (line: string) => void): Promise<RegistryConnector> {
  const source = options.registry;
  if (/^https?:\/\//.test(source)) {
    if (!options.token) throw new RegistryError('the registry service needs a token: --token or REGISTRY_TOKEN');
    return httpRegistry({ baseUrl: source, token: options.token });
  }
  if (/^postgres(ql)?:\/\//.test(source)) {
    if (!options.table) throw new RegistryError('a registry database needs --table (a table or view with one row per citizen)');
    let columns: Record<string, string> = {
      citizen_id: 'citizen_id', full_name: 'full_name', birth_date: 'birth_date', sex: 'sex',
      commune_code: 'commune_code', status: 'status', death_date: 'death_date',
    };
    if (options.columns) {
      try {
        columns = JSON.parse(options.columns) as Record<string, string>;
      } catch {
        throw new RegistryError('--columns must be JSON, e.g. {"citizen_id":"so_dinh_danh","full_name":"ho_ten",…}');
      }
    }
    return tableRegistry({ url: source, table: options.table, columns: columns as never });
  }
  if (!fs.existsSync(source)) throw new RegistryError(`${source}: no such registry file (or give an http:// or postgres:// registry)`);
  const sha256 = crypto.createHash('sha256').update(await fs.promises.readFile(source)).digest('hex');
  const loaded = await database.db.selectFrom('registry_load').select('file_sha256').where('source', '=', path.basename(source)).executeTakeFirst();
  if (loaded?.file_sha256 !== sha256) {
    const summary = await loadRegistryFile(database, source);
    log(`registry extract ${summary.file}: ${summary.loaded} citizens loaded in ${summary.seconds.toFixed(1)} s` +
      (summary.rejected > 0 ? `, ${summary.rejected} rows without a usable ID skipped` : '') +
      (summary.duplicates > 0 ? `, ${summary.duplicates} repeated IDs skipped` : ''));
    for (const p of summary.problems) log(`  ${p.file} row ${p.row}, column ${p.column}: ${p.problem}`);
  }
  return fileRegistry(database, source);
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
