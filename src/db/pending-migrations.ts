/** Which migrations this build knows that the database has not applied (the service's readiness). */
import { sql } from 'kysely';
import { migrations } from '../../migrations/index.js';
import type { Database } from './database.js';

/** Names of the migrations not yet applied, in order; empty when the schema is up to date. */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(database.db);
  const done = new Set(applied.rows.map((r) => r.name));
  return Object.keys(migrations).filter((name) => !done.has(name));
}
