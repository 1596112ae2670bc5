/**
 * A person's golden record and doses as FHIR R4 resources for the national platform
 * (shared/contract/platform.md): one Patient and one Immunization per dose, each sent as a conditional update
 * keyed by vaxsync's own stable identifier, so that sending a person again updates what the platform has
 * instead of creating it twice. Pure: no I/O, the same person always gives the same entries (and hash).
 *
 * JSON rules of FHIR followed throughout: an element without a value is left out, never `null`, `""` or `[]`.
 */
import { createHash } from 'node:crypto';
// NodeNext resolution needs the file's extension for a subpath of a package without `exports`.
import type * as fhir4 from 'fhir/r4.js';
import { currentProvinceOf } from '../clean/commune.js';
import { vaccineByCode, type VaccineEntry } from '../clean/vaccine.js';

export interface PushPerson {
  /** vaxsync's stable person id (e.g. "123"). */
  readonly personId: string;
  /** 12-digit CCCD or 9-digit legacy CMND. */
  readonly citizenId: string | null;
  /** Vietnamese order: family name first, given name last ("Nguyễn Thị Thủy"). */
  readonly fullName: string | null;
  /** Partial ISO date: yyyy, yyyy-mm or yyyy-mm-dd. */
  readonly birthDate: string | null;
  readonly sex: 'male' | 'female' | null;
  /** 10 digits, 0xxxxxxxxx. */
  readonly phone: string | null;
  /** Current commune code. */
  readonly communeCode: string | null;
  /** Village or street, as free text. */
  readonly address: string | null;
  readonly deceased: boolean;
  /**
   * The parent or guardian a child's records name, sent only when the operator's policy allows it and the
   * child has no citizen ID of its own (see `guardianContact`); null otherwise.
   */
  readonly guardian: PushGuardian | null;
  readonly doses: readonly PushDose[];
}

export interface PushGuardian {
  /** As cleaned, Vietnamese order ("Nguyễn Thị Lan"). */
  readonly name: string;
  /** 10 digits, 0xxxxxxxxx. */
  readonly phone: string | null;
}

export interface PushDose {
  /** vaxsync's stable dose id. */
  readonly doseId: string;
  /** Catalogue code (COVID-AZ, BCG, …; src/clean/vaccine.ts). */
  readonly vaccineCode: string | null;
  /** Partial ISO date. */
  readonly date: string | null;
  readonly doseNumber: number | null;
  readonly lotNumber: string | null;
  readonly facilityCode: string | null;
  /** Free text, as the station wrote it. */
  readonly adverseEvent: string | null;
}

/** The URIs that name vaxsync's identifiers and codes on the platform: identifier and code systems. */
export interface IdentifierSystems {
  personId: string;
  citizenId: string;
  cmnd: string;
  doseId: string;
  vaccineCode: string;
  facility: string;
}

/**
 * Defaults only: these are configuration (`PushOptions.systems`). The platform may publish its own systems
 * for the CCCD, facilities or communes; then those are passed in and nothing else here changes. Changing a
 * system changes every payload hash, so everybody is sent again under the new systems — as they must be.
 */
export const DEFAULT_SYSTEMS: IdentifierSystems = {
  personId: 'https://fhir.vaxsync.vn/sid/person-id',
  // HL7 Vietnam's VN Core IG names the CCCD (NamingSystem of the draft, 2026): a receiver that knows VN Core
  // matches a citizen by it without any mapping of ours.
  citizenId: 'http://fhir.hl7.org.vn/core/sid/cccd',
  cmnd: 'https://fhir.vaxsync.vn/sid/cmnd',
  doseId: 'https://fhir.vaxsync.vn/sid/dose-id',
  vaccineCode: 'https://fhir.vaxsync.vn/CodeSystem/vaccine',
  facility: 'https://fhir.vaxsync.vn/sid/facility',
};

/**
 * The VN Core profiles (HL7 Vietnam's draft IG, fhir.hl7.org.vn/core, v0.5) each resource is built to: declared
 * in `meta.profile` so a validator that has the IG checks them against it, while they stay plain R4 for one
 * that has not. What vaxsync fills of them: the CCCD under its VN Core identifier system, the VN Core Address
 * (ward and province as coded extensions) and the Immunization's programme-type extension. What it does not
 * claim to send: ethnicity, the payer, CVX codes.
 */
export const VN_CORE_PROFILES = {
  patient: 'http://fhir.hl7.org.vn/core/StructureDefinition/vn-core-patient',
  immunization: 'http://fhir.hl7.org.vn/core/StructureDefinition/vn-core-immunization',
} as const;

