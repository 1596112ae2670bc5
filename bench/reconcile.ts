/**
 * Reconciliation at province scale for `npm run bench`: 1,000,000 people checked against a
 * 1,000,000-row registry extract. The people are written straight into `person` (a link run of a million
 * people would need four million rows first; the link stage has its own figures): most carry their
 * registered identity, some as a station typed it (no diacritics, a year alone), a few an ID the
 * registry lacks, a few none at all (searched by name and birth date).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { fileRegistry, loadRegistryFile } from '../connectors/registry/file.js';
import { CCCD_PROVINCE_CODES } from '../src/clean/citizen-id.js';
import { foldDiacritics } from '../src/base/text.js';
import { copyLine } from '../src/base/copy.js';
import type { Database } from '../src/db/database.js';
import { reconcile } from '../src/reconcile/reconcile.js';
import { GIVEN_NAMES_FEMALE, GIVEN_NAMES_MALE, MIDDLE_NAMES_FEMALE, MIDDLE_NAMES_MALE, SURNAMES } from '../src/synth/names.js';
import { Random, WeightedTable } from '../src/base/random.js';
import { peakMemory } from './memory.js';
import { cpuSecondsOf } from './process-cpu.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const SERIALS = 1_000_000;

export async function writeReconcileData(database: Database, dir: string, people: number): Promise<string> {
  const random = new Random(7);
  const surnames = new WeightedTable(SURNAMES);
  const provinces = [...CCCD_PROVINCE_CODES];
  const tables = {
    male: [new WeightedTable(MIDDLE_NAMES_MALE), new WeightedTable(GIVEN_NAMES_MALE)],
    female: [new WeightedTable(MIDDLE_NAMES_FEMALE), new WeightedTable(GIVEN_NAMES_FEMALE)],
  } as const;
  const registryFile = path.join(dir, 'registry.csv');
  const registry = fs.createWriteStream(registryFile);
  registry.write('citizen_id,full_name,birth_date,sex,commune_code,status,death_date\n');
  if (people >= SERIALS * provinces.length) throw new RangeError(`at most ${SERIALS * provinces.length - 1} people`);
  const firstProvince = new Uint8Array(SERIALS);
  let persons = '';
  const flush = async () => {
    await database.withTransaction((tx) => tx.copy('person', ['id', 'link_run_id', 'full_name', 'birth_date', 'sex', 'citizen_id', 'sources'], persons));
    persons = '';
  };
  for (let i = 1; i <= people; i++) {
    const sex = random.chance(0.5) ? 'male' : 'female';
    const [middle, given] = tables[sex];
    const name = [surnames.pick(random), middle.pick(random), given.pick(random)].filter(Boolean).join(' ');
    const year = random.int(1930, 2020);
    const birth = `${year}-${pad(random.int(1, 12), 2)}-${pad(random.int(1, 28), 2)}`;
    // A CCCD's serial has six digits: past a million people, person i takes serial i mod 1,000,000 and the
    // province after that of the first person with its serial, one further per million, so no two share an ID.
    const serial = i % SERIALS;
    const drawn = random.int(0, provinces.length - 1);
    if (i < SERIALS) firstProvince[serial] = drawn;
    const province = i < SERIALS ? drawn : (firstProvince[serial]! + Math.floor(i / SERIALS)) % provinces.length;
    const id = `${provinces[province]}${(year >= 2000 ? 2 : 0) + (sex === 'female' ? 1 : 0)}${pad(year % 100, 2)}${pad(serial, 6)}`;
    const deceased = random.chance(0.01);
    const registered = !random.chance(0.02);
    if (registered) {
      registry.write(`${id},${name},${birth},${sex === 'male' ? 'Nam' : 'Nữ'},,${deceased ? 'đã chết' : 'còn sống'},${deceased ? '2024-01-01' : ''}\n`);
    }
    const typed = random.chance(0.1) ? foldDiacritics(name) : name;
    const typedBirth = random.chance(0.1) ? String(year) : birth;
    const hasId = !random.chance(0.05);
    persons += copyLine([i, 0, typed, typedBirth, sex, hasId ? id : null, '{}']);
    if (persons.length > 1 << 22) await flush();
  }
  await flush();
  registry.end();
  await finished(registry);
  return registryFile;
}

/**
 * CPU seconds of the PostgreSQL backends serving this database, when the server runs on this machine (NaN
 * otherwise): the pool keeps its connections, so the difference over a run is the server's work for it.
 */
async function serverCpu(database: Database): Promise<number> {
  const rows = await database.withTransaction((tx) => tx.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database()'));
  let total = 0;
  for (const { pid } of rows) {
    const spent = cpuSecondsOf(`/proc/${pid}/stat`);
    if (spent === null) return NaN;
    total += spent.seconds;
  }
  return total;
}

export async function benchReconcile(database: Database, dir: string, people: number): Promise<void> {
  const file = await writeReconcileData(database, dir, people);
  let memory = peakMemory();
  let started = performance.now();
  const load = await loadRegistryFile(database, file);
  console.log(
    `registry load on PostgreSQL: ${load.loaded.toLocaleString('en')} citizens in ${((performance.now() - started) / 1000).toFixed(1)} s, peak RSS ${memory()} MiB`,
  );
  const connector = await fileRegistry(database, file);
  memory = peakMemory();
  const serverBefore = await serverCpu(database);
  const cpuBefore = process.cpuUsage();
  started = performance.now();
  const summary = await reconcile(database, connector);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const server = (await serverCpu(database)) - serverBefore;
  await connector.close();
  const counts = Object.entries(summary.byStatus).map(([s, n]) => `${s} ${n.toLocaleString('en')}`).join(', ');
  console.log(
    `reconcile on PostgreSQL: ${summary.checked.toLocaleString('en')} people in ${seconds.toFixed(1)} s ` +
      `(${counts}), peak RSS ${memory()} MiB\n` +
      `  CPU: Node ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s` +
      (Number.isNaN(server) ? '' : `, PostgreSQL backends of this database ${server.toFixed(1)} s`) +
      ` (load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`,
  );
}
