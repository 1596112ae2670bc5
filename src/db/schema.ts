/** Kysely table types, kept in step with migrations/. Generated columns are `Generated<…>`. */
import type { ColumnType, Generated } from 'kysely';
import type { ModelJson, UnlabelledModelJson } from '../../matchers/index.js';
import type { CleanValues } from '../clean/record.js';

export type BatchStatus = 'loading' | 'loaded' | 'failed';

export interface BatchTable {
  id: Generated<number>;
  file_name: string;
  file_sha256: string;
  format: 'csv' | 'xlsx';
  source: string | null;
  station_code: string | null;
  status: ColumnType<BatchStatus, BatchStatus | undefined, BatchStatus>;
  header_row: number;
  headers: string[];
  column_map: ColumnType<Record<string, number>, string, string>;
  row_count: Generated<number>;
  quarantined_count: Generated<number>;
  error: string | null;
  started_at: ColumnType<Date, never, never>;
  finished_at: ColumnType<Date | null, never, Date | null>;
  /** Who sent the file: `key:<name>` for an upload, `cli:<user>` for a command-line import (migration 0016). */
  uploaded_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RawRowTable {
  batch_id: number;
  row_number: number;
  /**
   * The cells exactly as received, as the text of a JSON array of strings (a cell holding NUL or half a
   * surrogate pair as `{"escaped": …}`): src/base/raw-cells.ts writes and reads it.
   */
  cells: string;
}

/** A cleaned row of a batch: the values cleaning produced (src/clean/record.ts) where it was read. */
export interface RecordTable extends CleanValues {
  batch_id: number;
  row_number: number;
  /** Codes of what cleaning found in this row; their field, severity and message are in finding_kind. */
  findings: string[];
}

export interface FindingKindTable {
  code: string;
  field: string;
  severity: 'fix' | 'warning' | 'invalid';
  message: string;
}

export interface FieldStatTable {
  batch_id: number;
  field: string;
  clean: number;
  fixed: number;
  flagged: number;
  invalid: number;
  missing: number;
}

export interface LinkRunTable {
  id: Generated<number>;
  started_at: ColumnType<Date, never, never>;
  finished_at: ColumnType<Date | null, never, Date | null>;
  records: number | null;
  pairs_compared: ColumnType<string | null, number | null, number | null>;
  persons: number | null;
  doses: number | null;
  accepted: number | null;
  review: number | null;
  vetoed: number | null;
  details: ColumnType<unknown, string | null, string | null>;
  /** Unlabelled: stored before models kept their level labels (refused when read, see model-json.ts). */
  model: ColumnType<ModelJson | UnlabelledModelJson | null, string | null, string | null>;
}

export interface PersonTable {
  id: Generated<string>;
  link_run_id: number;
  full_name: string | null;
  birth_date: string | null;
  sex: 'male' | 'female' | null;
  citizen_id: string | null;
  phone: string | null;
  commune_code: string | null;
  address: string | null;
  /** Per golden field, the rows ('batch:row') behind the chosen value. */
  sources: ColumnType<Record<string, string[]>, string, string>;
}

export interface PersonRecordTable {
  batch_id: number;
  row_number: number;
  person_id: string;
}

/** A linked record's blocking key (migrations/0018_link_key.ts). */
export interface LinkKeyTable {
  rule: number;
  key: string;
  batch_id: number;
  row_number: number;
}

/** How many link_key rows a block (rule, key) has (migrations/0020_link_block.ts). */
export interface LinkBlockTable {
  rule: number;
  key: string;
  size: number;
}

export type LinkStatus = 'accepted' | 'review' | 'vetoed';

export interface MatchLinkTable {
  link_run_id: number;
  a_batch: number;
  a_row: number;
  b_batch: number;
  b_row: number;
  weight: number;
  probability: number;
  status: LinkStatus;
  reason: string | null;
}

export interface DoseTable {
  id: Generated<string>;
  person_id: string;
  vaccine_code: string | null;
  vaccination_date: string | null;
  dose_number: number | null;
  conflicts: string[];
  /** Where the dose was given: the least of its rows' current communes, pre-2025 communes and sites (0019). */
  commune_current: string | null;
  commune_old: string | null;
  facility_code: string | null;
}

export interface DoseRecordTable {
  batch_id: number;
  row_number: number;
  dose_id: string;
}

export interface ReviewDecisionTable {
  a_batch: number;
  a_row: number;
  b_batch: number;
  b_row: number;
  decision: 'same' | 'different';
  decided_by: string;
  decided_at: ColumnType<Date, never, never>;
  /** The link run that took the decision into account; null while pending. */
  applied_run: ColumnType<number | null, number | null | undefined, number | null>;
}

/** A person's move to another commune that rests on one station's rows, held for the working group. */
export interface CommuneHoldTable {
  person_id: string;
  link_run_id: number;
  /** The commune the golden record kept. */
  kept: string;
  proposed: string;
  station_code: string;
  rows: string[];
}

export interface Schema {
  batch: BatchTable;
  raw_row: RawRowTable;
  record: RecordTable;
  finding_kind: FindingKindTable;
  field_stat: FieldStatTable;
  link_run: LinkRunTable;
  person: PersonTable;
  person_record: PersonRecordTable;
  link_key: LinkKeyTable;
  link_block: LinkBlockTable;
  match_link: MatchLinkTable;
  dose: DoseTable;
  dose_record: DoseRecordTable;
  review_decision: ReviewDecisionTable;
  commune_hold: CommuneHoldTable;
  registry_check: RegistryCheckTable;
  outbox: OutboxTable;
  push_run: PushRunTable;
  job_run: JobRunTable;
  job_stage: JobStageTable;
  registry_entry: RegistryEntryTable;
  registry_load: RegistryLoadTable;
  api_key: ApiKeyTable;
  audit_log: AuditLogTable;
  target_population: TargetPopulationTable;
  record_correction: RecordCorrectionTable;
  police_answer: PoliceAnswerTable;
  police_sign_off: PoliceSignOffTable;
}

/** One field a correction changed, as the station typed it (migrations/0016_corrections.ts). */
export interface CorrectionChange {
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

/** An earlier record superseded by a later row of the same station or source with the same record_id. */
export interface RecordCorrectionTable {
  old_batch: number;
  old_row: number;
  new_batch: number;
  new_row: number;
  record_id: string;
  changes: ColumnType<CorrectionChange[], string, string>;
  corrected_by: string | null;
  corrected_at: ColumnType<Date, never, never>;
}

/** A target population an operator imported (migrations/0014_report_fields.ts, src/report/targets.ts). */
export interface TargetPopulationTable {
  commune_code: string;
  year: number;
  population_group: 'under1' | 'age18m';
  count: number;
  source: string;
  imported_at: ColumnType<Date, never, Date>;
}

/** One citizen of a loaded registry extract (connectors/registry/file.ts), cleaned. */
export interface RegistryEntryTable {
  /** The extract's file name. */
  source: string;
  row_number: number;
  citizen_id: string;
  full_name: string | null;
  name_key: string | null;
  birth_date: string | null;
  sex: 'male' | 'female' | null;
  commune_code: string | null;
  status: 'alive' | 'deceased';
  death_date: string | null;
  loaded_at: ColumnType<Date, never, never>;
}

/** One loaded registry extract and what its load found. */
export interface RegistryLoadTable {
  source: string;
  /** The partition of registry_entry that holds this extract. */
  partition_table: string;
  /** Loads of this source so far; names the partition. */
  generation: number;
  file_sha256: string;
  format: 'csv' | 'xlsx';
  rows: number;
  loaded: number;
  rejected: number;
  duplicates: number;
  loaded_at: ColumnType<Date, never, Date | undefined>;
}

export type RegistryStatus = 'verified' | 'corrected' | 'conflict' | 'not_found' | 'no_id' | 'deceased';

/** The last registry check of a person (migrations/0007_registry_check.ts). */
export interface RegistryCheckTable {
  person_id: ColumnType<string, string | number, never>;
  person_link_run: number;
  checked_at: ColumnType<Date, Date | undefined, Date>;
  registry: string;
  status: RegistryStatus;
  fields: string[];
  /** By the person's ID, by name + birth date, or from a police officer's answer (migrations/0017_police.ts). */
  found_by: 'id' | 'identity' | 'police' | null;
  citizen_id: string | null;
  note: string | null;
  ours: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  registry_identity: ColumnType<Record<string, unknown> | null, string | null, string | null>;
}

export type OutboxState = 'pending' | 'in_flight' | 'acknowledged' | 'rejected' | 'failed';

/** One person to push to the platform (migrations/0008_outbox.ts). */
export interface OutboxTable {
  person_id: ColumnType<string, string | number, never>;
  state: OutboxState;
  payload_hash: string;
  acked_hash: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
  lease_until: Date | null;
  /** The push run holding the person while `in_flight` (migrations/0012_push_run.ts). */
  claimed_by: ColumnType<string | null, string | number | null, string | number | null>;
  last_error: string | null;
  reply: ColumnType<{ resource: string; status: number; reason?: string }[] | null, string | null, string | null>;
  queued_at: ColumnType<Date, Date | undefined, Date>;
  acknowledged_at: Date | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export type PushRunOutcome = 'finished' | 'failed' | 'died';

/** One push run (migrations/0012_push_run.ts): alive while its session lock is held. */
export interface PushRunTable {
  id: ColumnType<string, string | number, never>;
  host: string;
  pid: number;
  started_at: ColumnType<Date, Date | undefined, never>;
  ended_at: Date | null;
  outcome: PushRunOutcome | null;
}

export type ApiRole = 'station' | 'reviewer' | 'operator' | 'police';

/** A key of the HTTP API (migrations/0010_access.ts); only the sha256 of its secret is stored. */
export interface ApiKeyTable {
  id: Generated<number>;
  name: string;
  key_hash: string;
  role: ApiRole;
  station_code: string | null;
  commune_code: string | null;
  created_at: ColumnType<Date, never, never>;
  revoked_at: ColumnType<Date | null, never, Date | null>;
}

/** Who read or changed personal data through the API, or was refused (migrations/0010_access.ts). */
export interface AuditLogTable {
  id: ColumnType<string, never, never>;
  at: ColumnType<Date, never, never>;
  actor: string;
  role: string;
  action: string;
  resource: string | null;
  outcome: 'ok' | 'denied' | 'error';
  ip: string | null;
  /** Attempts the row stands for: 1, or the failed authentications of one address, actor and action in a minute. */
  count: ColumnType<number, number | undefined, number>;
}

export type JobTrigger = 'schedule' | 'manual' | 'api';
export type JobRunStatus = 'running' | 'succeeded' | 'failed' | 'abandoned';
export type JobStageName = 'import' | 'link' | 'reconcile' | 'push' | 'report';
export type JobStageStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'abandoned';

/** One run of the nightly pipeline (migrations/0009_jobs.ts). */
export interface JobRunTable {
  id: Generated<number>;
  trigger: JobTrigger;
  /** hostname:pid of the process that ran it. */
  instance: string;
  started_at: ColumnType<Date, Date | undefined, never>;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  status: JobRunStatus;
  error: string | null;
}

/** One stage of a run: what it counted, how long it took, why it failed or was skipped. */
export interface JobStageTable {
  run_id: number;
  stage: JobStageName;
  started_at: ColumnType<Date, Date | undefined, Date>;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  status: JobStageStatus;
  counts: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  error: string | null;
}

export type PoliceOutcome = 'id_confirmed' | 'corrected' | 'not_resident' | 'deceased';

/** One answer of a police officer about a person (migrations/0017_police.ts); the newest per person is in force. */
export interface PoliceAnswerTable {
  id: ColumnType<string, never, never>;
  person_id: ColumnType<string, string | number, never>;
  commune_code: string;
  outcome: PoliceOutcome;
  citizen_id: string | null;
  full_name: string | null;
  birth_date: string | null;
  sex: 'male' | 'female' | null;
  death_date: string | null;
  note: string | null;
  /** What the list showed: the registry status and the identity the officer was asked about. */
  asked: ColumnType<Record<string, unknown>, string, never>;
  officer: string;
  officer_key_id: number;
  recorded_at: ColumnType<Date, never, never>;
  sign_off_id: number | null;
}

/** A police list signed back to the station (migrations/0017_police.ts). */
export interface PoliceSignOffTable {
  id: Generated<number>;
  commune_code: string;
  officer: string;
  officer_key_id: number;
  signed_at: ColumnType<Date, never, never>;
  people: number;
  answered: number;
  outcomes: ColumnType<Record<string, number>, string, never>;
}
