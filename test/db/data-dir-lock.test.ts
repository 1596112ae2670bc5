/**
 * The embedded folder's lock (src/db/data-dir-lock.ts), against real processes: a live holder refuses, with
 * its command, pid and host named in English and Vietnamese; a holder killed with SIGKILL, or whose pid now
 * belongs to a younger process, is stale and released; a lock of another host is never judged; nobody
 * removes a lock that is not theirs. Then through openDatabase on PGlite: a second open of the same folder
 * is refused while the first is open.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { VaxsyncError } from '../../src/base/errors.js';
import { acquireDataDirLock, currentCommand, holderAlive, LOCK_FILE_NAME, type LockHolder } from '../../src/db/data-dir-lock.js';
import { openDatabase } from '../../src/db/database.js';
import { tempDir } from '../helpers/database.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function folder(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}

/** A process that idles until killed, and when it started (a little before now). */
async function sleeper(): Promise<{ child: ChildProcess; startedAt: string }> {
  const startedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000).toISOString();
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve) => child.once('spawn', resolve));
  return { child, startedAt };
}

function writeLock(dir: string, holder: Omit<LockHolder, 'token'> & { token?: string }): void {
  fs.writeFileSync(path.join(dir, LOCK_FILE_NAME), JSON.stringify({ token: 'abcd', ...holder }));
}

function refusal(fn: () => unknown): VaxsyncError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VaxsyncError);
    expect((error as VaxsyncError).code).toBe('db.in_use');
    return error as VaxsyncError;
  }
  throw new Error('expected db.in_use');
}

