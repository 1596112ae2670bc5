/** The simulator's in-memory store and counters, and the processing of one transaction Bundle. No I/O. */
import { unitHash } from './faults.js';
import {
  identifierKeys,
  isObject,
  isResourceType,
  isText,
  operationOutcome,
  parseConditional,
  structuralProblem,
  type ConditionalUrl,
  type Issue,
  type Json,
  type OperationOutcome,
} from './fhir-checks.js';
import type { PerType, PlatformExportRow, PlatformResourceType, PlatformStats, ReceivedIdentifier } from './types.js';

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
export class PlatformState {
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

  /**
   * What the platform holds, as a national export would list it (the gap report's input, src/push/gap.ts):
   * one row per stored Immunization with its Patient's citizen ID (the identifier typed NI) and the identifier
   * under `personIdSystem`, the vaccine code and the date; and one row without vaccine or date for a Patient
   * that has no Immunization. Needs the resources kept (`keepResources`, the default).
   */
  exportRows(personIdSystem: string): PlatformExportRow[] {
    const patients = this.tables.Patient;
    const who = (patient: Json) => {
      const identifiers = Array.isArray(patient.identifier) ? (patient.identifier as unknown[]).filter(isObject) : [];
      const national = identifiers.find((i) => isObject(i.type) && Array.isArray(i.type.coding) && (i.type.coding as unknown[]).some((c) => isObject(c) && c.code === 'NI'));
      const own = identifiers.find((i) => i.system === personIdSystem);
      return { citizenId: isText(national?.value) ? national.value : '', personId: isText(own?.value) ? own.value : '' };
    };
    const rows: PlatformExportRow[] = [];
    const withDoses = new Set<string>();
    for (const stored of this.tables.Immunization.byId) {
      const immunization = this.tables.Immunization.read(stored);
      const reference = isObject(immunization.patient) && isText(immunization.patient.reference) ? immunization.patient.reference : '';
      const patient = patients.get(reference.replace(/^Patient\//, ''));
      if (patient === undefined) continue;
      withDoses.add(patient.id);
      const coding = isObject(immunization.vaccineCode) && Array.isArray(immunization.vaccineCode.coding) ? (immunization.vaccineCode.coding as unknown[]).find(isObject) : undefined;
      rows.push({
        ...who(patients.read(patient)),
        vaccine: isText(coding?.code) ? coding.code : '',
        date: isText(immunization.occurrenceDateTime) ? immunization.occurrenceDateTime : '',
      });
    }
    for (const patient of patients.byId) if (!withDoses.has(patient.id)) rows.push({ ...who(patients.read(patient)), vaccine: '', date: '' });
    return rows;
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
