/** The command line maps failures once: 2 for the user's input or usage, 1 for a fault; stacks only when asked. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { FileError, VaxsyncError } from '../../src/base/errors.js';
import { debugRequested, reportFailure } from '../../src/cli/errors.js';
import { ConfigError } from '../../src/config.js';
import { EvaluationError } from '../../src/eval/pairwise.js';
import { LinkError } from '../../src/link/errors.js';
import { PlatformError } from '../../connectors/platform/types.js';
import { RegistryError } from '../../connectors/registry/types.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/vaxsync.js');

function report(error: unknown, debug = false): { code: number; text: string } {
  let text = '';
  const code = reportFailure(error, (t) => (text += t), { debug });
  return { code, text };
}

describe('reportFailure', () => {
  it('exits 2 with the message alone for the user’s errors, whatever their class', () => {
    for (const error of [
      new ConfigError('Invalid configuration:\n  VAXSYNC_PORT: must be a port'),
      new FileError('import.not_utf8', 'a.csv', 'the text is not valid UTF-8', { row: 3 }),
      new LinkError('link.no_run', 'no finished link run yet'),
      new EvaluationError('t.csv: no such file'),
      new RegistryError('registry.refused_credentials', 'the registry refused the credentials'),
      new VaxsyncError('cli.invalid_option', '--date must be yyyy-mm-dd'),
    ]) {
      const { code, text } = report(error);
      expect(code, error.message).toBe(2);
      expect(text).toBe(`vaxsync: ${error.message}\n`);
    }
  });

  it('exits 1 with the message for a fault', () => {
    const { code, text } = report(new PlatformError('platform.unavailable', 'the platform did not take a bundle'));
    expect(code).toBe(1);
    expect(text).toBe('vaxsync: the platform did not take a bundle\n');
  });

  it('exits 1 with one short line for an unexpected error, and the stack only when debugging', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')\nmore detail");
    const quiet = report(bug);
    expect(quiet.code).toBe(1);
    expect(quiet.text).toBe("vaxsync: unexpected error: TypeError: Cannot read properties of undefined (reading 'x')\nvaxsync: set VAXSYNC_DEBUG=1 to see where it happened\n");
    const loud = report(bug, true);
    expect(loud.code).toBe(1);
    expect(loud.text).toContain(' at ');
    expect(report(new VaxsyncError('link.no_run', 'no run'), true).text).toContain(' at ');
  });

  it('leaves commander’s usage errors to its own message: 2, and 0 for help', () => {
    expect(report(new CommanderError(1, 'commander.unknownCommand', "error: unknown command 'frob'"))).toEqual({ code: 2, text: '' });
    expect(report(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ code: 0, text: '' });
  });

  it('reads VAXSYNC_DEBUG', () => {
    expect(debugRequested({ VAXSYNC_DEBUG: '1' })).toBe(true);
    expect(debugRequested({ VAXSYNC_DEBUG: 'true' })).toBe(true);
    expect(debugRequested({})).toBe(false);
  });
});

describe('the vaxsync command', () => {
  const run = async (args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env: { ...process.env, VAXSYNC_DEBUG: '' } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('exits 2 on a usage error, 2 on bad input, 0 on help', async () => {
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const missing = await run(['evaluate', '--truth', '/nonexistent/t.csv', '--pred', '/nonexistent/p.csv']);
    expect(missing).toMatchObject({ code: 2, stderr: 'vaxsync: /nonexistent/t.csv: no such file\n' });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 done, 2 .* 1 a fault/);
  }, 60_000);
});