/**
 * The VN Core extensions vaxsync fills, and the code systems of their values. The extension URLs and the
 * programme-type code system are the IG's (read on its pages, 2026-04/05); the ward and province code systems
 * follow the IG's naming of its administrative code systems (`vn-district-cs` is published under that
 * pattern) and are the part to check against the IG's terminology when the platform publishes its version.
 */
export const VN_CORE_EXTENSIONS = {
  /** Address: the ward/commune (cấp xã) code of QĐ 19/2025, 5 digits, as a Coding. */
  ward: 'http://fhir.hl7.org.vn/core/StructureDefinition/vn-ext-ward',
  wardCodes: 'http://fhir.hl7.org.vn/core/CodeSystem/vn-ward-cs',
  /** Address: the province code of QĐ 19/2025 (34 units), as a Coding; required when country is VN (vn-addr-province). */
  province: 'http://fhir.hl7.org.vn/core/StructureDefinition/vn-ext-province',
  provinceCodes: 'http://fhir.hl7.org.vn/core/CodeSystem/vn-province-cs',
  /** Immunization: TCMR, service or campaign, as a code of `programmeTypeCodes`. */
  programmeType: 'http://fhir.hl7.org.vn/core/StructureDefinition/vn-ext-immunization-program-type',
  programmeTypeCodes: 'http://fhir.hl7.org.vn/core/CodeSystem/vn-immunization-program-type-cs',
} as const;

/**
 * The IG's programme type of a dose, from the catalogue's kind of the product: the childhood programme's
 * products are TCMR ("tcmr"), the service sector's are "dich-vu", and COVID-19 vaccines were given in the
 * national campaign ("chien-dich", DOMAIN.md §5.1–5.2). A product the catalogue does not know has none.
 */
export const PROGRAMME_TYPE: Readonly<Record<VaccineEntry['kind'], 'tcmr' | 'dich-vu' | 'chien-dich'>> = {
  tcmr: 'tcmr',
  service: 'dich-vu',
  covid: 'chien-dich',
};

/**
 * How a child's guardian is named on Patient.contact: HL7 v3 RoleCode GUARD ("guardian"), the code R4's
 * extensible contact-relationship binding allows beside v2-0131, with the Vietnamese word as text.
 */
const GUARDIAN_RELATIONSHIP: fhir4.CodeableConcept = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'GUARD', display: 'guardian' }],
  text: 'Người giám hộ',
};

/** Shown where the vaccine or the date is not known: FHIR requires a vaccineCode and an occurrence[x]. */
export const UNKNOWN_VACCINE_TEXT = 'Không rõ vắc xin';
export const UNKNOWN_DATE_TEXT = 'không rõ ngày';
export const UNKNOWN_DOSE_NUMBER_TEXT = 'không rõ';

/** FHIR has no empty strings: a blank field is an absent one (and surrounding spaces are not part of a value). */
function filled(text: string | null): string | null {
  const trimmed = text?.trim();
  return trimmed ? trimmed : null;
}

const CCCD = /^\d{12}$/;
const CMND = /^\d{9}$/;
/**
 * NI, "national unique individual identifier", from HL7 v2 table 0203. Identifier.type's binding is
 * extensible and R4's own value set has no code for a national ID, so this one is the conformant choice.
 */
const NATIONAL_ID_TYPE: fhir4.CodeableConcept = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI' }],
};

/** The citizen ID under its own system; none for anything that is neither a CCCD nor a CMND. */
function citizenIdentifier(raw: string | null, systems: IdentifierSystems): fhir4.Identifier | null {
  const citizenId = filled(raw);
  if (citizenId === null) return null;
  // Sending an odd value under the CCCD system would let the platform match the wrong citizen by it.
  const system = CCCD.test(citizenId) ? systems.citizenId : CMND.test(citizenId) ? systems.cmnd : null;
  return system === null ? null : { use: 'official', type: NATIONAL_ID_TYPE, system, value: citizenId };
}

/**
 * Family name = the first word, given = the rest ("Nguyễn" / "Thị Thủy"); `text` keeps the name whole, because
 * the split is a convention that compound family names (Tôn Nữ, Âu Dương) break. A one-word name could be
 * either part, so it is sent as text only.
 */
function humanName(fullName: string): fhir4.HumanName {
  const [family, ...given] = fullName.split(/\s+/);
  if (family === undefined || given.length === 0) return { use: 'official', text: fullName };
  return { use: 'official', text: fullName, family, given };
}

