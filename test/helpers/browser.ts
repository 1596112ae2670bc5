/**
 * The console's browser tests drive Debian's Chromium through playwright-core (no browser download):
 * one way to find and launch it, and one bound on each wait.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Each wait in the browser; generous for a loaded CI machine, but bounded. */
export const WAIT_MS = 20_000;

/**
 * The wait for an upload's answer, which comes after the file is imported: on the embedded database, with
 * the whole suite sharing two cores, one took over 20 s (CI, 2026-12-06).
 */
export const UPLOAD_WAIT_MS = 60_000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'], timeout: 60_000 });
}

/**
 * A new console page signed in with `key`, in Vietnamese, that may ask nothing of any host but the service
 * at `root` (an external request fails the test).
 */
export async function signedInPage(browser: Browser, root: string, key: string, viewport: { width?: number; height?: number } = {}): Promise<Page> {
  const p = await browser.newPage({ viewport: { width: viewport.width ?? 1280, height: viewport.height ?? 800 }, locale: 'vi-VN', acceptDownloads: true });
  p.setDefaultTimeout(WAIT_MS);
  p.on('request', (request) => {
    if (!request.url().startsWith(root) && !request.url().startsWith('blob:') && !request.url().startsWith('data:')) {
      throw new Error(`external request ${request.url()}`);
    }
  });
  await p.goto(`${root}/`);
  await p.getByLabel('Khóa API').fill(key);
  await p.getByRole('button', { name: 'Đăng nhập' }).click();
  await p.locator('#who-text').waitFor({ state: 'visible' });
  return p;
}
