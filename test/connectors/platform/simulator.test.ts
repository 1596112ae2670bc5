import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_BODY_BYTES,
  runPlatformSimulator,
  startPlatformSimulator,
  type PlatformSimulator,
  type PlatformSimulatorOptions,
  type PlatformStats,
  type ReceivedIdentifier,
} from '../../../connectors/platform/simulator.js';

const TOKEN = 'platform-test-token';
const PERSON = 'https://vaxsync.vn/fhir/sid/person';
const CCCD = 'https://vaxsync.vn/fhir/sid/cccd';
const DOSE = 'https://vaxsync.vn/fhir/sid/dose';

type Json = Record<string, unknown>;
interface EntryResponse {
  status: string;
  location?: string;
  outcome?: { resourceType: string; issue: { severity: string; code: string; diagnostics: string; expression?: string[] }[] };
}

let simulator: PlatformSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function start(options: PlatformSimulatorOptions = {}): Promise<PlatformSimulator> {
  simulator = await startPlatformSimulator({ token: TOKEN, ...options });
  return simulator;
}

const conditional = (type: string, system: string, value: string) => `${type}?identifier=${encodeURIComponent(system)}|${encodeURIComponent(value)}`;
const personId = (n: number) => `P${String(n).padStart(6, '0')}`;
const citizenId = (n: number) => `0010850${String(n).padStart(5, '0')}`;
const doseId = (n: number, d: number) => `D${String(n).padStart(6, '0')}-${d}`;
const fullUrl = (n: number) => `urn:uuid:5b0c3e2a-0000-4000-8000-${String(n).padStart(12, '0')}`;

function patientEntry(n: number, patch: Json = {}): Json {
  return {
    fullUrl: fullUrl(n),
    resource: {
      resourceType: 'Patient',
      identifier: [
        { system: PERSON, value: personId(n) },
        { system: CCCD, value: citizenId(n) },
      ],
      name: [{ family: 'Nguyễn', given: ['Thị', 'Thủy'] }],
      birthDate: n % 2 === 0 ? '1985-03-15' : '1985',
      gender: 'female',
      address: [{ extension: [{ url: 'https://vaxsync.vn/fhir/commune', valueCode: '00004' }] }],
      ...patch,
    },
    request: { method: 'PUT', url: conditional('Patient', PERSON, personId(n)) },
  };
}

function immunizationEntry(n: number, d: number, patient: string = fullUrl(n), patch: Json = {}): Json {
  return {
    resource: {
      resourceType: 'Immunization',
      identifier: [{ system: DOSE, value: doseId(n, d) }],
      status: 'completed',
      vaccineCode: { coding: [{ system: 'https://vaxsync.vn/fhir/vaccine', code: 'BCG', display: 'Lao (BCG)' }] },
      patient: { reference: patient },
      occurrenceDateTime: `2024-0${d}-15`,
      lotNumber: 'L123',
      protocolApplied: [{ doseNumberPositiveInt: d }],
      ...patch,
    },
    request: { method: 'PUT', url: conditional('Immunization', DOSE, doseId(n, d)) },
  };
}

/** A person: the Patient entry, then `doses` Immunization entries referring to it by fullUrl. */
const person = (n: number, doses = 2): Json[] => [patientEntry(n), ...Array.from({ length: doses }, (_, d) => immunizationEntry(n, d + 1))];
const transaction = (entry: unknown[]): Json => ({ resourceType: 'Bundle', type: 'transaction', entry });

async function post(sim: { url: string }, body: unknown, init: { token?: string | null; contentType?: string; signal?: AbortSignal; path?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/fhir+json' };
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? TOKEN}`;
  return fetch(`${sim.url}${init.path ?? '/'}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body), signal: init.signal });
}

