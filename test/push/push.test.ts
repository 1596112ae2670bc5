import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconciledSample } from '../helpers/sample.js';
import { fhirPlatform } from '../../connectors/platform/fhir-http.js';
import { startPlatformSimulator, type PlatformSimulator } from '../../connectors/platform/simulator.js';
import { DEFAULT_SYSTEMS } from '../../src/push/fhir.js';
import { outboxSummary } from '../../src/push/outbox-report.js';
import { pushOutbox, syncOutbox } from '../../src/push/push.js';
import { pushRunLock } from '../../src/push/run.js';
import { PlatformError, type PlatformConnector } from '../../connectors/platform/types.js';
import { pushExitCode, PUSH_EXIT, pushSummaryLines } from '../../src/cli/push.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

describe.each(BACKENDS)('push on %s', (kind) => {
  let t: TestDatabase;
  let simulator: PlatformSimulator;
  const dir = tempDir();
  let verified: Set<string>;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
    await reconciledSample(t.database, { persons: 150, seed: 5, dir });
    verified = new Set(
      (await t.database.db.selectFrom('registry_check').select('person_id').where('status', 'in', ['verified', 'corrected']).execute()).map((r) => String(r.person_id)),
    );
    simulator = await startPlatformSimulator({ faults: { rejectRate: 0.05, seed: 3 } });
  });
  afterAll(async () => {
    await simulator?.close();
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const personIdentifier = (id: string) => `Patient|${DEFAULT_SYSTEMS.personId}|${id}`;

  it('sends every verified person with its doses once, and records the rejections with their reason', async () => {
    const platform = fhirPlatform({ baseUrl: simulator.url, backoffMs: 5 });
    const summary = await pushOutbox(t.database, platform, { bundlePersons: 7 });
    await platform.close();
    expect(summary.queued).toBe(verified.size);
    expect(summary.sent + summary.rejected).toBe(verified.size);
    expect(summary.rejected).toBeGreaterThan(0);
    expect(summary.failed).toBe(0);

    const received = simulator.received();
    const patients = received.filter((r) => r.identifier.startsWith('Patient|'));
    // every verified person, and nobody else
    expect(new Set(patients.map((r) => r.identifier))).toEqual(new Set([...verified].map(personIdentifier)));
    for (const r of received) expect(r.created + r.rejected).toBe(1);
    // every dose of a verified person
    const doses = await t.database.db.selectFrom('dose').select(['id', 'person_id']).execute();
    const sentDoses = received.filter((r) => r.identifier.startsWith('Immunization|')).length;
    expect(sentDoses).toBe(doses.filter((d) => verified.has(String(d.person_id))).length);

    const outbox = await outboxSummary(t.database, { states: ['rejected'], limit: 1000 });
    expect(outbox.counts.acknowledged).toBe(summary.sent);
    expect(outbox.counts.rejected).toBe(summary.rejected);
    for (const item of outbox.items) expect(item.lastError).toMatch(/(Patient|Immunization D\d+): \S/);
  });

  it('sends nothing again while nothing changed, and re-sends a person whose record changed', async () => {
    const platform = fhirPlatform({ baseUrl: simulator.url, backoffMs: 5 });
    const before = simulator.stats();
    const again = await pushOutbox(t.database, platform);
    expect(again).toMatchObject({ queued: 0, sent: 0, rejected: 0, failed: 0 });
    expect(simulator.stats().bundles).toBe(before.bundles);

    // a station corrects a phone: the golden record changes, so the person is queued and updated
    const acknowledged = await t.database.db.selectFrom('outbox').select('person_id').where('state', '=', 'acknowledged').orderBy('person_id').limit(1).executeTakeFirstOrThrow();
    await t.database.db.updateTable('person').set({ phone: '0912345678' }).where('id', '=', acknowledged.person_id).execute();
    const changed = await pushOutbox(t.database, platform);
    await platform.close();
    expect(changed).toMatchObject({ queued: 1, sent: 1 });
    const patient = simulator.received().find((r) => r.identifier === personIdentifier(String(acknowledged.person_id)))!;
    expect(patient).toMatchObject({ created: 1, updated: 1 });
  });

  /** Queues `n` acknowledged people again (a phone corrected), and returns their ids. */
  async function changePeople(n: number, phone: string): Promise<string[]> {
    const rows = await t.database.db.selectFrom('outbox').select('person_id').where('state', '=', 'acknowledged').orderBy('person_id').limit(n).execute();
    const ids = rows.map((r) => String(r.person_id));
    await t.database.db.updateTable('person').set({ phone }).where('id', 'in', ids).execute();
    await syncOutbox(t.database);
    return ids;
  }

  /** Records a push run (as `vaxsync push` would) claiming `ids` with a lease far in the future. */
  async function claimAsRun(runId: string, ids: readonly string[]): Promise<void> {
    await t.database.db.insertInto('push_run').values({ id: runId, host: 'elsewhere', pid: 4242 }).execute();
    await t.database.withTransaction((tx) =>
      tx.query(`update outbox set state = 'in_flight', claimed_by = $2, lease_until = now() + interval '1 hour' where person_id = any($1::bigint[])`, [ids, runId]),
    );
  }

  const newRunId = async () => (await t.database.withTransaction((tx) => tx.query<{ id: string }>(`select nextval('push_run_id')::text as id`)))[0]!.id;

  it('takes back at once the claims of a run whose process is gone, whatever their lease', async () => {
    const ids = await changePeople(5, '0912000001');
    const dead = await newRunId();
    await claimAsRun(dead, ids); // recorded, but nobody holds its lock: its process is gone

    const platform = fhirPlatform({ baseUrl: simulator.url, backoffMs: 5 });
    const summary = await pushOutbox(t.database, platform);
    await platform.close();
    expect(summary).toMatchObject({ reclaimed: { people: 5, runs: 1 }, queued: 5, sent: 5, held: [], unsent: 0 });
    expect(pushExitCode(summary)).toBe(PUSH_EXIT.done);
    expect(pushSummaryLines(summary)).toEqual(['5 people taken back from 1 dead run(s) (process gone) and sent again']);
    const run = await t.database.db.selectFrom('push_run').selectAll().where('id', '=', dead).executeTakeFirstOrThrow();
    expect(run.outcome).toBe('died');
    const finished = await t.database.db.selectFrom('push_run').select('outcome').where('id', '=', summary.runId).executeTakeFirstOrThrow();
    expect(finished.outcome).toBe('finished');
  });

  it('leaves a live run\'s claims to it, says which run holds them, and exits 4', async () => {
    const ids = await changePeople(4, '0912000002');
    const live = await newRunId();
    const bundlesBefore = simulator.stats().bundles;
    const outcome = await t.database.withSessionLock(pushRunLock(live), async () => {
      await claimAsRun(live, ids);
      const platform = fhirPlatform({ baseUrl: simulator.url, backoffMs: 5 });
      try {
        return await pushOutbox(t.database, platform);
      } finally {
        await platform.close();
      }
    });
    if (!outcome.acquired) throw new Error('lock taken');
    const summary = outcome.value;
    expect(summary).toMatchObject({ reclaimed: { people: 0, runs: 0 }, sent: 0, unsent: 0 });
    expect(summary.held).toEqual([expect.objectContaining({ runId: live, host: 'elsewhere', pid: 4242, people: 4 })]);
    expect(simulator.stats().bundles).toBe(bundlesBefore);
    expect(pushExitCode(summary)).toBe(PUSH_EXIT.heldByLiveRun);
    expect(pushSummaryLines(summary)).toEqual([expect.stringMatching(new RegExp(`^still held: 4 by live push run ${live} \\(pid 4242 on elsewhere, started .*, lease until `))]);

    // the lock is gone (its process died without ending the run): the next run takes them back and sends them
    const platform = fhirPlatform({ baseUrl: simulator.url, backoffMs: 5 });
    const next = await pushOutbox(t.database, platform);
    await platform.close();
    expect(next).toMatchObject({ reclaimed: { people: 4, runs: 1 }, sent: 4, held: [], unsent: 0 });
  });

  it('exits 3 while people the platform failed after the retries remain unsent', async () => {
    const ids = await changePeople(3, '0912000003');
    const down: PlatformConnector = {
      target: 'down',
      send: async () => {
        throw new PlatformError('platform.unavailable', 'the platform did not take a bundle after 9 attempts');
      },
      close: async () => {},
    };
    const summary = await pushOutbox(t.database, down);
    expect(summary).toMatchObject({ sent: 0, failed: ids.length, unsent: ids.length, held: [] });
    expect(pushExitCode(summary)).toBe(PUSH_EXIT.unsent);
    expect(pushSummaryLines(summary)).toContain('3 verified people remain unsent (failed after retries or waiting for their next try); run vaxsync push again later');
  });
});
