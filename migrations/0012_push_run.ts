/**
 * Push runs, so that a claim belongs to a run whose life can be checked. Each `vaxsync push` (or nightly
 * push stage) records itself here and holds a session lock named after its id for as long as it runs
 * (src/push/run.ts); every person it claims carries `outbox.claimed_by`. A run whose lock nobody holds is
 * dead (its process was killed, its connection gone): the next run takes its claims back at once instead
 * of waiting for their lease, and records it `died`.
 *
 * `pid` and `host` say which process a live run is, for the operator (no personal data).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table push_run (
      id bigint primary key,
      host text not null,
      pid integer not null,
      started_at timestamptz not null default now(),
      -- null while the run is (or was last known) running
      ended_at timestamptz,
      outcome text check (outcome in ('finished', 'failed', 'died')),
      check ((ended_at is null) = (outcome is null))
    );
    create sequence push_run_id owned by push_run.id;
    -- the runs still to check for life: a handful, whatever the history's length
    create index push_run_open on push_run (id) where ended_at is null;
    alter table outbox add column claimed_by bigint references push_run (id);
    -- the claims to look at when a run is found dead, or to list who holds what
    create index outbox_claimed on outbox (claimed_by) where state = 'in_flight';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table outbox drop column claimed_by;
    drop table push_run;
  `.execute(db);
}
