/**
 * The web console and the report API, over HTTP on loopback against the real PostgreSQL and the embedded
 * database (the review pane once answered 500 on PGlite only, where ids come back as numbers), with synthetic
 * data imported, linked and reconciled, and the pages driven in Debian's headless Chromium by
 * playwright-core: sign-in, the review queue's accept and reject (stored as review_decision rows), an
 * upload's row problems, and the dashboard's coverage table against the API's JSON.
 *
 * VAXSYNC_SCREENSHOTS=1 also saves docs/screenshots/dashboard.png and review.png (1280×800).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, WAIT_MS } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../../src/config.js';
import { reconciledSample } from '../helpers/sample.js';
import { personPage, personPageText } from '../../src/report/person-page.js';
import { CONSOLE_DIR } from '../../src/service/static.js';
import { BACKENDS, tempDir } from '../helpers/database.js';
import { COMMUNE_A, COMMUNE_B, call, csvOf, startTestService, type TestService } from '../service/helpers.js';

const TODAY = '2026-11-01';
const DUE_DATE = '2022-08-01';
const SCREENSHOTS = process.env.VAXSYNC_SCREENSHOTS ? path.resolve('docs/screenshots') : null;

const numberFormat = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
const cellText = (v: string | number | null) => (v === null || v === '' ? '—' : typeof v === 'number' ? numberFormat.format(v) : v);

describe.each(BACKENDS)('web console on %s', (kind) => {
  let s: TestService;
  let browser: Browser;
  const dir = tempDir();

  beforeAll(async () => {
    s = await startTestService(kind, { logLevel: 'warn' });
    await reconciledSample(s.database, { persons: 200, seed: 7, dir });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function page(): Promise<Page> {
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    p.setDefaultTimeout(WAIT_MS);
    // Nothing but the service itself may be asked for anything.
    p.on('request', (request) => {
      if (!request.url().startsWith(s.root) && !request.url().startsWith('blob:') && !request.url().startsWith('data:')) {
        throw new Error(`external request ${request.url()}`);
      }
    });
    return p;
  }

  async function signIn(p: Page, key: string): Promise<void> {
    await p.goto(`${s.root}/`);
    await p.getByLabel('Khóa API').fill(key);
    await p.getByRole('button', { name: 'Đăng nhập' }).click();
    await p.locator('#who-text').waitFor({ state: 'visible' });
  }

  it('signs in with a key, shows its role, and refuses a wrong key with a message', async () => {
    const p = await page();
    // A browser whose clock is years off: the console must not take its dates from it.
    await p.clock.setFixedTime(new Date('2001-01-01T12:00:00Z'));
    await p.goto(`${s.root}/`);
    expect(p.url()).toBe(`${s.root}/console/`);
    await p.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    await p.getByLabel('Khóa API').fill('vxs_not-a-real-key');
    await p.getByRole('button', { name: 'Đăng nhập' }).click();
    await p.getByRole('status').filter({ hasText: 'Khóa API không hợp lệ' }).waitFor();
    expect(await p.locator('#nav').isHidden()).toBe(true);

    await p.getByLabel('Khóa API').fill(s.keys.reviewer);
    await p.getByRole('button', { name: 'Đăng nhập' }).click();
    await p.locator('#who-text').waitFor({ state: 'visible' });
    expect(await p.locator('#who-text').textContent()).toBe('reviewer-1 — Người đối chiếu');
    // the report dates default to the service's today (its time zone), whatever this browser's clock says
    expect(await p.locator('#dash-date').inputValue()).toBe(today(s.config));
    expect(await p.locator('#due-date').inputValue()).toBe(today(s.config));
    // a reviewer's menu has the review queue and no upload
    expect(await p.getByRole('navigation').getByRole('link').allTextContents()).toEqual(['Tổng quan', 'Hàng chờ đối chiếu', 'Người', 'Danh sách mời tiêm']);
    // the key is kept for this tab only
    expect(await p.evaluate("[sessionStorage.getItem('vaxsync.key'), localStorage.length]")).toEqual([s.keys.reviewer, 0]);
    await p.close();
  });

  it('shows the coverage report with the same figures as the API, with charts', async () => {
    const p = await page();
    await signIn(p, s.keys.reviewer);
    await p.getByLabel('Ngày báo cáo').fill(TODAY);
    await p.getByRole('button', { name: 'Xem' }).click();
    await p.getByRole('status').filter({ hasText: `Đã tải báo cáo ngày ${TODAY}` }).waitFor();

    const api = await call(`${s.api}/reports/coverage?date=${TODAY}`, { key: s.keys.reviewer });
    expect(api.status).toBe(200);
    expect(api.body.rows.length).toBeGreaterThan(3);
    const shown = await p.locator('#coverage-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(shown).toEqual(api.body.rows.map((r: (string | number | null)[]) => r.map(cellText)));
    expect(await p.locator('#coverage-table caption').textContent()).toBe(api.body.title);
    // the ≥2-dose chart: one bar per COVID-19 age group of the overall rows, its value in the description
    const covid = api.body.rows.filter((r: (string | number | null)[]) => r[0] === 'tất cả' && String(r[1]).startsWith('COVID-19'));
    const chart = p.getByRole('img', { name: /≥2 mũi COVID-19/ });
    expect(await chart.locator('rect.bar').count()).toBe(covid.filter((r: (string | number | null)[]) => r[4] !== null).length);
    expect(await chart.locator('desc').textContent()).toContain(`${cellText(covid[0][4])} %`);
    await p.getByRole('img', { name: /đúng, đủ, sạch, sống/ }).waitFor();
    expect(await p.locator('#progress-table tbody tr').count()).toBe(7);
    if (SCREENSHOTS) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await p.screenshot({ path: path.join(SCREENSHOTS, 'dashboard.png') });
    }
    await p.close();
  });

  it("keeps the user's own report and message when the dashboard's first load answers after them", async () => {
    const p = await page();
    // The dashboard's first load (default date) is held until the user has opened the daily document.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const heldDates: string[] = [];
    await p.route('**/reports/coverage?*', async (route) => {
      heldDates.push(new URL(route.request().url()).searchParams.get('date') ?? '');
      if (heldDates.length === 1) await held;
      await route.continue();
    });
    await signIn(p, s.keys.operator);
    await p.getByLabel('Ngày báo cáo').fill(DUE_DATE);
    const daily = await call(`${s.api}/reports/daily?date=${DUE_DATE}`, { key: s.keys.operator });
    await p.getByRole('button', { name: 'Mở báo cáo ngày' }).click();
    const message = `Đã tải báo cáo ngày: ${daily.body.title}.`;
    await p.getByRole('status').filter({ hasText: message }).waitFor();
    // A later load of the figures, for the date now asked, answers before the first one.
    await p.getByRole('button', { name: 'Xem' }).click();
    await p.getByRole('status').filter({ hasText: `Đã tải báo cáo ngày ${cellText(DUE_DATE)}.` }).waitFor();
    const coverage = await call(`${s.api}/reports/coverage?date=${DUE_DATE}`, { key: s.keys.operator });
    const shownRows = () => p.locator('#coverage-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(await shownRows()).toEqual(coverage.body.rows.map((r: (string | number | null)[]) => r.map(cellText)));
    const firstAnswered = p.waitForResponse((r) => r.url().includes('/reports/coverage?') && !r.url().includes(`date=${DUE_DATE}`));
    release();
    await firstAnswered;
    // What the page does with the answer (and a status message's 30 ms) has had its time.
    await p.waitForTimeout(300);
    expect(heldDates).toHaveLength(2);
    expect(heldDates[0]).not.toBe(DUE_DATE);
    // Neither the figures of the first load's date nor its message replaced the later ones.
    expect(await shownRows()).toEqual(coverage.body.rows.map((r: (string | number | null)[]) => r.map(cellText)));
    expect(await p.getByRole('status').textContent()).toBe(`Đã tải báo cáo ngày ${cellText(DUE_DATE)}.`);
    expect(await p.locator('#doc-heading').textContent()).toBe(daily.body.title);
    await p.close();
  });

  it('shows the daily and monthly documents on the dashboard as the API gives them, and downloads them', async () => {
    const p = await page();
    await signIn(p, s.keys.operator);
    // a day of the generated sample's COVID-19 campaign, so that the daily report has doses of its own
    await p.getByLabel('Ngày báo cáo').fill(DUE_DATE);
    for (const [kind, button, query] of [
      ['daily', 'Mở báo cáo ngày', `date=${DUE_DATE}`],
      ['monthly', 'Mở báo cáo tháng', `date=${DUE_DATE}&month=${DUE_DATE.slice(0, 7)}`],
    ] as const) {
      const api = await call(`${s.api}/reports/${kind}?${query}`, { key: s.keys.operator });
      expect(api.status).toBe(200);
      await p.getByRole('button', { name: button }).click();
      await p.getByRole('status').filter({ hasText: `: ${api.body.title}.` }).waitFor();
      expect(await p.locator('#doc-heading').textContent()).toBe(api.body.title);
      const withRows = api.body.sections.filter((x: { rows: unknown[] }) => x.rows.length > 0);
      expect(withRows.length).toBeGreaterThan(0);
      expect(await p.locator('#doc-out caption').allTextContents()).toEqual(withRows.map((x: { title: string }) => x.title));
      // every figure of the first section as the API has it
      const shown = await p.locator('#doc-out table').first().locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      expect(shown).toEqual(withRows[0].rows.map((r: (string | number | null)[]) => r.map(cellText)));
      const [file] = await Promise.all([p.waitForEvent('download'), p.locator(`[data-doc-download="${kind}"][data-format="xlsx"]`).click()]);
      expect(file.suggestedFilename()).toBe(`${kind}-all-${DUE_DATE}.xlsx`);
      expect(fs.readFileSync((await file.path())!).subarray(0, 2).toString()).toBe('PK');
    }
    await p.close();
  });

  it('opens a person of the call list: each dose valid or not and why, as `vaxsync person` says', async () => {
    const p = await page();
    await signIn(p, s.keys.operator);
    await p.goto(`${s.root}/console/#/moi-tiem`);
    await p.locator('#due-commune').fill(COMMUNE_A);
    await p.locator('#due-date').fill(DUE_DATE);
    await p.locator('#due-form').getByRole('button', { name: 'Xem' }).click();
    // someone listed for a second or later dose: they have doses for the page to weigh
    const due = await call(`${s.api}/reports/due?commune=${COMMUNE_A}&date=${DUE_DATE}`, { key: s.keys.operator });
    const listed = due.body.rows.find((r: (string | number | null)[]) => Number(r[due.body.columns.indexOf('dose_number')]) >= 2);
    expect(listed).toBeDefined();
    const personId = String(listed[0]);
    await p.locator('#due-out').getByRole('button', { name: personId, exact: true }).first().click();
    await p.locator('#person-heading').filter({ hasText: personId }).waitFor();
    expect(p.url()).toMatch(/#\/nguoi$/);

    const id = personId.replace(/^P/, '');
    const api = await call(`${s.api}/persons/${id}/schedule?date=${DUE_DATE}`, { key: s.keys.operator });
    expect(api.status).toBe(200);
    expect(await p.locator('#h-person-schedule').textContent()).toContain(DUE_DATE);
    // the page's verdicts are the API's, and each is a line of the CLI's person page for the same day
    const cli = personPageText((await personPage(s.database, id, DUE_DATE, s.config.covidCampaignEnd))!);
    const shown = await p.locator('#person-schedule ul.verdicts li').allTextContents();
    const verdicts = api.body.doses.flatMap((d: { verdicts: { valid: boolean; text: string }[] }) => d.verdicts.map((v) => `${v.valid ? '✓' : '✗'} ${v.text}`));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toEqual(verdicts);
    for (const line of shown) expect(cli).toContain(line.replace(/^✓ |^✗ /, ''));
    // the person is listed that day for a dose: the page says so too
    expect(await p.locator('#person-schedule').textContent()).toMatch(/đến hạn|quá hạn|tiêm bù/);

    // a station reads its own commune's people only
    const other = await s.database.withTransaction((tx) => tx.query<{ id: string }>(`select id::text as id from person where commune_code <> $1 limit 1`, [COMMUNE_A]));
    expect((await call(`${s.api}/persons/${other[0]!.id}/schedule`, { key: s.keys.stationA })).status).toBe(403);
    expect((await call(`${s.api}/persons/${id}/schedule?date=2026-02-30`, { key: s.keys.operator })).status).toBe(400);
    await p.close();
  });

  it('accepts and rejects pairs from the review queue: a message, the pair leaves the list, the decision is stored', async () => {
    const queue = await call(`${s.api}/review?limit=5`, { key: s.keys.reviewer });
    expect(queue.body.items.length).toBeGreaterThanOrEqual(2);
    const p = await page();
    await signIn(p, s.keys.reviewer);
    await p.getByRole('link', { name: 'Hàng chờ đối chiếu' }).click();
    const rows = p.locator('#review-list tbody tr');
    await rows.first().waitFor();

    for (const [k, verb, button, message, decision] of [
      [0, 'accept', 'Cùng một người', 'là cùng một người', 'same'],
      [1, 'reject', 'Khác người', 'là hai người khác nhau', 'different'],
    ] as const) {
      const { a, b } = queue.body.items[k];
      const pair = (await call(`${s.api}/review/${a}/${b}`, { key: s.keys.reviewer })).body;
      const row = p.locator(`#review-list tr[data-pair="${a}/${b}"]`);
      await row.getByRole('button', { name: 'Xem' }).click();
      await p.getByRole('heading', { name: `Cặp ${a} ↔ ${b}` }).waitFor();
      // both records side by side, the levels with their weights, the total probability
      const side = p.locator('#review-pair table').first();
      expect(await side.locator('thead th').allTextContents()).toEqual(['Trường', `Bản ghi A (${a})`, `Bản ghi B (${b})`]);
      expect(await side.locator('tbody tr').first().locator('td').allTextContents()).toEqual([pair.a.fullName ?? '—', pair.b.fullName ?? '—']);
      const levels = await p.locator('#review-pair table').nth(1).locator('tbody tr').count();
      expect(levels).toBe(pair.levels.length + 2);
      expect(await p.locator('#pair-probability').textContent()).toBe(`${cellText(Math.round(pair.probability * 1000) / 10)} %`);
      if (SCREENSHOTS && k === 0) await p.screenshot({ path: path.join(SCREENSHOTS, 'review.png') });

      await p.getByRole('button', { name: button, exact: true }).click();
      await p.getByRole('status').filter({ hasText: `Đã ghi: ${a} và ${b} ${message}` }).waitFor();
      await row.waitFor({ state: 'detached' });
      // the next pair of the list is opened at once
      const following = queue.body.items[k + 1];
      if (following) await p.getByRole('heading', { name: `Cặp ${following.a} ↔ ${following.b}` }).waitFor();
      else expect(await p.locator('#review-pair').textContent()).toBe('');
      const [ra, rb] = [a, b].map((ref: string) => ref.split(':').map(Number));
      const stored = await s.database.db
        .selectFrom('review_decision')
        .select(['decision', 'decided_by'])
        .where('a_batch', '=', ra![0]!)
        .where('a_row', '=', ra![1]!)
        .where('b_batch', '=', rb![0]!)
        .where('b_row', '=', rb![1]!)
        .execute();
      expect(stored, verb).toEqual([{ decision, decided_by: 'reviewer-1' }]);
    }
    // decided pairs stay out of the list when the queue is opened again in this session
    await p.reload();
    await p.locator('#queue-heading').waitFor();
    expect(await rows.count()).toBe(Math.min(200, queue.body.total) - 2);
    for (const k of [0, 1]) expect(await p.locator(`#review-list tr[data-pair="${queue.body.items[k].a}/${queue.body.items[k].b}"]`).count()).toBe(0);
    await p.close();
  });

  it("shows an upload's batch id and its row problems", async () => {
    const p = await page();
    await signIn(p, s.keys.stationA);
    expect(await p.locator('#who-text').textContent()).toBe(`station-a — Trạm y tế, xã ${COMMUNE_A}`);
    await p.getByRole('link', { name: 'Tải lên' }).click();
    const csv = csvOf([
      { record_id: 'U1', full_name: 'Nguyễn Văn An', birth_date: '15/03/1985', sex: 'Nam', commune_code: COMMUNE_A, vaccine: 'AZ', dose_number: '1', vaccination_date: '10/08/2021' },
      { record_id: 'U2', full_name: 'Trần Thị Bình', birth_date: '31/02/1990', sex: 'Nữ', citizen_id: '12345', commune_code: COMMUNE_A, vaccine: 'AZ', dose_number: '1', vaccination_date: '10/08/2021' },
    ]);
    await p.getByLabel('Tệp CSV hoặc XLSX').setInputFiles({ name: 'loi.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await p.getByRole('button', { name: 'Tải lên' }).click();
    await p.locator('#batch-id').waitFor();
    const batchId = Number(await p.locator('#batch-id').textContent());
    const quality = await call(`${s.api}/batches/${batchId}/quality`, { key: s.keys.stationA });
    expect(quality.status).toBe(200);
    type Problem = { row: number; recordId: string | null; name: string | null; column: string | null; messageVi: string; value: string | null };
    const expected = quality.body.problems.map((q: Problem) => [String(q.row), q.recordId ?? '—', q.name ?? '—', q.column, q.messageVi, q.value ?? '—']);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    // the problems' table (the automatic fixes' one is folded below it, in a <details>)
    const shown = await p.locator('#upload-out > .table-wrap tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(shown.map((r) => [r[0], r[1], r[2], r[3], r[5], r[6]])).toEqual(expected);
    // in the station's words: its row number, STT and name, its own column header, a Vietnamese sentence
    expect(shown.some((r) => r[0] === '3' && r[1] === 'U2' && r[2] === 'Trần Thị Bình' && r[3] === 'citizen_id' && r[6] === '12345' && /CCCD/.test(r[5]!))).toBe(true);
    expect(await p.getByRole('status').textContent()).toContain(`Đã tải lên lô số ${batchId}`);
    await p.close();
  });

  it('serves the console: / redirects, right content types, small, nothing external, no path out of its folder', async () => {
    const root = await fetch(`${s.root}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/console/']);
    const expected: Record<string, string> = { 'index.html': 'text/html', 'style.css': 'text/css', 'app.js': 'text/javascript', 'api.js': 'text/javascript', 'ui.js': 'text/javascript', 'police.js': 'text/javascript' };
    let total = 0;
    for (const file of fs.readdirSync(CONSOLE_DIR)) {
      const response = await fetch(`${s.root}/console/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type'), file).toMatch(new RegExp(`^${expected[file]}`));
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      const text = await response.text();
      total += Buffer.byteLength(text);
      expect(text.match(/https?:\/\/[^\s'"`]+/g)?.filter((u) => u !== 'http://www.w3.org/2000/svg') ?? [], file).toEqual([]);
      const again = await fetch(`${s.root}/console/${file}`, { headers: { 'if-none-match': response.headers.get('etag')! } });
      expect(again.status).toBe(304);
    }
    // A station opens it on a phone over a slow link: no framework, no build. 64.6 KB with the police page,
    // the review clusters and the person page; a cap that still catches a library pasted in.
    expect(total).toBeLessThan(80_000);
    expect((await fetch(`${s.root}/console/`)).headers.get('content-type')).toMatch(/^text\/html/);
    for (const bad of ['../static.ts', '..%2fstatic.ts', '%2e%2e/server.ts', 'nothing.js', 'index.ts']) {
      expect((await fetch(`${s.root}/console/${bad}`)).status, bad).toBe(404);
    }
  });

  it('answers reports as JSON, CSV, HTML and XLSX; a station only ever gets its own commune; reads are audited', async () => {
    // during the COVID-19 campaign, so that the generated adults are on the list (call-list.test.ts checks it row by row)
    const json = await call(`${s.api}/reports/due?commune=${COMMUNE_A}&date=${DUE_DATE}`, { key: s.keys.operator });
    expect(json.status).toBe(200);
    expect(json.body.columns).toContain('phone');
    expect(json.body.rows.length).toBeGreaterThan(0);
    for (const row of json.body.rows) expect(row[json.body.columns.indexOf('commune_code')]).toBe(COMMUNE_A);

    const csv = await fetch(`${s.api}/reports/due?commune=${COMMUNE_A}&date=${DUE_DATE}&format=csv`, { headers: { authorization: `Bearer ${s.keys.operator}` } });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="due-${COMMUNE_A}-${DUE_DATE}.csv"`);
    expect((await csv.text()).trim().split('\n').length).toBe(json.body.rows.length + 1);
    const xlsx = await fetch(`${s.api}/reports/coverage?date=${TODAY}&format=xlsx`, { headers: { authorization: `Bearer ${s.keys.reviewer}` } });
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
    expect(xlsx.headers.get('transfer-encoding')).toBe('chunked'); // sent as it is written, not built whole first
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    const html = await fetch(`${s.api}/reports/quality?date=${TODAY}&format=html`, { headers: { authorization: `Bearer ${s.keys.reviewer}` } });
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await html.text()).toContain('<th scope="col">');

    // a station asking for another commune gets its own
    const station = await call(`${s.api}/reports/coverage?commune=${COMMUNE_B}&date=${TODAY}`, { key: s.keys.stationA });
    expect(station.status).toBe(200);
    expect(new Set(station.body.rows.map((r: unknown[]) => r[0]))).toEqual(new Set([COMMUNE_A, 'tất cả']));
    expect((await call(`${s.api}/reports/progress`, { key: s.keys.stationA })).status).toBe(200);

    for (const [path, reason] of [
      ['/reports/everything', /params\.kind/],
      ['/reports/due?date=2026-02-30', /date.*calendar/],
      ['/reports/due?date=1.11.2026', /date.*yyyy-mm-dd/],
      ['/reports/due?format=pdf', /format/],
      ['/reports/due?commune=abc', /commune/],
    ] as const) {
      const answer = await call(s.api + path, { key: s.keys.operator });
      expect(answer.status, path).toBe(400);
      expect(answer.body.error, path).toMatch(reason);
    }
    expect((await call(`${s.api}/reports/due`)).status).toBe(401);

    const audit = await s.database.db.selectFrom('audit_log').select(['actor', 'resource', 'outcome']).where('action', '=', 'read.report').execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { actor: 'operator-1', resource: `report:due:${COMMUNE_A}:${DUE_DATE}`, outcome: 'ok' },
        { actor: 'station-a', resource: `report:coverage:${COMMUNE_A}:${TODAY}`, outcome: 'ok' },
        { actor: '(none)', resource: 'report:due', outcome: 'denied' },
      ]),
    );
    const me = await call(`${s.api}/me`, { key: s.keys.stationA });
    expect(me.body).toEqual({ name: 'station-a', role: 'station', station: 'TYT00376', commune: COMMUNE_A, today: today(s.config) });
  });
});
