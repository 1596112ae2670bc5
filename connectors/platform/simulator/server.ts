/** The simulator's loopback HTTP server: routing, token, faults and latency around the store. node:http only. */
import http from 'node:http';
import { closeServer, listen, sameToken } from '../../simulator-kit.js';
import { checkFaults, latencyPlan, platformFaultPlan } from './faults.js';
import { isObject, operationOutcome, parseConditional, type Json } from './fhir-checks.js';
import { PlatformState } from './store.js';
import type { PlatformResourceType, PlatformSimulator, PlatformSimulatorOptions } from './types.js';

/** Bodies larger than this are answered 413 (and read to the end, unkept, so the client sees the answer). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export async function startPlatformSimulator(options: PlatformSimulatorOptions = {}): Promise<PlatformSimulator> {
  const faults = options.faults ?? {};
  checkFaults(faults);
  const basePath = (options.basePath ?? '/fhir').replace(/\/+$/, '');
  if (basePath !== '' && !basePath.startsWith('/')) throw new Error(`basePath must start with "/": ${basePath}`);
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const retryAfterSeconds = faults.retryAfterSeconds ?? 1;
  const seed = faults.seed ?? 1;
  let state = new PlatformState(faults.rejectRate ?? 0, seed, options.keepResources ?? true);
  let nextFault = platformFaultPlan(faults);
  let nextLatency = latencyPlan(faults);
  let baseUrl = '';

  const reset = () => {
    state = new PlatformState(faults.rejectRate ?? 0, seed, options.keepResources ?? true);
    nextFault = platformFaultPlan(faults);
    nextLatency = latencyPlan(faults);
  };

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, contentType = FHIR_JSON) => {
    if (res.destroyed || res.headersSent) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  /** Answers a request refused whole with an OperationOutcome. */
  const refuse = (res: http.ServerResponse, status: number, code: string, diagnostics: string, headers: Record<string, string> = {}) => {
    state.refused++;
    send(res, status, operationOutcome({ code, diagnostics }), headers);
  };

  function transaction(req: http.IncomingMessage, res: http.ServerResponse): void {
    state.requests++;
    if (options.token !== undefined && !sameToken(req.headers.authorization, options.token)) {
      req.resume();
      return refuse(res, 401, 'login', 'a valid bearer token is required', { 'www-authenticate': 'Bearer' });
    }
    const fault = nextFault();
    if (fault !== 'ok') state.faults[fault]++;
    if (fault === 'drop') return void req.socket.destroy();
    if (fault === 'timeout') return void req.resume(); // never answered; the socket dies with the client or at close()

    const current = state; // a _reset while the body arrives must not let this bundle into the new store
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      const latency = nextLatency();
      const later = (action: () => void) => (latency > 0 ? void setTimeout(action, latency).unref() : action());
      if (fault === '429') {
        return later(() => send(res, 429, operationOutcome({ code: 'throttled', diagnostics: 'too many requests: retry later' }), { 'retry-after': String(retryAfterSeconds) }));
      }
      if (fault === 'error') return later(() => send(res, 500, operationOutcome({ code: 'exception', diagnostics: 'simulated internal error: nothing was stored' })));
      const result = readTransaction(req, size, Buffer.concat(chunks), current);
      if (!result.ok) return later(() => refuse(res, result.status, result.code, result.diagnostics));
      if (fault === 'dropAfterProcessing') return later(() => req.socket.destroy());
      later(() => send(res, 200, result.body));
    });
  }

  type TransactionResult = { ok: true; body: Json } | { ok: false; status: number; code: string; diagnostics: string };

  function readTransaction(req: http.IncomingMessage, size: number, body: Buffer, current: PlatformState): TransactionResult {
    if (size > maxBodyBytes) return { ok: false, status: 413, code: 'too-long', diagnostics: `the body is larger than ${maxBodyBytes} bytes: send smaller bundles` };
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (mediaType !== 'application/fhir+json' && mediaType !== 'application/json') {
      return { ok: false, status: 415, code: 'not-supported', diagnostics: 'Content-Type must be application/fhir+json (or application/json)' };
    }
    let bundle: unknown;
    try {
      bundle = JSON.parse(body.toString('utf8'));
    } catch {
      return { ok: false, status: 400, code: 'structure', diagnostics: 'the body is not JSON' };
    }
    if (!isObject(bundle) || bundle.resourceType !== 'Bundle') return { ok: false, status: 400, code: 'structure', diagnostics: 'the body must be a FHIR Bundle' };
    if (bundle.type !== 'transaction') return { ok: false, status: 400, code: 'not-supported', diagnostics: `the Bundle must be of type transaction, not ${String(bundle.type)}` };
    if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) return { ok: false, status: 400, code: 'structure', diagnostics: 'Bundle.entry must be an array' };
    try {
      return { ok: true, body: current.applyTransaction((bundle.entry as unknown[] | undefined) ?? []) };
    } catch (error) {
      return { ok: false, status: 500, code: 'exception', diagnostics: `simulator failure: ${(error as Error).message}` };
    }
  }

  function search(type: PlatformResourceType, query: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    state.requests++;
    req.resume();
    if (options.token !== undefined && !sameToken(req.headers.authorization, options.token)) {
      return refuse(res, 401, 'login', 'a valid bearer token is required', { 'www-authenticate': 'Bearer' });
    }
    const conditional = parseConditional(`${type}?${query}`);
    if (typeof conditional === 'string') return refuse(res, 400, 'invalid', `search: ${conditional}`);
    send(res, 200, state.search(type, conditional.key, baseUrl));
  }

  const server = http.createServer((req, res) => {
    const target = req.url ?? '/';
    const question = target.indexOf('?');
    const pathname = question < 0 ? target : target.slice(0, question);
    const query = question < 0 ? '' : target.slice(question + 1);
    const path = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : null;
    const method = req.method ?? 'GET';
    const wrongMethod = (allowed: string) => {
      req.resume();
      state.requests++;
      refuse(res, 405, 'not-supported', `${method} is not allowed here: use ${allowed}`, { allow: allowed });
    };

    if (path === '' || path === '/') return method === 'POST' ? transaction(req, res) : wrongMethod('POST');
    if (path === '/Patient' || path === '/Immunization') return method === 'GET' ? search(path.slice(1) as PlatformResourceType, query, req, res) : wrongMethod('GET');
    if (path === '/_stats' || path === '/_received' || path === '/_reset') {
      req.resume();
      if (path === '/_reset') {
        if (method !== 'POST') return send(res, 405, { error: 'POST to reset' }, { allow: 'POST' }, 'application/json');
        reset();
        return send(res, 200, { reset: true }, {}, 'application/json');
      }
      if (method !== 'GET') return send(res, 405, { error: 'GET only' }, { allow: 'GET' }, 'application/json');
      return send(res, 200, path === '/_stats' ? state.stats() : state.receivedList(), {}, 'application/json');
    }
    req.resume();
    state.requests++;
    refuse(res, 404, 'not-found', `no such endpoint: POST transaction Bundles to ${basePath || '/'}`);
  });

  const origin = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  baseUrl = `${origin}${basePath}`;

  return {
    url: baseUrl,
    stats: () => state.stats(),
    received: () => state.receivedList(),
    exportRows: (personIdSystem) => state.exportRows(personIdSystem),
    reset,
    close: () => closeServer(server),
  };
}

