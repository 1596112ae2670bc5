/**
 * Failed authentications are audited as one row per client address, actor, action and minute, with the
 * number of attempts (src/service/throttle.ts): a flood of wrong keys no longer writes a row per attempt.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_log add column count integer not null default 1`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_log drop column count`.execute(db);
}
