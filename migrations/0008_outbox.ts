/**
 * The push outbox: one entry per person to send to the national platform (its Patient and its doses'
 * Immunizations travel together). A person is marked acknowledged only after the platform answered for
 * every one of its entries; the hash of what was acknowledged lets a later run tell a changed person
 * (queued again) from an unchanged one (never re-sent).
 *
 * States: pending (to send), in_flight (claimed by a push run until lease_until: a run that dies leaves
 * its claims to expire), acknowledged, rejected (the platform refused an entry: the reason is kept, and it
 * is not retried until the person changes), failed (the platform could not be reached after the retries:
 * retried by a later run from next_attempt_at).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table outbox (
      person_id bigint primary key,
      state text not null check (state in ('pending', 'in_flight', 'acknowledged', 'rejected', 'failed')),
      payload_hash text not null,
      acked_hash text,
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      lease_until timestamptz,
      last_error text,
      -- the platform's answer per entry: [{resource, status, reason?}]
      reply jsonb,
      queued_at timestamptz not null default now(),
      acknowledged_at timestamptz,
      updated_at timestamptz not null default now()
    );
    -- what a push run claims, in person order, without walking past the acknowledged millions
    create index outbox_waiting on outbox (person_id) where state in ('pending', 'in_flight', 'failed');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table outbox`.execute(db);
}