/** Posts a bundle that must be answered 200 and returns its entry responses. */
async function send(sim: { url: string }, entries: unknown[]): Promise<EntryResponse[]> {
  const response = await post(sim, transaction(entries));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  const bundle = (await response.json()) as { resourceType: string; type: string; entry: { response: EntryResponse }[] };
  expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'transaction-response' });
  expect(bundle.entry).toHaveLength(entries.length);
  return bundle.entry.map((e) => e.response);
}

async function searchPatient(sim: { url: string }, system: string, value: string): Promise<{ total: number; entry: { resource: Json }[] }> {
  const response = await fetch(`${sim.url}/${conditional('Patient', system, value)}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as { total: number; entry: { resource: Json }[] };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

const statuses = (responses: EntryResponse[]) => responses.map((r) => r.status);

describe('platform simulator: conditional updates', () => {
  it('creates on the first send and updates on a re-send, one stored resource per identifier', async () => {
    const sim = await start();
    const entries = [...person(1), ...person(2, 1), ...person(3, 3)]; // 3 Patients, 6 Immunizations
    const first = await send(sim, entries);
    expect(new Set(statuses(first))).toEqual(new Set(['201 Created']));
    expect(first[0]!.location).toMatch(/^Patient\/\d+\/_history\/1$/);
    expect(first[1]!.location).toMatch(/^Immunization\/\d+\/_history\/1$/);

    const second = await send(sim, entries);
    expect(new Set(statuses(second))).toEqual(new Set(['200 OK']));
    // The same resource, one version further.
    expect(second.map((r) => r.location)).toEqual(first.map((r) => r.location!.replace(/1$/, '2')));

    expect(sim.stats()).toMatchObject({
      bundles: 2,
      creates: { Patient: 3, Immunization: 6 },
      updates: { Patient: 3, Immunization: 6 },
      rejected: 0,
      stored: { Patient: 3, Immunization: 6 },
    });
    const received = sim.received();
    expect(received).toHaveLength(9);
    expect(received.every((r) => r.created === 1 && r.updated === 1 && r.rejected === 0)).toBe(true);
    expect(received[0]).toEqual({ identifier: `Patient|${PERSON}|${personId(1)}`, created: 1, updated: 1, rejected: 0 });

    // Found by either of its identifiers; the version and the id are the platform's.
    const byPerson = await searchPatient(sim, PERSON, personId(2));
    const byCitizen = await searchPatient(sim, CCCD, citizenId(2));
    expect(byPerson.total).toBe(1);
    expect(byCitizen.entry[0]!.resource).toEqual(byPerson.entry[0]!.resource);
    expect(byPerson.entry[0]!.resource).toMatchObject({ resourceType: 'Patient', name: [{ family: 'Nguyễn' }], meta: { versionId: '2' } });
    expect((await searchPatient(sim, PERSON, 'P-nobody')).total).toBe(0);
  });

  it('replaces the stored resource on update, re-indexing changed identifiers', async () => {
    const sim = await start();
    await send(sim, [patientEntry(1)]);
    const moved = patientEntry(1, { identifier: [{ system: PERSON, value: personId(1) }, { system: CCCD, value: '079090000001' }], gender: 'male' });
    expect(statuses(await send(sim, [moved]))).toEqual(['200 OK']);
    expect((await searchPatient(sim, CCCD, citizenId(1))).total).toBe(0);
    expect((await searchPatient(sim, CCCD, '079090000001')).entry[0]!.resource).toMatchObject({ gender: 'male', meta: { versionId: '2' } });
    expect(sim.stats().stored.Patient).toBe(1);
  });

  it('resolves urn:uuid, conditional and literal patient references, whatever the entry order', async () => {
    const sim = await start();
    // Immunization before its Patient, by fullUrl and by conditional reference on either identifier.
    const responses = await send(sim, [
      immunizationEntry(1, 1),
      immunizationEntry(1, 2, conditional('Patient', CCCD, citizenId(1))),
      patientEntry(1),
      immunizationEntry(1, 3, conditional('Patient', PERSON, personId(1))),
    ]);
    expect(statuses(responses)).toEqual(['201 Created', '201 Created', '201 Created', '201 Created']);
    const patientId = /^Patient\/(\d+)\//.exec(responses[2]!.location!)![1]!;

    // A later bundle without the Patient: a conditional or literal reference to the stored one.
    const later = await send(sim, [immunizationEntry(1, 4, conditional('Patient', PERSON, personId(1))), immunizationEntry(1, 5, `Patient/${patientId}`)]);
    expect(statuses(later)).toEqual(['201 Created', '201 Created']);

    // Stored with the reference rewritten to the Patient's id.
    const search = await fetch(`${sim.url}/${conditional('Immunization', DOSE, doseId(1, 2))}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const found = (await search.json()) as { total: number; entry: { resource: Json }[] };
    expect(found.total).toBe(1);
    expect(found.entry[0]!.resource).toMatchObject({ resourceType: 'Immunization', patient: { reference: `Patient/${patientId}` }, lotNumber: 'L123' });
  });

  it('answers 422 for an Immunization whose patient cannot be resolved, applying the rest', async () => {
    const sim = await start();
    const responses = await send(sim, [
      immunizationEntry(1, 1), // urn:uuid of no entry of this bundle
      immunizationEntry(2, 1, conditional('Patient', PERSON, personId(2))), // not stored, not in the bundle
      immunizationEntry(3, 1, 'Patient/999'),
      immunizationEntry(4, 1, 'http://elsewhere/Patient/1'),
      ...person(5, 1),
    ]);
    expect(statuses(responses)).toEqual(['422 Unprocessable Entity', '422 Unprocessable Entity', '422 Unprocessable Entity', '422 Unprocessable Entity', '201 Created', '201 Created']);
    expect(responses[0]!.outcome).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'not-found', expression: ['Bundle.entry[0].resource.patient.reference'] }],
    });
    expect(responses[0]!.outcome!.issue[0]!.diagnostics).toMatch(/urn:uuid that is no Patient entry of this bundle/);
    expect(responses[1]!.outcome!.issue[0]!.diagnostics).toMatch(/no Patient carries the identifier/);
    expect(responses[3]!.outcome!.issue[0]!.diagnostics).toMatch(/must be a urn:uuid fullUrl/);
    expect(sim.stats()).toMatchObject({ rejected: 4, stored: { Patient: 1, Immunization: 1 } });
  });

  it('checks each entry and explains a malformed one with an OperationOutcome, applying the others', async () => {
    const sim = await start();
    const noStatus = immunizationEntry(1, 1);
    delete (noStatus.resource as Json).status;
    const cases: [unknown, RegExp][] = [
      [{ ...patientEntry(1), request: { method: 'POST', url: 'Patient' } }, /conditional URL/],
      [{ ...patientEntry(1), request: { method: 'POST', url: conditional('Patient', PERSON, personId(1)) } }, /method must be PUT/],
      [{ ...patientEntry(1), request: { method: 'PUT', url: `Patient?identifier=${personId(1)}` } }, /SYSTEM\|VALUE, with the system/],
      [{ ...patientEntry(1), request: { method: 'PUT', url: conditional('Patient', PERSON, 'P-other') } }, /identifier list does not contain/],
      [{ ...patientEntry(1), request: { method: 'PUT', url: conditional('Observation', PERSON, 'x') } }, /"Observation" is not supported/],
      [{ ...patientEntry(1), request: { method: 'PUT', url: conditional('Immunization', PERSON, personId(1)) } }, /is for Immunization but the resource is a Patient/],
      [patientEntry(1, { identifier: [] }), /at least one identifier/],
      [patientEntry(1, { birthDate: '15/03/1985' }), /birthDate must be a FHIR date/],
      [noStatus, /status is required/],
      [immunizationEntry(1, 1, fullUrl(1), { vaccineCode: { coding: [] } }), /vaccineCode is required/],
      [immunizationEntry(1, 1, fullUrl(1), { patient: {} }), /patient.reference is required/],
      [immunizationEntry(1, 1, fullUrl(1), { occurrenceDateTime: undefined }), /occurrence\[x\] is required/],
      [immunizationEntry(1, 1, fullUrl(1), { occurrenceDateTime: '2024-03-15T10:00:00' }), /needs a time zone/],
      [{ request: { method: 'PUT', url: conditional('Patient', PERSON, personId(1)) } }, /entry.resource is required/],
      ['not an entry', /not an object/],
    ];
    const responses = await send(sim, [...cases.map(([entry]) => entry), ...person(9, 1)]);
    for (const [i, [, diagnostics]] of cases.entries()) {
      expect(responses[i]!.status, `entry ${i}`).toBe('400 Bad Request');
      expect(responses[i]!.outcome!.issue[0]!.diagnostics, `entry ${i}`).toMatch(diagnostics);
    }
    expect(statuses(responses.slice(cases.length))).toEqual(['201 Created', '201 Created']);
    expect(sim.stats()).toMatchObject({ bundles: 1, rejected: cases.length, stored: { Patient: 1, Immunization: 1 } });
    // Every identifier sent is accounted for, the malformed ones as rejections (those without one are not listed).
    expect(sim.received().find((r) => r.identifier === `Observation|${PERSON}|x`)).toEqual({ identifier: `Observation|${PERSON}|x`, created: 0, updated: 0, rejected: 1 });
  });

  it('rejects a share of entries per identifier with a business-rule reason, the same ones again on a re-send', async () => {
    const sim = await start({ faults: { rejectRate: 0.2, seed: 11 } });
    const entries = Array.from({ length: 100 }, (_, n) => person(n, 1)).flat(); // 200 entries
    const first = await send(sim, entries);
    const rejectedAt = first.flatMap((r, i) => (r.status.startsWith('422') ? [i] : []));
    expect(rejectedAt.length).toBeGreaterThan(20);
    expect(rejectedAt.length).toBeLessThan(80);
    const businessRule = first.find((r) => r.outcome?.issue[0]?.code === 'business-rule')!;
    expect(businessRule.status).toBe('422 Unprocessable Entity');
    expect(businessRule.outcome!.issue[0]!.diagnostics).toMatch(/^business rule: /);
    // An Immunization whose Patient entry was rejected cannot be applied either.
    const orphan = first.find((r) => /Patient entry it refers to .* was rejected/.test(r.outcome?.issue[0]?.diagnostics ?? ''));
    expect(orphan).toBeDefined();
    // The rest of the bundle is applied.
    expect(first.filter((r) => r.status === '201 Created')).toHaveLength(200 - rejectedAt.length);

    const second = await send(sim, entries);
    expect(second.flatMap((r, i) => (r.status.startsWith('422') ? [i] : []))).toEqual(rejectedAt);
    expect(second.filter((r) => r.status === '200 OK')).toHaveLength(200 - rejectedAt.length);
    const stats = sim.stats();
    expect(stats.rejected).toBe(2 * rejectedAt.length);
    expect(stats.stored.Patient + stats.stored.Immunization).toBe(200 - rejectedAt.length);

    // The same seed rejects the same identifiers on another simulator, whatever the order.
    await sim.close();
    const other = await start({ faults: { rejectRate: 0.2, seed: 11 } });
    const reversed = await send(other, [...entries].reverse().filter((e) => (e.resource as Json).resourceType === 'Patient'));
    const rejectedPatients = reversed.filter((r) => r.status.startsWith('422')).length;
    expect(rejectedPatients).toBe(first.filter((r, i) => i % 2 === 0 && r.status.startsWith('422')).length);
  });

  it('handles parallel bundles: the same bundle sent 8 times at once creates each resource once', async () => {
    const sim = await start();
    const entries = Array.from({ length: 40 }, (_, n) => person(n, 2)).flat(); // 120 entries
    const all = await Promise.all(Array.from({ length: 8 }, () => send(sim, entries)));
    expect(all.flat().filter((r) => r.status === '201 Created')).toHaveLength(120);
    expect(sim.stats()).toMatchObject({ bundles: 8, creates: { Patient: 40, Immunization: 80 }, updates: { Patient: 280, Immunization: 560 }, stored: { Patient: 40, Immunization: 80 } });
    expect(sim.received().every((r) => r.created === 1 && r.updated === 7)).toBe(true);
  });
});

