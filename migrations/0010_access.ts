/**
 * Access to the HTTP API: API keys (only the sha256 of each secret is stored, so a copy of the database
 * gives nobody a working key) and the audit log of every read or change of personal data, denials
 * included. The audit log names keys, batches and people by id only: it must hold no personal data itself.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_key (
      id integer generated always as identity primary key,
      name text not null unique,
      key_hash text not null unique,
      role text not null check (role in ('station', 'reviewer', 'operator')),
      station_code text,
      commune_code text,
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      -- a station key is useless without both: it could neither label its uploads nor read anything
      check (role <> 'station' or (station_code is not null and commune_code is not null))
    );
    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor text not null,
      role text not null,
      action text not null,
      resource text,
      outcome text not null check (outcome in ('ok', 'denied', 'error')),
      ip text
    );
    create index audit_log_at on audit_log (at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_log; drop table api_key`.execute(db);
}
