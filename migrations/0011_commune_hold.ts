/**
 * Moves of a person to another commune that a link run did not adopt (issue 15, finding 1): the golden
 * record keeps the commune it had (or that the other stations' rows give) when the rows for the new one
 * all come from one uploading station, since a station reads the people of its own commune and could
 * otherwise pull anyone into its reach by uploading rows with their CCCD. Each held move waits here for
 * the working group (`vaxsync review communes`, GET /review/communes); a link run that rewrites the person
 * rewrites its row, like the person's own.
 *
 * The person's citizen ID gets an index: the upload answer and the station's lookup find people by it.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table commune_hold (
      person_id bigint primary key,
      link_run_id integer not null,
      kept text not null,
      proposed text not null,
      station_code text not null,
      -- the rows ('batch:row') that asked for the move
      rows text[] not null
    );
    create index person_citizen_id on person (citizen_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index person_citizen_id; drop table commune_hold`.execute(db);
}
