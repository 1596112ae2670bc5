/**
 * What the working groups decided about pairs of records: the same person, or different people. Every
 * link run applies them (matchers/engine.ts ReviewDecisions), so a decision outlives reruns; the pair is
 * stored in (batch, row) order so each pair has one row.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table review_decision (
      a_batch integer not null,
      a_row integer not null,
      b_batch integer not null,
      b_row integer not null,
      decision text not null check (decision in ('same', 'different')),
      decided_by text not null,
      decided_at timestamptz not null default now(),
      primary key (a_batch, a_row, b_batch, b_row),
      check ((a_batch, a_row) < (b_batch, b_row))
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table review_decision`.execute(db);
}
