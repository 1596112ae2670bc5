/**
 * The CLI's dates: `--date` is checked by the same strict parser as the API's `?date=`, and the default
 * report date is today in the configured time zone, not UTC's (which before 07:00 in Vietnam is yesterday).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CommanderError, type Command } from 'commander';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { tempDir, TEST_DATABASE_URL } from '../helpers/database.js';

/** The program with every command throwing instead of exiting, and its error output captured. */
function program(errors: string[]): Command {
  const root = buildProgram();
  const quiet = (c: Command): void => {
    c.exitOverride().configureOutput({ writeErr: (text) => errors.push(text), writeOut: () => {} });
    c.commands.forEach(quiet);
  };
  quiet(root);
  return root;
}

describe('vaxsync report --date', () => {
  it('refuses a day that does not exist, or another format, naming the option', async () => {
    for (const [date, problem] of [
      ['2026-02-30', 'is not a calendar date'],
      ['2026-2-3', 'must be yyyy-mm-dd'],
      ['01/12/2026', 'must be yyyy-mm-dd'],
    ] as const) {
      const errors: string[] = [];
      const thrown = await program(errors)
        .parseAsync(['node', 'vaxsync', 'report', 'coverage', '--date', date])
        .catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(CommanderError);
      expect(errors.join('')).toContain(`option '--date <yyyy-mm-dd>' argument '${date}' is invalid. The date ${problem}.`);
    }
  });
});

describe('vaxsync report without --date', () => {
  const schema = `t_cli_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const dir = tempDir();
  const saved = { ...process.env };

  beforeAll(() => {
    // The command opens the configured database: a schema of its own (created by the command) on the test's PostgreSQL.
    process.env.DATABASE_URL = TEST_DATABASE_URL;
    process.env.VAXSYNC_SCHEMA = schema;
    delete process.env.VAXSYNC_CONFIG;
    delete process.env.VAXSYNC_TIMEZONE;
  });
  afterEach(() => vi.useRealTimers());
  afterAll(async () => {
    process.env = saved;
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports on today in Vietnam: at 23:30 UTC on 1 December it is already 2 December', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T23:30:00Z'));
    const out = path.join(dir, 'coverage.csv');
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((text) => (lines.push(String(text)), true));
    try {
      await program([]).parseAsync(['node', 'vaxsync', 'report', 'coverage', '--format', 'csv', '--out', out]);
    } finally {
      write.mockRestore();
    }
    expect(lines.join('')).toContain('Tỷ lệ bao phủ tiêm chủng đến ngày 02/12/2026:');
    // A text report's --out goes through a .part file too (src/cli/out-file.ts), none left behind.
    expect(fs.statSync(out).size).toBeGreaterThan(0);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });
});
