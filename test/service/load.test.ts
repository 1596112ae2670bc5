/**
 * Load test, bounded and on loopback only: 50 stations upload 5,000 generated rows each, all at once, to a
 * real server on the real PostgreSQL. Every row must be stored exactly once (raw and cleaned), in exactly
 * one batch per upload. Prints the throughput and the latency percentiles.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/service/keys.js';
import { COMMUNES, writeSynthFiles } from '../../src/synth/generate.js';
import { tempDir } from '../helpers/database.js';
import { call, fileForm, startTestService, type TestService } from './helpers.js';

const STATIONS = 50;
const ROWS_PER_UPLOAD = 5000;
/** The whole test must stay well under CI's patience: a run that takes longer is a failure, not a wait. */
const DEADLINE_MS = 90_000;

describe('load: 50 concurrent station uploads of 5,000 rows', () => {
  let s: TestService;
  const dir = tempDir();
  let files: { station: string; key: string; name: string; csv: string; recordIds: string[] }[];

  beforeAll(async () => {
    s = await startTestService('postgres', { uploadMaxMb: '5', logLevel: 'warn' });
    // ~4.3 rows per person: 60,000 people give the 250,000 rows needed, split in file order.
    const synth = await writeSynthFiles({ persons: 60_000, seed: 11, dir });
    const [header, ...lines] = fs.readFileSync(synth.records, 'utf8').split('\r\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(STATIONS * ROWS_PER_UPLOAD);
    files = [];
    for (let i = 0; i < STATIONS; i++) {
      const commune = COMMUNES[i % COMMUNES.length]!;
      const chunk = lines.slice(i * ROWS_PER_UPLOAD, (i + 1) * ROWS_PER_UPLOAD);
      const { secret } = await createApiKey(s.database, { name: `load-${i}`, role: 'station', station: commune.healthStation, commune: commune.code });
      files.push({
        station: commune.healthStation,
        key: secret,
        name: `station-${i}.csv`,
        csv: [header, ...chunk].join('\r\n') + '\r\n',
        recordIds: chunk.map((l) => l.slice(0, l.indexOf(','))),
      });
    }
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    'stores every row exactly once, one batch per upload',
    async () => {
      const started = performance.now();
      const results = await Promise.all(
        files.map(async (file) => {
          const t0 = performance.now();
          const answer = await call(`${s.api}/uploads`, { key: file.key, form: fileForm(file.name, file.csv) });
          return { file, answer, ms: performance.now() - t0 };
        }),
      );
      const wallMs = performance.now() - started;
      expect(wallMs).toBeLessThan(DEADLINE_MS);

      for (const { answer } of results) {
        expect(answer.status, answer.text.slice(0, 300)).toBe(200);
        expect(answer.body).toMatchObject({ rows: ROWS_PER_UPLOAD, status: 'loaded' });
      }
      const batchIds = results.map((r) => r.answer.body.batchId as number);
      expect(new Set(batchIds).size).toBe(STATIONS);

      // per batch: its station, its raw rows (header + data) and its cleaned records, each row once
      const batches = await s.database.db.selectFrom('batch').select(['id', 'station_code', 'status', 'row_count']).execute();
      expect(batches).toHaveLength(STATIONS);
      const raw = await s.database.db
        .selectFrom('raw_row')
        .select(['batch_id', (eb) => eb.fn.countAll<string>().as('n'), (eb) => eb.fn.count<string>('row_number').distinct().as('distinct_rows')])
        .groupBy('batch_id')
        .execute();
      const records = await s.database.db
        .selectFrom('record')
        .select(['batch_id', (eb) => eb.fn.countAll<string>().as('n'), (eb) => eb.fn.count<string>('record_id').distinct().as('distinct_ids')])
        .groupBy('batch_id')
        .execute();
      for (const { file, answer } of results) {
        const id = answer.body.batchId as number;
        expect(batches.find((b) => b.id === id)).toMatchObject({ station_code: file.station, status: 'loaded', row_count: ROWS_PER_UPLOAD });
        expect(raw.find((r) => r.batch_id === id)).toMatchObject({ n: String(ROWS_PER_UPLOAD + 1), distinct_rows: String(ROWS_PER_UPLOAD + 1) });
        expect(records.find((r) => r.batch_id === id)).toMatchObject({ n: String(ROWS_PER_UPLOAD), distinct_ids: String(ROWS_PER_UPLOAD) });
      }
      // the record ids stored in each batch are exactly the ones its station sent
      for (const { file, answer } of results.slice(0, 5)) {
        const stored = await s.database.db.selectFrom('record').select('record_id').where('batch_id', '=', answer.body.batchId).execute();
        expect(stored.map((r) => r.record_id).sort()).toEqual([...file.recordIds].sort());
      }
      const total = await s.database.db.selectFrom('record').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      expect(Number(total.n)).toBe(STATIONS * ROWS_PER_UPLOAD);

      const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
      const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
      const rows = STATIONS * ROWS_PER_UPLOAD;
      const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.csv), 0);
      const problems = results.reduce((sum, r) => sum + (r.answer.body.problems as unknown[]).length, 0);
      console.log(
        `load: ${STATIONS} concurrent uploads × ${ROWS_PER_UPLOAD} rows = ${rows} rows (${(bytes / 1e6).toFixed(1)} MB, ${problems} row problems answered) ` +
          `in ${(wallMs / 1000).toFixed(1)} s → ${Math.round(rows / (wallMs / 1000))} rows/s; ` +
          `latency p50 ${(pct(50) / 1000).toFixed(1)} s, p95 ${(pct(95) / 1000).toFixed(1)} s, max ${(pct(100) / 1000).toFixed(1)} s`,
      );
    },
    DEADLINE_MS + 30_000,
  );
});
