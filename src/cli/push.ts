/**
 * `vaxsync push --platform URL` and `vaxsync outbox`.
 *
 * `push` exits with PUSH_EXIT: 0 when every verified person is on the platform or was rejected with the
 * platform's reason; 3 when people remain unsent without a reason (the platform failed them after the
 * retries, or they wait for their next try): look, then run again; 4 when nothing here failed but
 * another live push run still holds people (it is sending them). A failure exits as every command's does
 * (./errors.ts): 2 for what the user must fix (a bad option, credentials refused), 1 for a fault (the
 * whole bundle refused, the database unreachable).
 */
import { fhirPlatform } from '../../connectors/platform/fhir-http.js';
import { VaxsyncError } from '../base/errors.js';
import type { Database } from '../db/database.js';
import type { OutboxState } from '../db/schema.js';
import { formatOutbox, outboxSummary, OUTBOX_STATES } from '../push/outbox-report.js';
import { pushOutbox, type GuardianPolicy, type PushSummary } from '../push/push.js';
import type { ClaimHolder } from '../push/run.js';
import { EXIT_FAULT, EXIT_USER } from './errors.js';

export const PUSH_EXIT = { done: 0, fault: EXIT_FAULT, user: EXIT_USER, unsent: 3, heldByLiveRun: 4 } as const;

/** The exit code a finished push run ends with: what an operator's script needs to tell apart. */
export function pushExitCode(summary: Pick<PushSummary, 'unsent' | 'held'>): number {
  if (summary.unsent > 0) return PUSH_EXIT.unsent;
  if (summary.held.length > 0) return PUSH_EXIT.heldByLiveRun;
  return PUSH_EXIT.done;
}

/** Which run holds people, for the operator: its id, process and start, and when its lease would end. */
function holderText(h: ClaimHolder): string {
  const lease = h.leaseUntil ? `, lease until ${h.leaseUntil.toISOString()}` : '';
  if (h.runId === null) return `${h.people} by a push run of an earlier version${lease}`;
  return `${h.people} by live push run ${h.runId} (pid ${h.pid} on ${h.host}, started ${h.startedAt?.toISOString()}${lease})`;
}

/** The summary's lines after the counts: what was taken back, what is still held and by whom, what waits. */
export function pushSummaryLines(summary: PushSummary): string[] {
  const lines: string[] = [];
  if (summary.reclaimed.people > 0) {
    lines.push(`${summary.reclaimed.people} people taken back from ${summary.reclaimed.runs} dead run(s) (process gone) and sent again`);
  }
  for (const h of summary.held) lines.push(`still held: ${holderText(h)}`);
  if (summary.unsent > 0) lines.push(`${summary.unsent} verified people remain unsent (failed after retries or waiting for their next try); run vaxsync push again later`);
  if (summary.rejected > 0 || summary.failed > 0 || summary.unsent > 0) lines.push('see why with: vaxsync outbox --state rejected,failed');
  return lines;
}

export interface PushCliOptions {
  readonly platform: string;
  readonly token?: string;
  readonly bundlePersons: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly leaseSeconds: number;
  readonly retryFailedAfter: number;
  /** VAXSYNC_PUSH_GUARDIAN. */
  readonly guardian: GuardianPolicy;
}

/** Pushes and prints the summary; resolves with the exit code (PUSH_EXIT). */
export async function runPush(database: Database, options: PushCliOptions, log: (line: string) => void): Promise<number> {
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
      guardian: options.guardian,
      onProgress: (p) => {
        if (tty) process.stderr.write(`\r${p.sent} sent, ${p.rejected} rejected, ${p.failed} failed`);
      },
    });
    if (tty) process.stderr.write('\n');
    log(
      `push run ${summary.runId} to ${connector.target} in ${summary.seconds.toFixed(1)} s: ${summary.sent} sent, ${summary.rejected} rejected, ` +
        `${summary.failed} failed after retries (${summary.queued} were waiting)`,
    );
    for (const line of pushSummaryLines(summary)) log(line);
    return pushExitCode(summary);
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
