/**
 * Configuration, read once and validated in one place, so a wrong value fails at start-up with a message
 * that names the variable and says what is wrong, instead of failing later somewhere deep.
 *
 * Sources: the environment, and optionally a JSON file named by VAXSYNC_CONFIG whose keys are the same
 * names as the environment variables (e.g. `{"VAXSYNC_PORT": 9000}`). The environment wins over the file,
 * so one setting can be overridden for one run without editing the file. An empty environment variable
 * counts as unset. Relative paths are resolved against the current directory, wherever they come from.
 *
 * Every part reads its settings from here: the CLI, the nightly job and the service. A CLI flag overrides
 * the configuration for one command (flag > environment > file > default); the CLI resolves that itself.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import cron from 'node-cron';
import { z } from 'zod';
import { civilDateIn } from './base/calendar-date.js';
import { VaxsyncError } from './base/errors.js';

/** Every variable the configuration reads; a config file may hold any of them except VAXSYNC_CONFIG itself. */
export const CONFIG_VARIABLES = [
  'DATABASE_URL',
  'VAXSYNC_DATA_DIR',
  'VAXSYNC_SCHEMA',
  'VAXSYNC_HOST',
  'VAXSYNC_PORT',
  'VAXSYNC_UPLOAD_MAX_MB',
  'VAXSYNC_REQUEST_TIMEOUT_S',
  'VAXSYNC_BODY_IDLE_TIMEOUT_S',
  'VAXSYNC_KEEPALIVE_TIMEOUT_S',
  'VAXSYNC_AUTH_FAILURES_PER_MINUTE',
  'VAXSYNC_TRUST_PROXY',
  'VAXSYNC_INBOX_DIR',
  'VAXSYNC_NIGHTLY_CRON',
  'VAXSYNC_TIMEZONE',
  'REGISTRY_SOURCE',
  'REGISTRY_TOKEN',
  'REGISTRY_TABLE',
  'PLATFORM_URL',
  'PLATFORM_TOKEN',
  'VAXSYNC_RECHECK_DAYS',
  'VAXSYNC_REPORTS_DIR',
  'VAXSYNC_COVID_CAMPAIGN_END',
  'VAXSYNC_DAILY_REPORT_AT',
  'VAXSYNC_LIVE_DAYS',
  'VAXSYNC_REPORT_UNIT',
  'VAXSYNC_PUSH_GUARDIAN',
] as const;
type ConfigVariable = (typeof CONFIG_VARIABLES)[number];

export interface Config {
  /** PostgreSQL connection string; when absent the embedded database in `dataDir` is used. */
  readonly databaseUrl: string | undefined;
  /** Folder for local state: the embedded database, generated samples. */
  readonly dataDir: string;
  /** PostgreSQL schema to work in (one database, several provinces or test runs); default: the search path. */
  readonly schema: string | undefined;
  /** Address the HTTP service listens on; loopback unless deliberately opened. */
  readonly host: string;
  readonly port: number;
  /** Largest accepted upload, in bytes (configured in MB). */
  readonly uploadMaxBytes: number;
  /**
   * Slow clients (issue 15): the whole request must arrive within `requestTimeoutMs`; a request body that
   * stops flowing for `bodyIdleTimeoutMs` is cut; an idle kept-alive connection closes after `keepAliveTimeoutMs`.
   */
  readonly requestTimeoutMs: number;
  readonly bodyIdleTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** Failed authentications one client address may make per minute; past it, 429 until the minute ends. */
  readonly authFailuresPerMinute: number;
  /**
   * Which reverse proxies' `X-Forwarded-For` the service believes, so that a client's address (the failed
   * authentication limit's key, the audit log's `ip`) is the real client's and not the proxy's: `false`
   * (default: the header is ignored, the address is the TCP peer's), the proxies' addresses or CIDR ranges
   * (or proxy-addr's `loopback`, `linklocal`, `uniquelocal`), or the number of proxy hops in front.
   */
  readonly trustProxy: false | number | readonly string[];
  /** Folder other systems drop files into for the nightly import; imported files move to done/ or failed/. */
  readonly inboxDir: string;
  /** When the nightly job runs (node-cron syntax, 5 or 6 fields), in `timezone`. */
  readonly nightlyCron: string;
  readonly timezone: string;
  /** Registry to reconcile against: a file path, an http(s):// service or a postgres:// database; absent = no reconcile. */
  readonly registry: string | undefined;
  readonly registryToken: string | undefined;
  /** Table or view holding the registry, for a postgres:// registry. */
  readonly registryTable: string | undefined;
  /** FHIR platform base URL; absent = no push. */
  readonly platformUrl: string | undefined;
  readonly platformToken: string | undefined;
  /** A person whose registry check is older than this is checked again. */
  readonly recheckDays: number;
  /** Folder the nightly job writes its daily summaries into, and the service its daily reports. */
  readonly reportsDir: string;
  /** Who a review decision made from the command line is recorded as, by default: the login name (USER). */
  readonly user: string;
  /** Settings read under an old name, each as a sentence saying what to rename; shown once at start-up. */
  readonly deprecations: readonly string[];
  /**
   * From this day (yyyy-mm-dd) no COVID-19 dose is due on a call list: default 2023-10-20, when COVID-19 became
   * a group B disease (Decision 26/2023/QĐ-TTg, DOMAIN.md §5.2; src/schedule/rules.ts).
   */
  readonly covidCampaignEnd: string;
  /** When the service writes the day's report (HH:MM in `timezone`); directives ask for it by 16:00 or 18:00. */
  readonly dailyReportAt: string;
  /** "sống" in the quality report: a person verified or updated within this many days (DOMAIN.md §6.1). */
  readonly liveDays: number;
  /** The unit printed at the head of every report (Trạm Y tế xã …, Trung tâm Y tế …); a line to fill in by hand when unset. */
  readonly reportUnit: string | undefined;
  /**
   * Whether a child without a CCCD or CMND is sent to the platform with the guardian its records name:
   * `never` (default) or `children-without-id` (src/push/push.ts GUARDIAN_POLICIES); the operator's policy.
   */
  readonly pushGuardian: 'never' | 'children-without-id';
}

