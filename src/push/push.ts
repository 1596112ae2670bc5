/**
 * Pushing verified people to the national platform through the outbox (migrations/0008_outbox.ts).
 *
 * 1. `syncOutbox` queues every person the registry verified (status verified or corrected, checked since
 *    the person was last rewritten) whose FHIR payload differs from what the platform acknowledged; a person
 *    no longer verified leaves the queue unless it was already acknowledged.
 * 2. `pushOutbox` runs as a recorded push run (./run.ts) holding a session lock, so that a run whose
 *    process is gone is known dead at once: it first takes back the claims of dead runs, then claims
 *    queued people in pages (each claim tied to the run, with a lease as the backstop for a live run that
 *    stopped making progress), builds their entries from the current data, sends them in transaction
 *    bundles, and records per person what the platform said: acknowledged (every entry taken), rejected
 *    (an entry refused: the reason is kept, it is not sent again until the person changes), failed (the
 *    platform unreachable after the connector's retries: a later run tries again).
 * 3. The summary says what is left: people other live runs still hold (and which runs), and people unsent
 *    without a reason (failed, or waiting for their next try).
 *
 * Nothing is lost: a person is acknowledged only after the platform's answer is stored. Nothing is sent
 * twice in effect: every entry is a conditional update, so re-sending a bundle whose answer was lost (a
 * crash, a dropped connection) updates what the platform has instead of creating it again; and an
 * acknowledged person whose payload hash is unchanged is never queued again.
 */
import { copyLine } from '../base/copy.js';
import type { Database, RawTransaction } from '../db/database.js';
import { PlatformError, type EntryOutcome, type PlatformConnector } from '../../connectors/platform/types.js';
import { DEFAULT_SYSTEMS, entriesHash, payloadHash, personEntries, transactionBundle, type IdentifierSystems, type PushDose, type PushGuardian, type PushPerson } from './fhir.js';
import { claimHolders, takeBackDeadClaims, withPushRun, type ClaimHolder } from './run.js';

export interface PushOptions {
  /** People per transaction bundle (each brings its Patient and its Immunizations). */
  readonly bundlePersons?: number;
  /**
   * How long a claim holds before another run may take the person over even though its run is alive
   * (a run that stopped making progress). A dead run's claims are taken back at once, whatever the lease.
   */
  readonly leaseSeconds?: number;
  /** When a person that failed may be tried again. */
  readonly retryFailedAfterSeconds?: number;
  readonly systems?: IdentifierSystems;
  /** Whether a child without a citizen ID is sent with its guardian (VAXSYNC_PUSH_GUARDIAN); default: not. */
  readonly guardian?: GuardianPolicy;
  readonly onProgress?: (progress: PushProgress) => void;
}

/**
 * `never`: no guardian leaves vaxsync (the default: the guardian is a third person whose data the operator
 * must have a basis to share, DOMAIN.md §6.3). `children-without-id`: a person without a CCCD or CMND is
 * sent with the guardian their records name (the mother of a newborn, mostly), so the platform can find the
 * child before it has an ID.
 */
export const GUARDIAN_POLICIES = ['never', 'children-without-id'] as const;
export type GuardianPolicy = (typeof GUARDIAN_POLICIES)[number];

export interface PushProgress {
  readonly sent: number;
  readonly rejected: number;
  readonly failed: number;
}

export interface PushSummary extends PushProgress {
  /** This run's id (push_run). */
  readonly runId: string;
  /** People queued when the run began (after the sync). */
  readonly queued: number;
  /** Claims taken back from runs whose process was gone (found when this run started or while it ran). */
  readonly reclaimed: { readonly people: number; readonly runs: number };
  /** People other runs still held when this one ended, by run: the live runs sending them. */
  readonly held: readonly ClaimHolder[];
  /**
   * Verified people still waiting when the run ended that no other run holds: failed after the retries,
   * waiting for their next try, or queued meanwhile. They have no reason the platform gave.
   */
  readonly unsent: number;
  readonly seconds: number;
}

