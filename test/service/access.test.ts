/**
 * Access control over HTTP on loopback, against the real PostgreSQL: every role against every route
 * (allowed, or 403), 401 without a key, with a wrong one or a revoked one, refusals that carry no data,
 * stations confined to their own batches and commune, the audit log of reads, changes and denials, a log
 * without citizen IDs, the OpenAPI document, health and readiness, and the background job endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskCitizenId } from '../../src/clean/citizen-id.js';
import { NIGHTLY_LOCK } from '../../src/jobs/pipeline.js';
import { linkAll } from '../../src/link/link.js';
import { createApiKey } from '../../src/service/keys.js';
import { COMMUNE_A, COMMUNE_B, STATION_B, call, csvOf, fileForm, startTestService, type TestRow, type TestService } from './helpers.js';

const ID_A = '001085012345';
const ID_B = '001070099887';

const ROWS_A: TestRow[] = [
  { record_id: 'A1', full_name: 'Nguyễn Văn An', birth_date: '15/03/1985', sex: 'Nam', citizen_id: ID_A, phone: '0912345678', commune_code: COMMUNE_A, vaccine: 'AZ', dose_number: '1', vaccination_date: '10/08/2021' },
  { record_id: 'A2', full_name: 'Nguyen Van An', birth_date: '15/03/1985', sex: 'Nam', phone: '0912345678', commune_code: COMMUNE_A, vaccine: 'AZ', dose_number: '2', vaccination_date: '10/10/2021' },
  { record_id: 'A3', full_name: 'Trần Thị Bình', birth_date: '02/02/1992', sex: 'Nữ', commune_code: COMMUNE_A, vaccine: 'Pfizer', dose_number: '1', vaccination_date: '01/09/2021' },
];
const ROWS_B: TestRow[] = [
  { record_id: 'B1', full_name: 'Lê Văn Dũng', birth_date: '01/01/1970', sex: 'Nam', citizen_id: ID_B, phone: '0987654321', commune_code: COMMUNE_B, vaccine: 'AZ', dose_number: '1', vaccination_date: '10/08/2021' },
];

type Role = 'station' | 'reviewer' | 'operator' | 'police';
interface RouteCase {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: () => string;
  readonly roles: readonly Role[];
  /** The path as the OpenAPI document names it. */
  readonly template: string;
  /** The body, or a function giving it once the test's data exists. */
  readonly json?: unknown;
  readonly ok?: number;
}

