/**
 * The review queue grouped by cluster (issue 16 item 5), in headless Chromium on PostgreSQL and the embedded
 * database: each pair says in Vietnamese why it is queued (its comparison levels, the numbers one click
 * away), both records link to their people's pages, and a reviewer decides a whole cluster in one action,
 * stored as one decision per pair. The queue reads at 390 px without sideways scrolling.
 *
 * VAXSYNC_SCREENSHOTS=1 also saves docs/screenshots/review-1280.png and review-390.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signedInPage } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconciledSample } from '../helpers/sample.js';
import { BACKENDS, tempDir } from '../helpers/database.js';
import { call, startTestService, type TestService } from '../service/helpers.js';
import { englishIn } from './english.js';

const SCREENSHOTS = process.env.VAXSYNC_SCREENSHOTS ? path.resolve('docs/screenshots') : null;
/** Words of the matchers' English labels that must not reach a reviewer. */
const ENGLISH = /\b(same|different|edit|apart|missing|swapped|digit|Jaccard|name|ID)\b/;

interface QueueItem {
  a: string;
  b: string;
  reasonVi: string | null;
  cluster: number;
}

describe.each(BACKENDS)('deciding a review cluster on %s', (kind) => {
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

  async function page(width: number): Promise<Page> {
    const p = await signedInPage(browser, s.root, s.keys.reviewer, { width, height: 900 });
    await p.getByRole('link', { name: 'Hàng chờ đối chiếu' }).click();
    await p.locator('#review-list tbody tr').first().waitFor();
    return p;
  }

  it('says why each pair is queued, in Vietnamese, and groups the pairs by cluster', async () => {
    const queue = await call(`${s.api}/review?limit=200`, { key: s.keys.reviewer });
    const items: QueueItem[] = queue.body.items;
    expect(items.length).toBeGreaterThan(0);
    for (const i of items) {
      expect(i.reasonVi, `${i.a}/${i.b}`).toMatch(/^[A-ZĐÀ-Ỹ]/u);
      expect(i.reasonVi).not.toMatch(ENGLISH);
    }
    // clusters computed independently: pairs sharing a record share a cluster, and no two clusters share a record
    const recordsOf = new Map<number, Set<string>>();
    for (const i of items) recordsOf.set(i.cluster, new Set([...(recordsOf.get(i.cluster) ?? []), i.a, i.b]));
    const seen = new Map<string, number>();
    for (const [cluster, records] of recordsOf) {
      for (const r of records) {
        expect(seen.get(r) ?? cluster, r).toBe(cluster);
        seen.set(r, cluster);
      }
    }
    const p = await page(1280);
    expect(await p.locator('#review-list section.cluster').count()).toBe(recordsOf.size);
    const reasons = await p.locator('#review-list tbody tr td:nth-of-type(2)').allTextContents();
    // shown cluster by cluster, each in the order of its likeliest pair
    const grouped = [...new Set(items.map((i) => i.cluster))].flatMap((c) => items.filter((i) => i.cluster === c));
    expect(reasons).toEqual(grouped.map((i) => i.reasonVi ?? '—'));
    await p.close();
  });

  it('decides a cluster in one action, one decision per pair; both people one click away', async () => {
    const items: QueueItem[] = (await call(`${s.api}/review?limit=200`, { key: s.keys.reviewer })).body.items;
    const byCluster = new Map<number, QueueItem[]>();
    for (const i of items) byCluster.set(i.cluster, [...(byCluster.get(i.cluster) ?? []), i]);
    const cluster = [...byCluster.values()].find((pairs) => pairs.length >= 2);
    expect(cluster, 'the sample has a cluster of two pairs or more').toBeDefined();
    const pairs = cluster!;

    const p = await page(1280);
    const section = p.locator(`#review-list section.cluster[data-cluster="${pairs[0]!.cluster}"]`);
    await section.locator(`tr[data-pair="${pairs[0]!.a}/${pairs[0]!.b}"]`).getByRole('button', { name: 'Xem' }).click();
    await p.getByRole('heading', { name: `Cặp ${pairs[0]!.a} ↔ ${pairs[0]!.b}` }).waitFor();
    expect(await p.locator('#pair-reason').textContent()).toBe(`Lý do: ${pairs[0]!.reasonVi}`);
    // the numbers are there, folded
    expect(await p.locator('#review-pair details').getAttribute('open')).toBeNull();
    const levelNames = await p.locator('#review-pair details tbody th').allTextContents();
    expect(levelNames).toContain('Họ tên');
    expect(levelNames).not.toContain('name');
    if (SCREENSHOTS) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await p.screenshot({ path: path.join(SCREENSHOTS, 'review-1280.png') });
    }
    // a person's page, one click away
    const pair = (await call(`${s.api}/review/${pairs[0]!.a}/${pairs[0]!.b}`, { key: s.keys.reviewer })).body;
    await p.getByRole('button', { name: `Xem người P${pair.a.personId}` }).first().click();
    await p.getByRole('heading', { name: new RegExp(`^P${pair.a.personId} — `) }).waitFor();
    await p.goBack();
    await p.locator(`#review-list section.cluster[data-cluster="${pairs[0]!.cluster}"]`).waitFor();

    await p.locator(`#review-list section.cluster[data-cluster="${pairs[0]!.cluster}"]`).getByRole('button', { name: 'Cả nhóm là một người' }).click();
    await p.getByRole('status').filter({ hasText: `Đã ghi ${pairs.length} cặp: cả nhóm là cùng một người` }).waitFor();
    await p.locator(`#review-list section.cluster[data-cluster="${pairs[0]!.cluster}"]`).waitFor({ state: 'detached' });

    const rows = await s.database.db.selectFrom('review_decision').selectAll().execute();
    const key = (r: { a_batch: number; a_row: number; b_batch: number; b_row: number }) => `${r.a_batch}:${r.a_row}/${r.b_batch}:${r.b_row}`;
    expect(rows.map(key).sort()).toEqual(pairs.map((i) => `${i.a}/${i.b}`).sort());
    expect(rows.every((r) => r.decision === 'same' && r.decided_by === 'reviewer-1')).toBe(true);
    const audit = await s.database.db.selectFrom('audit_log').select(['action', 'resource']).where('action', '=', 'review.cluster_accept').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.resource).toMatch(/^pairs:/);
    await p.close();
  });

  it('shows a reviewer no English: the queue and an opened pair with its numbers, at 1280 and 390 px', async () => {
    for (const width of [1280, 390]) {
      const p = await page(width);
      await p.locator('#review-list button[data-pair]').first().click();
      await p.locator('#pair-reason').waitFor();
      await p.locator('#review-pair details summary').click();
      const text = await p.evaluate('document.body.innerText');
      expect(englishIn(String(text)), `${width} px`).toEqual([]);
      await p.close();
    }
  });

  it('reads at 390 px without sideways scrolling', async () => {
    const p = await page(390);
    const overflow = await p.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    if (SCREENSHOTS) await p.screenshot({ path: path.join(SCREENSHOTS, 'review-390.png') });
    await p.close();
  });
});
