/**
 * Issue 16, item 1, with real `vaxsync` processes on one embedded database folder: while `vaxsync serve`
 * runs, a second command is refused (exit 2) naming the server and saying to use it, so no `run-now` is
 * reported done and then lost; while a plain command (`vaxsync demo`) runs, likewise; a command killed with
 * SIGKILL (`serve` or `demo`) leaves a stale lock that the next command releases, on a database that still opens. Every process
 * stops on SIGTERM within seconds: `serve` at once when idle, and within its deadline (src/base/signals.ts)
 * while a client holds a request open; a plain command at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { STOP_DEADLINE_MS } from '../../src/base/signals.js';
import { LOCK_FILE_NAME } from '../../src/db/data-dir-lock.js';
import { tempDir } from '../helpers/database.js';

const BIN = fileURLToPath(new URL('../../bin/vaxsync.js', import.meta.url));
/** A port of its own per test process (serve.test.ts uses 20,000 + pid % 20,000). */
const PORT = 40_000 + (process.pid % 20_000);

interface Running {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

const dirs: string[] = [];
const running: ChildProcess[] = [];
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function vaxsync(dir: string, args: readonly string[], env: Record<string, string> = {}): Running {
  // the embedded database: no DATABASE_URL, whatever the test run's environment holds
  const { DATABASE_URL: _url, VAXSYNC_SCHEMA: _schema, ...base } = process.env;
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...base, VAXSYNC_DATA_DIR: dir, VAXSYNC_PORT: String(PORT), VAXSYNC_CONFIG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  return { child, output: () => text, exited };
}

async function waitFor(what: string, condition: () => boolean, ms = 60_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function finished(run: Running): Promise<{ code: number | null; output: string }> {
  const { code } = await run.exited;
  return { code, output: run.output() };
}

function folder(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}

describe('one process per embedded database folder', () => {
  it('refuses a second command while `vaxsync serve` runs, telling it to use the server; serve stops on SIGTERM at once', async () => {
    const dir = folder();
    const serve = vaxsync(dir, ['serve']);
    await waitFor('serve to listen', () => serve.output().includes('vaxsync API on'));
    const lock = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE_NAME), 'utf8'));
    expect(lock).toMatchObject({ pid: serve.child.pid, command: 'vaxsync serve', url: `http://127.0.0.1:${PORT}` });

    const [runNow, batches] = await Promise.all([finished(vaxsync(dir, ['run-now'])), finished(vaxsync(dir, ['batches']))]);
    for (const second of [runNow, batches]) {
      expect(second.code, second.output).toBe(2);
      expect(second.output).toContain(`in use by another vaxsync process: "vaxsync serve" (pid ${serve.child.pid}`);
      expect(second.output).toContain(`use it: the console at http://127.0.0.1:${PORT}/console/`);
      expect(second.output).toContain('hãy dùng nó: bảng điều khiển tại');
    }
    // nothing reported done: the refused run-now never ran
    expect(runNow.output).not.toMatch(/run \d+ succeeded/);
    expect((await fetch(`http://127.0.0.1:${PORT}/api/v1/health`)).status).toBe(200);

    const signalled = performance.now();
    serve.child.kill('SIGTERM');
    const stop = await serve.exited;
    expect(stop.code, serve.output()).toBe(0);
    expect(stop.at - signalled).toBeLessThan(5_000);
    expect(fs.existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);

    const after = await finished(vaxsync(dir, ['batches']));
    expect(after.code, after.output).toBe(0);
    expect(after.output).not.toMatch(/released the lock/);
  }, 120_000);

  it('refuses a second command while a plain command runs; after a SIGKILL the next command releases the stale lock', async () => {
    const dir = folder();
    const demo = vaxsync(dir, ['demo', '--persons', '3000']);
    await waitFor('demo to take the lock', () => fs.existsSync(path.join(dir, LOCK_FILE_NAME)));
    const second = await finished(vaxsync(dir, ['batches']));
    expect(demo.child.exitCode, 'demo ended before the second command came').toBeNull();
    expect(second.code, second.output).toBe(2);
    expect(second.output).toContain(`"vaxsync demo" (pid ${demo.child.pid}`);
    expect(second.output).toContain('Wait for it to finish, or stop it');

    demo.child.kill('SIGKILL');
    await demo.exited;
    expect(fs.existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(true); // SIGKILL leaves it behind
    const after = await finished(vaxsync(dir, ['batches']));
    expect(after.code, after.output).toBe(0);
    expect(after.output).toContain(`released the lock of ${dir} left by "vaxsync demo" (pid ${demo.child.pid}`);
    expect(fs.existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);
  }, 180_000);

  it('releases the stale lock of a `vaxsync serve` killed with SIGKILL, and the folder opens', async () => {
    const dir = folder();
    const serve = vaxsync(dir, ['serve']);
    await waitFor('serve to listen', () => serve.output().includes('vaxsync API on'));
    serve.child.kill('SIGKILL');
    await serve.exited;
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE_NAME), 'utf8'))).toMatchObject({ command: 'vaxsync serve', url: `http://127.0.0.1:${PORT}` });
    const after = await finished(vaxsync(dir, ['batches']));
    expect(after.code, after.output).toBe(0);
    expect(after.output).toContain(`released the lock of ${dir} left by "vaxsync serve" (pid ${serve.child.pid}`);
  }, 120_000);

  it('stops a plain command on SIGTERM at once, and the next command opens the folder', async () => {
    const dir = folder();
    const demo = vaxsync(dir, ['demo', '--persons', '3000']);
    await waitFor('demo to take the lock', () => fs.existsSync(path.join(dir, LOCK_FILE_NAME)));
    await new Promise((r) => setTimeout(r, 1500)); // into its work
    const signalled = performance.now();
    demo.child.kill('SIGTERM');
    const stop = await demo.exited;
    expect(stop.signal ?? stop.code).toBeTruthy();
    expect(stop.at - signalled).toBeLessThan(3_000);
    const after = await finished(vaxsync(dir, ['batches']));
    expect(after.code, after.output).toBe(0);
  }, 120_000);

  it('stops `vaxsync serve` within its deadline when a client holds a request open', async () => {
    const dir = folder();
    const created = await finished(vaxsync(dir, ['keys', 'create', '--name', 'station-x', '--role', 'station', '--station', 'TYT-X', '--commune', '00004']));
    expect(created.code, created.output).toBe(0);
    const key = created.output.trim().split('\n').pop()!;
    const serve = vaxsync(dir, ['serve'], { VAXSYNC_BODY_IDLE_TIMEOUT_S: '600' });
    await waitFor('serve to listen', () => serve.output().includes('vaxsync API on'));
    // a request whose body never ends: the graceful stop would wait for it
    const controller = new AbortController();
    const body = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('{"rows": [')) });
    const hanging = fetch(`http://127.0.0.1:${PORT}/api/v1/uploads`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body, duplex: 'half', signal: controller.signal,
    } as RequestInit).catch(() => null);
    await waitFor('the upload to be under way', () => serve.output().includes('incoming request'));
    await new Promise((r) => setTimeout(r, 300));
    const signalled = performance.now();
    serve.child.kill('SIGTERM');
    const stop = await serve.exited;
    controller.abort();
    await hanging;
    expect(stop.at - signalled).toBeLessThan(STOP_DEADLINE_MS + 4_000);
    expect(serve.output()).toMatch(/not stopped 10 s after SIGTERM: stopping now/);
    expect(stop.code).toBe(128 + 15);
    expect(fs.existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);
  }, 120_000);
});
