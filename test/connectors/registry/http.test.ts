import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from '../../../connectors/backoff.js';
import { httpRegistry, type HttpRegistryConfig } from '../../../connectors/registry/http.js';
import { toRegistryIdentity } from '../../../connectors/registry/identity.js';
import { runRegistrySimulator, startRegistrySimulator, type RegistryFaults, type RegistrySimulator } from '../../../connectors/registry/simulator.js';
import { RegistryError, type RegistryRawRow } from '../../../connectors/registry/types.js';
import { tempDir } from '../../helpers/database.js';

const TOKEN = 'test-token-1';
const GIVEN = ['An', 'Bình', 'Thủy', 'Hòa', 'Lan', 'Hùng'];

/** 600 citizens with IDs 001085000000…; every third one deceased, some with NFD names and year-only dates. */
const ENTRIES: RegistryRawRow[] = Array.from({ length: 600 }, (_, i) => ({
  citizen_id: `001085${String(i).padStart(6, '0')}`,
  full_name: i % 5 === 0 ? `Nguyễn Văn ${GIVEN[i % 6]}`.normalize('NFD') : `TRẦN THỊ ${GIVEN[i % 6]!.toUpperCase()}`,
  birth_date: i % 4 === 0 ? '1985' : `${String(1 + (i % 28)).padStart(2, '0')}/03/1985`,
  sex: i % 2 === 0 ? 'Nam' : 'Nữ',
  commune_code: '00004',
  status: i % 3 === 0 ? 'Đã chết' : 'còn sống',
  death_date: i % 3 === 0 ? '2023-05-01' : null,
}));
/** 500 present, 100 absent. */
const IDS = [...ENTRIES.slice(0, 500).map((e) => e.citizen_id!), ...Array.from({ length: 100 }, (_, i) => `079090${String(i).padStart(6, '0')}`)];
const EXPECTED = new Map(ENTRIES.slice(0, 500).map((e) => [e.citizen_id!, toRegistryIdentity(e)]));

let simulator: RegistrySimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function start(faults: RegistryFaults = {}, entries: RegistryRawRow[] = ENTRIES): Promise<RegistrySimulator> {
  simulator = await startRegistrySimulator({ entries, token: TOKEN, faults });
  return simulator;
}

function client(sim: { url: string }, config: Partial<HttpRegistryConfig> = {}) {
  return httpRegistry({ baseUrl: sim.url, token: TOKEN, batchSize: 50, concurrency: 4, timeoutMs: 1000, retries: 5, backoffMs: 5, ...config });
}

describe('HTTP registry against the simulator', () => {
  it('looks up IDs in batches and cleans the answers as the other connectors do', async () => {
    const sim = await start();
    const registry = client(sim);
    expect(registry.source).toBe(`${sim.url}/v1/citizens/lookup`);
    const found = await registry.lookupByIds([...IDS, IDS[0]!]);
    expect(found).toEqual(EXPECTED);
    expect(found.get('001085000000')).toMatchObject({ fullName: 'Nguyễn Văn An', birthDate: '1985', status: 'deceased' });
    expect(sim.requests).toBe(12); // 600 distinct IDs in batches of 50
    expect(registry.findByIdentity).toBeUndefined();
    await registry.close();
  });

  it('gets every answer through 429s, 500s, timeouts and dropped connections', async () => {
    const sim = await start({ rate429: 0.15, retryAfterSeconds: 0, errorRate: 0.15, timeoutRate: 0.1, dropRate: 0.1, seed: 7 });
    const found = await client(sim, { timeoutMs: 150, retries: 10 }).lookupByIds(IDS);
    expect(found).toEqual(EXPECTED);
    expect(sim.requests).toBeGreaterThan(12);
  });

  it('waits as long as Retry-After says, instead of its own backoff', async () => {
    // A backoff of a minute would time the test out: the zero-second Retry-After is what is obeyed.
    let sim = await start({ sequence: ['429', '429', 'ok'], retryAfterSeconds: 0 });
    let started = performance.now();
    expect((await client(sim, { batchSize: 600, backoffMs: 60_000, maxBackoffMs: 60_000 }).lookupByIds(IDS)).size).toBe(500);
    expect(performance.now() - started).toBeLessThan(2000);
    await sim.close();

    sim = await start({ sequence: ['429', 'ok'], retryAfterSeconds: 1 });
    started = performance.now();
    expect((await client(sim, { batchSize: 600, backoffMs: 1 }).lookupByIds(IDS)).size).toBe(500);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(sim.requests).toBe(2);
  });

  it('retries a timeout and a dropped connection with its own backoff', async () => {
    const sim = await start({ sequence: ['timeout', 'drop', 'error', 'ok'] });
    const found = await client(sim, { batchSize: 600, timeoutMs: 100 }).lookupByIds(IDS);
    expect(found.size).toBe(500);
    expect(sim.requests).toBe(4);
  });

  it('stops at once, without retrying, when the token is refused', async () => {
    const sim = await start();
    const error = await httpRegistry({ baseUrl: sim.url, token: 'wrong', backoffMs: 5 })
      .lookupByIds(IDS.slice(0, 10))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/^the registry refused the credentials \(HTTP 401\)/);
    expect((error as Error).message).not.toContain('wrong');
    expect(sim.requests).toBe(1);
  });

  it('fails the whole call, returning nothing, when one batch exhausts its retries', async () => {
    // Batches of 200, one at a time: the first two succeed, the third gets three 500s.
    const sim = await start({ sequence: ['ok', 'ok', 'error', 'error', 'error'] });
    const error = await client(sim, { batchSize: 200, concurrency: 1, retries: 2 })
      .lookupByIds(IDS)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/did not answer: a batch of 200 IDs failed 3 time\(s\) \(last: HTTP 500\)/);
    expect(sim.requests).toBe(5);
  });

  it('says it cannot reach a service that is not there', async () => {
    const sim = await start();
    const url = sim.url;
    await sim.close();
    simulator = undefined;
    await expect(client({ url }, { retries: 1 }).lookupByIds(IDS.slice(0, 5))).rejects.toThrow(/^cannot reach the registry at .*failed 2 time\(s\) \(last: connection error/);
  });

  it('refuses a wrong configuration value by value', () => {
    expect(() => httpRegistry({ baseUrl: 'ftp://x', token: '', batchSize: 10_000 })).toThrow(
      /baseUrl: must be an http:\/\/ or https:\/\/ URL[\s\S]*token: the access token must not be empty[\s\S]*batchSize: must be at most 5000/,
    );
  });
});

