/**
 * The audit log: who read or changed what, when, from where, and whether it was allowed. Resources are
 * named by id (`batch:12`, `person:345`, `pair:3:7/5:2`), never by personal data, so the log itself can
 * be shown to an auditor without becoming a second copy of the records.
 */
import type { Database } from '../db/database.js';
import type { AuditLogTable } from '../db/schema.js';

export type AuditOutcome = AuditLogTable['outcome'];

export interface AuditEntry {
  /** The API key's name, or `(none)` / `(unknown key)` for a request without a valid key. */
  readonly actor: string;
  /** The key's role, or `-` when there is no key. */
  readonly role: string;
  /** What was attempted: `upload`, `read.person`, `review.accept`, … */
  readonly action: string;
  readonly resource: string | null;
  readonly outcome: AuditOutcome;
  readonly ip: string | null;
}

export async function writeAudit(database: Database, entry: AuditEntry): Promise<void> {
  await database.db.insertInto('audit_log').values(entry).execute();
}

/** How an HTTP status reads in the audit log. */
export function outcomeOf(statusCode: number): AuditOutcome {
  if (statusCode === 401 || statusCode === 403 || statusCode === 429) return 'denied';
  return statusCode < 400 ? 'ok' : 'error';
}
