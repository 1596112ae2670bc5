/**
 * The registry a source string names, for the CLI and the nightly job alike: a CSV/XLSX extract (loaded
 * into the database first, unless the same file is loaded already), an http(s):// registry service (its
 * `token` resolved by the caller against the configuration, src/config.ts), or a postgres:// database with
 * `table` (and `columns` when its column names are not the contract's).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../src/db/database.js';
import { fileRegistry, loadRegistryFile } from './file.js';
import { httpRegistry } from './http.js';
import { tableRegistry } from './pg-table.js';
import { RegistryError, type RegistryConnector } from './types.js';

export interface RegistrySource {
  /** A file path, an http(s):// URL or a postgres:// URL. */
  readonly registry: string;
  readonly token?: string;
  readonly table?: string;
  /** Registry database column names by contract field, as JSON. */
  readonly columns?: string;
}

export async function openRegistry(database: Database, options: RegistrySource, log: (line: string) => void): Promise<RegistryConnector> {
  const source = options.registry;
  if (/^https?:\/\//.test(source)) {
    if (!options.token) throw new RegistryError('registry.bad_config', 'the registry service needs a token: --token or REGISTRY_TOKEN');
    return httpRegistry({ baseUrl: source, token: options.token });
  }
  if (/^postgres(ql)?:\/\//.test(source)) {
    if (!options.table) throw new RegistryError('registry.bad_config', 'a registry database needs --table (a table or view with one row per citizen)');
    let columns: Record<string, string> = {
      citizen_id: 'citizen_id', full_name: 'full_name', birth_date: 'birth_date', sex: 'sex',
      commune_code: 'commune_code', status: 'status', death_date: 'death_date',
    };
    if (options.columns) {
      try {
        columns = JSON.parse(options.columns) as Record<string, string>;
      } catch {
        throw new RegistryError('registry.bad_config', '--columns must be JSON, e.g. {"citizen_id":"so_dinh_danh","full_name":"ho_ten",…}');
      }
    }
    return tableRegistry({ url: source, table: options.table, columns: columns as never });
  }
  if (!fs.existsSync(source)) throw new RegistryError('registry.bad_config', `${source}: no such registry file (or give an http:// or postgres:// registry)`);
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
