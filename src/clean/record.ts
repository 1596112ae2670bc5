/**
 * Cleans one input row: every field through its rule, then the checks that need several fields
 * (CCCD digits against birth year and sex, vaccination against birth and today).
 *
 * Pure: the same row and the same `today` always give the same result.
 */
import { FIELDS, type FieldName } from '../base/fields.js';
import { hasUnstorable, stripUnstorable } from '../base/unstorable.js';
import { normalizeCitizenId } from './citizen-id.js';
import { normalizeCommuneCode } from './commune.js';
import { comparePartialDates, isAfterDay, parsePartialDate, partialDateToIso } from './date.js';
import { normalizeDoseNumber } from './dose-number.js';
import { finding, isBlank, type Cleaned, type FieldStatus, type Finding } from './finding.js';
import { detectLegacyEncoding } from './legacy-encoding.js';
import { normalizeName, preNamingOf } from './name.js';
import { normalizePhone } from './phone.js';
import { normalizeScreening, normalizeSeverity } from './screening.js';
import { normalizeSex } from './sex.js';
import { normalizeText } from './text-field.js';
import type { PersonName } from './types.js';
import { normalizeVaccine } from './vaccine.js';

export type RawRecord = Partial<Record<FieldName, string>>;

/**
 * The cleaned columns of a record, as the `record` table stores them (src/db/schema.ts adds the batch, the
 * row number and the finding codes). Defined here, where the values are made, so that cleaning needs nothing
 * of the database.
 */
export interface CleanValues {
  record_id: string | null;
  quarantine_reason: string | null;
  full_name: string | null;
  name_key: string | null;
  family_name: string | null;
  middle_name: string | null;
  given_name: string | null;
  birth_date: string | null;
  birth_year: number | null;
  sex: 'male' | 'female' | null;
  citizen_id: string | null;
  citizen_id_kind: 'cccd' | 'cmnd' | 'invalid' | null;
  phone: string | null;
  address: string | null;
  commune_code: string | null;
  commune_scheme: '2004' | '2025' | null;
  commune_current: string | null;
  vaccine_code: string | null;
  dose_number: number | null;
  vaccination_date: string | null;
  lot_number: string | null;
  facility_code: string | null;
  adverse_event: string | null;
  source: string | null;
  /** `eligible`, `postponed`, `contraindicated` (khám sàng lọc), or the free text typed (migrations/0011). */
  screening_result: string | null;
  adverse_event_severity: 'common' | 'serious' | null;
  /** The mother's or guardian's name, cleaned like full_name (migrations/0015_guardian.ts), or the one a pre-naming placeholder holds. */
  guardian_name: string | null;
  /** Its comparison key, like name_key. */
  guardian_key: string | null;
  /** The guardian's phone in the canonical form of `phone`. */
  guardian_phone: string | null;
}

export interface FieldFinding extends Finding {
  readonly field: FieldName;
}

export interface CleanRecord {
  readonly values: CleanValues;
  readonly findings: readonly FieldFinding[];
  readonly status: Readonly<Record<FieldName, FieldStatus>>;
  /** Set when the row cannot identify a person: it is kept, but not linked. */
  readonly quarantineReason: string | null;
  /** The name column holds text typed in a legacy 8-bit font (TCVN3, VNI) rather than Unicode. */
  readonly legacyEncoding: 'tcvn3' | 'vni' | null;
}

export interface CleanContext {
  /** Today's date, `yyyy-mm-dd`, for the "in the future" checks. */
  readonly today: string;
}

/** Adds a rule's findings to the row's, tagged with the field, and returns its value. */
function collect<T>(findings: FieldFinding[], field: FieldName, result: Cleaned<T>): T | null {
  // An index loop: called with every rule's result, a for-of here was not optimised and made an iterator
  // and its results for each call (600 bytes a row of garbage).
  const found = result.findings;
  for (let i = 0; i < found.length; i++) {
    const f = found[i]!;
    findings.push({ field, code: f.code, severity: f.severity, message: f.message });
  }
  return result.value;
}

const cellStatus = (cell: string | undefined): FieldStatus => (isBlank(cell) ? 'missing' : 'clean');

/**
 * Per field: invalid if any finding says so, missing if the raw cell was blank, flagged for a warning,
 * fixed for a fix, clean otherwise.
 */