/**
 * FHIR's Address has no element for an administrative unit's code: city, district and state are names for
 * display, so a code in `city` would be shown as a town called "26734". VN Core Address carries the ward and
 * the province as coded extensions; `country` is said only with the province, as VN Core requires
 * (vn-addr-province: a Vietnamese address names its province). A commune code outside the 2025 list (an old
 * code, a typo that survived) is sent as the ward all the same, without a province: the platform can still
 * read the code, and inventing a province would be worse.
 */
function addressOf(person: PushPerson): fhir4.Address | null {
  const text = filled(person.address);
  const ward = filled(person.communeCode);
  if (text === null && ward === null) return null;
  const province = ward === null ? null : currentProvinceOf(ward);
  const extension: fhir4.Extension[] = [];
  if (ward !== null) extension.push({ url: VN_CORE_EXTENSIONS.ward, valueCoding: { system: VN_CORE_EXTENSIONS.wardCodes, code: ward } });
  if (province !== null) extension.push({ url: VN_CORE_EXTENSIONS.province, valueCoding: { system: VN_CORE_EXTENSIONS.provinceCodes, code: province } });
  return {
    ...(extension.length === 0 ? {} : { extension }),
    use: 'home',
    ...(text === null ? {} : { text }),
    ...(province === null ? {} : { country: 'VN' }),
  };
}

/**
 * A child without a citizen ID of its own is found on the platform through its guardian: the guardian's name
 * and phone as Patient.contact. Only for such a child — one with a CCCD is identified by it, and sending an
 * adult's family is not needed for anything — and only when `loadPushPersons` was allowed to load the guardian.
 */
function guardianContact(person: PushPerson, citizen: fhir4.Identifier | null): fhir4.PatientContact | null {
  if (person.guardian === null || citizen !== null) return null;
  const name = filled(person.guardian.name);
  if (name === null) return null;
  const phone = filled(person.guardian.phone);
  return {
    relationship: [GUARDIAN_RELATIONSHIP],
    name: { text: name },
    ...(phone === null ? {} : { telecom: [{ system: 'phone', value: phone }] }),
  };
}

export function patientResource(person: PushPerson, systems: IdentifierSystems): fhir4.Patient {
  const citizen = citizenIdentifier(person.citizenId, systems);
  const fullName = filled(person.fullName);
  const birthDate = filled(person.birthDate);
  const phone = filled(person.phone);
  const address = addressOf(person);
  const contact = guardianContact(person, citizen);
  return {
    resourceType: 'Patient',
    meta: { profile: [VN_CORE_PROFILES.patient] },
    identifier: [
      ...(citizen === null ? [] : [citizen]),
      // "secondary": vaxsync assigns it within its own records; the citizen ID is the official one.
      { use: 'secondary', system: systems.personId, value: person.personId },
    ],
    ...(fullName === null ? {} : { name: [humanName(fullName)] }),
    ...(person.sex === null ? {} : { gender: person.sex }),
    // FHIR `date` allows yyyy and yyyy-mm: a year-only birth date is sent as known, not invented to a day.
    ...(birthDate === null ? {} : { birthDate }),
    ...(person.deceased ? { deceasedBoolean: true } : {}),
    ...(phone === null ? {} : { telecom: [{ system: 'phone', value: phone }] }),
    ...(address === null ? {} : { address: [address] }),
    ...(contact === null ? {} : { contact: [contact] }),
  };
}

function vaccineConcept(raw: string | null, systems: IdentifierSystems): fhir4.CodeableConcept {
  const code = filled(raw);
  if (code === null) return { text: UNKNOWN_VACCINE_TEXT };
  const display = vaccineByCode(code)?.name;
  return {
    coding: [{ system: systems.vaccineCode, code, ...(display === undefined ? {} : { display }) }],
    text: display ?? code,
  };
}

/**
 * protocolApplied needs a doseNumber[x]; positiveInt only takes 1 and up, so an unknown (or impossible)
 * number is said in words rather than dropping the protocol or inventing a number.
 */
function protocolApplied(doseNumber: number | null): fhir4.ImmunizationProtocolApplied {
  return doseNumber !== null && Number.isInteger(doseNumber) && doseNumber >= 1
    ? { doseNumberPositiveInt: doseNumber }
    : { doseNumberString: UNKNOWN_DOSE_NUMBER_TEXT };
}

/** The facility that gave the dose, by its code: a logical reference, as the platform has no id for it here. */
function performer(facilityCode: string, systems: IdentifierSystems): fhir4.ImmunizationPerformer {
  return { actor: { type: 'Organization', identifier: { system: systems.facility, value: facilityCode } } };
}