describe('access control on postgres', () => {
  let s: TestService;
  let batchA: number;
  let batchB: number;
  let personA: string;
  let personB: string;
  let police: string;

  beforeAll(async () => {
    s = await startTestService('postgres');
    police = (await createApiKey(s.database, { name: 'police-a', role: 'police', commune: COMMUNE_A })).secret;
    const a = await call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('a.csv', csvOf(ROWS_A)) });
    const b = await call(`${s.api}/uploads`, { key: s.keys.stationB, form: fileForm('b.csv', csvOf(ROWS_B)) });
    expect([a.status, b.status]).toEqual([200, 200]);
    batchA = a.body.batchId;
    batchB = b.body.batchId;
    await linkAll(s.database);
    const person = async (citizenId: string) =>
      String((await s.database.db.selectFrom('person').select('id').where('citizen_id', '=', citizenId).executeTakeFirstOrThrow()).id);
    personA = await person(ID_A);
    personB = await person(ID_B);
  });
  afterAll(async () => {
    await s?.close();
  });

  const keyOf = (role: Role) => (role === 'station' ? s.keys.stationA : role === 'police' ? police : s.keys[role]);
  const ROUTES: RouteCase[] = [
    { name: 'upload', template: '/uploads', method: 'POST', path: () => '/uploads', roles: ['station', 'operator'], json: { rows: [{ record_id: 'M1', full_name: 'Phạm Văn Giang', commune_code: COMMUNE_A }] } },
    { name: 'input template', template: '/uploads/template', method: 'GET', path: () => '/uploads/template', roles: ['station', 'operator'] },
    { name: 'batch', template: '/batches/{id}', method: 'GET', path: () => `/batches/${batchA}`, roles: ['station', 'reviewer', 'operator'] },
    { name: 'quality', template: '/batches/{id}/quality', method: 'GET', path: () => `/batches/${batchA}/quality`, roles: ['station', 'reviewer', 'operator'] },
    { name: 'marked-up', template: '/batches/{id}/marked-up.xlsx', method: 'GET', path: () => `/batches/${batchA}/marked-up.xlsx`, roles: ['station', 'reviewer', 'operator'] },
    { name: 'corrections', template: '/batches/{id}/corrections', method: 'GET', path: () => `/batches/${batchA}/corrections`, roles: ['station', 'reviewer', 'operator'] },
    { name: 'review list', template: '/review', method: 'GET', path: () => '/review', roles: ['reviewer', 'operator'] },
    { name: 'commune holds', template: '/review/communes', method: 'GET', path: () => '/review/communes', roles: ['reviewer', 'operator'] },
    { name: 'review pair', template: '/review/{a}/{b}', method: 'GET', path: () => `/review/${batchA}:2/${batchA}:3`, roles: ['reviewer', 'operator'] },
    { name: 'accept', template: '/review/{a}/{b}/accept', method: 'POST', path: () => `/review/${batchA}:2/${batchA}:3/accept`, roles: ['reviewer', 'operator'] },
    { name: 'reject', template: '/review/{a}/{b}/reject', method: 'POST', path: () => `/review/${batchA}:2/${batchA}:4/reject`, roles: ['reviewer', 'operator'] },
    { name: 'cluster accept', template: '/review/cluster/accept', method: 'POST', path: () => '/review/cluster/accept', roles: ['reviewer', 'operator'], json: () => ({ pairs: [`${batchA}:2/${batchA}:3`] }) },
    { name: 'cluster reject', template: '/review/cluster/reject', method: 'POST', path: () => '/review/cluster/reject', roles: ['reviewer', 'operator'], json: () => ({ pairs: [`${batchA}:2/${batchA}:4`] }) },
    { name: 'unmerge', template: '/records/{ref}/unmerge', method: 'POST', path: () => `/records/${batchA}:4/unmerge`, roles: ['reviewer', 'operator'] },
    { name: 'person', template: '/persons/{id}', method: 'GET', path: () => `/persons/${personA}`, roles: ['station', 'reviewer', 'operator'] },
    { name: 'person page', template: '/persons/{id}/schedule', method: 'GET', path: () => `/persons/${personA}/schedule`, roles: ['station', 'reviewer', 'operator'] },
    { name: 'person lookup', template: '/persons', method: 'GET', path: () => `/persons?citizen_id=${ID_A}`, roles: ['station', 'reviewer', 'operator'] },
    { name: 'outbox', template: '/outbox', method: 'GET', path: () => '/outbox', roles: ['operator'] },
    { name: 'jobs', template: '/jobs', method: 'GET', path: () => '/jobs', roles: ['operator'] },
    { name: 'run job', template: '/jobs/run', method: 'POST', path: () => '/jobs/run', roles: ['operator'], ok: 202 },
    { name: 'report', template: '/reports/{kind}', method: 'GET', path: () => '/reports/quality?date=2026-11-01', roles: ['station', 'reviewer', 'operator'] },
    { name: 'me', template: '/me', method: 'GET', path: () => '/me', roles: ['station', 'reviewer', 'operator', 'police'] },
    { name: 'police list', template: '/police/list', method: 'GET', path: () => '/police/list', roles: ['police'] },
    { name: 'police print', template: '/police/list/print', method: 'GET', path: () => '/police/list/print?format=html', roles: ['police'] },
    // Reached, but nobody is on the list (never reconciled) and there is nothing to sign: the access is what is tested here.
    { name: 'police answer', template: '/police/persons/{id}/answer', method: 'POST', path: () => `/police/persons/${personA}/answer`, roles: ['police'], json: { outcome: 'not_resident' }, ok: 404 },
    { name: 'police sign-off', template: '/police/sign-off', method: 'POST', path: () => '/police/sign-off', roles: ['police'], ok: 400 },
  ];
  const send = (route: RouteCase, key: string | null, headers: Record<string, string> = {}) =>
    call(s.api + route.path(), { method: route.method, key, headers, ...(route.json ? { json: typeof route.json === 'function' ? (route.json as () => unknown)() : route.json } : {}) });

  it('refuses every route without a key, with an unknown, a malformed or a revoked one: 401 and no data', async () => {
    for (const route of ROUTES) {
      for (const [label, key, headers] of [
        ['no key', null, {}],
        ['unknown key', 'vxs_not-a-real-key', {}],
        ['revoked key', s.keys.revoked, {}],
        ['not a bearer', null, { authorization: `Basic ${Buffer.from('x:y').toString('base64')}` }],
      ] as const) {
        const answer = await send(route, key, headers);
        expect(answer.status, `${route.name}, ${label}`).toBe(401);
        expect(answer.body, `${route.name}, ${label}`).toEqual({ error: expect.any(String), code: 'http.unauthorized' });
      }
    }
  });

  it('lets each role call exactly its routes; the others get 403 with no data', async () => {
    for (const route of ROUTES) {
      for (const role of ['station', 'reviewer', 'operator', 'police'] as const) {
        const answer = await send(route, keyOf(role));
        if (route.roles.includes(role)) {
          expect(answer.status, `${role} ${route.name}: ${answer.text}`).toBe(route.ok ?? 200);
        } else {
          expect(answer.status, `${role} ${route.name}`).toBe(403);
          expect(answer.body).toEqual({ error: expect.any(String), code: 'http.forbidden' });
          expect(answer.text).not.toMatch(/Nguy|0912|001085/);
        }
      }
    }
    await waitForJobs(s);
  });

  it('confines a station to its own batches and to the people of its commune', async () => {
    const b = s.keys.stationB;
    for (const path of [`/batches/${batchA}`, `/batches/${batchA}/quality`, `/persons/${personA}`]) {
      const answer = await call(s.api + path, { key: b });
      expect(answer.status, path).toBe(403);
      expect(answer.body).toEqual({ error: expect.any(String), code: 'http.forbidden' });
    }
    expect((await call(`${s.api}/batches/${batchB}`, { key: b })).body.stationCode).toBe(STATION_B);
    const own = await call(`${s.api}/persons/${personB}`, { key: b });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: personB, citizenId: ID_B, communeCode: COMMUNE_B });
    expect(own.body.sources).toEqual([expect.objectContaining({ ref: `${batchB}:2`, recordId: 'B1', stationCode: STATION_B })]);
    expect(own.body.doses).toEqual([expect.objectContaining({ vaccine: expect.any(String), date: '2021-08-10', records: [`${batchB}:2`] })]);
    // a lookup by citizen ID finds nobody outside the station's commune (a 403 would say the ID is known)
    const elsewhere = await call(`${s.api}/persons?citizen_id=${ID_A}`, { key: b });
    expect(elsewhere).toMatchObject({ status: 200, body: { persons: [] } });
    const inCommune = await call(`${s.api}/persons?citizen_id=${ID_A}`, { key: s.keys.stationA });
    expect(inCommune.body.persons).toEqual([expect.objectContaining({ id: personA, citizenId: ID_A })]);
    expect((await call(`${s.api}/persons/${personB}`, { key: s.keys.stationA })).status).toBe(403);
    expect((await call(`${s.api}/persons/987654`, { key: s.keys.stationA })).status).toBe(404);
    expect((await call(`${s.api}/batches/987654`, { key: s.keys.stationA })).status).toBe(404);
  });

  it('answers malformed ids, refs and queries with 400 naming the field', async () => {
    const cases: [string, RegExp][] = [
      ['/batches/abc', /params\.id/],
      ['/persons/12x', /params\.id/],
      ['/persons?citizen_id=12345', /citizen_id/],
      ['/persons', /citizen_id/],
      [`/review/${batchA}-2/${batchA}:3`, /params\.a.*batch:row/],
      [`/review/${batchA}:2/${batchA}:2`, /itself/],
      ['/review?limit=0', /limit/],
      [`/batches/${batchA}/quality?includeFixes=maybe`, /includeFixes/],
    ];
    for (const [path, reason] of cases) {
      const answer = await call(s.api + path, { key: s.keys.operator });
      expect(answer.status, path).toBe(400);
      expect(answer.body.error, path).toMatch(reason);
    }
    expect((await call(`${s.api}/review/${batchA}:2/${batchA}:99`, { key: s.keys.reviewer })).status).toBe(404);
  });

  it('shows a pair with its explanation, IDs and phones masked, and records decisions under the key name', async () => {
    const pair = await call(`${s.api}/review/${batchA}:2/${batchA}:3`, { key: s.keys.reviewer });
    expect(pair.status).toBe(200);
    expect(pair.body.a).toMatchObject({ ref: `${batchA}:2`, citizenId: maskCitizenId(ID_A), phone: '091*****78' });
    expect(pair.body.levels.length).toBeGreaterThan(0);
    expect(pair.text).not.toContain(ID_A);
    const decisions = await s.database.db.selectFrom('review_decision').selectAll().orderBy('a_row').orderBy('b_row').execute();
    expect(decisions.map((d) => [d.a_row, d.b_row, d.decision, d.decided_by])).toEqual(
      expect.arrayContaining([
        [2, 3, 'same', 'operator-1'],
        [2, 4, 'different', 'operator-1'],
      ]),
    );
  });

  it('runs the nightly job in the background (202) and answers 409 while another run holds the lock', async () => {
    const jobs = await call(`${s.api}/jobs`, { key: s.keys.operator });
    expect(jobs.body.runs[0]).toMatchObject({ trigger: 'api', status: 'succeeded' });
    expect(jobs.body.runs[0].stages.map((st: { stage: string }) => st.stage)).toEqual(['import', 'link', 'reconcile', 'push', 'report']);

    let held: () => void = () => {};
    let release: () => void = () => {};
    const holding = new Promise<void>((resolve) => (held = resolve));
    const lock = s.database.withSessionLock(NIGHTLY_LOCK, async () => {
      held();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await holding;
    const refused = await call(`${s.api}/jobs/run`, { method: 'POST', key: s.keys.operator });
    release();
    await lock;
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/lock/);
    const outbox = await call(`${s.api}/outbox`, { key: s.keys.operator });
    expect(outbox.body.counts).toMatchObject({ pending: expect.any(Number), rejected: 0 });
  });

  it('writes an audit row for every read, change and denial, without personal data', async () => {
    const rows = await s.database.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    const has = (match: Partial<(typeof rows)[number]>) => rows.some((r) => Object.entries(match).every(([k, v]) => r[k as keyof typeof r] === v));
    expect(has({ actor: 'station-a', role: 'station', action: 'upload', resource: `batch:${batchA}`, outcome: 'ok', ip: '127.0.0.1' })).toBe(true);
    expect(has({ actor: 'reviewer-1', role: 'reviewer', action: 'read.person', resource: `person:${personA}`, outcome: 'ok' })).toBe(true);
    expect(has({ actor: 'reviewer-1', action: 'read.pair', resource: `pair:${batchA}:2/${batchA}:3`, outcome: 'ok' })).toBe(true);
    expect(has({ actor: 'operator-1', action: 'review.accept', outcome: 'ok' })).toBe(true);
    expect(has({ actor: 'reviewer-1', action: 'review.unmerge', resource: `record:${batchA}:4`, outcome: 'ok' })).toBe(true);
    expect(has({ actor: 'station-a', action: 'lookup.person', resource: `persons:${personA}`, outcome: 'ok' })).toBe(true);
    expect(has({ actor: 'station-b', action: 'lookup.person', resource: 'persons:none', outcome: 'ok' })).toBe(true);
    // denials: no key, unknown key, revoked key, wrong role, another commune
    expect(has({ actor: '(none)', role: '-', action: 'read.person', outcome: 'denied' })).toBe(true);
    expect(has({ actor: '(unknown key)', role: '-', action: 'upload', outcome: 'denied' })).toBe(true);
    expect(has({ actor: 'old-operator', role: 'operator', action: 'jobs.run', outcome: 'denied' })).toBe(true);
    expect(has({ actor: 'reviewer-1', action: 'upload', outcome: 'denied' })).toBe(true);
    expect(has({ actor: 'station-b', action: 'read.person', resource: `person:${personA}`, outcome: 'denied' })).toBe(true);
    expect(has({ actor: 'station-b', action: 'read.batch', resource: `batch:${batchA}`, outcome: 'denied' })).toBe(true);
    expect(has({ actor: 'operator-1', action: 'jobs.run', outcome: 'ok' })).toBe(true);
    expect(has({ actor: 'operator-1', action: 'read.quality', outcome: 'error' })).toBe(true);
    const text = JSON.stringify(rows);
    for (const secret of [ID_A, ID_B, '0912345678', 'Nguy']) expect(text).not.toContain(secret);
  });

  it('never logs a citizen ID or a phone unmasked', async () => {
    for (const query of [ID_A, '001%20085%20012%20345', '001.085.012.345', `${ID_B}&x=1`]) {
      await call(`${s.api}/persons?citizen_id=${query}`, { key: s.keys.reviewer });
    }
    await call(`${s.api}/no-such-route/${ID_A}?phone=0912345678`, { key: s.keys.reviewer });
    await call(`${s.api}/persons/${ID_A}`, { key: s.keys.reviewer });
    const log = s.logText();
    expect(log).toContain('"url":"/api/v1/persons?citizen_id=');
    expect(log).toContain(maskCitizenId(ID_A));
    for (const secret of [ID_A, ID_B, '0912345678', '0987654321', '085%20012', '085.012.345', 'Nguy']) expect(log).not.toContain(secret);
  });

  it('serves its OpenAPI document, listing every route with its roles', async () => {
    const doc = await call(`${s.root}/openapi.json`);
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths).sort()).toEqual(
      [...new Set(ROUTES.map((r) => `/api/v1${r.template}`)), '/api/v1/health', '/api/v1/ready'].sort(),
    );
    for (const route of ROUTES) {
      const operation = doc.body.paths[`/api/v1${route.template}`][route.method.toLowerCase()];
      expect(operation.security, route.template).toEqual([{ apiKey: [] }]);
      expect(operation.description).toContain(`Roles: ${route.roles.join(', ')}`);
    }
    expect(Object.keys(doc.body.paths['/api/v1/uploads'].post.requestBody.content).sort()).toEqual(['application/json', 'multipart/form-data']);
    expect(doc.body.paths['/api/v1/health'].get.security).toBeUndefined();
  });

  it('answers health without a key, and readiness according to the database and its migrations', async () => {
    expect(await call(`${s.api}/health`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await call(`${s.api}/ready`)).toMatchObject({ status: 200, body: { status: 'ready' } });
    await s.database.db.updateTable('kysely_migration' as never).set({ name: '0010_access_hidden' } as never).where('name' as never, '=', '0010_access' as never).execute();
    const notReady = await call(`${s.api}/ready`);
    await s.database.db.updateTable('kysely_migration' as never).set({ name: '0010_access' } as never).where('name' as never, '=', '0010_access_hidden' as never).execute();
    expect(notReady).toMatchObject({ status: 503, body: { status: 'not ready', reason: expect.stringContaining('0010_access') } });
  });
});

/** Waits until no job run is `running` (the one the role matrix started). */
async function waitForJobs(s: TestService): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const running = await s.database.db.selectFrom('job_run').select('id').where('status', '=', 'running').execute();
    if (running.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the job run did not finish');
}
