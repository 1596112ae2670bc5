/**
 * One process owns an embedded database folder (issue 16, item 1). PGlite does not refuse a second process
 * opening the same folder, and two of them corrupt it (`RuntimeError: Aborted()`, a run the other never
 * sees, a spinning process). So every process that opens the embedded database first takes
 * `<folder>/db.lock`, a small JSON file naming it (pid, host, process start, command, and for `vaxsync
 * serve` the address it serves), and a second process is refused with a message in English and Vietnamese
 * that names the holder (and, when it is `vaxsync serve`, says to use it).
 *
 * Taking the lock is atomic: the holder's description is written to a file of its own, then hard-linked to
 * `db.lock`, which fails when the name exists (so the lock is never seen half written). A lock whose
 * process is gone (same host, no such pid, or that pid now belongs to a process started after the lock's)
 * is stale: it is moved aside, checked to still be the stale one, and removed; then the lock is taken as
 * usual. On another host nothing can be checked: the message says which file to remove if that process is
 * gone. The lock is released on close and on exit (`process.on('exit')`), but only while it is still this
 * process's.
 *
 * Limit: a lock moved aside as stale is compared with the one judged stale before it is removed; between
 * the two, a third process could take the lock name, and the moved lock's owner would then share the
 * folder. That needs three processes starting within the same few microseconds on a stale lock.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VaxsyncError } from '../base/errors.js';

export const LOCK_FILE_NAME = 'db.lock';

/** What a lock file says about the process holding it. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** When the holding process started (ISO): tells a reused pid from the holder. */
  readonly startedAt: string;
  /** The command, e.g. `vaxsync serve` (command words only, never options or file names). */
  readonly command: string;
  /** For `vaxsync serve` once it listens: its base URL. */
  readonly url?: string;
  /** Unique per acquisition: a process releases only the lock it took. */
  readonly token: string;
}

export interface DataDirLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** The stale lock this acquisition removed, if any (its process was gone). */
  readonly released: LockHolder | null;
  /** Adds facts to the lock file (the service's URL), atomically. */
  announce(facts: { readonly url: string }): void;
  /** Removes the lock file if it is still this one; idempotent. */
  release(): void;
}

/** Locks this process holds, by folder, released on exit whatever ends the process short of SIGKILL. */
const held = new Map<string, DataDirLock>();
let exitHookInstalled = false;

/** The command words of this process (`vaxsync serve`, `vaxsync keys create`), no options, paths or values. */
export function currentCommand(argv: readonly string[] = process.argv): string {
  const script = path.basename(argv[1] ?? 'node').replace(/\.(c|m)?(j|t)s$/, '');
  const words: string[] = [];
  for (const arg of argv.slice(2)) {
    if (words.length === 2 || !/^[a-z][a-z0-9-]*$/.test(arg)) break;
    words.push(arg);
  }
  return [script, ...words].join(' ');
}

/** When this process started, to the second. */
function processStart(): string {
  return new Date(Math.floor((Date.now() - process.uptime() * 1000) / 1000) * 1000).toISOString();
}

/** Whether `holder` (on this host) is a live process: its pid exists and started no later than the lock says. */
export function holderAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = linuxProcessStart(holder.pid);
  // A pid reused by a process that started after the holder: the holder is gone (clock ticks are 1/100 s;
  // the lock keeps whole seconds, so a few seconds of slack).
  return started === null || started <= Date.parse(holder.startedAt) + 5_000;
}

/** A process's start time (ms since the epoch) from /proc on Linux; null elsewhere or when unreadable. */
function linuxProcessStart(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime, in clock ticks since boot) counts from the field after the ")" closing the name.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const bootLine = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'));
    if (!Number.isFinite(ticks) || !bootLine) return null;
    return Number(bootLine[1]) * 1000 + (ticks / 100) * 1000;
  } catch {
    return null;
  }
}

function readHolder(file: string): LockHolder | null | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return 'unreadable';
  }
  try {
    const json = JSON.parse(text) as Partial<LockHolder>;
    if (typeof json.pid === 'number' && typeof json.host === 'string' && typeof json.startedAt === 'string' && typeof json.command === 'string' && typeof json.token === 'string') {
      return json as LockHolder;
    }
  } catch {
    // fall through
  }
  return 'unreadable';
}

/** Writes `holder` to a fresh file beside `file` and returns its name. */
function writeCandidate(file: string, holder: LockHolder): string {
  const candidate = `${file}.${process.pid}.${holder.token}.tmp`;
  fs.writeFileSync(candidate, JSON.stringify(holder, null, 2) + '\n', { flag: 'wx' });
  return candidate;
}

const ATTEMPTS = 5;

/**
 * Takes the lock of the embedded database folder `folder` for this process, or throws `db.in_use` naming
 * the process that holds it. A stale lock (its process gone) is removed and reported in `released`.
 */
