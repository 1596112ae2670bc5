/** `vaxsync push --platform URL` and `vaxsync outbox`. */
import { fhirPlatform } from '../../connectors/platform/fhir-http.js';
import { VaxsyncError } from '../base/errors.js';
import type { Database } from '../db/database.js';
import type { OutboxState } from '../db/schema.js';
import { formatOutbox, outboxSummary, OUTBOX_STATES } from '../push/outbox-report.js';
import { pushOutbox } from '../push/push.js';

export interface PushCliOptions {
  readonly platform: string;
  readonly token?: string;
  readonly bundlePersons: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly leaseSeconds: number;
  readonly retryFailedAfter: number;
}

export async function runPush(database: Database, options: PushCliOptions, log: (line: string) => void): Promise<void> {
  const { token } = options;
  const connector = fhirPlatform({
    baseUrl: options.platform,
    ...(token ? { token } : {}),
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
  });
  const tty = process.stderr.isTTY;
  try {
    const summary = await pushOutbox(database, connector, {
      bundlePersons: options.bundlePersons,
      leaseSeconds: options.leaseSeconds,
      retryFailedAfterSeconds: options.retryFailedAfter,
      onProgress: (p) => {
        if (tty) process.stderr.write(`\r${p.sent} sent, ${p.rejected} rejected, ${p.failed} failed`);
      },
    });
    if (tty) process.stderr.write('\n');
    log(
      `pushed to ${connector.target} in ${summary.seconds.toFixed(1)} s: ${summary.sent} sent, ${summary.rejected} rejected, ` +
        `${summary.failed} failed after retries (${summary.queued} were waiting)`,
    );
    if (summary.rejected > 0 || summary.failed > 0) log('see why with: vaxsync outbox --state rejected,failed');
  } finally {
    await connector.close();
  }
}

export async function runOutbox(database: Database, options: { readonly state?: string; readonly limit: number }, log: (line: string) => void): Promise<void> {
  const states = (options.state ?? 'pending,in_flight,failed,rejected').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = states.filter((s) => !OUTBOX_STATES.includes(s as OutboxState));
  if (unknown.length > 0) throw new VaxsyncError('cli.invalid_option', `unknown outbox state ${unknown.join(', ')}; the states are ${OUTBOX_STATES.join(', ')}`);
  log(formatOutbox(await outboxSummary(database, { states: states as OutboxState[], limit: options.limit })));
}
