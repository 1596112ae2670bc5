/**
 * A real service for the tests: a real database (PostgreSQL or PGlite), the server listening on a free
 * loopback port, one key per role (two stations of two communes, and a revoked key), and its log captured.
 */
import fs from 'node:fs';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { createApiKey, revokeApiKey } from '../../src/service/keys.js';
import { API_PREFIX, buildServer } from '../../src/service/server.js';
import { openTestDatabase, tempDir, type BackendKind } from '../helpers/database.js';

/** Two communes of the generator's list (src/synth/reference.ts COMMUNES), one station each. */
export const COMMUNE_A = '00376';
export const COMMUNE_B = '00382';
export const STATION_A = 'TYT00376';
export const STATION_B = 'TYT00382';

export interface TestKeys {
  readonly stationA: string;
  readonly stationB: string;
  readonly reviewer: string;
  readonly operator: string;
  readonly revoked: string;
}

export interface TestService {
  readonly app: FastifyInstance;
  readonly database: Database;
  readonly config: Config;
  /** Base URL of the API, `http://127.0.0.1:PORT/api/v1`. */
  readonly api: string;
  readonly root: string;
  readonly keys: TestKeys;
  /** Everything the server logged so far. */
  logText(): string;
  close(): Promise<void>;
}

export async function startTestService(
  kind: BackendKind,
  options: {
    readonly uploadMaxMb?: string;
    readonly importConcurrency?: number;
    readonly logLevel?: string;
    /** Further configuration variables (VAXSYNC_…). */
    readonly env?: Readonly<Record<string, string>>;
  } = {},
): Promise<TestService> {
  const t = await openTestDatabase(kind);
  const dir = tempDir();
  // The role matrices fail authentication dozens of times a minute from 127.0.0.1: far above the default limit.
  const config = loadConfig({
    VAXSYNC_DATA_DIR: dir,
    VAXSYNC_UPLOAD_MAX_MB: options.uploadMaxMb ?? '5',
    VAXSYNC_AUTH_FAILURES_PER_MINUTE: '10000',
    ...options.env,
  });
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const app = buildServer(t.database, config, {
    log: { level: options.logLevel ?? 'info', stream },
    ...(options.importConcurrency ? { importConcurrency: options.importConcurrency } : {}),
  });
  const root = await app.listen({ port: 0, host: '127.0.0.1' });
  const secret = async (name: string, role: string, station?: string, commune?: string) =>
    (await createApiKey(t.database, { name, role, station, commune })).secret;
  const keys: TestKeys = {
    stationA: await secret('station-a', 'station', STATION_A, COMMUNE_A),
    stationB: await secret('station-b', 'station', STATION_B, COMMUNE_B),
    reviewer: await secret('reviewer-1', 'reviewer'),
    operator: await secret('operator-1', 'operator'),
    revoked: await secret('old-operator', 'operator'),
  };
  await revokeApiKey(t.database, 'old-operator');
  return {
    app,
    database: t.database,
    config,
    api: root + API_PREFIX,
    root,
    keys,
    logText: () => lines.join(''),
    async close() {
      await app.close();
      await t.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any route
  readonly text: string;
}

/** One HTTP call; `json` sends a JSON body, `form` a multipart one. */
export async function call(
  url: string,
  options: { readonly method?: string; readonly key?: string | null; readonly json?: unknown; readonly form?: FormData; readonly headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | FormData | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) body = options.form;
  const response = await fetch(url, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed, text };
}

/** A multipart body with one file field named `file`. */
export function fileForm(name: string, content: string | Uint8Array, type = 'text/csv'): FormData {
  const form = new FormData();
  form.append('file', new Blob([content], { type }), name);
  return form;
}

export const CONTRACT_HEADER = [
  'record_id', 'full_name', 'birth_date', 'sex', 'citizen_id', 'phone', 'address', 'commune_code', 'vaccine', 'dose_number',
  'vaccination_date', 'lot_number', 'facility_code',
] as const;

export type TestRow = Partial<Record<(typeof CONTRACT_HEADER)[number], string>>;

export function csvOf(rows: readonly TestRow[]): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [CONTRACT_HEADER.join(','), ...rows.map((r) => CONTRACT_HEADER.map((c) => cell(r[c] ?? '')).join(','))].join('\r\n') + '\r\n';
}