/** A setting that is missing, malformed or out of range; the message lists every problem at once. */
export class ConfigError extends VaxsyncError<'config.invalid'> {
  override readonly name = 'ConfigError';

  constructor(message: string) {
    super('config.invalid', message);
  }
}

/** A custom check that reports `must be …, got "value"`, so the message shows what was actually given. */
function checked<T>(convert: (value: string) => T | undefined, expectation: string) {
  return z.string().transform((value, ctx) => {
    const result = convert(value);
    if (result === undefined) {
      ctx.addIssue({ code: 'custom', message: `${expectation}, got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return result;
  });
}

function wholeNumber(value: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(value.trim())) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const port = checked((v) => wholeNumber(v, 1, 65535), 'must be a port number between 1 and 65535');
const uploadMaxMb = checked((v) => {
  const n = /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
  return n > 0 && n <= 10_240 ? Math.round(n * 1024 * 1024) : undefined;
}, 'must be a size in MB, more than 0 and at most 10240');
const seconds = (min: number, max: number) => checked((v) => wholeNumber(v, min, max), `must be a whole number of seconds from ${min} to ${max}`);
const days = checked((v) => wholeNumber(v, 0, 36_500), 'must be a whole number of days, 0 or more');
const cronExpression = z.string().transform((value, ctx) => {
  if (!cron.validate(value)) {
    ctx.addIssue({ code: 'custom', message: `not a valid cron expression ${JSON.stringify(value)} (e.g. "0 2 * * *" for 02:00 every night)` });
    return z.NEVER;
  }
  return value;
});
const timeZone = checked((v) => (isTimeZone(v) ? v : undefined), 'must be an IANA time zone such as Asia/Ho_Chi_Minh');
const httpUrl = checked((v) => (/^https?:\/\/[^\s/]+/.test(v) && URL.canParse(v) ? v : undefined), 'must be an http:// or https:// URL');
const registrySource = checked(
  (v) => (/^(https?|postgres(ql)?):\/\//.test(v) ? (URL.canParse(v) ? v : undefined) : v),
  'must be a file path, an http(s):// URL or a postgres:// URL',
);
const nonEmpty = z.string().min(1, 'must not be empty');

/** proxy-addr's names for address ranges (fastify's trustProxy understands them). */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One trusted proxy: an IPv4/IPv6 address, optionally with a /prefix, or a range name. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address, prefix, extra] = entry.split('/');
  const family = net.isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * VAXSYNC_TRUST_PROXY: off (default), a hop count, or the proxies' addresses. "true" (every address) is
 * refused: any client could then name its own address in X-Forwarded-For and never hit the failure limit.
 */
const trustProxy = z.string().transform((value, ctx): false | number | string[] => {
  const v = value.trim().toLowerCase();
  if (v === 'off' || v === 'false' || v === 'no') return false;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops >= 1 && hops <= 10) return hops;
  } else {
    const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
    const wrong = entries.filter((e) => !isProxyAddress(e));
    if (entries.length > 0 && wrong.length === 0) return entries;
    if (v === 'true' || v === 'all' || v === 'on' || v === 'yes') {
      ctx.addIssue({
        code: 'custom',
        message: `must name the proxies (their addresses, e.g. "127.0.0.1" or "10.0.0.0/8") or their number, not ${JSON.stringify(value)}: trusting every address would let any client choose the address it is counted under`,
      });
      return z.NEVER;
    }
  }
  ctx.addIssue({
    code: 'custom',
    message: `must be "off", the number of proxies in front (1 to 10), or their IP addresses or CIDR ranges separated by commas (or loopback, linklocal, uniquelocal), got ${JSON.stringify(value)}`,
  });
  return z.NEVER;
});

const ConfigSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection string')
    .optional(),
  VAXSYNC_DATA_DIR: nonEmpty.default('.vaxsync'),
  VAXSYNC_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a plain lower-case PostgreSQL schema name')
    .optional(),
  VAXSYNC_HOST: nonEmpty.default('127.0.0.1'),
  VAXSYNC_PORT: port.default(8080),
  VAXSYNC_UPLOAD_MAX_MB: uploadMaxMb.default(50 * 1024 * 1024),
  // 50 MB in 10 minutes is 85 KB/s: a slow station link still gets its largest file through.
  VAXSYNC_REQUEST_TIMEOUT_S: seconds(1, 86_400).default(600),
  VAXSYNC_BODY_IDLE_TIMEOUT_S: seconds(1, 3_600).default(30),
  VAXSYNC_KEEPALIVE_TIMEOUT_S: seconds(1, 600).default(5),
  VAXSYNC_AUTH_FAILURES_PER_MINUTE: checked((v) => wholeNumber(v, 1, 1_000_000), 'must be a whole number, 1 or more').default(30),
  VAXSYNC_TRUST_PROXY: trustProxy.default(false),
  VAXSYNC_INBOX_DIR: nonEmpty.optional(),
  VAXSYNC_NIGHTLY_CRON: cronExpression.default('0 2 * * *'),
  VAXSYNC_TIMEZONE: timeZone.default('Asia/Ho_Chi_Minh'),
  REGISTRY_SOURCE: registrySource.optional(),
  REGISTRY_TOKEN: nonEmpty.optional(),
  REGISTRY_TABLE: nonEmpty.optional(),
  PLATFORM_URL: httpUrl.optional(),
  PLATFORM_TOKEN: nonEmpty.optional(),
  VAXSYNC_RECHECK_DAYS: days.default(30),
  VAXSYNC_REPORTS_DIR: nonEmpty.optional(),
  VAXSYNC_COVID_CAMPAIGN_END: checked((v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)) ? v : undefined), 'must be a date yyyy-mm-dd').default('2023-10-20'),
  VAXSYNC_DAILY_REPORT_AT: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM, such as 16:00').default('16:00'),
  // Judgement, no source gives a period: a year, the cycle of the province's annual data review.
  VAXSYNC_LIVE_DAYS: days.default(365),
  VAXSYNC_REPORT_UNIT: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  VAXSYNC_PUSH_GUARDIAN: z.enum(['never', 'children-without-id'], { message: 'must be "never" or "children-without-id"' }).default('never'),
});

/** Reads the VAXSYNC_CONFIG file: a JSON object with known keys and string or number values. */
function readConfigFile(file: string): Partial<Record<ConfigVariable, string>> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  VAXSYNC_CONFIG: cannot read ${JSON.stringify(file)} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  VAXSYNC_CONFIG: ${JSON.stringify(file)} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(`Invalid configuration:\n  VAXSYNC_CONFIG: ${JSON.stringify(file)} must hold a JSON object of settings`);
  }
  const problems: string[] = [];
  const values: Partial<Record<ConfigVariable, string>> = {};
  for (const [key, value] of Object.entries(json)) {
    if (!(CONFIG_VARIABLES as readonly string[]).includes(key)) {
      problems.push(`  ${key} (in ${file}): unknown setting; the settings are ${CONFIG_VARIABLES.join(', ')}`);
    } else if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
      values[key as ConfigVariable] = String(value);
    } else if (value !== null) {
      problems.push(`  ${key} (in ${file}): must be a string or a number, got ${JSON.stringify(value)}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return values;
}

/**
 * Environment names read until now under another name, still accepted for one release (with a warning),
 * so a deployment that sets the old name does not silently lose the setting. Remove after the next release.
 */
const DEPRECATED_ALIASES: Readonly<Partial<Record<string, ConfigVariable>>> = {
  // The CLI read VAXSYNC_REGISTRY_TOKEN while the nightly job read REGISTRY_TOKEN.
  VAXSYNC_REGISTRY_TOKEN: 'REGISTRY_TOKEN',
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const configFile = env.VAXSYNC_CONFIG || undefined;
  const raw: Partial<Record<ConfigVariable, string>> = configFile ? readConfigFile(configFile) : {};
  const deprecations: string[] = [];
  for (const [old, name] of Object.entries(DEPRECATED_ALIASES) as [string, ConfigVariable][]) {
    const value = env[old];
    if (!value) continue;
    if (env[name]) {
      deprecations.push(`${old} is deprecated and ignored: ${name} is set too; unset ${old}`);
    } else {
      raw[name] = value;
      deprecations.push(`${old} is deprecated: rename it ${name} (the old name is read until the next release)`);
    }
  }
  for (const name of CONFIG_VARIABLES) {
    const value = env[name];
    if (value) raw[name] = value;
    else if (raw[name] === '') delete raw[name];
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const v = parsed.data;
  const dataDir = path.resolve(v.VAXSYNC_DATA_DIR);
  return {
    databaseUrl: v.DATABASE_URL,
    dataDir,
    schema: v.VAXSYNC_SCHEMA,
    host: v.VAXSYNC_HOST,
    port: v.VAXSYNC_PORT,
    uploadMaxBytes: v.VAXSYNC_UPLOAD_MAX_MB,
    requestTimeoutMs: v.VAXSYNC_REQUEST_TIMEOUT_S * 1000,
    bodyIdleTimeoutMs: v.VAXSYNC_BODY_IDLE_TIMEOUT_S * 1000,
    keepAliveTimeoutMs: v.VAXSYNC_KEEPALIVE_TIMEOUT_S * 1000,
    authFailuresPerMinute: v.VAXSYNC_AUTH_FAILURES_PER_MINUTE,
    trustProxy: v.VAXSYNC_TRUST_PROXY,
    inboxDir: path.resolve(v.VAXSYNC_INBOX_DIR ?? path.join(dataDir, 'inbox')),
    nightlyCron: v.VAXSYNC_NIGHTLY_CRON,
    timezone: v.VAXSYNC_TIMEZONE,
    // A registry file path is resolved like every other path; URLs stay as given.
    registry: v.REGISTRY_SOURCE === undefined || /^[a-z]+:\/\//.test(v.REGISTRY_SOURCE) ? v.REGISTRY_SOURCE : path.resolve(v.REGISTRY_SOURCE),
    registryToken: v.REGISTRY_TOKEN,
    registryTable: v.REGISTRY_TABLE,
    platformUrl: v.PLATFORM_URL,
    platformToken: v.PLATFORM_TOKEN,
    recheckDays: v.VAXSYNC_RECHECK_DAYS,
    reportsDir: path.resolve(v.VAXSYNC_REPORTS_DIR ?? path.join(dataDir, 'reports')),
    // The login name, from the environment only: it is who runs the command, not a setting of the deployment.
    user: env.USER || 'cli',
    deprecations,
    covidCampaignEnd: v.VAXSYNC_COVID_CAMPAIGN_END,
    dailyReportAt: v.VAXSYNC_DAILY_REPORT_AT,
    liveDays: v.VAXSYNC_LIVE_DAYS,
    reportUnit: v.VAXSYNC_REPORT_UNIT,
    pushGuardian: v.VAXSYNC_PUSH_GUARDIAN,
  };
}

/**
 * Today's date (yyyy-mm-dd) in the configured time zone: "today" is the province's day, not UTC's (before
 * 07:00 in Vietnam, UTC's date is still yesterday). The one source of "today" for the CLI, the import's
 * future-date checks, reports, the nightly job and the service; `now` is there for tests.
 */
export function today(config: Pick<Config, 'timezone'>, now: Date = new Date()): string {
  return civilDateIn(config.timezone, now);
}
