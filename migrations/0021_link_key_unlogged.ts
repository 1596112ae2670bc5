/**
 * link_key and link_block unlogged (issue 17): they are derived from the records, written by the link alone
 * and rewritten by it whenever they are stale, so writing their rows to the WAL as well only slowed the
 * nights: at ten million rows a rewrite is 170 million keys and their index. A crash (or a promoted standby,
 * a restored base backup) leaves an unlogged table empty, which the link takes for stale and rewrites
 * (src/link/link.ts, keyLastRun). Emptied here rather than rewritten (ALTER … SET UNLOGGED copies the
 * table): the next night writes them again, with its progress shown, instead of the migration.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    truncate link_key, link_block;
    alter table link_key set unlogged;
    alter table link_block set unlogged;
    update link_run set details = details - 'keyed' where details is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table link_key set logged;
    alter table link_block set logged;
  `.execute(db);
}