/** Starts the simulator and says where it listens and what it injects; `vaxsync simulate-platform` calls this. */
export async function runPlatformSimulator(options: PlatformSimulatorOptions, log: (line: string) => void): Promise<PlatformSimulator> {
  const simulator = await startPlatformSimulator(options);
  const auth = options.token === undefined ? 'no token required' : 'bearer token required';
  log(`Platform simulator (FHIR R4): listening on ${simulator.url} (POST transaction Bundles there; ${auth}; GET ${simulator.url}/_stats for counts).`);
  const f = options.faults ?? {};
  const rates = [
    ['errors', f.errorRate],
    [`429s (Retry-After ${f.retryAfterSeconds ?? 1} s)`, f.rate429],
    ['timeouts', f.timeoutRate],
    ['dropped connections', f.dropRate],
    ['connections dropped after processing', f.dropAfterProcessingRate],
    ['entries rejected', f.rejectRate],
  ].filter(([, rate]) => typeof rate === 'number' && rate > 0);
  const latency = f.latencyMs ?? 0;
  const hasLatency = typeof latency === 'number' ? latency > 0 : latency[1] > 0;
  const scripted = f.sequence?.length ?? 0;
  if (rates.length > 0 || hasLatency || scripted > 0) {
    const parts = rates.map(([name, rate]) => `${Math.round((rate as number) * 1000) / 10}% ${name as string}`);
    if (hasLatency) parts.push(`${typeof latency === 'number' ? latency : `${latency[0]}–${latency[1]}`} ms latency`);
    if (scripted > 0) parts.push(`first ${scripted} request(s) scripted: ${f.sequence!.join(', ')}`);
    log(`Injected faults (seed ${f.seed ?? 1}): ${parts.join(', ')}.`);
  }
  return simulator;
}
