/**
 * Reports at province scale for `npm run bench` (BENCH_ONLY=reports): a generated file of BENCH_ROWS rows
 * (default 1,000,000) imported and linked, then every report kind timed as an officer would ask for it —
 * the call list (on a day of the COVID-19 campaign, when adults are due too, and on the report day after it,
 * for the whole province and for one commune), coverage, progress, daily, monthly and quality. Target: each
 * answers in 5 s or less (issue 13). Figures are printed, never asserted.
 */
import { importFile } from '../src/ingest/import.js';
import { linkAll } from '../src/link/link.js';
import type { Database } from '../src/db/database.js';
import { callList } from '../src/report/call-list.js';
import { documentReport } from '../src/report/documents.js';
import { coverageReport, progressReport } from '../src/report/programme.js';
import { writeSynthFiles } from '../src/synth/generate.js';
import { peakMemory } from './memory.js';

interface Timed {
  readonly label: string;
  readonly run: () => Promise<number>;
}

export async function benchReports(database: Database, dir: string, rows: number): Promise<void> {
  await buildReportsDatabase(database, dir, rows);
  await timeReports(database);
}

const day = '2026-12-02';

/** The bench's province: BENCH_ROWS generated rows imported and linked (scripts/bench-reports.ts keeps it in a schema). */
export async function buildReportsDatabase(database: Database, dir: string, rows: number): Promise<void> {
  const started = performance.now();
  const files = await writeSynthFiles({ persons: Math.ceil(rows / 4.2), seed: 42, dir });
  await importFile(database, files.records, { source: 'bench', today: day });
  const link = await linkAll(database);
  console.log(
    `reports: ${files.rows.toLocaleString('en')} rows imported and linked → ${link.persons.toLocaleString('en')} people, ` +
      `${link.doses.toLocaleString('en')} doses in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

/**
 * Every report timed; `only` keeps the reports whose label holds one of its words. `probe`, started before a
 * report and stopped after it, adds its words to the line (scripts/bench-reports.ts: the CPU seconds spent).
 */
export async function timeReports(
  database: Database,
  only: readonly string[] = [],
  probe?: () => Promise<() => Promise<string>>,
): Promise<void> {
  // The commune with the most people: what one station's officer asks for.
  const [busiest] = await database.withTransaction((tx) =>
    tx.query<{ commune_code: string; n: string }>(
      `select commune_code, count(*) as n from person where commune_code is not null group by 1 order by 2 desc, 1 limit 1`,
    ),
  );
  const commune = busiest?.commune_code;
  const options = { date: day, timeZone: 'Asia/Ho_Chi_Minh', liveDays: 365 };
  const runs: Timed[] = [
    { label: `call list ${day} (after the COVID-19 campaign), all communes`, run: async () => (await callList(database, { date: day })).rows.length },
    { label: 'call list 2022-06-01 (during the campaign), all communes', run: async () => (await callList(database, { date: '2022-06-01' })).rows.length },
    ...(commune ? [{ label: `call list ${day}, commune ${commune} (${busiest!.n} people)`, run: async () => (await callList(database, { date: day, commune })).rows.length }] : []),
    { label: 'call list 2022-06-01, ages 5–<18', run: async () => (await callList(database, { date: '2022-06-01' }, { ageFrom: 5, ageTo: 18 })).rows.length },
    // the generator writes no school: this times reading every candidate's contacts from the raw rows
    { label: 'call list 2022-06-01, ages 5–<18, one school', run: async () => (await callList(database, { date: '2022-06-01' }, { ageFrom: 5, ageTo: 18, school: 'Trường THCS Yên Định' })).rows.length },
    { label: 'coverage', run: async () => (await coverageReport(database, { date: day })).rows.length },
    { label: 'progress', run: async () => (await progressReport(database, { date: day })).rows.length },
    { label: 'daily, by commune', run: async () => sectionRows(await documentReport(database, 'daily', options)) },
    { label: 'daily 2024-06-15, by district (2024 map)', run: async () => sectionRows(await documentReport(database, 'daily', { ...options, date: '2024-06-15', level: 'district', map: '2024' })) },
    { label: 'monthly 2026-11, by commune', run: async () => sectionRows(await documentReport(database, 'monthly', { ...options, month: '2026-11' })) },
    { label: 'monthly 2024-06, by district (2024 map)', run: async () => sectionRows(await documentReport(database, 'monthly', { ...options, month: '2024-06', level: 'district', map: '2024' })) },
    { label: 'quality, by province', run: async () => sectionRows(await documentReport(database, 'quality', { ...options, level: 'province' })) },
  ];
  for (const { label, run } of runs.filter((r) => only.length === 0 || only.some((word) => r.label.includes(word)))) {
    const memory = peakMemory();
    const probed = await probe?.();
    const started = performance.now();
    const count = await run();
    const seconds = (performance.now() - started) / 1000;
    const extra = probed ? `, ${await probed()}` : '';
    console.log(`report ${label}: ${count.toLocaleString('en')} rows in ${seconds.toFixed(2)} s${extra}, peak RSS ${memory()} MiB${seconds > 5 ? '  (over the 5 s target)' : ''}`);
  }
}

const sectionRows = (doc: { sections: readonly { rows: readonly unknown[] }[] }) => doc.sections.reduce((n, s) => n + s.rows.length, 0);
