/**
 * The fields of the records contract (../shared/contract/records.md), in the contract's column order: what a
 * station file carries, what cleaning reads, what the import stores and the quality report counts.
 */
export const FIELDS = [
  'record_id',
  'full_name',
  'birth_date',
  'sex',
  'citizen_id',
  'phone',
  'address',
  'commune_code',
  'vaccine',
  'dose_number',
  'vaccination_date',
  'lot_number',
  'facility_code',
  'adverse_event',
  'source',
  'screening_result',
  'adverse_event_severity',
  'guardian_name',
  'guardian_phone',
] as const;

export type FieldName = (typeof FIELDS)[number];

/** A row without these cannot be stored as a record. */
export const REQUIRED_FIELDS: readonly FieldName[] = ['record_id', 'full_name'];
