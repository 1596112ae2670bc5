/**
 * What the population registry said about each person, when, and which registry: reports count the
 * verified share from it, and the nightly run re-checks only people that changed (a link run rewrote
 * them) or whose check is older than the configured age.
 *
 * `ours` is the identity the person's own records gave, kept when the golden record adopted registry values
 * (null otherwise: the golden record still is that identity). A re-check compares it, not the adopted
 * values, so a corrected person stays corrected.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table registry_check (
      person_id bigint primary key,
      person_link_run integer not null,
      checked_at timestamptz not null default now(),
      registry text not null,
      status text not null check (status in ('verified', 'corrected', 'conflict', 'not_found', 'no_id', 'deceased')),
      fields text[] not null default '{}',
      -- how the registry entry was found: by the person's citizen ID, or by name + birth date (no usable ID)
      found_by text check (found_by in ('id', 'identity')),
      citizen_id text,
      note text,
      ours jsonb,
      registry_identity jsonb
    );
    create index registry_check_status on registry_check (status);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table registry_check`.execute(db);
}