export function acquireDataDirLock(folder: string, command: string = currentCommand()): DataDirLock {
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, LOCK_FILE_NAME);
  const holder: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: processStart(),
    command,
    token: randomBytes(8).toString('hex'),
  };
  let released: LockHolder | null = null;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const candidate = writeCandidate(file, holder);
    try {
      fs.linkSync(candidate, file);
      return remember(file, holder, released);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(candidate, { force: true });
    }
    const current = readHolder(file);
    if (current === null) continue; // released meanwhile
    if (current === 'unreadable') {
      throw inUse(folder, file, null);
    }
    if (current.host !== os.hostname() || holderAlive(current)) throw inUse(folder, file, current);
    if (removeIfStill(file, current)) released = current;
  }
  throw new VaxsyncError('db.in_use', `the lock ${file} changed hands ${ATTEMPTS} times while this process tried to take it; try again`);
}

/** Moves the stale lock aside, and removes it if it is still the one judged stale (else puts it back). */
function removeIfStill(file: string, stale: LockHolder): boolean {
  const aside = `${file}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false; // another process removed it first
    throw error;
  }
  const moved = readHolder(aside);
  if (moved !== null && moved !== 'unreadable' && moved.token === stale.token) {
    fs.rmSync(aside, { force: true });
    return true;
  }
  // It was taken afresh between the check and the move: give it back.
  try {
    fs.linkSync(aside, file);
  } finally {
    fs.rmSync(aside, { force: true });
  }
  return false;
}

function remember(file: string, holder: LockHolder, released: LockHolder | null): DataDirLock {
  let current = holder;
  const stillMine = () => {
    const now = readHolder(file);
    return now !== null && now !== 'unreadable' && now.token === holder.token;
  };
  const lock: DataDirLock = {
    file,
    get holder() {
      return current;
    },
    released,
    announce(facts) {
      if (!stillMine()) return;
      current = { ...current, ...facts };
      const candidate = writeCandidate(file, current);
      fs.renameSync(candidate, file);
    },
    release() {
      held.delete(file);
      if (stillMine()) fs.rmSync(file, { force: true });
    },
  };
  held.set(file, lock);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const l of [...held.values()]) {
        try {
          l.release();
        } catch {
          // exiting: nothing more to do
        }
      }
    });
  }
  return lock;
}

/** The lock this process holds on `folder`, if any. */
export function heldDataDirLock(folder: string): DataDirLock | undefined {
  return held.get(path.join(folder, LOCK_FILE_NAME));
}

function when(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

/** The refusal: who holds the folder, and what to do, in English then Vietnamese. */
function inUse(folder: string, file: string, holder: LockHolder | null): VaxsyncError {
  if (holder === null) {
    return new VaxsyncError(
      'db.in_use',
      `the embedded database in ${folder} is locked by ${file}, which cannot be read; if no vaxsync process uses this folder, delete that file and try again.\n` +
        `Cơ sở dữ liệu nhúng trong ${folder} đang bị khóa bởi tệp ${file} (không đọc được); nếu không có tiến trình vaxsync nào dùng thư mục này, hãy xóa tệp đó rồi thử lại.`,
    );
  }
  const who = `"${holder.command}" (pid ${holder.pid} on ${holder.host}, started ${when(holder.startedAt)})`;
  const ai = `"${holder.command}" (pid ${holder.pid} trên máy ${holder.host}, chạy từ ${when(holder.startedAt)})`;
  const serving = holder.url !== undefined || / serve$/.test(holder.command);
  const elsewhere = holder.host !== os.hostname();
  let en: string;
  let vi: string;
  if (serving) {
    const at = holder.url ?? 'its address';
    en = `While it runs, use it: the console at ${at}/console/, the API at ${at}/api/v1 (an operator key runs the nightly job with POST /api/v1/jobs/run); or stop it (Ctrl-C or SIGTERM) and run this command again.`;
    vi = `Khi dịch vụ đó đang chạy, hãy dùng nó: bảng điều khiển tại ${at}/console/, API tại ${at}/api/v1 (khóa vai trò operator chạy tác vụ đêm bằng POST /api/v1/jobs/run); hoặc dừng nó (Ctrl-C hoặc SIGTERM) rồi chạy lại lệnh này.`;
  } else {
    en = 'Wait for it to finish, or stop it, and run this command again.';
    vi = 'Hãy chờ tiến trình đó kết thúc, hoặc dừng nó, rồi chạy lại lệnh này.';
  }
  if (elsewhere) {
    en += ` It runs on another machine, where this one cannot check it: if it is gone, delete ${file}.`;
    vi += ` Tiến trình đó chạy trên máy khác nên không kiểm tra được từ đây: nếu nó đã dừng, hãy xóa tệp ${file}.`;
  }
  return new VaxsyncError(
    'db.in_use',
    `the embedded database in ${folder} is in use by another vaxsync process: ${who}. Only one process at a time may open it (several may share a PostgreSQL: set DATABASE_URL). ${en}\n` +
      `Cơ sở dữ liệu nhúng trong ${folder} đang được một tiến trình vaxsync khác sử dụng: ${ai}. Mỗi lúc chỉ một tiến trình được mở nó. ${vi}`,
    { details: { pid: holder.pid, host: holder.host, command: holder.command } },
  );
}