function fieldStatuses(raw: RawRecord, findings: readonly FieldFinding[]): Record<FieldName, FieldStatus> {
  // Every field first as its cell is (missing or clean), then raised by each finding: invalid over all,
  // missing over a warning or a fix, flagged over a fix. (Every row passes here: no map of the worst
  // finding per field, and the object is one literal of every field, so that its fields are read by name:
  // copied from a template of FIELDS and set field by field, this took 2.5% more of the cleaning.)
  const status: Record<FieldName, FieldStatus> = {
    record_id: cellStatus(raw.record_id),
    full_name: cellStatus(raw.full_name),
    birth_date: cellStatus(raw.birth_date),
    sex: cellStatus(raw.sex),
    citizen_id: cellStatus(raw.citizen_id),
    phone: cellStatus(raw.phone),
    address: cellStatus(raw.address),
    commune_code: cellStatus(raw.commune_code),
    vaccine: cellStatus(raw.vaccine),
    dose_number: cellStatus(raw.dose_number),
    vaccination_date: cellStatus(raw.vaccination_date),
    lot_number: cellStatus(raw.lot_number),
    facility_code: cellStatus(raw.facility_code),
    adverse_event: cellStatus(raw.adverse_event),
    source: cellStatus(raw.source),
    screening_result: cellStatus(raw.screening_result),
    adverse_event_severity: cellStatus(raw.adverse_event_severity),
    guardian_name: cellStatus(raw.guardian_name),
    guardian_phone: cellStatus(raw.guardian_phone),
  };
  for (const f of findings) {
    const now = status[f.field];
    if (f.severity === 'invalid') status[f.field] = 'invalid';
    else if (now === 'clean' || (now === 'fixed' && f.severity === 'warning')) status[f.field] = f.severity === 'warning' ? 'flagged' : 'fixed';
  }
  return status;
}

/**
 * No Vietnamese full name comes near this (the longest real ones are about 60 characters); a longer cell is
 * something else pasted into the column. It is refused before the name rules run, which are not built for
 * (and must not spend their time on) a 90,000-character value.
 */
export const MAX_NAME_CHARS = 200;

/**
 * The row without the characters PostgreSQL text cannot hold (NUL, a lone surrogate: src/base/unstorable.ts),
 * each removal a fix of its field. They carry no meaning in any field, so the rest of the cell is cleaned as
 * usual; the raw row keeps them.
 */
function storableRow(raw: RawRecord, findings: FieldFinding[]): RawRecord {
  let row: RawRecord | null = null;
  for (const field of FIELDS) {
    const value = raw[field];
    if (value === undefined || !hasUnstorable(value)) continue;
    row ??= { ...raw };
    row[field] = stripUnstorable(value);
    findings.push({ field, ...finding(`${field}.unstorable_character`) });
  }
  return row ?? raw;
}

/**
 * The guardian's name and phone. The name goes through the rules of full_name (its repairs are not reported
 * again: the station reads them on the child's name); a cell that is not a name is invalid. When the column
 * is empty and the child's name is a pre-naming placeholder that names the guardian (`Con bà Nguyễn Thị Lan`),
 * that name is the guardian's, with a fix saying where it came from.
 */
function cleanGuardian(raw: RawRecord, child: PersonName | null, findings: FieldFinding[]): { name: PersonName | null; phone: string | null } {
  let name: PersonName | null = null;
  const rawName = raw.guardian_name ?? '';
  if (!isBlank(rawName)) {
    name = rawName.length > MAX_NAME_CHARS ? null : normalizeName(rawName).value;
    if (name === null) findings.push({ field: 'guardian_name', ...finding('guardian_name.not_a_name') });
  } else if (child !== null) {
    const placeholder = preNamingOf(child.full, child.key);
    if (placeholder?.guardian) {
      name = normalizeName(placeholder.guardian).value;
      if (name !== null) findings.push({ field: 'guardian_name', ...finding('guardian_name.from_placeholder') });
    }
  }
  const rawPhone = raw.guardian_phone ?? '';
  let phone: string | null = null;
  if (!isBlank(rawPhone)) {
    phone = normalizePhone(rawPhone).value;
    if (phone === null) findings.push({ field: 'guardian_phone', ...finding('guardian_phone.invalid') });
  }
  return { name, phone };
}