const SYNC_PAGE = 5_000;
/** People claimed at a time: enough bundles to keep the connector's concurrency busy. */
const CLAIM_BUNDLES = 16;

const ELIGIBLE = `
  from person p join registry_check c on c.person_id = p.id
  where c.status in ('verified', 'corrected') and c.person_link_run = p.link_run_id`;

interface PersonRow {
  readonly id: string;
  readonly citizen_id: string | null;
  readonly full_name: string | null;
  readonly birth_date: string | null;
  readonly sex: 'male' | 'female' | null;
  readonly phone: string | null;
  readonly commune_code: string | null;
  readonly address: string | null;
  readonly deceased: boolean;
}

/**
 * The people at `ids` as the platform will receive them, from the current golden records and doses (and,
 * when the policy allows, the guardian their records name most often).
 */
export async function loadPushPersons(query: RawTransaction['query'], ids: readonly string[], guardianPolicy: GuardianPolicy = 'never'): Promise<PushPerson[]> {
  if (ids.length === 0) return [];
  const persons = await query<PersonRow>(
    `select p.id::text as id, p.citizen_id, p.full_name, p.birth_date, p.sex, p.phone, p.commune_code, p.address,
            coalesce(c.status = 'deceased', false) as deceased
     from person p left join registry_check c on c.person_id = p.id
     where p.id = any($1::bigint[]) order by p.id`,
    [ids],
  );
  // A dose's lot, facility and adverse event come from the rows that reported it; min() keeps the choice
  // deterministic, so an unchanged person always hashes the same.
  const doses = await query<{
    person_id: string; dose_id: string; vaccine_code: string | null; vaccination_date: string | null; dose_number: number | null;
    lot_number: string | null; facility_code: string | null; adverse_event: string | null;
  }>(
    `select d.person_id::text as person_id, d.id::text as dose_id, d.vaccine_code, d.vaccination_date, d.dose_number,
            min(r.lot_number) as lot_number, min(r.facility_code) as facility_code, min(r.adverse_event) as adverse_event
     from dose d
     join person_record pr on pr.person_id = d.person_id
     join dose_record dr on dr.batch_id = pr.batch_id and dr.row_number = pr.row_number and dr.dose_id = d.id
     join record r on r.batch_id = pr.batch_id and r.row_number = pr.row_number
     where d.person_id = any($1::bigint[])
     group by d.id
     order by d.id`,
    [ids],
  );
  const guardians = new Map<string, PushGuardian>();
  if (guardianPolicy === 'children-without-id') {
    // Only people without a CCCD or CMND: the others are sent without a guardian whatever their records say.
    // mode() with the name as tie-break: the same person always gives the same guardian, so the same hash.
    const rows = await query<{ person_id: string; name: string; phone: string | null }>(
      `select g.person_id::text as person_id, g.name,
              (select mode() within group (order by r.guardian_phone) from person_record pr
                 join record r on r.batch_id = pr.batch_id and r.row_number = pr.row_number
                where pr.person_id = g.person_id and r.guardian_name = g.name) as phone
       from (select pr.person_id, mode() within group (order by r.guardian_name) as name
             from person_record pr join record r on r.batch_id = pr.batch_id and r.row_number = pr.row_number
             join person p on p.id = pr.person_id
             where pr.person_id = any($1::bigint[]) and r.guardian_name is not null
               and (p.citizen_id is null or p.citizen_id !~ '^([0-9]{9}|[0-9]{12})$')
             group by pr.person_id) g`,
      [ids],
    );
    for (const r of rows) guardians.set(r.person_id, { name: r.name, phone: r.phone });
  }
  const dosesOf = new Map<string, PushDose[]>();
  for (const d of doses) {
    const dose: PushDose = {
      doseId: d.dose_id,
      vaccineCode: d.vaccine_code,
      date: d.vaccination_date,
      doseNumber: d.dose_number,
      lotNumber: d.lot_number,
      facilityCode: d.facility_code,
      adverseEvent: d.adverse_event,
    };
    const list = dosesOf.get(d.person_id);
    if (list) list.push(dose);
    else dosesOf.set(d.person_id, [dose]);
  }
  return persons.map((p) => ({
    personId: p.id,
    citizenId: p.citizen_id,
    fullName: p.full_name,
    birthDate: p.birth_date,
    sex: p.sex,
    phone: p.phone,
    communeCode: p.commune_code,
    address: p.address,
    deceased: p.deceased,
    guardian: guardians.get(p.id) ?? null,
    doses: dosesOf.get(p.id) ?? [],
  }));
}

