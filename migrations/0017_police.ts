/**
 * The police check loop of Project 06 (issue 16 item 6): the commune police (Công an xã) check the people
 * the registry could not confirm against the national population database, answer per person, and sign the
 * list back to the station.
 *
 * - `api_key` gains the `police` role: a key bound to one commune (and no station), like a station's reach
 *   without its uploads.
 * - `police_answer`: one row per answer an officer gives for a person, never updated: the newest answer of
 *   a person is the one in force (src/reconcile/police.ts), older ones are its history. The values the
 *   officer confirmed or corrected are the registry's answer for that person at the next reconcile, with
 *   the officer's key as provenance (`found_by = 'police'`, `registry = 'police:<key>'`). `asked` is what the
 *   list showed the officer (status, identity), so an auditor sees what was answered.
 * - `police_sign_off`: the list signed back: who, when, how many people it held and the outcomes counted.
 *   Answers it covers point to it; answers given after it wait for the next sign-off.
 *
 * No foreign key to `person`: a link run rewrites people (their ids stay, src/link/stable-ids.ts), and an
 * answer must outlive that.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table api_key drop constraint api_key_role_check;
    alter table api_key add constraint api_key_role_check check (role in ('station', 'reviewer', 'operator', 'police'));
    -- a police key reads one commune's list: without a commune it could read nothing
    alter table api_key add constraint api_key_police_commune check (role <> 'police' or (commune_code is not null and station_code is null));

    alter table registry_check drop constraint registry_check_found_by_check;
    alter table registry_check add constraint registry_check_found_by_check check (found_by in ('id', 'identity', 'police'));

    create table police_sign_off (
      id integer generated always as identity primary key,
      commune_code text not null,
      officer text not null,
      officer_key_id integer not null references api_key (id),
      signed_at timestamptz not null default now(),
      -- people on the list when it was signed, those with an answer, and the answers per outcome
      people integer not null,
      answered integer not null,
      outcomes jsonb not null
    );
    create index police_sign_off_commune on police_sign_off (commune_code, signed_at);

    create table police_answer (
      id bigint generated always as identity primary key,
      person_id bigint not null,
      commune_code text not null,
      outcome text not null check (outcome in ('id_confirmed', 'corrected', 'not_resident', 'deceased')),
      -- the identity the officer confirmed or corrected (null: not given)
      citizen_id text check (citizen_id ~ '^[0-9]{12}$'),
      full_name text,
      birth_date text,
      sex text check (sex in ('male', 'female')),
      death_date text,
      note text,
      asked jsonb not null,
      officer text not null,
      officer_key_id integer not null references api_key (id),
      recorded_at timestamptz not null default now(),
      sign_off_id integer references police_sign_off (id)
    );
    create index police_answer_person on police_answer (person_id, id);
    create index police_answer_commune on police_answer (commune_code, sign_off_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table police_answer;
    drop table police_sign_off;
    alter table registry_check drop constraint registry_check_found_by_check;
    alter table registry_check add constraint registry_check_found_by_check check (found_by in ('id', 'identity'));
    alter table api_key drop constraint api_key_police_commune;
    alter table api_key drop constraint api_key_role_check;
    alter table api_key add constraint api_key_role_check check (role in ('station', 'reviewer', 'operator'));
  `.execute(db);
}
