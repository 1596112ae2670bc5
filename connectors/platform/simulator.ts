/**
 * The national immunization platform's FHIR R4 endpoint, simulated for demos, tests, the crash-recovery
 * test and the benchmark: answers transaction Bundles of conditional updates (see
 * /work/shared/contract/platform.md) from an in-memory store, with deterministic fault injection, so the
 * push connector's retries and exactly-once bookkeeping can be exercised without the real platform.
 * node:http only.
 *
 * Endpoints, under the base URL returned as `url` (default path `/fhir`):
 * - `POST {url}` or `POST {url}/`: a `transaction` Bundle whose entries are all conditional updates
 *   (`PUT Patient?identifier=SYSTEM|VALUE`, likewise `Immunization`). Answered by a `transaction-response`
 *   Bundle, one `entry.response` per entry, in order.
 * - `GET {url}/Patient?identifier=SYSTEM|VALUE`, `GET {url}/Immunization?identifier=…`: a `searchset`.
 * - Introspection for tests, no token, never faulty, not counted in `requests`: `GET {url}/_stats`,
 *   `GET {url}/_received`, `POST {url}/_reset`.
 *
 * NOT ATOMIC. A real FHIR transaction is all-or-nothing; this platform, as the contract says, answers per
 * entry: an entry answered 4xx is a rejection of that entry alone, and every other entry of the bundle is
 * still applied (and answered 200/201). Only whole-request failures (401, 400 for a body that is not a
 * transaction Bundle, 413, 415, 429, 500, faults) store nothing.
 *
 * Conditional update: a resource is found by any of its identifiers, so `PUT Patient?identifier=S|V` updates
 * the stored Patient carrying S|V (200 OK, versionId + 1) or creates one (201 Created); two stored resources
 * carrying S|V make it 412. The resource's own identifier list must contain S|V. Entries are applied in
 * two passes, Patients (and anything not an Immunization) first, then Immunizations, so an Immunization may
 * refer to a Patient of the same bundle whatever the order of the entries; its `patient.reference` may be a
 * `urn:uuid:` fullUrl of a Patient entry of the bundle, a conditional reference `Patient?identifier=S|V`, or
 * `Patient/<id>`, and is stored rewritten to `Patient/<id>`; one that resolves to nothing is 422.
 *
 * Each transaction request is checked in this order: token (401), then the fault drawn for it, then the
 * body (413 over 10 MB, 415 wrong Content-Type, 400 not a transaction Bundle), then entry by entry. Faults
 * are drawn from a generator seeded by `faults.seed`, one draw per authorised transaction request (searches
 * and introspection draw nothing), so the same seed and the same request order give the same faults.
 * Rejections by `rejectRate` are drawn per identifier instead (a hash of the seed and the identifier), so a
 * re-sent entry is rejected again, whatever the order. A bundle is applied as soon as it is read; the
 * latency delays only the answer (a client that gives up during it leaves the bundle applied, as a slow real
 * server would).
 */
import http from 'node:http';
import { seededRandom } from '../../matchers/model.js';
import { closeServer, faultPlan, listen, sameToken } from '../simulator-kit.js';

export type PlatformFault = 'ok' | 'error' | '429' | 'timeout' | 'drop' | 'dropAfterProcessing';

export interface PlatformFaults {
  /** Share of transaction requests answered 500; nothing is stored. */
  readonly errorRate?: number;
  /** Share of transaction requests answered 429 with `Retry-After: retryAfterSeconds`; nothing is stored. */
  readonly rate429?: number;
  /** Share of transaction requests never answered (held until the client gives up); nothing is stored. */
  readonly timeoutRate?: number;
  /** Share of transaction requests whose connection is destroyed before processing; nothing is stored. */
  readonly dropRate?: number;
  /** Share of transaction requests that ARE applied, then have their connection destroyed without an answer. */
  readonly dropAfterProcessingRate?: number;
  /** Share of entries answered 422 (business rule), drawn per identifier: the same entry is rejected again. */
  readonly rejectRate?: number;
  /** Delay before every transaction answer: a fixed number of ms, or [min, max] drawn per request. */
  readonly latencyMs?: number | readonly [number, number];
  readonly seed?: number;
  /** Default 1. */
  readonly retryAfterSeconds?: number;
  /** Faults of the first transaction requests, in order, before the random ones: for exact test stories. */
  readonly sequence?: readonly PlatformFault[];
}