/**
 * Queues the verified people whose payload changed since the platform acknowledged it, and drops from the
 * queue the people no longer verified (or no longer existing) that were never acknowledged.
 */
export async function syncOutbox(
  database: Database,
  systems: IdentifierSystems = DEFAULT_SYSTEMS,
  guardianPolicy: GuardianPolicy = 'never',
): Promise<{ queued: number }> {
  let after = '0';
  for (;;) {
    const page = await database.withTransaction(async (tx) => {
      const ids = (await tx.query<{ id: string }>(`select p.id::text as id ${ELIGIBLE} and p.id > $1::bigint order by p.id limit ${SYNC_PAGE}`, [after])).map((r) => r.id);
      return loadPushPersons(tx.query, ids, guardianPolicy);
    });
    if (page.length === 0) break;
    after = page[page.length - 1]!.personId;
    let text = '';
    for (const person of page) text += copyLine([person.personId, payloadHash(person, systems)]);
    await database.withTransaction(async (tx) => {
      await tx.query('create temporary table outbox_sync (person_id bigint, payload_hash text) on commit drop');
      await tx.copy('outbox_sync', ['person_id', 'payload_hash'], text);
      // New people are queued; a changed one is queued again (whatever its state: a rejection is retried
      // once the person changed); one that changed back to what was acknowledged is acknowledged again.
      await tx.query(`
        insert into outbox (person_id, state, payload_hash)
        select person_id, 'pending', payload_hash from outbox_sync
        on conflict (person_id) do update set
          payload_hash = excluded.payload_hash,
          state = case when excluded.payload_hash = outbox.acked_hash then 'acknowledged'
                       when outbox.state = 'in_flight' then 'in_flight' else 'pending' end,
          claimed_by = case when excluded.payload_hash <> outbox.acked_hash or outbox.acked_hash is null
                            then outbox.claimed_by end,
          attempts = 0, next_attempt_at = now(), last_error = null, queued_at = now(), updated_at = now()
        where outbox.payload_hash is distinct from excluded.payload_hash`);
    });
    if (page.length < SYNC_PAGE) break;
  }
  await database.withTransaction(async (tx) => {
    // Fresh statistics first: right after a bulk change PostgreSQL would otherwise plan this anti-join as
    // if the tables were empty (measured: 11 s instead of 14 ms on 20,000 people).
    await tx.query('analyze outbox');
    await tx.query(`delete from outbox o where o.state in ('pending', 'failed', 'rejected')
                      and not exists (select 1 ${ELIGIBLE} and p.id = o.person_id)`);
  });
  const [row] = await database.withTransaction((tx) =>
    tx.query<{ n: string }>(`select count(*) as n from outbox where state in ('pending', 'in_flight', 'failed')`),
  );
  return { queued: Number(row!.n) };
}

