/**
 * The size of every block in `link_key` (issue 17 item 2), kept by the runs that change link_key: an
 * incremental link decides whether each block of its new rows is over its cap by one look-up here, instead of
 * counting the block's index entries, which for the commonest blocks (a family name held by a third of a
 * province, a placeholder date) read more of the index every night as the history grew.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table link_block (
      rule smallint not null,
      key bigint not null,
      size integer not null,
      primary key (rule, key)
    );
    insert into link_block select rule, key, count(*)::int from link_key group by rule, key;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table link_block`.execute(db);
}
