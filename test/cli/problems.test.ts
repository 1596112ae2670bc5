/**
 * `vaxsync problems` (row-level problems for stations) and its former name `quality`, kept hidden with a
 * notice so it is not confused with `vaxsync report quality`. Runs the real command line on PostgreSQL.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { QUALITY_COMMAND_NOTICE } from '../../src/cli/problems.js';
import { TEST_DATABASE_URL } from '../helpers/database.js';

const schema = `t_cli_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

/** Runs `vaxsync ...args` in this process and returns what it wrote to stdout and stderr. */
async function run(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (stdout.push(String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
  try {
    await buildProgram().exitOverride().parseAsync(['node', 'vaxsync', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout: stdout.join(''), stderr: stderr.join('') };
}

describe('vaxsync problems', () => {
  beforeAll(() => {
    vi.stubEnv('DATABASE_URL', TEST_DATABASE_URL);
    vi.stubEnv('VAXSYNC_SCHEMA', schema);
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    vi.unstubAllEnvs();
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });

  it('is listed in --help, and the old name quality is not', () => {
    const help = buildProgram().helpInformation();
    expect(help).toMatch(/^\s+problems \[options\]/m);
    expect(help).not.toMatch(/^\s+quality\b/m);
  });

  it('prints the per-field counts; the old name prints the same with a one-line notice on stderr', async () => {
    const problems = await run('problems');
    expect(problems.stdout).toMatch(/full_name/);
    expect(problems.stderr).toBe('');
    const quality = await run('quality');
    expect(quality.stdout).toBe(problems.stdout);
    expect(quality.stderr).toBe(`${QUALITY_COMMAND_NOTICE}\n`);
    expect(quality.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
