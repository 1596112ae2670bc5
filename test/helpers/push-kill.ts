/**
 * One real `vaxsync push` process against the platform simulator, optionally SIGKILLed mid-send: the harness
 * of the crash test (test/push/crash.test.ts) and of its large version (scripts/push-crash.ts).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PlatformSimulator } from '../../connectors/platform/simulator.js';

const BIN = fileURLToPath(new URL('../../bin/vaxsync.js', import.meta.url));

export interface PushRun {
  /** Exit code; null when killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Platform requests counted between the spawn and the kill; null when the run was not killed. */
  readonly requestsBeforeKill: number | null;
  readonly ms: number;
}

export interface PushRunOptions {
  readonly simulator: PlatformSimulator;
  /** `vaxsync push` options after `--platform URL`. */
  readonly args: readonly string[];
  /** The child's environment (the database it pushes from). */
  readonly env: NodeJS.ProcessEnv;
  /**
   * Kill the run this many ms after the platform counted its first request (it was mid-send then). Without
   * it, the run ends on its own.
   */
  readonly killAfterFirstRequestMs?: number;
  /** How long to wait for that first request… */
  readonly firstRequestTimeoutMs: number;
  /** …and then: kill it anyway (`kill`), or let it run to its end (`let-run`). */
  readonly withoutRequest: 'kill' | 'let-run';
}

export function runPush(options: PushRunOptions): Promise<PushRun> {
  const { simulator } = options;
  const started = performance.now();
  const requestsAtSpawn = simulator.stats().requests;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'push', '--platform', simulator.url, ...options.args], {
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let requestsBeforeKill: number | null = null;
    const timers: NodeJS.Timeout[] = [];
    const killAfter = options.killAfterFirstRequestMs;
    if (killAfter !== undefined) {
      const watch = setInterval(() => {
        const sent = simulator.stats().requests - requestsAtSpawn;
        if (sent === 0 && performance.now() - started < options.firstRequestTimeoutMs) return;
        clearInterval(watch);
        if (sent === 0 && options.withoutRequest === 'let-run') return;
        timers.push(
          setTimeout(() => {
            requestsBeforeKill = simulator.stats().requests - requestsAtSpawn;
            child.kill('SIGKILL');
          }, sent === 0 ? 0 : killAfter),
        );
      }, 2);
      timers.push(watch);
    }
    child.on('error', reject);
    child.on('exit', (code) => {
      for (const timer of timers) clearTimeout(timer);
      resolve({ code, stdout, stderr, requestsBeforeKill: code === null ? requestsBeforeKill : null, ms: performance.now() - started });
    });
  });
}
