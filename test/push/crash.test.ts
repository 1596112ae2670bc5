/**
 * The outbox's promise under fire: a push process killed in the middle of sending, ten times, by a
 * platform that fails, throttles, drops connections (sometimes after applying the bundle) and rejects
 * entries. Then one more push, at once: afterwards every verified person and dose is on the platform
 * exactly once, nothing unverified was sent, every rejection is stored with its reason, and that last
 * push did not wait for the claims the dead runs left (their lease is 600 s; the push takes far less).
 *
 * Each kill lands mid-send, and the test checks it: the process is killed only once the platform has
 * received a request of that very run (one run at a time, so any request counted after its spawn is
 * its own), and after the kill the dead run still holds claims in the outbox. Killing at a fixed time
 * after spawn would mostly hit the CLI's start-up (1.3–2.3 s), before any request.
 *
 * The pushes run as real `vaxsync push` processes against the real PostgreSQL (a child process cannot
 * share the embedded database), killed with SIGKILL: no chance to clean up.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformSimulator, type PlatformSimulator } from '../../connectors/platform/simulator.js';
import { DEFAULT_SYSTEMS } from '../../src/push/fhir.js';
import { reconciledSample } from '../helpers/sample.js';
import { runPush, type PushRun } from '../helpers/push-kill.js';
import { openTestDatabase, TEST_DATABASE_URL, tempDir, type TestDatabase } from '../helpers/database.js';

const KILLS = 10;
/**
 * Spawns at most, kills and runs that ended on their own together: the loop is bounded whatever happens
 * (each spawn costs the CLI's start-up, 1.3–5 s on a loaded machine).
 */
const MAX_SPAWNS = KILLS + 3;
const LEASE_SECONDS = 600;
/** The longest a killed run may go without sending before the test gives up on it (it then ends it). */
const FIRST_REQUEST_TIMEOUT_MS = 15_000;


describe('push killed mid-send', () => {
  let t: TestDatabase;
  let schema: string;
  let simulator: PlatformSimulator;
  const dir = tempDir();
  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    schema = t.database.description.match(/\(schema (\w+)\)/)![1]!;
    await reconciledSample(t.database, { persons: 300, seed: 9, dir });
    simulator = await startPlatformSimulator({
      faults: {
        errorRate: 0.05, rate429: 0.05, retryAfterSeconds: 0, dropRate: 0.03, dropAfterProcessingRate: 0.1,
        timeoutRate: 0.02, rejectRate: 0.03, latencyMs: [10, 60], seed: 42,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await simulator?.close();
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Runs `vaxsync push`. With `killAfterFirstRequestMs`, waits for the platform to count a request of this
   * run, then SIGKILLs it that many ms later (unless it ended first).
   */
  const push = (killAfterFirstRequestMs?: number): Promise<PushRun> =>
    runPush({
      simulator,
      args: ['--bundle-persons', '3', '--concurrency', '3', '--timeout-ms', '400', '--lease-seconds', String(LEASE_SECONDS), '--retry-failed-after', '0'],
      env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL, VAXSYNC_SCHEMA: schema },
      ...(killAfterFirstRequestMs === undefined ? {} : { killAfterFirstRequestMs }),
      firstRequestTimeoutMs: FIRST_REQUEST_TIMEOUT_MS,
      withoutRequest: 'kill',
    });

  const inFlight = async () =>
    Number((await t.database.db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).where('state', '=', 'in_flight').executeTakeFirstOrThrow()).n);

  it('ends, after ten kills mid-send and one more push, with every verified person and dose on the platform exactly once, at once', async () => {
    // A fixed sequence of kill moments (no flakiness in what is asked; the platform's timing varies).
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const kills: { requests: number; claimsLeft: number }[] = [];
    const ended: string[] = [];
    for (let spawns = 0; kills.length < KILLS && spawns < MAX_SPAWNS; spawns++) {
      const run = await push(Math.floor(next() * 150));
      if (run.code !== null) {
        // ended before its kill moment: a run, not a kill (the platform's faults make a few runs short)
        ended.push(`exit ${run.code}: ${run.stdout.trim()} ${run.stderr.trim()}`);
        continue;
      }
      kills.push({ requests: run.requestsBeforeKill ?? 0, claimsLeft: await inFlight() });
    }
    expect(kills.length, `runs that ended on their own:\n${ended.join('\n')}`).toBe(KILLS);
    // every kill came after the platform had heard from that run, and left its claims behind: mid-send
    for (const kill of kills) expect(kill.requests).toBeGreaterThan(0);
    for (const kill of kills) expect(kill.claimsLeft).toBeGreaterThan(0);

    // One more run, at once: it takes back what the dead runs held, without waiting for their lease.
    const last = await push();
    expect(last.code, last.stderr).toBe(0);
    expect(last.ms).toBeLessThan((LEASE_SECONDS * 1000) / 10);
    expect(last.stdout).toMatch(/taken back from \d+ dead run/);

    const verified = new Set(
      (await t.database.db.selectFrom('registry_check').select('person_id').where('status', 'in', ['verified', 'corrected']).execute()).map((r) => String(r.person_id)),
    );
    const outbox = await t.database.db.selectFrom('outbox').select(['person_id', 'state', 'last_error', 'reply']).execute();
    expect(outbox.filter((o) => !['acknowledged', 'rejected'].includes(o.state))).toEqual([]);
    expect(new Set(outbox.map((o) => String(o.person_id)))).toEqual(verified);

    const received = simulator.received();
    const personOf = (identifier: string) => identifier.split('|').pop()!;
    // nothing unverified was sent
    const patients = received.filter((r) => r.identifier.startsWith('Patient|'));
    for (const p of patients) expect(verified.has(personOf(p.identifier)), p.identifier).toBe(true);
    // each identifier was created at most once, re-sends only updated it
    for (const r of received) expect(r.created, r.identifier).toBeLessThanOrEqual(1);

    const doses = await t.database.db.selectFrom('dose').select(['id', 'person_id']).execute();
    const rejected = new Set(outbox.filter((o) => o.state === 'rejected').map((o) => String(o.person_id)));
    for (const o of outbox) {
      if (o.state === 'rejected') {
        expect(o.last_error, `P${o.person_id}`).toMatch(/: \S/);
        continue;
      }
      // an acknowledged person and all its doses are stored on the platform, once
      const stored = received.find((r) => r.identifier === `Patient|${DEFAULT_SYSTEMS.personId}|${o.person_id}`);
      expect(stored?.created, `P${o.person_id}`).toBe(1);
      for (const d of doses.filter((x) => String(x.person_id) === String(o.person_id))) {
        const immunization = received.find((r) => r.identifier === `Immunization|${DEFAULT_SYSTEMS.doseId}|${d.id}`);
        expect(immunization?.created, `D${d.id}`).toBe(1);
      }
    }
    // every entry the platform refused belongs to a person stored as rejected, with the reason
    for (const r of received) {
      if (r.rejected === 0) continue;
      const owner = r.identifier.startsWith('Patient|')
        ? personOf(r.identifier)
        : String(doses.find((d) => String(d.id) === personOf(r.identifier))!.person_id);
      expect(rejected.has(owner), r.identifier).toBe(true);
    }
    expect(rejected.size).toBeGreaterThan(0);
  }, 150_000);
});
