/**
 * Incremental linking: a run links only the records that are new, or whose people a reviewer's decision
 * reopened, against the people already known.
 *
 * `review_decision.applied_run` says which link run took a decision into account; a decision recorded (or
 * changed) since is pending, and the people of its two records are relinked by the next run. The index
 * finds the links of a reopened record by their second end (the primary key serves the first).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table review_decision add column applied_run integer;
    create index match_link_b on match_link (b_batch, b_row);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index match_link_b;
    alter table review_decision drop column applied_run;
  `.execute(db);
}
