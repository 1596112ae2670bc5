/**
 * A population-registry service for tests and demos: answers the wire format of http.ts from an in-memory
 * list of citizens, with deterministic fault injection, so the HTTP connector's retries can be exercised
 * (and shown) without the real service. node:http only.
 *
 * Each request is checked in this order: path (404), token (401), then the fault drawn for it, then the
 * body (400 malformed, 413 over 5,000 IDs). Faults are drawn from a generator seeded by `faults.seed`, one
 * draw per authorised request, so the same seed and the same request order give the same faults.
 */
import http from 'node:http';
import { closeServer, faultPlan, listen, sameToken } from '../simulator-kit.js';
import { normalizeCitizenId } from '../../src/clean/citizen-id.js';
import { openRegistryExtract } from './extract.js';
import { MAX_IDS_PER_REQUEST } from './http.js';
import { REGISTRY_FIELDS, type RegistryRawRow } from './types.js';

export type SimulatedFault = 'ok' | 'error' | '429' | 'timeout' | 'drop';

export interface RegistryFaults {
  /** Share of requests answered 500. */
  readonly errorRate?: number;
  /** Share of requests answered 429 with `Retry-After: retryAfterSeconds`. */
  readonly rate429?: number;
  /** Share of requests never answered (the client's timeout has to fire). */
  readonly timeoutRate?: number;
  /** Share of requests whose connection is closed without an answer. */
  readonly dropRate?: number;
  /** Delay before every answer. */
  readonly latencyMs?: number;
  readonly seed?: number;
  readonly retryAfterSeconds?: number;
  /** Faults of the first requests, in order, before the random ones: for tests that need an exact story. */
  readonly sequence?: readonly SimulatedFault[];
}

export interface RegistrySimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** The citizens, or the path of an extract file read by the same header rules as the file connector. */
  readonly entries: readonly RegistryRawRow[] | string;
  readonly token: string;
  readonly faults?: RegistryFaults;
}

export interface RegistrySimulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Requests received so far, refused and faulty ones included. */
  readonly requests: number;
  /** Citizens it knows (entries with a usable ID; the first entry of a repeated ID). */
  readonly citizens: number;
  close(): Promise<void>;
}

/** Chooses each request's fault: the scripted ones first, then by the rates. */
function registryFaultPlan(faults: RegistryFaults): () => SimulatedFault {
  return faultPlan<Exclude<SimulatedFault, 'ok'>>(
    [
      ['drop', faults.dropRate ?? 0],
      ['timeout', faults.timeoutRate ?? 0],
      ['429', faults.rate429 ?? 0],
      ['error', faults.errorRate ?? 0],
    ],
    faults,
  );
}

async function readEntries(entries: RegistrySimulatorOptions['entries']): Promise<Map<string, RegistryRawRow>> {
  const byId = new Map<string, RegistryRawRow>();
  const add = (raw: RegistryRawRow) => {
    const id = raw.citizen_id ? normalizeCitizenId(raw.citizen_id, { birthYear: null, sex: null }).value : null;
    if (id?.kind === 'cccd' && !byId.has(id.value)) byId.set(id.value, raw);
  };
  if (typeof entries === 'string') {
    const extract = await openRegistryExtract(entries);
    for await (const { raw } of extract.rows) add(raw);
  } else {
    for (const raw of entries) add(raw);
  }
  return byId;
}

/** The wire form of one citizen: every field, null when unknown, the ID in its 12-digit form. */
function wireResult(id: string, raw: RegistryRawRow): Record<string, string | null> {
  const result: Record<string, string | null> = {};
  for (const field of REGISTRY_FIELDS) result[field] = raw[field] ?? null;
  result.citizen_id = id;
  return result;
}

/** Bodies larger than this are refused unread: 5,000 IDs take about 80 kB. */
const MAX_BODY_BYTES = 1 << 20;

export async function startRegistrySimulator(options: RegistrySimulatorOptions): Promise<RegistrySimulator> {
  const citizens = await readEntries(options.entries);
  const faults = options.faults ?? {};
  const nextFault = registryFaultPlan(faults);
  const latencyMs = faults.latencyMs ?? 0;
  const retryAfterSeconds = faults.retryAfterSeconds ?? 1;
  let requests = 0;

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  function answer(body: Buffer, res: http.ServerResponse): void {
    let ids: unknown;
    try {
      ids = (JSON.parse(body.toString('utf8')) as { ids?: unknown }).ids;
    } catch {
      return send(res, 400, { error: 'the body is not JSON' });
    }
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
      return send(res, 400, { error: 'the body must be {"ids": [string, ...]}' });
    }
    if (ids.length > MAX_IDS_PER_REQUEST) return send(res, 413, { error: `at most ${MAX_IDS_PER_REQUEST} IDs per request` });
    const results: Record<string, string | null>[] = [];
    const notFound: string[] = [];
    for (const id of new Set(ids as string[])) {
      const raw = citizens.get(id);
      if (raw === undefined) notFound.push(id);
      else results.push(wireResult(id, raw));
    }
    send(res, 200, { results, not_found: notFound });
  }

  const server = http.createServer((req, res) => {
    requests++;
    if (req.method !== 'POST' || req.url !== '/v1/citizens/lookup') {
      req.resume();
      return send(res, 404, { error: 'POST /v1/citizens/lookup is the only endpoint' });
    }
    if (!sameToken(req.headers.authorization, options.token)) {
      req.resume();
      return send(res, 401, { error: 'invalid or missing bearer token' });
    }
    const fault = nextFault();
    if (fault === 'drop') return void req.socket.destroy();
    if (fault === 'timeout') return void req.resume(); // never answered; the socket dies with the client or at close()

    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      const reply = () => {
        if (fault === '429') return send(res, 429, { error: 'too many requests' }, { 'retry-after': String(retryAfterSeconds) });
        if (fault === 'error') return send(res, 500, { error: 'simulated failure' });
        if (size > MAX_BODY_BYTES) return send(res, 413, { error: 'the body is too large' });
        answer(Buffer.concat(chunks), res);
      };
      if (latencyMs > 0) setTimeout(reply, latencyMs).unref();
      else reply();
    });
  });

  const origin = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');

  return {
    url: origin,
    get requests() {
      return requests;
    },
    citizens: citizens.size,
    close: () => closeServer(server),
  };
}

/** Starts the simulator and says where it listens; the CLI's `vaxsync simulate-registry` calls this. */
export async function runRegistrySimulator(options: RegistrySimulatorOptions, log: (line: string) => void): Promise<RegistrySimulator> {
  const simulator = await startRegistrySimulator(options);
  log(`Registry simulator: ${simulator.citizens} citizens, listening on ${simulator.url} (POST ${simulator.url}/v1/citizens/lookup).`);
  const f = options.faults ?? {};
  const rates = [
    ['errors', f.errorRate],
    ['429s', f.rate429],
    ['timeouts', f.timeoutRate],
    ['dropped connections', f.dropRate],
  ].filter(([, rate]) => typeof rate === 'number' && rate > 0);
  if (rates.length > 0 || (f.latencyMs ?? 0) > 0) {
    const parts = rates.map(([name, rate]) => `${Math.round((rate as number) * 100)}% ${name as string}`);
    if ((f.latencyMs ?? 0) > 0) parts.push(`${f.latencyMs} ms latency`);
    log(`Injected faults (seed ${f.seed ?? 1}): ${parts.join(', ')}.`);
  }
  return simulator;
}