/** Claims for run `runId` up to `limit` people ready to send, for `leaseSeconds`. */
async function claim(database: Database, runId: string, limit: number, leaseSeconds: number): Promise<string[]> {
  const rows = await database.withTransaction((tx) =>
    tx.query<{ person_id: string }>(
      `update outbox o set state = 'in_flight', claimed_by = $3, lease_until = now() + make_interval(secs => $2),
                           attempts = o.attempts + 1, updated_at = now()
       from (select person_id from outbox
             where state in ('pending', 'in_flight', 'failed') and next_attempt_at <= now()
               and (state <> 'in_flight' or lease_until < now())
             order by person_id limit $1 for update skip locked) c
       where o.person_id = c.person_id
       returning o.person_id::text as person_id`,
      [limit, leaseSeconds, runId],
    ),
  );
  return rows.map((r) => r.person_id).sort((a, b) => Number(a) - Number(b));
}

interface PersonResult {
  readonly personId: string;
  readonly hash: string;
  readonly state: 'acknowledged' | 'rejected' | 'failed';
  readonly error: string | null;
  readonly reply: readonly { resource: string; status: number; reason?: string }[] | null;
}

/**
 * Stores what the platform said about each person of a bundle, for the people run `runId` still holds (one
 * taken over meanwhile belongs to its new run, which sends it again: a conditional update, so harmless).
 */
async function record(database: Database, runId: string, results: readonly PersonResult[], retryFailedAfterSeconds: number): Promise<void> {
  if (results.length === 0) return;
  await database.withTransaction((tx) =>
    tx.query(
      `update outbox o set
         state = case when v.state = 'acknowledged' and o.payload_hash is distinct from v.hash then 'pending' else v.state end,
         acked_hash = case when v.state = 'acknowledged' then v.hash else o.acked_hash end,
         acknowledged_at = case when v.state = 'acknowledged' then now() else o.acknowledged_at end,
         last_error = v.error,
         reply = v.reply::jsonb,
         lease_until = null,
         claimed_by = null,
         next_attempt_at = case when v.state = 'failed' then now() + make_interval(secs => $6) else now() end,
         updated_at = now()
       from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) as v(person_id, hash, state, error, reply)
       where o.person_id = v.person_id and o.state = 'in_flight' and o.claimed_by = $7`,
      [
        results.map((r) => r.personId),
        results.map((r) => r.hash),
        results.map((r) => r.state),
        results.map((r) => r.error),
        results.map((r) => (r.reply ? JSON.stringify(r.reply) : null)),
        retryFailedAfterSeconds,
        runId,
      ],
    ),
  );
}

/** Gives claims of run `runId` back untouched (the run stops for a reason that is no person's fault). */
async function release(database: Database, runId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await database.withTransaction((tx) =>
    tx.query(
      `update outbox set state = 'pending', lease_until = null, claimed_by = null, updated_at = now()
       where person_id = any($1::bigint[]) and state = 'in_flight' and claimed_by = $2`,
      [ids, runId],
    ),
  );
}

/** Verified people waiting that no run holds (failed, waiting for their next try, or queued meanwhile). */
async function countUnsent(database: Database): Promise<number> {
  const [row] = await database.withTransaction((tx) => tx.query<{ n: string }>(`select count(*) as n from outbox where state in ('pending', 'failed')`));
  return Number(row!.n);
}

/** Per person of a bundle, its outcome from the platform's per-entry answers. */
function personResults(persons: readonly PushPerson[], hashes: readonly string[], counts: readonly number[], outcomes: readonly EntryOutcome[]): PersonResult[] {
  let at = 0;
  return persons.map((person, i) => {
    const mine = outcomes.slice(at, at + counts[i]!);
    at += counts[i]!;
    const reply = mine.map((o, k) => ({
      resource: k === 0 ? 'Patient' : `Immunization D${person.doses[k - 1]!.doseId}`,
      status: o.status,
      ...(o.ok ? {} : { reason: o.reason }),
    }));
    const refused = reply.filter((r) => r.reason !== undefined);
    return refused.length === 0
      ? { personId: person.personId, hash: hashes[i]!, state: 'acknowledged', error: null, reply }
      : { personId: person.personId, hash: hashes[i]!, state: 'rejected', error: refused.map((r) => `${r.resource}: ${r.reason}`).join('; '), reply };
  });
}

