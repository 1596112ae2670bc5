/**
 * The outbox's promise under fire: a push process killed at random moments, twenty times and more, by a
 * platform that fails, throttles, drops connections (sometimes after applying the bundle) and rejects
 * entries. In the end every verified person and dose is on the platform exactly once, nothing unverified
 * was sent, and every rejection is stored with its reason.
 *
 * The pushes run as real `vaxsync push` processes against the real PostgreSQL (a child process cannot
 * share the embedded database), killed with SIGKILL: no chance to clean up.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformSimulator, type PlatformSimulator } from '../../connectors/platform/simulator.js';
import { DEFAULT_SYSTEMS } from '../../src/push/fhir.js';
import { reconciledSample } from '../helpers/sample.js';
import { openTestDatabase, TEST_DATABASE_URL, tempDir, type TestDatabase } from '../helpers/database.js';

const BIN = fileURLToPath(new URL('../../bin/vaxsync.js', import.meta.url));
/** Kills wanted; a run that finishes before its kill moment counts as a run, not a kill. */
const KILLS = 20;

/** Runs `vaxsync push`; kills it after `killAfterMs` if given. Resolves with its exit code (null: killed). */
function push(url: string, schema: string, killAfterMs?: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, 'push', '--platform', url, '--bundle-persons', '4', '--concurrency', '3', '--timeout-ms', '400',
        '--lease-seconds', '1', '--retry-failed-after', '0'],
      { env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL, VAXSYNC_SCHEMA: schema }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      if (code !== null && code !== 0) reject(new Error(`push exited with ${code}: ${stderr}`));
      else resolve(code);
    });
  });
}

describe('push killed at random moments', () => {
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
        errorRate: 0.1, rate429: 0.1, retryAfterSeconds: 0, dropRate: 0.05, dropAfterProcessingRate: 0.1,
        timeoutRate: 0.03, rejectRate: 0.03, latencyMs: [5, 40], seed: 42,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await simulator?.close();
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ends with every verified person and dose on the platform exactly once', async () => {
    // A fixed sequence of kill moments (no flakiness), spread over start-up, claiming, sending and recording.
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    let killed = 0;
    for (let runs = 0; killed < KILLS && runs < 3 * KILLS; runs++) {
      if ((await push(simulator.url, schema, 500 + Math.floor(next() * 1500))) === null) killed++;
    }
    expect(killed).toBe(KILLS);

    // Then runs to the end, until nothing waits: claims of killed runs expire after their 1 s lease.
    for (let round = 0; round < 15; round++) {
      await new Promise((r) => setTimeout(r, 1100));
      await push(simulator.url, schema);
      const waiting = await t.database.db.selectFrom('outbox').select('person_id').where('state', 'in', ['pending', 'in_flight', 'failed']).execute();
      if (waiting.length === 0) break;
    }

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
    expect(simulator.stats().faults.dropAfterProcessing).toBeGreaterThan(0);
  }, 240_000);
});
