/**
 * Push runs and their claims' owners (migrations/0012_push_run.ts).
 *
 * A run takes a fresh id, holds the session lock `push-run:<id>` for as long as it runs, and only then
 * records itself, so a recorded run whose lock nobody holds is dead: on PostgreSQL a session lock dies
 * with its connection (a killed process never leaves it held); on PGlite only one process at a time
 * opens the folder (its lock file, src/db/data-dir-lock.ts), so every run recorded by an earlier process
 * is dead at the next start. The
 * claims of dead runs are taken back at once (`takeBackDeadClaims`), not when their lease ends; the
 * lease is left as the backstop for a live run that stopped making progress.
 */
import os from 'node:os';
import type { Database } from '../db/database.js';

/** Who holds people the current run could not send. */
export interface ClaimHolder {
  /** The live run holding them; null: claims from before push runs were recorded, free when their lease ends. */
  readonly runId: string | null;
  readonly host: string | null;
  readonly pid: number | null;
  readonly startedAt: Date | null;
  /** When the last of these claims' lease ends (after which another run may take them over anyway). */
  readonly leaseUntil: Date | null;
  readonly people: number;
}

export interface TakenBack {
  readonly people: number;
  readonly runs: number;
}

export const pushRunLock = (runId: string): string => `push-run:${runId}`;

/**
 * Runs `fn` as a recorded push run holding its session lock, and records how it ended. Claims it still
 * holds at the end (a fatal error between claiming and sending) go back to the queue.
 */
export async function withPushRun<T>(database: Database, fn: (runId: string) => Promise<T>): Promise<T> {
  const [row] = await database.withTransaction((tx) => tx.query<{ id: string }>(`select nextval('push_run_id')::text as id`));
  const runId = row!.id;
  const outcome = await database.withSessionLock(pushRunLock(runId), async () => {
    await database.db.insertInto('push_run').values({ id: runId, host: os.hostname(), pid: process.pid }).execute();
    let ended: 'finished' | 'failed' = 'failed';
    try {
      const value = await fn(runId);
      ended = 'finished';
      return value;
    } finally {
      await database
        .withTransaction(async (tx) => {
          await tx.query(`update outbox set state = 'pending', claimed_by = null, lease_until = null, updated_at = now()
                          where state = 'in_flight' and claimed_by = $1`, [runId]);
          await tx.query(`update push_run set ended_at = now(), outcome = $2 where id = $1 and ended_at is null`, [runId, ended]);
        })
        // The database went away: the run's lock went with it, so the next run finds it dead and takes
        // its claims back; the error that matters is the one already on its way.
        .catch(() => {});
    }
  });
  // A fresh id's lock is never taken; this only keeps the types honest.
  if (!outcome.acquired) throw new Error(`push run ${runId}: its own lock is taken`);
  return outcome.value;
}

/**
 * Marks `died` the runs recorded as running whose lock nobody holds, and puts back in the queue every
 * claim of a run that has ended (died now, or ended earlier without giving its claims back).
 */
export async function takeBackDeadClaims(database: Database, self: string): Promise<TakenBack> {
  const open = (await database.db.selectFrom('push_run').select('id').where('ended_at', 'is', null).where('id', '<>', self).execute()).map((r) => String(r.id));
  const held = await database.heldSessionLocks(open.map(pushRunLock));
  const dead = open.filter((id) => !held.has(pushRunLock(id)));
  return database.withTransaction(async (tx) => {
    if (dead.length > 0) {
      await tx.query(`update push_run set ended_at = now(), outcome = 'died' where id = any($1::bigint[]) and ended_at is null`, [dead]);
    }
    // A run that has ended never comes back, so its claims are free whoever started since.
    const people = await tx.query<{ claimed_by: string }>(
      `update outbox o set state = 'pending', claimed_by = null, lease_until = null, updated_at = now()
       from push_run r
       where o.state = 'in_flight' and o.claimed_by = r.id and r.ended_at is not null
       returning o.claimed_by::text as claimed_by`,
    );
    return { people: people.length, runs: new Set(people.map((p) => p.claimed_by)).size };
  });
}

/** People other runs hold as `in_flight`, by run (the caller's own claims excluded). */
export async function claimHolders(database: Database, self: string): Promise<ClaimHolder[]> {
  const rows = await database.withTransaction((tx) =>
    tx.query<{ run_id: string | null; host: string | null; pid: number | null; started_at: Date | null; lease_until: Date | null; people: string }>(
      `select o.claimed_by::text as run_id, r.host, r.pid, r.started_at, max(o.lease_until) as lease_until, count(*) as people
       from outbox o left join push_run r on r.id = o.claimed_by
       where o.state = 'in_flight' and o.claimed_by is distinct from $1::bigint
       group by o.claimed_by, r.host, r.pid, r.started_at
       order by o.claimed_by nulls last`,
      [self],
    ),
  );
  return rows.map((r) => ({
    runId: r.run_id,
    host: r.host,
    pid: r.pid,
    startedAt: r.started_at === null ? null : new Date(r.started_at),
    leaseUntil: r.lease_until === null ? null : new Date(r.lease_until),
    people: Number(r.people),
  }));
}
