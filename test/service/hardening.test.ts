/**
 * Issue 15, finding 8 (the service's side), each as an attacker would try it over HTTP: a body trickled
 * byte by byte, a flood of wrong keys, ids past int4, a station asking for the province's progress, answers
 * a browser could cache or sniff, a 90,000-character name.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkAll } from '../../src/link/link.js';
import { API_PREFIX } from '../../src/service/server.js';
import { AuthFailureLimiter, BoundedLru, TRACKED_MAX } from '../../src/service/throttle.js';
import { BACKENDS } from '../helpers/database.js';
import { COMMUNE_A, COMMUNE_B, call, csvOf, fileForm, startTestService, type TestRow, type TestService } from './helpers.js';

const ROWS: TestRow[] = [
  { record_id: 'A1', full_name: 'Nguyễn Văn An', birth_date: '15/03/1985', sex: 'Nam', citizen_id: '001085012345', commune_code: COMMUNE_A, vaccine: 'AZ', dose_number: '1', vaccination_date: '10/08/2021' },
  { record_id: 'A2', full_name: 'Trần Thị Bình', birth_date: '02/02/1992', sex: 'Nữ', commune_code: COMMUNE_B, vaccine: 'Pfizer', dose_number: '1', vaccination_date: '10/08/2021' },
  { record_id: 'A3', full_name: 'Lê Văn Cường', birth_date: '02/02/1960', sex: 'Nam', commune_code: COMMUNE_B, vaccine: 'Pfizer', dose_number: '1', vaccination_date: '10/08/2021' },
];

/** Opens a connection, sends `head` and the first byte of the body, and says how long until the server closed it. */
function trickle(url: string, head: string, waitMs: number): Promise<{ closedAfterMs: number | null; received: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    let received = '';
    const socket = net.connect(Number(port), hostname, () => socket.write(head + '{'));
    socket.on('data', (d) => (received += d.toString('utf8')));
    socket.on('error', () => {});
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ closedAfterMs: null, received });
    }, waitMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ closedAfterMs: Date.now() - started, received });
    });
  });
}

