/**
 * The police page of the console in headless Chromium, on PostgreSQL and the embedded database: a commune
 * police officer signs in, works the list (a confirmation, a correction, a person who moved away), prints
 * it, and signs it off; the answers and the sign-off are checked in the database, and the page is read at
 * 390 px without sideways scrolling. The officer's menu has the list only, and the other views are out of reach.
 *
 * VAXSYNC_SCREENSHOTS=1 also saves docs/screenshots/police-1280.png and police-390.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signedInPage } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileRegistry, loadRegistryFile } from '../../connectors/registry/file.js';
import { linkAll } from '../../src/link/link.js';
import { reconcile } from '../../src/reconcile/reconcile.js';
import { createApiKey } from '../../src/service/keys.js';
import { BACKENDS, tempDir } from '../helpers/database.js';
import { COMMUNE_A, COMMUNE_B, call, fileForm, startTestService, type TestService } from '../service/helpers.js';
import { englishIn } from './english.js';

const SCREENSHOTS = process.env.VAXSYNC_SCREENSHOTS ? path.resolve('docs/screenshots') : null;

const HEADER = 'record_id,full_name,birth_date,sex,citizen_id,phone,address,commune_code,guardian_name,guardian_phone,vaccine,dose_number,vaccination_date';
const ROWS = [
  `A1,Phạm Minh Đức,05/05/1980,Nam,001080012347,0912000001,"Thôn 2, xã A",${COMMUNE_A},,,Pfizer,1,01/06/2022`, // conflict
  `A2,Hoàng Thị Lan,09/09/1975,Nữ,001175099999,0912000002,Thôn 1,${COMMUNE_A},,,Moderna,1,01/11/2021`, // not_found
  `A3,Đỗ Văn Bình,01/02/2022,Nam,,,Thôn 1,${COMMUNE_A},Đỗ Thị Hoa,0987000003,BCG,1,02/02/2022`, // no_id
  `A4,Nguyễn Thị Thủy,15/03/1985,Nữ,001185012345,,Thôn 1,${COMMUNE_A},,,AstraZeneca,1,20/08/2021`, // verified
  `B1,Vũ Thị Hà,1992,Nữ,001192000777,,Thôn 9,${COMMUNE_B},,,Pfizer,1,10/09/2021`, // another commune
].join('\n');
const REGISTRY =
  'Số định danh,Họ và tên,Ngày sinh,Giới tính,Mã xã,Trạng thái,Ngày mất\n' +
  '001080012347,Nguyễn Văn Hùng,1980-02-02,Nam,,Còn sống,\n' +
  '001080099999,Phạm Minh Đức,1980-05-05,Nam,,Còn sống,\n' +
  '001185012345,Nguyễn Thị Thủy,1985-03-15,Nữ,,Còn sống,\n';

describe.each(BACKENDS)('the police page on %s', (kind) => {
  let s: TestService;
  let browser: Browser;
  let police: string;
  const dir = tempDir();

  beforeAll(async () => {
    s = await startTestService(kind, { logLevel: 'warn' });
    police = (await createApiKey(s.database, { name: 'ca-xa-376', role: 'police', commune: COMMUNE_A })).secret;
    expect((await call(`${s.api}/uploads`, { key: s.keys.operator, form: fileForm('tcmr.csv', `${HEADER}\n${ROWS}\n`) })).status).toBe(200);
    await linkAll(s.database);
    const file = path.join(dir, 'registry.csv');
    fs.writeFileSync(file, REGISTRY);
    await loadRegistryFile(s.database, file);
    const connector = await fileRegistry(s.database, file);
    await reconcile(s.database, connector);
    await connector.close();
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function page(width = 1280): Promise<Page> {
    const p = await signedInPage(browser, s.root, police, { width, height: 900 });
    await p.getByRole('heading', { name: 'Kiểm tra, xác minh thông tin dân cư' }).waitFor();
    return p;
  }

  const card = (p: Page, name: string) => p.locator('li.police-card').filter({ has: p.getByRole('heading', { name }) });

  async function answer(p: Page, name: string, outcome: string, fill: Record<string, string> = {}): Promise<void> {
    const c = card(p, name);
    await c.locator('summary').click();
    await c.getByLabel(outcome).check();
    for (const [label, value] of Object.entries(fill)) await c.getByLabel(label).fill(value);
    await c.getByRole('button', { name: 'Lưu kết quả' }).click();
    await p.getByRole('status').filter({ hasText: `Đã ghi kết quả` }).waitFor();
    await card(p, name).locator('.police-answer').filter({ hasText: `Kết quả: ${outcome.replace(/ \(.*$/, '')}` }).waitFor();
  }

  it('works the list to a sign-off: answers per person, the printed list, the sign-off, all under the officer', async () => {
    const p = await page();
    expect(await p.locator('#who-text').textContent()).toBe(`ca-xa-376 — Công an xã, xã ${COMMUNE_A}`);
    // the officer's menu: the list only; another view's address leads back to it
    expect(await p.getByRole('navigation').getByRole('link').allTextContents()).toEqual(['Kiểm tra dân cư']);
    const cards = p.locator('li.police-card');
    await cards.first().waitFor();
    expect(await cards.locator('h3').evaluateAll((hs) => hs.map((x) => x.firstChild?.textContent?.trim()).sort())).toEqual(['Hoàng Thị Lan', 'Phạm Minh Đức', 'Đỗ Văn Bình'].sort());
    await card(p, 'Phạm Minh Đức').getByText('CSDL dân cư ghi số này cho: Nguyễn Văn Hùng, 02/02/1980, Nam').waitFor();
    await card(p, 'Đỗ Văn Bình').getByText('Đỗ Thị Hoa, 0987000003').waitFor();
    expect(await p.locator('#police-summary').textContent()).toContain('3 người cần kiểm tra, 0 người đã có kết quả');
    if (SCREENSHOTS) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await p.screenshot({ path: path.join(SCREENSHOTS, 'police-1280.png'), fullPage: false });
    }

    // an ID confirmation without a valid ID is refused on the page, in Vietnamese, and nothing is stored
    const lan = card(p, 'Hoàng Thị Lan');
    await lan.locator('summary').click();
    await lan.getByLabel('Xác nhận đúng số định danh').check();
    await lan.getByLabel('Số định danh (12 số)').fill('123');
    await lan.getByRole('button', { name: 'Lưu kết quả' }).click();
    await p.getByRole('status').filter({ hasText: 'cần số định danh đúng 12 chữ số' }).waitFor();
    await lan.getByLabel('Số định danh (12 số)').fill('001175099999');
    await lan.getByRole('button', { name: 'Lưu kết quả' }).click();
    await p.getByRole('status').filter({ hasText: 'Đã ghi kết quả' }).waitFor();
    await card(p, 'Hoàng Thị Lan').locator('.police-answer').filter({ hasText: 'Kết quả: Xác nhận đúng số định danh' }).waitFor();

    await answer(p, 'Phạm Minh Đức', 'Sửa thông tin (ghi giá trị đúng)', { 'Số định danh (12 số)': '001080099999' });
    await answer(p, 'Đỗ Văn Bình', 'Không cư trú tại xã', { 'Ghi chú': 'chuyển đi Hà Nội' });
    expect(await p.locator('#police-summary').textContent()).toContain('3 người đã có kết quả, 0 người chưa có; 3 kết quả chưa ký xác nhận');

    // the printed list, as a file
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Tải danh sách (XLSX)' }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^cong-an-${COMMUNE_A}-\\d{4}-\\d{2}-\\d{2}\\.xlsx$`));
    const saved = path.join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    expect(fs.readFileSync(saved).subarray(0, 2).toString()).toBe('PK');

    // the sign-off: confirmed by a tick, recorded with the counts, the people still shown as signed
    await p.getByLabel(/Tôi đã kiểm tra các kết quả/).check();
    await p.getByRole('button', { name: 'Ký xác nhận' }).click();
    await p.getByRole('status').filter({ hasText: /Đã ký xác nhận lần #\d+: 3 người trong danh sách, 3 người đã có kết quả/ }).waitFor();
    await p.getByRole('table', { name: 'Các lần ký xác nhận' }).waitFor();
    expect(await p.locator('li.police-card').count()).toBe(3);
    expect(await p.locator('li.police-card .police-answer').filter({ hasText: /đã ký \(lần #\d+\)/ }).count()).toBe(3);
    expect(await p.getByRole('button', { name: 'Ký xác nhận' }).isDisabled()).toBe(true);

    const answers = await s.database.db.selectFrom('police_answer').select(['outcome', 'officer', 'citizen_id', 'sign_off_id']).orderBy('id').execute();
    expect(answers.map((a) => [a.outcome, a.officer, a.citizen_id])).toEqual([
      ['id_confirmed', 'ca-xa-376', '001175099999'],
      ['corrected', 'ca-xa-376', '001080099999'],
      ['not_resident', 'ca-xa-376', null],
    ]);
    const signOffs = await s.database.db.selectFrom('police_sign_off').selectAll().execute();
    expect(signOffs).toEqual([expect.objectContaining({ officer: 'ca-xa-376', commune_code: COMMUNE_A, people: 3, answered: 3, outcomes: { id_confirmed: 1, corrected: 1, not_resident: 1, deceased: 0 } })]);
    expect(answers.every((a) => a.sign_off_id === signOffs[0]!.id)).toBe(true);
    const audit = await s.database.db.selectFrom('audit_log').select('action').where('actor', '=', 'ca-xa-376').where('outcome', '=', 'ok').execute();
    const actions = audit.map((a) => a.action);
    expect(actions.filter((a) => a === 'police.answer')).toHaveLength(3);
    expect(actions).toContain('police.sign_off');
    expect(actions).toContain('police.print_list');

    // no English anywhere on the page an officer reads, the answer forms open
    for (const summary of await p.locator('li.police-card summary').all()) await summary.click();
    expect(englishIn(String(await p.evaluate('document.body.innerText')))).toEqual([]);

    await p.goto(`${s.root}/console/#/doi-chieu`);
    await p.getByRole('heading', { name: 'Kiểm tra, xác minh thông tin dân cư' }).waitFor();
    expect(await p.locator('#view-doi-chieu').isHidden()).toBe(true);
    await p.close();
  });

  it('reads at 390 px without sideways scrolling', async () => {
    const p = await page(390);
    await p.locator('li.police-card').first().waitFor();
    if (SCREENSHOTS) await p.screenshot({ path: path.join(SCREENSHOTS, 'police-390.png'), fullPage: false });
    const c = card(p, 'Phạm Minh Đức');
    await c.locator('summary').click();
    const overflow = await p.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(englishIn(String(await p.evaluate('document.body.innerText')))).toEqual([]);
    const box = await c.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    await p.close();
  });
});