export function immunizationResource(dose: PushDose, person: PushPerson, systems: IdentifierSystems): fhir4.Immunization {
  const date = filled(dose.date);
  const lotNumber = filled(dose.lotNumber);
  const facilityCode = filled(dose.facilityCode);
  const adverseEvent = filled(dose.adverseEvent);
  const kind = dose.vaccineCode === null ? undefined : vaccineByCode(dose.vaccineCode)?.kind;
  return {
    resourceType: 'Immunization',
    meta: { profile: [VN_CORE_PROFILES.immunization] },
    ...(kind === undefined ? {} : { extension: [{ url: VN_CORE_EXTENSIONS.programmeType, valueCode: PROGRAMME_TYPE[kind] }] }),
    identifier: [{ system: systems.doseId, value: dose.doseId }],
    status: 'completed',
    vaccineCode: vaccineConcept(dose.vaccineCode, systems),
    // A conditional reference (R4 http.html#trules): the server resolves it by the same identifier the
    // Patient's conditional update uses. `type` says the target outright, as a search URL is no Patient/id.
    patient: { type: 'Patient', reference: conditionalUrl('Patient', systems.personId, person.personId) },
    // Partial dates (yyyy, yyyy-mm) are valid dateTime values; occurrence[x] is required, so no date is said in words.
    ...(date === null ? { occurrenceString: UNKNOWN_DATE_TEXT } : { occurrenceDateTime: date }),
    ...(lotNumber === null ? {} : { lotNumber }),
    ...(facilityCode === null ? {} : { performer: [performer(facilityCode, systems)] }),
    // R4's reaction.detail is a Reference(Observation); one with a display only is valid and carries the text.
    ...(adverseEvent === null ? {} : { reaction: [{ reported: false, detail: { display: adverseEvent } }] }),
    protocolApplied: [protocolApplied(dose.doseNumber)],
  };
}

/**
 * One part of a token search parameter: FHIR escapes `\`, `|`, `,` and `$` inside it with a backslash
 * (search.html#escaping), then it is percent-encoded as a query value. `:` and `/` are legal in a query
 * (RFC 3986 §3.4) and stay, so a system reads as in the specification's own examples; the `|` between system
 * and value is the token's separator and is not encoded.
 */
function tokenPart(text: string): string {
  return encodeURIComponent(text.replace(/[\\|,$]/g, (c) => `\\${c}`)).replace(/%3A/g, ':').replace(/%2F/g, '/');
}

/** `Patient?identifier=SYSTEM|VALUE`: the search that finds the one resource with this identifier. */
export function conditionalUrl(resourceType: 'Patient' | 'Immunization', system: string, value: string): string {
  return `${resourceType}?identifier=${tokenPart(system)}|${tokenPart(value)}`;
}

/** RFC 4122 name-based UUID, version 5 (SHA-1). */
export function uuidV5(namespace: string, name: string): string {
  const bytes = createHash('sha1').update(Buffer.from(namespace.replaceAll('-', ''), 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** RFC 4122's namespace for names that are URLs. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * The entry's fullUrl: a UUID v5 of its conditional URL, so the same resource has the same fullUrl in every
 * bundle (stable payload hashes, readable retries) and two resources never share one.
 */
function entry(resource: fhir4.Patient | fhir4.Immunization, url: string): fhir4.BundleEntry {
  return { fullUrl: `urn:uuid:${uuidV5(URL_NAMESPACE, url)}`, resource, request: { method: 'PUT', url } };
}

/** The person's Patient first, then one Immunization per dose in the order given: what the outbox sends. */
export function personEntries(person: PushPerson, systems: IdentifierSystems): fhir4.BundleEntry[] {
  return [
    entry(patientResource(person, systems), conditionalUrl('Patient', systems.personId, person.personId)),
    ...person.doses.map((dose) =>
      entry(immunizationResource(dose, person, systems), conditionalUrl('Immunization', systems.doseId, dose.doseId)),
    ),
  ];
}

export function transactionBundle(entries: readonly fhir4.BundleEntry[]): fhir4.Bundle {
  // An empty array is not valid FHIR JSON: a bundle with nothing in it has no `entry`.
  return { resourceType: 'Bundle', type: 'transaction', ...(entries.length === 0 ? {} : { entry: [...entries] }) };
}

/**
 * SHA-256 (hex) of the entries as sent: the outbox compares it with the hash the platform acknowledged to
 * know whether the person changed since. Plain JSON.stringify is canonical here: every entry is built
 * fresh by this module, each object literal in one fixed key order, whatever the order of the input.
 */
export function entriesHash(entries: readonly fhir4.BundleEntry[]): string {
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}

export function payloadHash(person: PushPerson, systems: IdentifierSystems): string {
  return entriesHash(personEntries(person, systems));
}
