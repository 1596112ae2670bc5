/**
 * Issue 15's "done when", at scale: against a fault-injecting FHIR endpoint (the platform simulator with
 * errors, 429s, latency, dropped connections, some after applying the bundle, and timeouts), ten real
 * `vaxsync push` processes killed with SIGKILL at random moments, each only once the platform has received
 * at least one request of that run, then one more `vaxsync push`: every verified person and dose must be on
 * the platform exactly once, and that last push must not wait for the dead runs' lease. Prints the figures
 * and exits 1 if any check fails. test/push/crash.test.ts is the same scenario at 300 people in `npm test`.
 *
 *   npx tsx scripts/push-crash.ts                        # 5,000 people, 10 kills within 2 s of each run's first request
 *   npx tsx scripts/push-crash.ts --persons 20000 --kills 10 --seed 3 --max-kill-ms 3000 --reject-rate 0.02
 *
 * Runs on the PostgreSQL of TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a schema
 * of its own that it drops afterwards (push processes are separate processes: the embedded database admits
 * one at a time). With `--reject-rate`, the platform refuses some people's entries: those must be stored as
 * rejected with the platform's reason, and never on the platform.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startPlatformSimulator, type PlatformSimulator } from '../connectors/platform/simulator.js';
import { openDatabase } from '../src/db/database.js';
import { DEFAULT_SYSTEMS } from '../src/push/fhir.js';
// The test suite's sample: the same generated people, imported, linked and reconciled as the crash test's.
import { reconciledSample } from '../test/helpers/sample.js';
import { runPush, type PushRun } from '../test/helpers/push-kill.js';

const LEASE_SECONDS = 600;
/** A run that sends nothing for this long is not killed (it would not be a kill mid-send): it runs to its end. */
const FIRST_REQUEST_TIMEOUT_MS = 30_000;

export interface CrashOptions {
  readonly persons: number;
  readonly kills: number;
  readonly seed: number;
  /** Each kill lands uniformly between 0 and this many ms after the run's first request reached the platform. */
  readonly maxKillMs: number;
  readonly rejectRate: number;
  readonly databaseUrl: string;
  readonly log: (line: string) => void;
}

export interface CrashFigures {
  readonly verifiedPeople: number;
  readonly verifiedDoses: number;
  readonly peopleOnPlatformOnce: number;
  readonly dosesOnPlatformOnce: number;
  readonly rejectedPeople: number;
  readonly duplicates: number;
  readonly missingPeople: number;
  readonly missingDoses: number;
  readonly unverifiedSent: number;
  readonly kills: readonly { readonly requests: number; readonly claimsLeft: number; readonly afterMs: number }[];
  readonly runsEndedOnTheirOwn: number;
  readonly lastPush: { readonly code: number | null; readonly seconds: number; readonly takenBack: string };
  readonly platformRequests: number;
  readonly faults: Readonly<Record<string, number>>;
  readonly setupSeconds: number;
  readonly totalSeconds: number;
  readonly problems: readonly string[];
}

