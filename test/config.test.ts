import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, today } from '../src/config.js';
import { tempDir } from './helpers/database.js';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** The message of the ConfigError that loading `env` throws. */
function problem(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has a default for every field', () => {
    const config = loadConfig({});
    const dataDir = path.resolve('.vaxsync');
    expect(config).toEqual({
      databaseUrl: undefined,
      dataDir,
      schema: undefined,
      host: '127.0.0.1',
      port: 8080,
      uploadMaxBytes: 50 * 1024 * 1024,
      requestTimeoutMs: 600_000,
      bodyIdleTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      authFailuresPerMinute: 30,
      trustProxy: false,
      inboxDir: path.join(dataDir, 'inbox'),
      nightlyCron: '0 2 * * *',
      timezone: 'Asia/Ho_Chi_Minh',
      registry: undefined,
      registryToken: undefined,
      registryTable: undefined,
      platformUrl: undefined,
      platformToken: undefined,
      recheckDays: 30,
      reportsDir: path.join(dataDir, 'reports'),
      user: 'cli',
      deprecations: [],
      covidCampaignEnd: '2023-10-20',
      dailyReportAt: '16:00',
      liveDays: 365,
      pushGuardian: 'never',
    });
  });

  it('reads every variable from the environment; empty ones count as unset', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/vax',
      VAXSYNC_DATA_DIR: '/srv/vax',
      VAXSYNC_SCHEMA: 'hanoi',
      VAXSYNC_HOST: '0.0.0.0',
      VAXSYNC_PORT: '9000',
      VAXSYNC_UPLOAD_MAX_MB: '2.5',
      VAXSYNC_REQUEST_TIMEOUT_S: '1200',
      VAXSYNC_BODY_IDLE_TIMEOUT_S: '10',
      VAXSYNC_KEEPALIVE_TIMEOUT_S: '2',
      VAXSYNC_AUTH_FAILURES_PER_MINUTE: '100',
      VAXSYNC_TRUST_PROXY: '10.0.0.0/8, ::1',
      VAXSYNC_INBOX_DIR: '/srv/drop',
      VAXSYNC_NIGHTLY_CRON: '30 1 * * 1-5',
      VAXSYNC_TIMEZONE: 'UTC',
      REGISTRY_SOURCE: 'https://registry.example/api',
      REGISTRY_TOKEN: 'r-token',
      REGISTRY_TABLE: 'citizens',
      PLATFORM_URL: 'https://platform.example/fhir',
      PLATFORM_TOKEN: 'p-token',
      VAXSYNC_RECHECK_DAYS: '0',
      VAXSYNC_REPORTS_DIR: '/srv/reports',
      VAXSYNC_COVID_CAMPAIGN_END: '2024-01-01',
      VAXSYNC_DAILY_REPORT_AT: '18:00',
      VAXSYNC_LIVE_DAYS: '90',
      VAXSYNC_PUSH_GUARDIAN: 'children-without-id',
      VAXSYNC_CONFIG: '',
      USER: 'lan',
    });
    expect(config).toEqual({
      databaseUrl: 'postgres://u@db:5432/vax',
      dataDir: '/srv/vax',
      schema: 'hanoi',
      host: '0.0.0.0',
      port: 9000,
      uploadMaxBytes: Math.round(2.5 * 1024 * 1024),
      requestTimeoutMs: 1_200_000,
      bodyIdleTimeoutMs: 10_000,
      keepAliveTimeoutMs: 2_000,
      authFailuresPerMinute: 100,
      trustProxy: ['10.0.0.0/8', '::1'],
      inboxDir: '/srv/drop',
      nightlyCron: '30 1 * * 1-5',
      timezone: 'UTC',
      registry: 'https://registry.example/api',
      registryToken: 'r-token',
      registryTable: 'citizens',
      platformUrl: 'https://platform.example/fhir',
      platformToken: 'p-token',
      recheckDays: 0,
      reportsDir: '/srv/reports',
      user: 'lan',
      deprecations: [],
      covidCampaignEnd: '2024-01-01',
      dailyReportAt: '18:00',
      liveDays: 90,
      pushGuardian: 'children-without-id',
    });
    expect(() => loadConfig({ VAXSYNC_PUSH_GUARDIAN: 'yes' })).toThrow(/VAXSYNC_PUSH_GUARDIAN: must be "never" or "children-without-id"/);
    expect(() => loadConfig({ VAXSYNC_DAILY_REPORT_AT: '4pm' })).toThrow(/VAXSYNC_DAILY_REPORT_AT: must be a time of day HH:MM/);
    expect(loadConfig({ VAXSYNC_PORT: '', VAXSYNC_DATA_DIR: '/srv/vax' })).toMatchObject({ port: 8080, inboxDir: '/srv/vax/inbox', reportsDir: '/srv/vax/reports' });
  });

  it('resolves a registry file path, and keeps registry URLs as given', () => {
    expect(loadConfig({ REGISTRY_SOURCE: 'extracts/registry.csv' }).registry).toBe(path.resolve('extracts/registry.csv'));
    expect(loadConfig({ REGISTRY_SOURCE: 'postgres://r@host/registry' }).registry).toBe('postgres://r@host/registry');
  });

  it('reads a JSON file named by VAXSYNC_CONFIG, numbers as numbers or strings; the environment wins', () => {
    const file = configFile('vaxsync.json', {
      VAXSYNC_PORT: 9100,
      VAXSYNC_NIGHTLY_CRON: '15 3 * * *',
      PLATFORM_URL: 'http://127.0.0.1:8090/fhir',
      VAXSYNC_RECHECK_DAYS: '7',
    });
    expect(loadConfig({ VAXSYNC_CONFIG: file })).toMatchObject({ port: 9100, nightlyCron: '15 3 * * *', platformUrl: 'http://127.0.0.1:8090/fhir', recheckDays: 7 });
    const overridden = loadConfig({ VAXSYNC_CONFIG: file, VAXSYNC_PORT: '9200', VAXSYNC_RECHECK_DAYS: '' });
    expect(overridden).toMatchObject({ port: 9200, recheckDays: 7, nightlyCron: '15 3 * * *' });
  });

  it('names an unknown key of the file, and a value of the wrong type', () => {
    const file = configFile('unknown.json', { VAXSYNC_PORT: 9100, VAXSYNC_PROT: 9100, PLATFORM_URL: ['x'] });
    const message = problem({ VAXSYNC_CONFIG: file });
    expect(message).toContain(`VAXSYNC_PROT (in ${file}): unknown setting`);
    expect(message).toContain(`PLATFORM_URL (in ${file}): must be a string or a number, got ["x"]`);
  });

  it('says when the file is missing, not JSON, or not an object', () => {
    expect(problem({ VAXSYNC_CONFIG: path.join(dir, 'missing.json') })).toMatch(/VAXSYNC_CONFIG: cannot read ".*missing\.json" \(ENOENT\)/);
    expect(problem({ VAXSYNC_CONFIG: configFile('broken.json', '{"VAXSYNC_PORT": ') })).toMatch(/VAXSYNC_CONFIG: ".*broken\.json" is not valid JSON/);
    expect(problem({ VAXSYNC_CONFIG: configFile('array.json', [1, 2]) })).toMatch(/VAXSYNC_CONFIG: ".*array\.json" must hold a JSON object/);
  });

  it('names each wrong variable and says why, all at once', () => {
    const message = problem({
      DATABASE_URL: 'mysql://x',
      VAXSYNC_SCHEMA: 'Hà Nội',
      VAXSYNC_PORT: '80a',
      VAXSYNC_UPLOAD_MAX_MB: '0',
      VAXSYNC_NIGHTLY_CRON: '61 * * * *',
      VAXSYNC_TIMEZONE: 'Mars/Olympus',
      REGISTRY_SOURCE: 'https://',
      PLATFORM_URL: 'ftp://platform',
      VAXSYNC_RECHECK_DAYS: '-1',
    });
    expect(message.split('\n')).toEqual([
      'Invalid configuration:',
      '  DATABASE_URL: must be a postgres:// or postgresql:// connection string',
      '  VAXSYNC_SCHEMA: must be a plain lower-case PostgreSQL schema name',
      '  VAXSYNC_PORT: must be a port number between 1 and 65535, got "80a"',
      '  VAXSYNC_UPLOAD_MAX_MB: must be a size in MB, more than 0 and at most 10240, got "0"',
      '  VAXSYNC_NIGHTLY_CRON: not a valid cron expression "61 * * * *" (e.g. "0 2 * * *" for 02:00 every night)',
      '  VAXSYNC_TIMEZONE: must be an IANA time zone such as Asia/Ho_Chi_Minh, got "Mars/Olympus"',
      '  REGISTRY_SOURCE: must be a file path, an http(s):// URL or a postgres:// URL, got "https://"',
      '  PLATFORM_URL: must be an http:// or https:// URL, got "ftp://platform"',
      '  VAXSYNC_RECHECK_DAYS: must be a whole number of days, 0 or more, got "-1"',
    ]);
  });

  it('rejects out-of-range and malformed numbers', () => {
    expect(problem({ VAXSYNC_PORT: '0' })).toContain('VAXSYNC_PORT: must be a port number between 1 and 65535, got "0"');
    expect(problem({ VAXSYNC_PORT: '65536' })).toContain('got "65536"');
    expect(problem({ VAXSYNC_PORT: '80.5' })).toContain('got "80.5"');
    expect(problem({ VAXSYNC_UPLOAD_MAX_MB: 'ten' })).toContain('VAXSYNC_UPLOAD_MAX_MB: must be a size in MB');
    expect(problem({ VAXSYNC_BODY_IDLE_TIMEOUT_S: '0' })).toContain('VAXSYNC_BODY_IDLE_TIMEOUT_S: must be a whole number of seconds from 1 to 3600, got "0"');
    expect(problem({ VAXSYNC_AUTH_FAILURES_PER_MINUTE: '-3' })).toContain('VAXSYNC_AUTH_FAILURES_PER_MINUTE: must be a whole number, 1 or more');
    expect(problem({ VAXSYNC_RECHECK_DAYS: '1.5' })).toContain('VAXSYNC_RECHECK_DAYS: must be a whole number of days');
    expect(problem({ VAXSYNC_NIGHTLY_CRON: 'every night' })).toContain('VAXSYNC_NIGHTLY_CRON: not a valid cron expression "every night"');
  });

  it('reads VAXSYNC_TRUST_PROXY as off, a hop count or the proxies, and refuses trusting every address', () => {
    expect(loadConfig({ VAXSYNC_TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({ VAXSYNC_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ VAXSYNC_TRUST_PROXY: '127.0.0.1' }).trustProxy).toEqual(['127.0.0.1']);
    expect(loadConfig({ VAXSYNC_TRUST_PROXY: 'loopback,192.168.1.0/24,fd00::/8' }).trustProxy).toEqual(['loopback', '192.168.1.0/24', 'fd00::/8']);
    expect(problem({ VAXSYNC_TRUST_PROXY: 'true' })).toMatch(/VAXSYNC_TRUST_PROXY: must name the proxies .* any client choose/);
    for (const wrong of ['0', '11', '10.0.0.0/33', '300.1.1.1', 'proxy.local', '1.2.3.4/8/1']) {
      expect(problem({ VAXSYNC_TRUST_PROXY: wrong }), wrong).toMatch(/VAXSYNC_TRUST_PROXY: must be "off", the number of proxies/);
    }
  });

  it('accepts a six-field cron (with seconds)', () => {
    expect(loadConfig({ VAXSYNC_NIGHTLY_CRON: '*/5 * * * * *' }).nightlyCron).toBe('*/5 * * * * *');
  });
});