describe('platform simulator: whole requests', () => {
  it('answers 401 without a valid bearer token, storing nothing', async () => {
    const sim = await start();
    for (const token of [null, 'wrong-token']) {
      const response = await post(sim, transaction(person(1)), { token });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
    }
    expect((await fetch(`${sim.url}/${conditional('Patient', PERSON, personId(1))}`)).status).toBe(401);
    expect(sim.stats()).toMatchObject({ requests: 3, bundles: 0, refused: 3, stored: { Patient: 0, Immunization: 0 } });
    expect(sim.received()).toEqual([]);

    // No token option: none required.
    await sim.close();
    const open = await startPlatformSimulator({});
    simulator = open;
    expect((await post(open, transaction(person(1)), { token: null })).status).toBe(200);
  });

  it('answers 413 over 10 MB, storing nothing', async () => {
    const sim = await start();
    const body = JSON.stringify({ ...transaction(person(1)), padding: 'x'.repeat(MAX_BODY_BYTES) });
    const response = await post(sim, body);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'too-long' }] });
    expect(sim.stats()).toMatchObject({ bundles: 0, stored: { Patient: 0, Immunization: 0 } });
    // Just under the limit is fine.
    expect((await post(sim, JSON.stringify({ ...transaction(person(1)), padding: 'x'.repeat(MAX_BODY_BYTES - 10_000) }))).status).toBe(200);
  });

  it('refuses what is not a transaction Bundle, and serves POST with or without the trailing slash', async () => {
    const sim = await start();
    const refused = async (response: Promise<Response>, status: number, diagnostics: RegExp) => {
      const answer = await response;
      expect(answer.status).toBe(status);
      expect(((await answer.json()) as EntryResponse['outcome'])!.issue[0]!.diagnostics).toMatch(diagnostics);
    };
    await refused(post(sim, 'not json'), 400, /not JSON/);
    await refused(post(sim, { resourceType: 'Patient' }), 400, /must be a FHIR Bundle/);
    await refused(post(sim, { ...transaction([]), type: 'batch' }), 400, /type transaction, not batch/);
    await refused(post(sim, transaction(person(1)), { contentType: 'text/plain' }), 415, /Content-Type/);
    await refused(fetch(`${sim.url}/`, { headers: { authorization: `Bearer ${TOKEN}` } }), 405, /GET is not allowed/);
    await refused(fetch(`${sim.url}/Observation`, { headers: { authorization: `Bearer ${TOKEN}` } }), 404, /no such endpoint/);
    expect(sim.stats()).toMatchObject({ bundles: 0, refused: 6 });

    expect((await post(sim, transaction(person(1)), { path: '' })).status).toBe(200);
    expect((await post(sim, transaction(person(2)), { contentType: 'application/json; charset=utf-8' })).status).toBe(200);
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir$/);

    const root = await startPlatformSimulator({ basePath: '' });
    try {
      expect(root.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await post(root, transaction(person(1)), { token: null })).status).toBe(200);
    } finally {
      await root.close();
    }
  });
});

