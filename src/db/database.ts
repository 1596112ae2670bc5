/**
 * The one place that opens the database: PostgreSQL through `pg` when a connection string is given
 * (./postgres.ts), otherwise the embedded PostgreSQL (PGlite) in a local folder (./pglite.ts), so a newcomer
 * needs no server. Both run the same SQL behind one interface (./backend.ts); the schema is migrated on open.
 */
import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from '../../migrations/index.js';
import type { Database, OpenOptions } from './backend.js';
import { openPGlite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Schema } from './schema.js';

export type { CopyWriter, Database, OpenOptions, RawTransaction } from './backend.js';

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const database = options.url ? await openPostgres(options.url, options.schema) : await openPGlite(options);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(database.db, options.schema ?? 'public');
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

/**
 * `schema` must be the one the connection works in: Kysely looks for its bookkeeping tables by name in
 * every schema unless told which, so one left behind in another schema (a crashed test run) would make
 * it skip creating them here.
 */
export async function migrateToLatest(db: Kysely<Schema>, schema: string): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: schema });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
  }
  return result;
}