export function pushOutbox(database: Database, connector: PlatformConnector, options: PushOptions = {}): Promise<PushSummary> {
  return withPushRun(database, (runId) => pushAsRun(database, runId, connector, options));
}

async function pushAsRun(database: Database, runId: string, connector: PlatformConnector, options: PushOptions): Promise<PushSummary> {
  const started = performance.now();
  const systems = options.systems ?? DEFAULT_SYSTEMS;
  const guardianPolicy = options.guardian ?? 'never';
  const bundlePersons = options.bundlePersons ?? 50;
  const leaseSeconds = options.leaseSeconds ?? 300;
  const retryFailedAfterSeconds = options.retryFailedAfterSeconds ?? 600;
  const reclaimed = { people: 0, runs: 0 };
  const takeBack = async () => {
    const taken = await takeBackDeadClaims(database, runId);
    reclaimed.people += taken.people;
    reclaimed.runs += taken.runs;
  };
  // Before the sync, so that its count of people queued includes the ones the dead runs held.
  await takeBack();
  const { queued } = await syncOutbox(database, systems, guardianPolicy);
  const progress = { sent: 0, rejected: 0, failed: 0 };

  // The next page is claimed and loaded while the current one is on the wire. A run that died meanwhile
  // gives its people back before each page.
  const fetchPage = async () => {
    await takeBack();
    const ids = await claim(database, runId, bundlePersons * CLAIM_BUNDLES, leaseSeconds);
    if (ids.length === 0) return null;
    const persons = await database.withTransaction((tx) => loadPushPersons(tx.query, ids, guardianPolicy));
    const found = new Set(persons.map((p) => p.personId));
    const gone = ids.filter((id) => !found.has(id)); // deleted by a link run since the sync
    if (gone.length > 0) {
      await database.withTransaction((tx) =>
        tx.query(`delete from outbox where person_id = any($1::bigint[]) and state = 'in_flight' and claimed_by = $2`, [gone, runId]),
      );
    }
    return persons;
  };
  const prefetch = () => {
    const page = fetchPage();
    page.catch(() => {}); // awaited in turn below; this only keeps Node from calling it unhandled meanwhile
    return page;
  };
  let next = prefetch();
  for (let persons = await next; persons !== null; persons = await next) {
    next = prefetch();
    const bundles: PushPerson[][] = [];
    for (let i = 0; i < persons.length; i += bundlePersons) bundles.push(persons.slice(i, i + bundlePersons));
    let fatal: unknown = null;
    await Promise.all(
      bundles.map(async (group) => {
        const entries = group.map((p) => personEntries(p, systems));
        const hashes = entries.map(entriesHash);
        let results: PersonResult[];
        try {
          const outcomes = await connector.send(transactionBundle(entries.flat()));
          results = personResults(group, hashes, entries.map((e) => e.length), outcomes);
        } catch (error) {
          if (!(error instanceof PlatformError) || !error.retryable) {
            fatal ??= error;
            await release(database, runId, group.map((p) => p.personId));
            return;
          }
          results = group.map((p, i) => ({ personId: p.personId, hash: hashes[i]!, state: 'failed', error: error.message, reply: null }));
        }
        await record(database, runId, results, retryFailedAfterSeconds);
        for (const r of results) progress[r.state === 'acknowledged' ? 'sent' : r.state]++;
        options.onProgress?.({ ...progress });
      }),
    );
    if (fatal) {
      // The page claimed meanwhile goes back untouched.
      const pending = await next;
      if (pending) await release(database, runId, pending.map((p) => p.personId));
      throw fatal;
    }
  }
  return {
    runId,
    queued,
    ...progress,
    reclaimed,
    held: await claimHolders(database, runId),
    unsent: await countUnsent(database),
    seconds: (performance.now() - started) / 1000,
  };
}
