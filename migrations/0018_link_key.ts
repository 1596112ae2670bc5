/**
 * The blocking keys of every linked record (issue 17 item 2): an incremental link reads only the blocks its
 * new rows fall into, by indexed look-ups here, instead of loading the whole history to block it.
 *
 * One row per record and key: `rule` the blocking rule's place in the link's rules (negative for keys
 * that are not blocking rules: -1 the key the twins' rule groups records by), `key` a 64-bit hash of the
 * key's text (names, IDs and phones are not stored again; a look-up confirms the key on the loaded rows).
 * Only records the matcher compares (not quarantined, current, of loaded batches) have keys. A full link
 * rewrites the table; an incremental one adds its new records and removes those a correction replaced.
 * The index holds every column, so counting a block and listing its members are index-only scans.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table link_key (
      rule smallint not null,
      key bigint not null,
      batch_id integer not null,
      row_number integer not null
    );
    create index link_key_block on link_key (rule, key, batch_id, row_number);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table link_key`.execute(db);
}