describe('the lock of an embedded database folder', () => {
  it('is taken once: a second taker is refused, naming the holder, until it is released', () => {
    const dir = folder();
    const lock = acquireDataDirLock(dir, 'vaxsync import');
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE_NAME), 'utf8')) as LockHolder;
    expect(onDisk).toMatchObject({ pid: process.pid, host: os.hostname(), command: 'vaxsync import' });
    expect(Date.parse(onDisk.startedAt)).toBeLessThanOrEqual(Date.now());

    const error = refusal(() => acquireDataDirLock(dir, 'vaxsync batches'));
    expect(error.message).toContain(`"vaxsync import" (pid ${process.pid} on ${os.hostname()}`);
    expect(error.message).toMatch(/Wait for it to finish/);
    expect(error.message).toMatch(/đang được một tiến trình vaxsync khác sử dụng: "vaxsync import" \(pid \d+ trên máy/);
    expect(error.message).toMatch(/Hãy chờ tiến trình đó kết thúc/);
    expect(error.kind).toBe('user');

    lock.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);
    const again = acquireDataDirLock(dir, 'vaxsync batches');
    expect(again.released).toBeNull();
    again.release();
    expect(fs.readdirSync(dir)).toEqual([]); // no candidate or aside file left behind
  });

  it('tells a second process to use a running `vaxsync serve`, at the address it announced', () => {
    const dir = folder();
    const lock = acquireDataDirLock(dir, 'vaxsync serve');
    expect(refusal(() => acquireDataDirLock(dir)).message).toMatch(/While it runs, use it: the console at its address\/console\//);
    lock.announce({ url: 'http://127.0.0.1:8080' });
    const error = refusal(() => acquireDataDirLock(dir));
    expect(error.message).toContain('"vaxsync serve"');
    expect(error.message).toContain('the console at http://127.0.0.1:8080/console/, the API at http://127.0.0.1:8080/api/v1');
    expect(error.message).toContain('POST /api/v1/jobs/run');
    expect(error.message).toContain('Khi dịch vụ đó đang chạy, hãy dùng nó: bảng điều khiển tại http://127.0.0.1:8080/console/');
    lock.release();
  });

  it('refuses while another live process holds it, and releases it once that process is killed (SIGKILL)', async () => {
    const dir = folder();
    const { child, startedAt } = await sleeper();
    writeLock(dir, { pid: child.pid!, host: os.hostname(), startedAt, command: 'vaxsync demo' });
    expect(refusal(() => acquireDataDirLock(dir)).message).toContain(`"vaxsync demo" (pid ${child.pid}`);

    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const lock = acquireDataDirLock(dir, 'vaxsync batches');
    expect(lock.released).toMatchObject({ pid: child.pid, command: 'vaxsync demo' });
    expect(JSON.parse(fs.readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: process.pid, command: 'vaxsync batches' });
    lock.release();
  });

  it('knows a reused pid: a live process that started after the lock was taken is not its holder', async () => {
    const { child, startedAt } = await sleeper();
    const holder = { pid: child.pid!, host: os.hostname(), command: 'vaxsync demo', token: 'x' };
    expect(holderAlive({ ...holder, startedAt })).toBe(true);
    // the lock says its process started an hour ago: this pid is someone else's now
    expect(holderAlive({ ...holder, startedAt: new Date(Date.now() - 3_600_000).toISOString() })).toBe(false);
    const dir = folder();
    writeLock(dir, { ...holder, startedAt: new Date(Date.now() - 3_600_000).toISOString() });
    const lock = acquireDataDirLock(dir);
    expect(lock.released?.pid).toBe(child.pid);
    lock.release();
  });

  it('never judges a lock of another host, and says which file to remove if that process is gone', () => {
    const dir = folder();
    writeLock(dir, { pid: 999_999, host: 'other-host', startedAt: '2026-12-01T00:00:00.000Z', command: 'vaxsync serve', url: 'http://10.0.0.5:8080' });
    const error = refusal(() => acquireDataDirLock(dir));
    expect(error.message).toContain('pid 999999 on other-host');
    expect(error.message).toContain(`if it is gone, delete ${path.join(dir, LOCK_FILE_NAME)}`);
    expect(error.message).toContain('nếu nó đã dừng, hãy xóa tệp');
  });

  it('refuses on a lock file it cannot read, naming the file', () => {
    const dir = folder();
    fs.writeFileSync(path.join(dir, LOCK_FILE_NAME), '{"pid": 12');
    expect(refusal(() => acquireDataDirLock(dir)).message).toMatch(/cannot be read; if no vaxsync process uses this folder, delete that file/);
  });

  it("does not remove another process's lock on release", () => {
    const dir = folder();
    const lock = acquireDataDirLock(dir);
    // someone removed ours as stale and took it (the worst case): releasing ours must leave theirs
    writeLock(dir, { pid: 1, host: os.hostname(), startedAt: '2026-12-01T00:00:00.000Z', command: 'vaxsync serve', token: 'theirs' });
    lock.release();
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE_NAME), 'utf8')).token).toBe('theirs');
  });

  it('records the command words only, never options, values or file names', () => {
    expect(currentCommand(['node', '/x/bin/vaxsync.js', 'serve'])).toBe('vaxsync serve');
    expect(currentCommand(['node', '/x/bin/vaxsync.js', 'keys', 'create', '--name', 'a'])).toBe('vaxsync keys create');
    expect(currentCommand(['node', '/x/bin/vaxsync.js', 'import', '/data/ds-tiem.csv'])).toBe('vaxsync import');
    expect(currentCommand(['node', '/x/bin/vaxsync.js', 'push', '--token', 'secret'])).toBe('vaxsync push');
  });

  it('is taken by every open of the embedded database: a second open of the folder is refused until the first closes', async () => {
    const dir = folder();
    const first = await openDatabase({ dataDir: dir, command: 'vaxsync serve' });
    try {
      await expect(openDatabase({ dataDir: dir })).rejects.toMatchObject({ code: 'db.in_use', message: expect.stringContaining('"vaxsync serve"') });
    } finally {
      await first.close();
    }
    expect(fs.existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);
    const second = await openDatabase({ dataDir: dir });
    await second.close();
  });
});