describe('HTTP registry against a broken service', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  });

  async function serve(body: unknown): Promise<{ url: string }> {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body)));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  it('treats an answer that leaves an ID unanswered as an error, not as "not found"', async () => {
    const service = await serve({ results: [], not_found: ['001085000000'] });
    await expect(client(service).lookupByIds(['001085000000', '001085000001'])).rejects.toThrow(
      /malformed answer to a batch of 2 IDs: 1 ID\(s\) of the batch are in neither list \(first: 0010\*{6}01\)/,
    );
  });

  it('treats an answer of the wrong shape, or not JSON, as an error', async () => {
    let service = await serve({ results: [{ full_name: 'x' }], not_found: [] });
    await expect(client(service).lookupByIds(['001085000000'])).rejects.toThrow(/malformed answer .*results\.0\.citizen_id/);
    await new Promise((resolve) => server!.close(resolve));
    service = await serve('<html>Service Unavailable</html>');
    await expect(client(service).lookupByIds(['001085000000'])).rejects.toThrow(/malformed answer .*not JSON/);
  });
});

describe('the simulator itself', () => {
  it('answers 401, 400 and 413 as the wire format says', async () => {
    const sim = await start();
    const post = (body: string, token = TOKEN) =>
      fetch(`${sim.url}/v1/citizens/lookup`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
    expect((await post('{"ids":[]}', 'nope')).status).toBe(401);
    expect((await post('{"ids": [1]}')).status).toBe(400);
    expect((await post('not json')).status).toBe(400);
    expect((await post(JSON.stringify({ ids: Array.from({ length: 5001 }, (_, i) => String(i)) }))).status).toBe(413);
    expect(await (await post('{"ids":["001085000001","001099999999"]}')).json()).toEqual({
      results: [{ ...ENTRIES[1], citizen_id: '001085000001' }],
      not_found: ['001099999999'],
    });
  });
});

describe('the simulator started from an extract file', () => {
  it('reads the file by the same header rules and says where it listens', async () => {
    const file = path.join(tempDir(), 'extract.csv');
    fs.writeFileSync(file, '\ufeffSố định danh;HỌ VÀ TÊN;Ngày sinh;Trạng thái\n1085012345;nguyễn thị thuỷ;15/03/1985;Đã chết\nabc;Lê Văn An;1990;sống\n');
    const lines: string[] = [];
    simulator = await runRegistrySimulator({ entries: file, token: TOKEN, faults: { errorRate: 0.25, seed: 3 } }, (line) => lines.push(line));
    expect(simulator.citizens).toBe(1);
    expect(lines[0]).toBe(`Registry simulator: 1 citizens, listening on ${simulator.url} (POST ${simulator.url}/v1/citizens/lookup).`);
    expect(lines[1]).toBe('Injected faults (seed 3): 25% errors.');
    expect(lines.join('\n')).not.toContain(TOKEN);
    const found = await client(simulator).lookupByIds(['001085012345']);
    expect(found.get('001085012345')).toMatchObject({ fullName: 'Nguyễn Thị Thủy', birthDate: '1985-03-15', status: 'deceased' });
  });
});

describe('retry timing', () => {
  it('backs off exponentially, capped, with jitter', () => {
    expect(backoffDelay(0, 200, 10_000, () => 0)).toBe(100);
    expect(backoffDelay(0, 200, 10_000, () => 1)).toBe(200);
    expect(backoffDelay(3, 200, 10_000, () => 1)).toBe(1600);
    expect(backoffDelay(20, 200, 10_000, () => 1)).toBe(10_000);
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
  });
});