describe('platform simulator: faults seen by a plain fetch client', () => {
  it('429 with Retry-After, 500, dropped connection, drop after processing and timeout, in a scripted story', async () => {
    const sim = await start({ faults: { sequence: ['429', 'error', 'drop', 'dropAfterProcessing', 'timeout', 'ok'], retryAfterSeconds: 3 } });
    const bundle = transaction(person(1, 2));
    const empty = { Patient: 0, Immunization: 0 };

    const throttled = await post(sim, bundle);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect(await throttled.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'throttled' }] });

    const failed = await post(sim, bundle);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'exception' }] });
    expect(sim.stats()).toMatchObject({ bundles: 0, stored: empty });

    await expect(post(sim, bundle)).rejects.toThrow(TypeError); // connection dropped before processing
    expect(sim.stats()).toMatchObject({ bundles: 0, stored: empty });

    await expect(post(sim, bundle)).rejects.toThrow(TypeError); // applied, then dropped: the hard case
    expect(sim.stats()).toMatchObject({ bundles: 1, creates: { Patient: 1, Immunization: 2 }, stored: { Patient: 1, Immunization: 2 } });

    const started = performance.now();
    await expect(post(sim, bundle, { signal: AbortSignal.timeout(150) })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    // The re-send after the unanswered one updates: nothing was duplicated.
    expect(statuses(await send(sim, bundle.entry as Json[]))).toEqual(['200 OK', '200 OK', '200 OK']);
    expect(sim.stats()).toMatchObject({
      requests: 6,
      bundles: 2,
      creates: { Patient: 1, Immunization: 2 },
      updates: { Patient: 1, Immunization: 2 },
      stored: { Patient: 1, Immunization: 2 },
      faults: { '429': 1, error: 1, drop: 1, dropAfterProcessing: 1, timeout: 1 },
    });
    expect(sim.received().map((r) => [r.created, r.updated])).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
  });

  it('draws the same faults from the same seed', async () => {
    const faults = { errorRate: 0.15, rate429: 0.15, dropRate: 0.1, dropAfterProcessingRate: 0.1, timeoutRate: 0.1, retryAfterSeconds: 0, seed: 42 };
    const story = async () => {
      const sim = await start({ faults });
      const outcomes: string[] = [];
      for (let n = 0; n < 30; n++) {
        try {
          outcomes.push(String((await post(sim, transaction(person(n, 1)), { signal: AbortSignal.timeout(250) })).status));
        } catch (error) {
          outcomes.push((error as Error).name);
        }
      }
      const stats = sim.stats();
      await sim.close();
      simulator = undefined;
      return { outcomes, stats };
    };
    const first = await story();
    const second = await story();
    expect(second.outcomes).toEqual(first.outcomes);
    expect(second.stats).toEqual(first.stats);
    expect(new Set(first.outcomes)).toEqual(new Set(['200', '429', '500', 'TypeError', 'TimeoutError']));
    const f = first.stats.faults;
    expect(first.stats.bundles).toBe(first.outcomes.filter((o) => o === '200').length + f.dropAfterProcessing);
    expect(f.drop + f.dropAfterProcessing).toBe(first.outcomes.filter((o) => o === 'TypeError').length);
  });

  it('refuses fault options that mean nothing', async () => {
    await expect(startPlatformSimulator({ faults: { errorRate: 1.5 } })).rejects.toThrow(/errorRate must be between 0 and 1/);
    await expect(startPlatformSimulator({ faults: { errorRate: 0.6, dropRate: 0.6 } })).rejects.toThrow(/add up to 1\.2, more than 1/);
    await expect(startPlatformSimulator({ faults: { latencyMs: [50, 10] } })).rejects.toThrow(/latencyMs/);
  });

  it('waits the configured latency before answering', async () => {
    let sim = await start({ faults: { latencyMs: 80 } });
    let started = performance.now();
    expect((await post(sim, transaction(person(1)))).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    await sim.close();

    sim = await start({ faults: { latencyMs: [30, 50], sequence: ['429'] } });
    started = performance.now();
    expect((await post(sim, transaction(person(1)))).status).toBe(429);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});

describe('platform simulator: introspection', () => {
  it('serves _stats and _received over HTTP, uncounted, and _reset clears everything', async () => {
    const sim = await start({ faults: { sequence: ['error'] } });
    expect((await post(sim, transaction(person(1)))).status).toBe(500);
    await send(sim, person(1));
    await send(sim, [patientEntry(1)]);
    const stats = await getJson<PlatformStats>(`${sim.url}/_stats`);
    expect(stats).toEqual(sim.stats());
    expect(stats).toMatchObject({ requests: 3, bundles: 2, creates: { Patient: 1, Immunization: 2 }, updates: { Patient: 1, Immunization: 0 }, faults: { error: 1 } });
    const received = await getJson<ReceivedIdentifier[]>(`${sim.url}/_received`);
    expect(received).toEqual(sim.received());
    expect(received).toEqual([
      { identifier: `Patient|${PERSON}|${personId(1)}`, created: 1, updated: 1, rejected: 0 },
      { identifier: `Immunization|${DOSE}|${doseId(1, 1)}`, created: 1, updated: 0, rejected: 0 },
      { identifier: `Immunization|${DOSE}|${doseId(1, 2)}`, created: 1, updated: 0, rejected: 0 },
    ]);

    const reset = await fetch(`${sim.url}/_reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(sim.stats()).toMatchObject({ requests: 0, bundles: 0, stored: { Patient: 0, Immunization: 0 }, faults: { error: 0 } });
    expect(sim.received()).toEqual([]);
    expect((await searchPatient(sim, PERSON, personId(1))).total).toBe(0);
    // The fault plan starts over too.
    expect((await post(sim, transaction(person(1)))).status).toBe(500);
  });

  it('keeps only ids, versions and identifiers when asked to', async () => {
    const sim = await start({ keepResources: false });
    await send(sim, person(1));
    await send(sim, person(1));
    expect((await searchPatient(sim, CCCD, citizenId(1))).entry[0]!.resource).toEqual({
      resourceType: 'Patient',
      id: '1',
      meta: { versionId: '2', lastUpdated: expect.any(String) as string },
      identifier: [
        { system: PERSON, value: personId(1) },
        { system: CCCD, value: citizenId(1) },
      ],
    });
  });

  it('says where it listens and which faults it injects, never the token', async () => {
    const lines: string[] = [];
    simulator = await runPlatformSimulator({ token: TOKEN, faults: { errorRate: 0.1, dropAfterProcessingRate: 0.05, rejectRate: 0.02, latencyMs: [5, 20], seed: 3 } }, (line) => lines.push(line));
    expect(lines[0]).toBe(
      `Platform simulator (FHIR R4): listening on ${simulator.url} (POST transaction Bundles there; bearer token required; GET ${simulator.url}/_stats for counts).`,
    );
    expect(lines[1]).toBe('Injected faults (seed 3): 10% errors, 5% connections dropped after processing, 2% entries rejected, 5–20 ms latency.');
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});

describe('platform simulator: size', () => {
  it('applies a 500-entry bundle quickly (timing printed, not asserted)', async () => {
    const sim = await start();
    const entries = Array.from({ length: 125 }, (_, n) => person(n, 3)).flat(); // 125 Patients + 375 Immunizations
    const body = JSON.stringify(transaction(entries));
    const timings: number[] = [];
    for (let round = 0; round < 3; round++) {
      const started = performance.now();
      const response = await post(sim, body);
      const answer = (await response.json()) as { entry: { response: EntryResponse }[] };
      timings.push(performance.now() - started);
      expect(answer.entry).toHaveLength(500);
      expect(answer.entry.every((e) => e.response.status === (round === 0 ? '201 Created' : '200 OK'))).toBe(true);
    }
    expect(sim.stats()).toMatchObject({ stored: { Patient: 125, Immunization: 375 }, updates: { Patient: 250, Immunization: 750 } });
    console.info(`500-entry bundle (${Math.round(body.length / 1024)} kB), round trip: ${timings.map((t) => `${t.toFixed(1)} ms`).join(', ')}`);
  });
});