export function cleanRecord(input: RawRecord, context: CleanContext): CleanRecord {
  const findings: FieldFinding[] = [];
  const raw = storableRow(input, findings);

  const rawName = raw.full_name ?? '';
  const tooLong = rawName.length > MAX_NAME_CHARS;
  const legacyEncoding = tooLong ? null : detectLegacyEncoding(rawName);
  let name: PersonName | null = null;
  if (tooLong) {
    findings.push({ field: 'full_name', ...finding('full_name.too_long') });
  } else if (legacyEncoding) {
    findings.push({ field: 'full_name', ...finding('full_name.legacy_encoding', legacyEncoding) });
  } else {
    name = collect(findings, 'full_name', normalizeName(rawName));
  }
  const sex = collect(findings, 'sex', normalizeSex(raw.sex ?? ''));
  const birth = collect(findings, 'birth_date', parsePartialDate(raw.birth_date ?? '', 'birth_date'));
  const vaccinated = collect(findings, 'vaccination_date', parsePartialDate(raw.vaccination_date ?? '', 'vaccination_date'));
  const citizenId = collect(
    findings,
    'citizen_id',
    normalizeCitizenId(raw.citizen_id ?? '', { birthYear: birth?.year ?? null, sex }),
  );
  const phone = collect(findings, 'phone', normalizePhone(raw.phone ?? ''));
  const guardian = cleanGuardian(raw, name, findings);
  const commune = collect(findings, 'commune_code', normalizeCommuneCode(raw.commune_code ?? '', vaccinated));
  const vaccine = collect(findings, 'vaccine', normalizeVaccine(raw.vaccine ?? ''));
  const dose = collect(findings, 'dose_number', normalizeDoseNumber(raw.dose_number ?? ''));

  if (birth && isAfterDay(birth, context.today)) {
    findings.push({ field: 'birth_date', ...finding('birth_date.in_future') });
  }
  if (vaccinated) {
    if (isAfterDay(vaccinated, context.today)) {
      findings.push({ field: 'vaccination_date', ...finding('vaccination_date.in_future') });
    }
    if (birth && comparePartialDates(vaccinated, birth) === -1) {
      findings.push({ field: 'vaccination_date', ...finding('vaccination_date.before_birth') });
    }
  }

  // A child's row without a usable name of its own but with its mother's or guardian's name identifies the
  // child as a newborn's pre-naming row does (birth date, guardian, phone, village): kept for linking, its
  // name finding still asks the station to enter the name. So does a row without a name but with a CCCD or
  // CMND and a birth date: it can still be linked on its ID (an ID of another kind, or an ID alone, is too
  // weak to stand for the name).
  const linkableWithoutName =
    guardian.name !== null ||
    (citizenId !== null && citizenId.kind !== 'invalid' && birth !== null);
  const quarantineReason = name || (linkableWithoutName && !tooLong && !legacyEncoding)
    ? null
    : tooLong
      ? 'The full name is far longer than a name; check that the name column holds names and upload the row again.'
      : legacyEncoding
      ? 'The full name is in a legacy font encoding (TCVN3/VNI); convert the file to Unicode and upload the row again.'
      : 'The row has no usable full name (họ và tên), so it cannot identify a person; enter the name and upload the row again.';

  const values: CleanValues = {
    record_id: collect(findings, 'record_id', normalizeText(raw.record_id ?? '', 'record_id')),
    quarantine_reason: quarantineReason,
    full_name: name?.full ?? null,
    name_key: name?.key ?? null,
    family_name: name?.family ?? null,
    middle_name: name?.middle ?? null,
    given_name: name?.given ?? null,
    birth_date: birth ? partialDateToIso(birth) : null,
    birth_year: birth?.year ?? null,
    sex,
    citizen_id: citizenId?.value ?? null,
    citizen_id_kind: citizenId?.kind ?? null,
    phone,
    address: collect(findings, 'address', normalizeText(raw.address ?? '', 'address')),
    commune_code: commune?.code ?? null,
    commune_scheme: commune?.scheme ?? null,
    commune_current: commune?.current ?? null,
    vaccine_code: vaccine?.code ?? null,
    dose_number: dose,
    vaccination_date: vaccinated ? partialDateToIso(vaccinated) : null,
    lot_number: collect(findings, 'lot_number', normalizeText(raw.lot_number ?? '', 'lot_number', { upperCase: true })),
    facility_code: collect(findings, 'facility_code', normalizeText(raw.facility_code ?? '', 'facility_code', { upperCase: true })),
    adverse_event: collect(findings, 'adverse_event', normalizeText(raw.adverse_event ?? '', 'adverse_event')),
    source: collect(findings, 'source', normalizeText(raw.source ?? '', 'source')),
    screening_result: collect(findings, 'screening_result', normalizeScreening(raw.screening_result ?? '')),
    adverse_event_severity: collect(findings, 'adverse_event_severity', normalizeSeverity(raw.adverse_event_severity ?? '')),
    guardian_name: guardian.name?.full ?? null,
    guardian_key: guardian.name?.key ?? null,
    guardian_phone: guardian.phone,
  };
  if (!values.record_id) findings.push({ field: 'record_id', ...finding('record_id.missing') });

  return { values, findings, status: fieldStatuses(raw, findings), quarantineReason, legacyEncoding };
}