describe.each(BACKENDS)('the service under hostile clients (%s)', (kind) => {
  let s: TestService;
  let batchId: number;

  beforeAll(async () => {
    s = await startTestService(kind, { env: { VAXSYNC_BODY_IDLE_TIMEOUT_S: '1', VAXSYNC_AUTH_FAILURES_PER_MINUTE: '5' } });
    const up = await call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('a.csv', csvOf(ROWS)) });
    expect(up.status).toBe(200);
    batchId = up.body.batchId;
    await linkAll(s.database);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('cuts a request body that stops flowing, and keeps the configured request and keep-alive timeouts', async () => {
    const head =
      `POST ${API_PREFIX}/uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.keys.stationA}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n';
    const slow = await trickle(s.root, head, 5000);
    expect(slow.closedAfterMs).not.toBeNull();
    expect(slow.closedAfterMs!).toBeLessThan(4000);
    expect(s.app.server.requestTimeout).toBe(600_000);
    expect(s.app.server.keepAliveTimeout).toBe(5_000);
    // a request without a body is not cut while it is answered
    expect((await call(`${s.api}/batches/${batchId}`, { key: s.keys.stationA })).status).toBe(200);
  });

  it('answers ids past int4 with 400, never 500', async () => {
    for (const path of ['/batches/2147483648', '/batches/99999999999/quality', '/review/9999999999:2/1:3', '/review/1:9999999999/1:3', '/records/4294967296:1/unmerge']) {
      const answer = await call(s.api + path, { key: s.keys.operator, method: path.endsWith('unmerge') ? 'POST' : 'GET' });
      expect(answer.status, path).toBe(400);
      expect(answer.body.error, path).toMatch(/params\.(id|a|b|ref)/);
    }
  });

  it("gives a station the progress of its own commune, not the province's", async () => {
    // tomorrow (UTC): the seven days shown hold today whatever the database's time zone
    const date = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const mine = await call(`${s.api}/reports/progress?date=${date}`, { key: s.keys.stationB });
    const all = await call(`${s.api}/reports/progress?date=${date}`, { key: s.keys.operator });
    const own = await call(`${s.api}/reports/progress?date=${date}&commune=${COMMUNE_B}`, { key: s.keys.operator });
    const total = (answer: typeof mine, column: number) => answer.body.rows.reduce((sum: number, r: number[]) => sum + Number(r[column]), 0);
    expect(total(all, 2)).toBe(3); // records added: the province
    expect(total(mine, 2)).toBe(2); // the station's commune only
    expect(total(own, 2)).toBe(2);
    expect(mine.body.rows).toEqual(own.body.rows);
    expect(total(mine, 1)).toBe(1); // the batch holding them
  });

  it('marks every API answer no-store and nosniff, and the HTML report with a content security policy', async () => {
    const person = String((await s.database.db.selectFrom('person').select('id').where('commune_code', '=', COMMUNE_A).executeTakeFirstOrThrow()).id);
    for (const [path, key] of [
      [`/persons/${person}`, s.keys.stationA],
      ['/reports/coverage?format=html', s.keys.operator],
      ['/reports/quality?format=html', s.keys.operator],
      ['/reports/due?format=csv', s.keys.operator],
      ['/health', null],
      ['/no-such-route', null],
    ] as const) {
      const response = await fetch(s.api + path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
      expect(response.headers.get('cache-control'), path).toBe('no-store');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      if (response.headers.get('content-type')?.startsWith('text/html')) {
        const policy = response.headers.get('content-security-policy');
        expect(policy, path).toMatch(/default-src 'self'; script-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
        expect(policy, path).toContain("frame-ancestors 'none'");
        // the report's own inline style is the one the policy allows
        const style = /<style>([^<]*)<\/style>/.exec(await response.text())![1]!;
        expect(policy, path).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
      }
    }
  });

  it('refuses a 90,000-character name in a JSON upload at the boundary', async () => {
    const answer = await call(`${s.api}/uploads`, { key: s.keys.stationA, json: { rows: [{ record_id: 'L1', full_name: 'A'.repeat(90_000), commune_code: COMMUNE_A }] } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(/full_name/);
  });

  // Last: it locks 127.0.0.1 out for the rest of the minute.
  it('limits failed authentications per address, and audits them as one row with a count', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await call(`${s.api}/persons/${i < 3 ? 1 : 2 + (i % 2)}`, { key: `vxs_wrong-${i}` })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual(Array(7).fill(429));
    // locked out, even with a good key, until the minute ends; the answer says when
    const locked = await call(`${s.api}/me`, { key: s.keys.operator });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatch(/try again in \d+ s/);
    await s.app.close(); // writes the counts still in memory
    const rows = await s.database.db.selectFrom('audit_log').select(['actor', 'action', 'resource', 'outcome', 'count']).where('outcome', '=', 'denied').execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        { actor: '(unknown key)', action: 'read.person', resource: 'person:1', outcome: 'denied', count: 3 },
        { actor: '(unknown key)', action: 'read.person', resource: 'person:2', outcome: 'denied', count: 1 },
        { actor: '(unknown key)', action: 'read.person', resource: 'person:3', outcome: 'denied', count: 1 },
        // past the limit, one row whatever the ids tried
        { actor: '(too many failures)', action: 'read.person', resource: null, outcome: 'denied', count: 7 },
        { actor: '(too many failures)', action: 'read.me', resource: null, outcome: 'denied', count: 1 },
      ]),
    );
    expect(rows).toHaveLength(5);
  });
});

describe('the bounded failure counters', () => {
  it('forget the least recently seen address first, and never hold more than their capacity', () => {
    const evicted: string[] = [];
    const lru = new BoundedLru<string, number>(3, (k) => evicted.push(k));
    for (const k of ['a', 'b', 'c']) lru.set(k, 1);
    lru.get('a');
    lru.set('d', 1);
    expect(evicted).toEqual(['b']);
    expect(lru.size).toBe(3);
  });

  it('count per minute, and keep at most TRACKED_MAX addresses under a flood from many', () => {
    let now = 60_000 * 1000;
    const limiter = new AuthFailureLimiter(2, () => now);
    limiter.fail('10.0.0.1');
    expect(limiter.blockedFor('10.0.0.1')).toBe(0);
    limiter.fail('10.0.0.1');
    expect(limiter.blockedFor('10.0.0.1')).toBe(60);
    now += 61_000;
    expect(limiter.blockedFor('10.0.0.1')).toBe(0);
    for (let i = 0; i < TRACKED_MAX + 500; i++) limiter.fail(`10.1.${i >> 8}.${i & 255}`);
    expect((limiter as unknown as { windows: BoundedLru<string, unknown> }).windows.size).toBe(TRACKED_MAX);
  });
});