export async function runPushCrash(options: CrashOptions): Promise<CrashFigures> {
  const started = performance.now();
  const schema = `push_crash_${process.pid}_${Date.now().toString(36)}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaxsync-push-crash-'));
  const database = await openDatabase({ url: options.databaseUrl, schema });
  let simulator: PlatformSimulator | undefined;
  try {
    options.log(`sample: ${options.persons} people (seed ${options.seed}), imported, linked and reconciled in schema ${schema}…`);
    await reconciledSample(database, { persons: options.persons, seed: options.seed, dir });
    const setupSeconds = (performance.now() - started) / 1000;
    simulator = await startPlatformSimulator({
      faults: {
        errorRate: 0.05, rate429: 0.05, retryAfterSeconds: 0, dropRate: 0.03, dropAfterProcessingRate: 0.1,
        timeoutRate: 0.02, rejectRate: options.rejectRate, latencyMs: [10, 60], seed: options.seed,
      },
    });
    const sim = simulator;

    const push = (killAfterFirstRequestMs?: number): Promise<PushRun> =>
      runPush({
        simulator: sim,
        args: ['--bundle-persons', '10', '--concurrency', '4', '--timeout-ms', '1000', '--lease-seconds', String(LEASE_SECONDS), '--retry-failed-after', '0'],
        env: { ...process.env, DATABASE_URL: options.databaseUrl, VAXSYNC_SCHEMA: schema, VAXSYNC_CONFIG: '' },
        ...(killAfterFirstRequestMs === undefined ? {} : { killAfterFirstRequestMs }),
        firstRequestTimeoutMs: FIRST_REQUEST_TIMEOUT_MS,
        withoutRequest: 'let-run',
      });
    const inFlight = async () =>
      Number((await database.db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).where('state', '=', 'in_flight').executeTakeFirstOrThrow()).n);

    let seed = options.seed;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const kills: { requests: number; claimsLeft: number; afterMs: number }[] = [];
    let ended = 0;
    const problems: string[] = [];
    for (let spawns = 0; kills.length < options.kills && spawns < options.kills + 5; spawns++) {
      const delay = Math.floor(next() * options.maxKillMs);
      const run = await push(delay);
      if (run.requestsBeforeKill === null) {
        ended++;
        options.log(`  run ${spawns + 1}: ended on its own before its kill moment (exit ${run.code})`);
        continue;
      }
      const claimsLeft = await inFlight();
      kills.push({ requests: run.requestsBeforeKill, claimsLeft, afterMs: delay });
      options.log(`  kill ${kills.length}: SIGKILL ${delay} ms after its first request, ${run.requestsBeforeKill} requests received, ${claimsLeft} people left claimed`);
    }
    if (kills.length < options.kills) problems.push(`only ${kills.length} of ${options.kills} kills landed mid-send`);
    for (const [i, k] of kills.entries()) {
      if (k.requests < 1) problems.push(`kill ${i + 1} came before the platform heard from its run`);
    }

    const last = await push();
    const takenBack = /(\d+) people taken back from (\d+) dead run/.exec(last.stdout);
    options.log(`last push: exit ${last.code} in ${(last.ms / 1000).toFixed(1)} s: ${last.stdout.trim().split('\n').join(' | ')}`);
    if (last.code !== 0) problems.push(`the last push exited ${last.code}: ${last.stderr.trim()}`);
    // "At once": the last push takes back every claim the last killed run left (the earlier ones' were taken
    // back by the runs after them) when it starts, not when their lease ends; and it ends before any lease.
    const leftByLastKill = kills.at(-1)?.claimsLeft ?? 0;
    if (Number(takenBack?.[1] ?? 0) !== leftByLastKill) problems.push(`the last push took back ${takenBack?.[1] ?? 0} people, not the ${leftByLastKill} the last kill left claimed`);
    if (last.ms >= LEASE_SECONDS * 1000) problems.push(`the last push took ${(last.ms / 1000).toFixed(0)} s, longer than the lease`);

    // What the database says should be there, against what the platform holds.
    const verified = new Set(
      (await database.db.selectFrom('registry_check').select('person_id').where('status', 'in', ['verified', 'corrected']).execute()).map((r) => String(r.person_id)),
    );
    const outbox = await database.db.selectFrom('outbox').select(['person_id', 'state', 'last_error']).execute();
    const rejected = new Set(outbox.filter((o) => o.state === 'rejected').map((o) => String(o.person_id)));
    for (const o of outbox) {
      if (!['acknowledged', 'rejected'].includes(o.state)) problems.push(`person ${o.person_id} is ${o.state} after the last push`);
      if (o.state === 'rejected' && !/: \S/.test(o.last_error ?? '')) problems.push(`person ${o.person_id} rejected without the platform's reason`);
    }
    const doses = await database.db.selectFrom('dose').select(['id', 'person_id']).execute();
    const received = new Map(sim.received().map((r) => [r.identifier, r]));
    const personOf = (identifier: string) => identifier.split('|').pop()!;
    let peopleOnce = 0;
    let dosesOnce = 0;
    let verifiedDoses = 0;
    let missingPeople = 0;
    let missingDoses = 0;
    const dosesByPerson = new Map<string, string[]>();
    for (const d of doses) dosesByPerson.set(String(d.person_id), [...(dosesByPerson.get(String(d.person_id)) ?? []), String(d.id)]);
    for (const person of verified) {
      const its = dosesByPerson.get(person) ?? [];
      verifiedDoses += its.length;
      if (rejected.has(person)) continue;
      const patient = received.get(`Patient|${DEFAULT_SYSTEMS.personId}|${person}`);
      if (patient?.created === 1) peopleOnce++;
      else missingPeople++;
      for (const dose of its) {
        if (received.get(`Immunization|${DEFAULT_SYSTEMS.doseId}|${dose}`)?.created === 1) dosesOnce++;
        else missingDoses++;
      }
    }
    // Duplicates: an identifier created more than once, or more resources stored than identifiers received.
    let duplicates = 0;
    for (const r of received.values()) duplicates += Math.max(0, r.created - 1);
    const stats = sim.stats();
    const patientsReceived = [...received.keys()].filter((k) => k.startsWith('Patient|')).length;
    const immunizationsReceived = received.size - patientsReceived;
    duplicates += Math.max(0, stats.stored.Patient - patientsReceived) + Math.max(0, stats.stored.Immunization - immunizationsReceived);
    const unverifiedSent = [...received.keys()].filter((k) => k.startsWith('Patient|') && !verified.has(personOf(k))).length;
    if (duplicates > 0) problems.push(`${duplicates} duplicates on the platform`);
    if (missingPeople > 0 || missingDoses > 0) problems.push(`${missingPeople} people and ${missingDoses} doses missing from the platform`);
    if (unverifiedSent > 0) problems.push(`${unverifiedSent} unverified people sent`);

    return {
      verifiedPeople: verified.size,
      verifiedDoses,
      peopleOnPlatformOnce: peopleOnce,
      dosesOnPlatformOnce: dosesOnce,
      rejectedPeople: rejected.size,
      duplicates,
      missingPeople,
      missingDoses,
      unverifiedSent,
      kills,
      runsEndedOnTheirOwn: ended,
      lastPush: { code: last.code, seconds: last.ms / 1000, takenBack: takenBack ? `${takenBack[1]} people from ${takenBack[2]} dead run(s)` : 'none' },
      platformRequests: stats.requests,
      faults: stats.faults,
      setupSeconds,
      totalSeconds: (performance.now() - started) / 1000,
      problems,
    };
  } finally {
    await simulator?.close();
    await database.close();
    const client = new pg.Client({ connectionString: options.databaseUrl });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      persons: { type: 'string', default: '5000' },
      kills: { type: 'string', default: '10' },
      seed: { type: 'string', default: '9' },
      'max-kill-ms': { type: 'string', default: '2000' },
      'reject-rate': { type: 'string', default: '0' },
    },
  });
  const figures = await runPushCrash({
    persons: Number(values.persons),
    kills: Number(values.kills),
    seed: Number(values.seed),
    maxKillMs: Number(values['max-kill-ms']),
    rejectRate: Number(values['reject-rate']),
    databaseUrl: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    log: (line) => console.log(line),
  });
  const f = figures;
  console.log(
    [
      `verified people ${f.verifiedPeople}, their doses ${f.verifiedDoses}`,
      `on the platform exactly once: ${f.peopleOnPlatformOnce} people, ${f.dosesOnPlatformOnce} doses; rejected with the platform's reason: ${f.rejectedPeople} people`,
      `duplicates ${f.duplicates}, missing ${f.missingPeople} people and ${f.missingDoses} doses, unverified sent ${f.unverifiedSent}`,
      `kills ${f.kills.length} (requests received before each: ${f.kills.map((k) => k.requests).join(', ')}; people left claimed: ${f.kills.map((k) => k.claimsLeft).join(', ')}), runs that ended on their own ${f.runsEndedOnTheirOwn}`,
      `last push: exit ${f.lastPush.code} in ${f.lastPush.seconds.toFixed(1)} s (lease ${LEASE_SECONDS} s), taken back at its start: ${f.lastPush.takenBack}`,
      `platform requests ${f.platformRequests}, faults ${JSON.stringify(f.faults)}`,
      `setup ${f.setupSeconds.toFixed(1)} s, total ${f.totalSeconds.toFixed(1)} s`,
      f.problems.length === 0 ? 'all checks passed' : `FAILED:\n  ${f.problems.join('\n  ')}`,
    ].join('\n'),
  );
  process.exitCode = f.problems.length === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