export interface PlatformSimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Path of the FHIR base, default `/fhir`; `''` serves it at the root. */
  readonly basePath?: string;
  /** Bearer token clients must send; none required when absent. */
  readonly token?: string;
  readonly faults?: PlatformFaults;
  /** Default 10 MB (MAX_BODY_BYTES). */
  readonly maxBodyBytes?: number;
  /**
   * Keep each resource whole (default) so searches return it as sent; false keeps only its id, meta and
   * identifiers, for benchmarks (100,000 persons with 3 doses each: about 500 MB of heap whole, 170 MB without).
   */
  readonly keepResources?: boolean;
}

export type PlatformResourceType = 'Patient' | 'Immunization';
export type PerType = Record<PlatformResourceType, number>;

export interface PlatformStats {
  /** Transaction and search requests received, refused and faulty ones included (not introspection). */
  requests: number;
  /** Transaction bundles applied (those dropped after processing included). */
  bundles: number;
  creates: PerType;
  updates: PerType;
  /** Entries of applied bundles answered 4xx. */
  rejected: number;
  /** Resources in the store. */
  stored: PerType;
  /** Faults injected, by kind. */
  faults: Record<Exclude<PlatformFault, 'ok'>, number>;
  /** Requests refused whole: 401, 400, 404, 405, 413, 415. */
  refused: number;
}

export interface ReceivedIdentifier {
  /** `ResourceType|system|value`, from the entry's conditional `request.url`. */
  readonly identifier: string;
  /** Times an entry for it created a resource, updated one, was answered 4xx. */
  readonly created: number;
  readonly updated: number;
  readonly rejected: number;
}

export interface PlatformSimulator {
  /** FHIR base URL, e.g. `http://127.0.0.1:41234/fhir`: POST transaction Bundles here. */
  readonly url: string;
  close(): Promise<void>;
  /** The same snapshot as `GET {url}/_stats`. */
  stats(): PlatformStats;
  /** The same list as `GET {url}/_received`: by resource type, each in order of first receipt. */
  received(): ReceivedIdentifier[];
  /** The same as `POST {url}/_reset`: empties the store and the counters and restarts the fault plan. */
  reset(): void;
}

/** Bodies larger than this are answered 413 (and read to the end, unkept, so the client sees the answer). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

type Json = Record<string, unknown>;

interface Issue {
  readonly code: string;
  readonly diagnostics: string;
  readonly expression?: string;
}

interface OperationOutcome {
  readonly resourceType: 'OperationOutcome';
  readonly issue: { severity: 'error'; code: string; diagnostics: string; expression?: string[] }[];
}

function operationOutcome(issue: Issue): OperationOutcome {
  const { code, diagnostics, expression } = issue;
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics, ...(expression ? { expression: [expression] } : {}) }] };
}

/** A number in [0, 1) fixed by the seed and the text (FNV-1a, then murmur3's finaliser). */
function unitHash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Chooses each transaction request's fault: the scripted ones first, then by the rates. */
function platformFaultPlan(faults: PlatformFaults): () => PlatformFault {
  return faultPlan<Exclude<PlatformFault, 'ok'>>(
    [
      ['drop', faults.dropRate ?? 0],
      ['dropAfterProcessing', faults.dropAfterProcessingRate ?? 0],
      ['timeout', faults.timeoutRate ?? 0],
      ['429', faults.rate429 ?? 0],
      ['error', faults.errorRate ?? 0],
    ],
    faults,
  );
}

