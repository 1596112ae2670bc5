/**
 * No English where a station reads (issue 16, "Done when"): every console view a station opens, rendered in
 * Chromium on both databases — the dashboard and its documents, an upload's answer with problems and fixes,
 * the person pages of an adult and of a child, the call list — and every file a station downloads from the
 * console (the daily and monthly documents, the call list's XLSX, the input template, the marked-up copy of
 * its own file), scanned for the catalogue's English strings (`english.ts`). The review and police pages have
 * their own scans (review-cluster.test.ts, test/service/police.test.ts). The CSV files keep the contracts'
 * codes (other tools read them) and are not scanned.
 *
 * VAXSYNC_SCREENSHOTS=1 also saves docs/screenshots/person-1280.png and person-390.png (a child's page).
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signedInPage, UPLOAD_WAIT_MS } from '../helpers/browser.js';
import { BACKENDS, tempDir } from '../helpers/database.js';
import { reconciledSample } from '../helpers/sample.js';
import { COMMUNE_A, call, fileForm, startTestService, type TestService } from '../service/helpers.js';
import { englishIn } from './english.js';

const TODAY = '2026-11-01';
const SCREENSHOTS = process.env.VAXSYNC_SCREENSHOTS ? path.resolve('docs/screenshots') : null;
// During the COVID-19 campaign: the call list holds adults' COVID-19 doses as well as children's.
const CAMPAIGN_DAY = '2022-08-01';

// A station's file with a problem in most fields and a few automatic fixes (a date as an Excel serial, a
// phone with +84, a name in capitals).
const FILE = [
  'STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Số điện thoại,Mã xã,Tên vắc xin,Mũi thứ,Ngày tiêm',
  `1,NGUYỄN VĂN AN,15/03/1985,Nam,001085012345,+84912345678,${COMMUNE_A},AstraZeneca,1,10/08/2021`,
  `2,Nguyễn Văn An,15/03/1985,Nam,001085012345,0912345678,${COMMUNE_A},AstraZeneca,2,10/09/2027`,
  `3,Trần Thị Bình,01/02/1990,nu,12345,0987654321,${COMMUNE_A},Pfizer,1,12/08/2021`,
  `4,Lê Văn Cường,1970,X,001070000001,123,${COMMUNE_A},Vắc xin lạ,7,01/09/2021`,
  `5,,31/02/2019,Nữ,,,99999,BCG,1,44500`,
].join('\r\n');

/** Every string an XLSX shows: cell values (rich text and formulas' results too) and cell notes. */
async function xlsxText(buffer: Buffer): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as never);
  const parts: string[] = [];
  for (const sheet of workbook.worksheets) {
    parts.push(sheet.name);
    sheet.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        parts.push(cell.text);
        const note = cell.note as { texts?: { text: string }[] } | string | undefined;
        if (note) parts.push(typeof note === 'string' ? note : (note.texts ?? []).map((t) => t.text).join(''));
      }),
    );
  }
  return parts.join('\n');
}

