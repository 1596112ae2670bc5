/**
 * Cleans one input row: every field through its rule, then the checks that need several fields
 * (CCCD digits against birth year and sex, vaccination against birth and today).
 *
 * Pure: the same row and the same `today` always give the same result.
 */
import { FIELDS, type FieldName } from '../ingest/fields.js';
import { normalizeCitizenId } from './citizen-id.js';
import { normalizeCommuneCode } from './commune.js';
import { comparePartialDates, isAfterDay, parsePartialDate, partialDateToIso } from './date.js';
import { normalizeDoseNumber } from './dose-number.js';
import { invalid, isBlank, warning, type Cleaned, type FieldStatus, type Finding } from './finding.js';
import { describeLegacyEncoding, detectLegacyEncoding } from './legacy-encoding.js';
import { normalizeName } from './name.js';
import { normalizePhone } from './phone.js';
import { normalizeSex } from './sex.js';
import { normalizeText } from './text-field.js';
import type { RecordTable } from '../db/schema.js';
import type { PersonName } from './types.js';
import { normalizeVaccine } from './vaccine.js';

export type RawRecord = Partial<Record<FieldName, string>>;

/** The cleaned columns of a record, as stored (batch and row number are added by the caller). */
export type CleanValues = Omit<RecordTable, 'batch_id' | 'row_number' | 'findings'>;

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
  for (const f of result.findings) findings.push({ field, code: f.code, severity: f.severity, message: f.message });
  return result.value;
}

const SEVERITY_RANK = { fix: 1, warning: 2, invalid: 3 } as const;
const FIELD_INDEX = new Map<FieldName, number>(FIELDS.map((f, i) => [f, i]));

function statusOf(worstRank: number, raw: string | undefined): FieldStatus {
  return worstRank === 3 ? 'invalid' : isBlank(raw) ? 'missing' : worstRank === 2 ? 'flagged' : worstRank === 1 ? 'fixed' : 'clean';
}

/** Per field, from its worst finding and whether its raw cell was blank (see `fieldStatus`). */
function fieldStatuses(raw: RawRecord, findings: readonly FieldFinding[]): Record<FieldName, FieldStatus> {
  const worst = new Uint8Array(FIELDS.length);
  for (const f of findings) {
    const i = FIELD_INDEX.get(f.field)!;
    if (SEVERITY_RANK[f.severity] > worst[i]!) worst[i] = SEVERITY_RANK[f.severity];
  }
  // One object literal, so every row's status has the same shape (a loop adding keys was measurably slower).
  return {
    record_id: statusOf(worst[FIELD_INDEX.get('record_id')!]!, raw.record_id),
    full_name: statusOf(worst[FIELD_INDEX.get('full_name')!]!, raw.full_name),
    birth_date: statusOf(worst[FIELD_INDEX.get('birth_date')!]!, raw.birth_date),
    sex: statusOf(worst[FIELD_INDEX.get('sex')!]!, raw.sex),
    citizen_id: statusOf(worst[FIELD_INDEX.get('citizen_id')!]!, raw.citizen_id),
    phone: statusOf(worst[FIELD_INDEX.get('phone')!]!, raw.phone),
    address: statusOf(worst[FIELD_INDEX.get('address')!]!, raw.address),
    commune_code: statusOf(worst[FIELD_INDEX.get('commune_code')!]!, raw.commune_code),
    vaccine: statusOf(worst[FIELD_INDEX.get('vaccine')!]!, raw.vaccine),
    dose_number: statusOf(worst[FIELD_INDEX.get('dose_number')!]!, raw.dose_number),
    vaccination_date: statusOf(worst[FIELD_INDEX.get('vaccination_date')!]!, raw.vaccination_date),
    lot_number: statusOf(worst[FIELD_INDEX.get('lot_number')!]!, raw.lot_number),
    facility_code: statusOf(worst[FIELD_INDEX.get('facility_code')!]!, raw.facility_code),
    adverse_event: statusOf(worst[FIELD_INDEX.get('adverse_event')!]!, raw.adverse_event),
    source: statusOf(worst[FIELD_INDEX.get('source')!]!, raw.source),
  };
}

export function cleanRecord(raw: RawRecord, context: CleanContext): CleanRecord {
  const findings: FieldFinding[] = [];

  const rawName = raw.full_name ?? '';
  const legacyEncoding = detectLegacyEncoding(rawName);
  let name: PersonName | null = null;
  if (legacyEncoding) {
    findings.push({ field: 'full_name', ...invalid('full_name.legacy_encoding', `The name is not Unicode text: ${describeLegacyEncoding(legacyEncoding)}`) });
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
  const commune = collect(findings, 'commune_code', normalizeCommuneCode(raw.commune_code ?? '', vaccinated));
  const vaccine = collect(findings, 'vaccine', normalizeVaccine(raw.vaccine ?? ''));
  const dose = collect(findings, 'dose_number', normalizeDoseNumber(raw.dose_number ?? ''));

  if (birth && isAfterDay(birth, context.today)) {
    findings.push({ field: 'birth_date', ...invalid('birth_date.in_future', 'The birth date is in the future.') });
  }
  if (vaccinated) {
    if (isAfterDay(vaccinated, context.today)) {
      findings.push({ field: 'vaccination_date', ...warning('vaccination_date.in_future', 'The vaccination date is in the future.') });
    }
    if (birth && comparePartialDates(vaccinated, birth) === -1) {
      findings.push({ field: 'vaccination_date', ...warning('vaccination_date.before_birth', 'The vaccination date is before the birth date.') });
    }
  }

  const quarantineReason = name
    ? null
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
  };
  if (!values.record_id) findings.push({ field: 'record_id', ...invalid('record_id.missing', 'The record has no record id (mã bản ghi).') });

  return { values, findings, status: fieldStatuses(raw, findings), quarantineReason, legacyEncoding };
}
