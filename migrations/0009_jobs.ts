/**
 * Job history of the nightly pipeline (src/jobs/pipeline.ts): one `job_run` per run, one `job_stage` per
 * stage it ran or deliberately skipped, with what the stage counted and why it failed. The history is also
 * what a run resumes from: the stages a failed run finished are not redone by the next one.
 *
 * A run whose process died stays `running` until the next run (which holds the nightly lock, so nothing
 * else can be running) marks it `abandoned`.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table job_run (
      id integer generated always as identity primary key,
      trigger text not null check (trigger in ('schedule', 'manual', 'api')),
      instance text not null,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      status text not null check (status in ('running', 'succeeded', 'failed', 'abandoned')),
      error text
    );
    create table job_stage (
      run_id integer not null references job_run (id) on delete cascade,
      stage text not null check (stage in ('import', 'link', 'reconcile', 'push', 'report')),
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      status text not null check (status in ('running', 'succeeded', 'failed', 'skipped', 'abandoned')),
      counts jsonb,
      error text,
      primary key (run_id, stage)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table job_stage; drop table job_run`.execute(db);
}