/** Each request's latency, from its own generator so that adding latency does not change the faults. */
function latencyPlan(faults: PlatformFaults): () => number {
  const latency = faults.latencyMs ?? 0;
  if (typeof latency === 'number') return () => latency;
  const random = seededRandom((faults.seed ?? 1) ^ 0x5bd1e995);
  const [min, max] = latency;
  return () => Math.round(min + random() * (max - min));
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const isResourceType = (value: unknown): value is PlatformResourceType => value === 'Patient' || value === 'Immunization';

interface ConditionalUrl {
  readonly type: string;
  /** `system|value`, decoded. */
  readonly key: string;
  readonly system: string;
}

/**
 * Reads `Type?identifier=SYSTEM|VALUE` (system and value URL-encoded each, or the whole, `|` as `%7C`).
 * Returns the reason as a string when it cannot.
 */
function parseConditional(url: string): ConditionalUrl | string {
  const question = url.indexOf('?');
  if (question <= 0) return 'must be a conditional URL of the form Type?identifier=SYSTEM|VALUE';
  const type = url.slice(url.startsWith('/') ? 1 : 0, question);
  if (type.includes('/')) return 'must be relative to the base: Type?identifier=SYSTEM|VALUE';
  const params = url.slice(question + 1).split('&');
  if (params.length !== 1 || !params[0]!.startsWith('identifier=')) return 'the only search parameter allowed is identifier=SYSTEM|VALUE';
  const raw = params[0]!.slice('identifier='.length);
  let system: string;
  let value: string;
  try {
    const pipe = raw.indexOf('|');
    if (pipe >= 0) {
      system = decodeURIComponent(raw.slice(0, pipe));
      value = decodeURIComponent(raw.slice(pipe + 1));
    } else {
      const decoded = decodeURIComponent(raw);
      const at = decoded.indexOf('|');
      if (at < 0) return 'identifier must be SYSTEM|VALUE, with the system';
      system = decoded.slice(0, at);
      value = decoded.slice(at + 1);
    }
  } catch {
    return 'identifier is not validly URL-encoded';
  }
  if (system === '' || value === '') return 'identifier must be SYSTEM|VALUE, both non-empty';
  return { type, key: `${system}|${value}`, system };
}

/** `system|value` of each identifier of a resource, without repeats (identifiers lacking either are skipped). */
function identifierKeys(resource: Json): string[] {
  const keys = new Set<string>();
  if (Array.isArray(resource.identifier)) {
    for (const identifier of resource.identifier as unknown[]) {
      if (isObject(identifier) && isText(identifier.system) && isText(identifier.value)) keys.add(`${identifier.system}|${identifier.value}`);
    }
  }
  return [...keys];
}

const FHIR_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
const FHIR_DATE_TIME = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/;
const GENDERS = new Set(['male', 'female', 'other', 'unknown']);
const IMMUNIZATION_STATUSES = new Set(['completed', 'entered-in-error', 'not-done']);

/** The structural checks of a resource: the first problem found, or null. */
function structuralProblem(resource: Json, at: string): Issue | null {
  const invalid = (field: string, diagnostics: string): Issue => ({ code: 'required', diagnostics, expression: `${at}.${field}` });
  if (!Array.isArray(resource.identifier) || resource.identifier.length === 0) {
    return invalid('identifier', `${resource.resourceType as string} must have at least one identifier`);
  }
  for (const [i, identifier] of (resource.identifier as unknown[]).entries()) {
    if (!isObject(identifier) || !isText(identifier.system) || !isText(identifier.value)) {
      return invalid(`identifier[${i}]`, 'every identifier must have a system and a value');
    }
  }
  if (resource.resourceType === 'Patient') {
    if (resource.birthDate !== undefined && !(typeof resource.birthDate === 'string' && FHIR_DATE.test(resource.birthDate))) {
      return { code: 'value', diagnostics: 'birthDate must be a FHIR date: YYYY, YYYY-MM or YYYY-MM-DD', expression: `${at}.birthDate` };
    }
    if (resource.gender !== undefined && !GENDERS.has(resource.gender as string)) {
      return { code: 'value', diagnostics: 'gender must be one of male, female, other, unknown', expression: `${at}.gender` };
    }
    return null;
  }
  if (!isText(resource.status)) return invalid('status', 'Immunization.status is required');
  if (!IMMUNIZATION_STATUSES.has(resource.status)) {
    return { code: 'value', diagnostics: 'Immunization.status must be one of completed, entered-in-error, not-done', expression: `${at}.status` };
  }
  const vaccineCode = resource.vaccineCode;
  const coded = isObject(vaccineCode) && (isText(vaccineCode.text) || (Array.isArray(vaccineCode.coding) && vaccineCode.coding.some((c) => isObject(c) && isText(c.code))));
  if (!coded) return invalid('vaccineCode', 'Immunization.vaccineCode is required: a coding with a code, or a text');
  if (!isObject(resource.patient) || !isText(resource.patient.reference)) return invalid('patient', 'Immunization.patient.reference is required');
  if (resource.occurrenceDateTime === undefined && resource.occurrenceString === undefined) {
    return invalid('occurrence[x]', 'Immunization.occurrence[x] is required (occurrenceDateTime or occurrenceString)');
  }
  if (resource.occurrenceDateTime !== undefined && !(typeof resource.occurrenceDateTime === 'string' && FHIR_DATE_TIME.test(resource.occurrenceDateTime))) {
    return { code: 'value', diagnostics: 'occurrenceDateTime must be a FHIR dateTime (a time needs a time zone)', expression: `${at}.occurrenceDateTime` };
  }
  if (resource.occurrenceString !== undefined && !isText(resource.occurrenceString)) {
    return { code: 'value', diagnostics: 'occurrenceString must be a non-empty string', expression: `${at}.occurrenceString` };
  }
  return null;
}

interface StoredResource {
  readonly type: PlatformResourceType;
  readonly id: string;
  version: number;
  /** The same string for every resource of a bundle. */
  lastUpdated: string;
  /** The resource as JSON text (less memory than the parsed object, and a copy nobody can change); null when not kept. */
  json: string | null;
  /** Its identifiers, `system|value`. */
  keys: readonly string[];
}

/**
 * One resource type's store: by id (ids are 1, 2, 3…, so an array), and by every identifier (one resource,
 * or in the rare case of a shared identifier an array of them: 400,000 small arrays would cost 20 MB).
 */
class ResourceTable {
  readonly byId: StoredResource[] = [];
  private readonly byIdentifier = new Map<string, StoredResource | StoredResource[]>();

  constructor(
    readonly type: PlatformResourceType,
    private readonly keepResources: boolean,
  ) {}

  find(key: string): readonly StoredResource[] {
    const found = this.byIdentifier.get(key);
    return found === undefined ? [] : Array.isArray(found) ? found : [found];
  }

  get(id: string): StoredResource | undefined {
    return /^[1-9]\d*$/.test(id) ? this.byId[Number(id) - 1] : undefined;
  }

  /**
   * Creates (when `existing` is undefined) or replaces a resource, setting its id and meta. `conditionalKey`
   * is one of its identifiers: the index shares that string instead of holding an equal copy.
   */
  put(existing: StoredResource | undefined, resource: Json, lastUpdated: string, conditionalKey: string): StoredResource {
    const keys = identifierKeys(resource).map((key) => (key === conditionalKey ? conditionalKey : key));
    const stored = existing ?? { type: this.type, id: String(this.byId.length + 1), version: 0, lastUpdated, json: null, keys: [] };
    stored.version++;
    stored.lastUpdated = lastUpdated;
    resource.id = stored.id;
    resource.meta = { ...(isObject(resource.meta) ? resource.meta : {}), versionId: String(stored.version), lastUpdated };
    stored.json = this.keepResources ? JSON.stringify(resource) : null;
    if (existing === undefined) this.byId.push(stored);
    for (const key of stored.keys) if (!keys.includes(key)) this.unindex(key, stored);
    for (const key of keys) if (!stored.keys.includes(key)) this.index(key, stored);
    stored.keys = keys;
    return stored;
  }

  /** The stored resource; when resources are not kept, only what the store knows: id, meta, identifiers. */
  read(stored: StoredResource): Json {
    if (stored.json !== null) return JSON.parse(stored.json) as Json;
    const identifier = stored.keys.map((key) => ({ system: key.slice(0, key.indexOf('|')), value: key.slice(key.indexOf('|') + 1) }));
    return { resourceType: stored.type, id: stored.id, meta: { versionId: String(stored.version), lastUpdated: stored.lastUpdated }, identifier };
  }

  private index(key: string, stored: StoredResource): void {
    const owners = this.byIdentifier.get(key);
    this.byIdentifier.set(key, owners === undefined ? stored : Array.isArray(owners) ? [...owners, stored] : [owners, stored]);
  }

  private unindex(key: string, stored: StoredResource): void {
    const rest = this.find(key).filter((owner) => owner !== stored);
    if (rest.length === 0) this.byIdentifier.delete(key);
    else this.byIdentifier.set(key, rest.length === 1 ? rest[0]! : rest);
  }
}

interface EntryResponse {
  status: string;
  location?: string;
  etag?: string;
  lastModified?: string;
  outcome?: OperationOutcome;
}

interface ReceivedCounts {
  created: number;
  updated: number;
  rejected: number;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  422: 'Unprocessable Entity',
};

const perType = (): PerType => ({ Patient: 0, Immunization: 0 });

/** The store and the counters, and the processing of one transaction Bundle. No I/O. */
class PlatformState {
  readonly tables: Record<PlatformResourceType, ResourceTable>;
  /** Resource type (as sent) → `system|value` → counts. */
  readonly received = new Map<string, Map<string, ReceivedCounts>>();
  requests = 0;
  bundles = 0;
  rejected = 0;
  refused = 0;
  readonly creates = perType();
  readonly updates = perType();
  readonly faults: PlatformStats['faults'] = { error: 0, '429': 0, timeout: 0, drop: 0, dropAfterProcessing: 0 };

  constructor(
    private readonly rejectRate: number,
    private readonly seed: number,
    keepResources: boolean,
  ) {
    this.tables = { Patient: new ResourceTable('Patient', keepResources), Immunization: new ResourceTable('Immunization', keepResources) };
  }

  stats(): PlatformStats {
    return {
      requests: this.requests,
      bundles: this.bundles,
      creates: { ...this.creates },
      updates: { ...this.updates },
      rejected: this.rejected,
      stored: { Patient: this.tables.Patient.byId.length, Immunization: this.tables.Immunization.byId.length },
      faults: { ...this.faults },
      refused: this.refused,
    };
  }

  receivedList(): ReceivedIdentifier[] {
    const list: ReceivedIdentifier[] = [];
    for (const [type, byKey] of this.received) for (const [key, counts] of byKey) list.push({ identifier: `${type}|${key}`, ...counts });
    return list;
  }

  private count(conditional: ConditionalUrl | null, outcome: keyof ReceivedCounts): void {
    if (conditional === null) return;
    let byKey = this.received.get(conditional.type);
    if (byKey === undefined) {
      byKey = new Map();
      this.received.set(conditional.type, byKey);
    }
    let counts = byKey.get(conditional.key);
    if (counts === undefined) {
      counts = { created: 0, updated: 0, rejected: 0 };
      byKey.set(conditional.key, counts);
    }
    counts[outcome]++;
  }

  /** Applies the entries of a transaction Bundle (already checked to be one) and returns the response Bundle. */
  applyTransaction(entries: readonly unknown[]): Json {
    this.bundles++;
    const lastUpdated = new Date().toISOString();
    const responses: EntryResponse[] = new Array<EntryResponse>(entries.length);
    /** fullUrl of a Patient entry → its entry index, for urn:uuid references. */
    const patientEntries = new Map<string, number>();
    const storedByEntry: (StoredResource | undefined)[] = new Array<StoredResource | undefined>(entries.length);
    const immunizations: number[] = [];
    for (const [i, entry] of entries.entries()) {
      const resource = isObject(entry) ? entry.resource : undefined;
      if (isObject(resource) && resource.resourceType === 'Immunization') immunizations.push(i);
      else if (isObject(resource) && resource.resourceType === 'Patient' && isObject(entry) && isText(entry.fullUrl)) patientEntries.set(entry.fullUrl, i);
    }
    const reject = (i: number, conditional: ConditionalUrl | null, status: number, issue: Issue) => {
      this.rejected++;
      this.count(conditional, 'rejected');
      responses[i] = { status: `${status} ${STATUS_TEXT[status] ?? ''}`.trim(), outcome: operationOutcome(issue) };
    };

    const apply = (i: number) => {
      const at = `Bundle.entry[${i}]`;
      const entry = entries[i];
      if (!isObject(entry)) return reject(i, null, 400, { code: 'structure', diagnostics: 'the entry is not an object', expression: at });
      const request = entry.request;
      const resource = entry.resource;
      if (!isObject(request)) return reject(i, null, 400, { code: 'required', diagnostics: 'entry.request is required', expression: `${at}.request` });
      if (!isText(request.url)) return reject(i, null, 400, { code: 'required', diagnostics: 'entry.request.url is required', expression: `${at}.request.url` });
      const conditional = parseConditional(request.url);
      if (typeof conditional === 'string') return reject(i, null, 400, { code: 'invalid', diagnostics: `entry.request.url ${conditional}`, expression: `${at}.request.url` });
      if (!isResourceType(conditional.type)) {
        return reject(i, conditional, 400, { code: 'not-supported', diagnostics: `resource type "${conditional.type}" is not supported (only Patient and Immunization)`, expression: `${at}.request.url` });
      }
      if (request.method !== 'PUT') {
        return reject(i, conditional, 400, { code: 'not-supported', diagnostics: `entry.request.method must be PUT (conditional update), not ${String(request.method)}`, expression: `${at}.request.method` });
      }
      if (!isObject(resource)) return reject(i, conditional, 400, { code: 'required', diagnostics: 'entry.resource is required', expression: `${at}.resource` });
      if (!isResourceType(resource.resourceType)) {
        return reject(i, conditional, 400, { code: 'not-supported', diagnostics: `resource type "${String(resource.resourceType)}" is not supported (only Patient and Immunization)`, expression: `${at}.resource.resourceType` });
      }
      if (resource.resourceType !== conditional.type) {
        return reject(i, conditional, 400, { code: 'invalid', diagnostics: `entry.request.url is for ${conditional.type} but the resource is a ${resource.resourceType}`, expression: `${at}.request.url` });
      }
      const problem = structuralProblem(resource, `${at}.resource`);
      if (problem !== null) return reject(i, conditional, 400, problem);
      if (!identifierKeys(resource).includes(conditional.key)) {
        return reject(i, conditional, 400, {
          code: 'invalid',
          diagnostics: `the resource's identifier list does not contain the identifier of entry.request.url (system ${conditional.system})`,
          expression: `${at}.resource.identifier`,
        });
      }
      const table = this.tables[resource.resourceType];
      const matches = table.find(conditional.key);
      if (matches.length > 1) {
        return reject(i, conditional, 412, { code: 'multiple-matches', diagnostics: `${matches.length} stored ${conditional.type} resources carry this identifier (system ${conditional.system})`, expression: `${at}.request.url` });
      }
      if (resource.resourceType === 'Immunization') {
        const patient = this.resolvePatient((resource.patient as Json).reference as string, patientEntries, storedByEntry, responses);
        if (typeof patient === 'string') return reject(i, conditional, 422, { code: 'not-found', diagnostics: patient, expression: `${at}.resource.patient.reference` });
        resource.patient = { ...(resource.patient as Json), reference: `${patient.type}/${patient.id}` };
      }
      const hashed = `${conditional.type}|${conditional.key}`;
      if (this.rejectRate > 0 && unitHash(hashed, this.seed) < this.rejectRate) {
        return reject(i, conditional, 422, {
          code: 'business-rule',
          diagnostics: `business rule: the platform refuses this ${conditional.type} (simulated rejection, rule SIM-${Math.floor(unitHash(hashed, this.seed + 1) * 90) + 10})`,
        });
      }
      const existing = matches[0];
      const stored = table.put(existing, resource, lastUpdated, conditional.key);
      storedByEntry[i] = stored;
      if (existing === undefined) {
        this.creates[stored.type]++;
        this.count(conditional, 'created');
      } else {
        this.updates[stored.type]++;
        this.count(conditional, 'updated');
      }
      responses[i] = {
        status: existing === undefined ? '201 Created' : '200 OK',
        location: `${stored.type}/${stored.id}/_history/${stored.version}`,
        etag: `W/"${stored.version}"`,
        lastModified: lastUpdated,
      };
    };

    const immunizationSet = new Set(immunizations);
    for (let i = 0; i < entries.length; i++) if (!immunizationSet.has(i)) apply(i);
    for (const i of immunizations) apply(i);
    return { resourceType: 'Bundle', type: 'transaction-response', entry: responses.map((response) => ({ response })) };
  }

  /** The stored Patient an Immunization refers to, or why there is none. */
  private resolvePatient(
    reference: string,
    patientEntries: ReadonlyMap<string, number>,
    storedByEntry: readonly (StoredResource | undefined)[],
    responses: readonly EntryResponse[],
  ): StoredResource | string {
    if (reference.startsWith('urn:uuid:')) {
      const index = patientEntries.get(reference);
      if (index === undefined) return 'patient.reference is a urn:uuid that is no Patient entry of this bundle';
      const stored = storedByEntry[index];
      if (stored === undefined) return `the Patient entry it refers to (Bundle.entry[${index}]) was rejected (${responses[index]?.status ?? 'not applied'})`;
      return stored;
    }
    if (reference.startsWith('Patient?')) {
      const conditional = parseConditional(reference);
      if (typeof conditional === 'string') return `patient.reference ${conditional}`;
      const matches = this.tables.Patient.find(conditional.key);
      if (matches.length === 0) return `no Patient carries the identifier of patient.reference (system ${conditional.system}), in this bundle or stored`;
      if (matches.length > 1) return `${matches.length} Patients carry the identifier of patient.reference (system ${conditional.system})`;
      return matches[0]!;
    }
    const literal = /^Patient\/([^/]+)$/.exec(reference);
    if (literal !== null) return this.tables.Patient.get(literal[1]!) ?? `no Patient has the id of patient.reference`;
    return 'patient.reference must be a urn:uuid fullUrl of a Patient entry, Patient?identifier=SYSTEM|VALUE or Patient/<id>';
  }

  /** A searchset Bundle of the resources carrying an identifier. */
  search(type: PlatformResourceType, key: string, baseUrl: string): Json {
    const matches = this.tables[type].find(key);
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: matches.length,
      entry: matches.map((stored) => ({ fullUrl: `${baseUrl}/${type}/${stored.id}`, resource: this.tables[type].read(stored), search: { mode: 'match' } })),
    };
  }
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** Refuses fault options that cannot mean anything (a rate outside [0, 1], rates adding up to more than 1, …). */
function checkFaults(faults: PlatformFaults): void {
  const problems: string[] = [];
  const rates = { errorRate: faults.errorRate, rate429: faults.rate429, timeoutRate: faults.timeoutRate, dropRate: faults.dropRate, dropAfterProcessingRate: faults.dropAfterProcessingRate };
  for (const [name, rate] of Object.entries({ ...rates, rejectRate: faults.rejectRate })) {
    if (rate !== undefined && !(rate >= 0 && rate <= 1)) problems.push(`${name} must be between 0 and 1`);
  }
  const total = Object.values(rates).reduce<number>((sum, rate) => sum + (rate ?? 0), 0);
  if (total > 1 + 1e-9) problems.push(`the request fault rates add up to ${total}, more than 1`);
  const latency = faults.latencyMs ?? 0;
  const [min, max] = typeof latency === 'number' ? [latency, latency] : latency;
  if (!(min >= 0 && max >= min)) problems.push('latencyMs must be a number ≥ 0 or [min, max] with 0 ≤ min ≤ max');
  if (faults.retryAfterSeconds !== undefined && !(Number.isInteger(faults.retryAfterSeconds) && faults.retryAfterSeconds >= 0)) {
    problems.push('retryAfterSeconds must be a whole number ≥ 0');
  }
  if (problems.length > 0) throw new Error(`platform simulator faults: ${problems.join('; ')}`);
}

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
