/**
 * The console's browser tests drive Debian's Chromium through playwright-core (no browser download):
 * one way to find and launch it, and one bound on each wait.
 */
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Each wait in the browser; generous for a loaded CI machine, but bounded. */
export const WAIT_MS = 20_000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'], timeout: 60_000 });
}