describe.each(BACKENDS)("a station's pages and downloads on %s", (kind) => {
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

  const signedIn = (key: string): Promise<Page> => signedInPage(browser, s.root, key);

  const pageText = (p: Page) => p.locator('main').innerText();

  /** The youngest child with doses, and an adult with the most doses (of any commune: a sample of 200 has few children). */
  async function peopleToOpen(): Promise<{ child: string; adult: string }> {
    const rows = await s.database.db
      .selectFrom('person')
      .innerJoin('dose', 'dose.person_id', 'person.id')
      .where('person.birth_date', 'is not', null)
      .groupBy(['person.id', 'person.birth_date'])
      .select(['person.id', 'person.birth_date', sql<number>`count(*)::int`.as('doses')])
      .execute();
    const children = rows.filter((r) => r.birth_date! >= '2021-01-01').sort((a, b) => b.birth_date!.localeCompare(a.birth_date!) || b.doses - a.doses);
    const adults = rows.filter((r) => r.birth_date! < '2000-01-01').sort((a, b) => b.doses - a.doses);
    expect(children.length, 'a child in the sample').toBeGreaterThan(0);
    expect(adults.length, 'an adult in the sample').toBeGreaterThan(0);
    return { child: String(children[0]!.id), adult: String(adults[0]!.id) };
  }

  it('shows no English on the dashboard, the upload answer, the person pages and the call list', async () => {
    const texts: Record<string, string> = {};
    const p = await signedIn(s.keys.stationA);

    await p.locator('#dash-out table').first().waitFor();
    texts.dashboard = await pageText(p);

    await p.getByRole('link', { name: 'Tải lên' }).click();
    await p.getByLabel('Tệp CSV hoặc XLSX').setInputFiles({ name: 'thang9.csv', mimeType: 'text/csv', buffer: Buffer.from(FILE) });
    await p.locator('#upload-form').getByRole('button', { name: 'Tải lên' }).click();
    await p.getByRole('status').filter({ hasText: 'Đã tải lên lô số' }).waitFor({ timeout: UPLOAD_WAIT_MS });
    await p.locator('#upload-out table').first().waitFor();
    texts.upload = await pageText(p);
    // every row's problems are listed, each in Vietnamese with the station's own column name
    expect(texts.upload).toContain('Ngày tiêm');

    await p.getByRole('link', { name: 'Danh sách mời tiêm' }).click();
    await p.locator('#due-date').fill(CAMPAIGN_DAY);
    await p.locator('#due-form').getByRole('button').first().click();
    await p.locator('#due-out table').first().waitFor();
    texts['call list'] = await pageText(p);
    await p.close();

    // the person pages, as an operator (who sees every commune)
    const { child, adult } = await peopleToOpen();
    const o = await signedIn(s.keys.operator);
    for (const [label, id] of [['child', child], ['adult', adult]] as const) {
      await o.getByRole('link', { name: 'Người' }).click();
      await o.getByLabel('Mã người').check();
      await o.getByLabel('Giá trị cần tìm').fill(id);
      await o.getByRole('button', { name: 'Tìm' }).click();
      await o.locator('#person-heading').filter({ hasText: `P${id} —` }).waitFor();
      texts[`person ${label}`] = await pageText(o);
      if (SCREENSHOTS && label === 'child') {
        fs.mkdirSync(SCREENSHOTS, { recursive: true });
        await o.locator('#person-out').screenshot({ path: path.join(SCREENSHOTS, 'person-1280.png') });
        await o.setViewportSize({ width: 390, height: 800 });
        await o.locator('#person-out').screenshot({ path: path.join(SCREENSHOTS, 'person-390.png') });
        await o.setViewportSize({ width: 1280, height: 800 });
      }
    }
    await o.close();

    expect(Object.fromEntries(Object.entries(texts).map(([k, text]) => [k, englishIn(text)]).filter(([, found]) => found!.length > 0))).toEqual({});
  }, 120_000);

  it("shows no English in the files a station downloads", async () => {
    const get = async (path: string): Promise<Buffer> => {
      const answer = await fetch(`${s.api}${path}`, { headers: { authorization: `Bearer ${s.keys.stationA}` } });
      expect(answer.status, path).toBe(200);
      return Buffer.from(await answer.arrayBuffer());
    };
    const uploaded = await call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('thang9.csv', FILE) });
    expect(uploaded.status).toBeLessThan(300);
    const batch = uploaded.body.batchId as number;

    const files: Record<string, string> = {};
    for (const kind of ['daily', 'monthly', 'quality', 'due', 'coverage', 'progress'] as const) {
      const scope = `commune=${COMMUNE_A}&date=${TODAY}`;
      files[`${kind}.xlsx`] = await xlsxText(await get(`/reports/${kind}?format=xlsx&${scope}`));
      files[`${kind}.html`] = (await get(`/reports/${kind}?format=html&${scope}`)).toString('utf8');
    }
    files['template.xlsx'] = await xlsxText(await get('/uploads/template?format=xlsx'));
    files['marked-up.xlsx'] = await xlsxText(await get(`/batches/${batch}/marked-up.xlsx`));
    expect(files['marked-up.xlsx']).toContain('Ngày tiêm');

    expect(Object.fromEntries(Object.entries(files).map(([k, text]) => [k, englishIn(text)]).filter(([, found]) => found!.length > 0))).toEqual({});
  }, 120_000);
});
