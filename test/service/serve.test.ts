/**
 * `vaxsync serve` as a real process on the real PostgreSQL: it answers on its port, and on SIGTERM it stops
 * accepting, finishes the upload in flight (sent slowly, so it is mid-body when the signal arrives), stops
 * the schedule, closes the database and exits 0.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/service/keys.js';
import { openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/database.js';
import { COMMUNE_A, STATION_A, csvOf, type TestRow } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/vaxsync.js', import.meta.url));
/** A port of its own per test process, away from the usual ones (the config does not take 0). */
const PORT = 20_000 + (process.pid % 20_000);

describe('vaxsync serve', () => {
  let t: TestDatabase;
  let key: string;
  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    key = (await createApiKey(t.database, { name: 'station', role: 'station', station: STATION_A, commune: COMMUNE_A })).secret;
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('finishes the request in flight on SIGTERM, then exits', async () => {
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(t.database.db)).rows[0]!.s;
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL, VAXSYNC_SCHEMA: schema, VAXSYNC_PORT: String(PORT), VAXSYNC_CONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${PORT}/api/v1`;
      for (let i = 0; !stdout.includes('vaxsync API on'); i++) {
        if (i > 300) throw new Error(`serve did not start:\n${stdout}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await fetch(`${base}/health`)).status).toBe(200);
      // the address a newcomer opens, printed, and serving the console
      expect(stdout).toContain(`vaxsync console on http://127.0.0.1:${PORT}/console/`);
      expect((await fetch(`http://127.0.0.1:${PORT}/console/`)).status).toBe(200);

      // a multipart upload whose body arrives over ~1 s; the signal comes after its first part
      const rows: TestRow[] = Array.from({ length: 2000 }, (_, i) => ({ record_id: `S${i}`, full_name: 'Nguyễn Văn An', commune_code: COMMUNE_A }));
      const boundary = 'vaxsync-test-boundary';
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.csv"\r\nContent-Type: text/csv\r\n\r\n`;
      const csv = csvOf(rows);
      const parts = [head + csv.slice(0, 1000), ...chunks(csv.slice(1000), 10), `\r\n--${boundary}--\r\n`];
      let sentFirst: () => void = () => {};
      const firstSent = new Promise<void>((resolve) => (sentFirst = resolve));
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const part = parts.shift();
          if (part === undefined) return controller.close();
          controller.enqueue(new TextEncoder().encode(part));
          sentFirst();
          await new Promise((r) => setTimeout(r, 100));
        },
      });
      const upload = fetch(`${base}/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
        duplex: 'half',
      } as RequestInit);
      await firstSent;
      await new Promise((r) => setTimeout(r, 150));
      child.kill('SIGTERM');

      const answer = await upload;
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ rows: 2000, status: 'loaded' });
      expect(await exited).toBe(0);
      expect(stdout).toMatch(/SIGTERM: finishing the requests in flight[\s\S]*stopped/);
      await expect(fetch(`${base}/health`)).rejects.toThrow();
      const batches = await t.database.db.selectFrom('batch').select(['status', 'row_count']).execute();
      expect(batches).toEqual([{ status: 'loaded', row_count: 2000 }]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

function chunks(text: string, count: number): string[] {
  const size = Math.ceil(text.length / count);
  return Array.from({ length: count }, (_, i) => text.slice(i * size, (i + 1) * size));
}