describe('the old name VAXSYNC_REGISTRY_TOKEN (read by the CLI until now)', () => {
  it('is still read as REGISTRY_TOKEN, with a warning naming the new name', () => {
    const config = loadConfig({ VAXSYNC_REGISTRY_TOKEN: 'old' });
    expect(config.registryToken).toBe('old');
    expect(config.deprecations).toEqual([expect.stringMatching(/VAXSYNC_REGISTRY_TOKEN is deprecated: rename it REGISTRY_TOKEN/)]);
  });

  it('gives way to REGISTRY_TOKEN, in the environment or in the file, and says the old one is ignored', () => {
    expect(loadConfig({ VAXSYNC_REGISTRY_TOKEN: 'old', REGISTRY_TOKEN: 'new' })).toMatchObject({
      registryToken: 'new',
      deprecations: [expect.stringMatching(/ignored: REGISTRY_TOKEN is set too/)],
    });
    const file = configFile('token.json', { REGISTRY_TOKEN: 'from-file' });
    expect(loadConfig({ VAXSYNC_CONFIG: file, VAXSYNC_REGISTRY_TOKEN: 'old' }).registryToken).toBe('old');
  });
});

describe('today', () => {
  it('is the date in the configured time zone, not UTC: 23:30 UTC on 1 December is 2 December in Vietnam', () => {
    const lateUtc = new Date('2026-12-01T23:30:00Z');
    expect(today(loadConfig({}), lateUtc)).toBe('2026-12-02');
    expect(today(loadConfig({ VAXSYNC_TIMEZONE: 'UTC' }), lateUtc)).toBe('2026-12-01');
    expect(today(loadConfig({}), new Date('2026-12-01T16:59:59Z'))).toBe('2026-12-01');
    expect(today(loadConfig({}), new Date('2026-12-01T17:00:00Z'))).toBe('2026-12-02');
  });
});
