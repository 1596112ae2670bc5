/**
 * Failed authentication, bounded (issue 15, finding 8): a client address that fails too often in a minute
 * is refused with 429 until the minute ends, and failures are audited as one row per address, actor,
 * action, resource and minute with a count, instead of one row per attempt (the refusals past the limit
 * carry no resource: at most the limit's rows plus one per action, per address and minute). Both live in fixed-size maps that forget
 * the least recently seen address first, so a flood from many addresses costs bounded memory.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import type { AuditEntry } from './audit.js';

/** Addresses (and audit groups) remembered at most; the least recently seen goes first. */
export const TRACKED_MAX = 10_000;
export const WINDOW_MS = 60_000;

/** A Map that keeps at most `capacity` entries, dropping the least recently used (Map keeps insertion order). */
export class BoundedLru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(
    private readonly capacity: number,
    private readonly onEvict: (key: K, value: V) => void = () => {},
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const [oldest, old] = this.map.entries().next().value as [K, V];
      this.map.delete(oldest);
      this.onEvict(oldest, old);
    }
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }
}

interface Window {
  readonly start: number;
  failures: number;
}

/** Failed authentications per client address in fixed one-minute windows. */
export class AuthFailureLimiter {
  private readonly windows = new BoundedLru<string, Window>(TRACKED_MAX);
  constructor(
    private readonly perWindow: number,
    private readonly now: () => number = Date.now,
  ) {}

  private current(ip: string): Window {
    const start = Math.floor(this.now() / WINDOW_MS) * WINDOW_MS;
    let w = this.windows.get(ip);
    if (!w || w.start !== start) {
      w = { start, failures: 0 };
      this.windows.set(ip, w);
    }
    return w;
  }

  /** Seconds until the address may try again; 0 when it may now. */
  blockedFor(ip: string): number {
    const w = this.current(ip);
    return w.failures >= this.perWindow ? Math.max(1, Math.ceil((w.start + WINDOW_MS - this.now()) / 1000)) : 0;
  }

  fail(ip: string): void {
    this.current(ip).failures++;
  }
}

interface Group {
  readonly window: number;
  /** The audit row's id once written; null while the insert is on its way. */
  id: string | null;
  count: number;
  written: number;
  pending: Promise<void>;
}

/**
 * The audit of failed authentications: the first failure of a group (address, actor, action, resource, minute)
 * inserts its row, later ones raise its count. The count is written back when it doubles, when the group
 * is forgotten and when the service stops, so a flood costs a logarithmic number of writes per group.
 */
export class FailureAudit {
  private readonly groups: BoundedLru<string, Group>;
  constructor(
    private readonly database: Database,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => number = Date.now,
  ) {
    this.groups = new BoundedLru(TRACKED_MAX, (_key, group) => this.flush(group));
  }

  /** Resolves once the group's row exists (at once for a group already written). */
  record(entry: AuditEntry): Promise<void> {
    const window = Math.floor(this.now() / WINDOW_MS) * WINDOW_MS;
    const key = JSON.stringify([entry.ip, entry.actor, entry.action, entry.resource, window]);
    const known = this.groups.get(key);
    if (known) {
      known.count++;
      if (known.count >= known.written * 2) this.flush(known);
      return Promise.resolve();
    }
    const group: Group = { window, id: null, count: 1, written: 1, pending: Promise.resolve() };
    group.pending = this.database.db
      .insertInto('audit_log')
      .values({ ...entry, count: 1 })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((row) => {
        group.id = String(row.id);
      })
      .catch((error: unknown) => this.log.error({ err: error }, 'audit log write failed (failed authentication)'));
    this.groups.set(key, group);
    return group.pending;
  }

  private flush(group: Group): void {
    if (group.count === group.written) return;
    const count = group.count;
    group.pending = group.pending
      .then(async () => {
        if (group.id === null) return;
        await this.database.db.updateTable('audit_log').set({ count }).where('id', '=', group.id).where('count', '<', count).execute();
      })
      .catch((error: unknown) => this.log.error({ err: error }, 'audit log write failed (failed authentication)'));
    group.written = count;
  }

  /** Writes every count not yet written (the service is stopping). */
  async close(): Promise<void> {
    const groups = [...this.groups.values()];
    for (const group of groups) this.flush(group);
    await Promise.all(groups.map((g) => g.pending));
  }
}
