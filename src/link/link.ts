/**
 * The link stage: every cleaned record of every loaded batch is matched (matchers/), records of one
 * person get one person id, and within each person the rows reporting the same injection get one dose id.
 *
 * This first version relinks everything on each run and replaces the previous result in one
 * transaction: simple and always consistent, but person ids are not yet stable across runs.
 */
import { sql } from 'kysely';
import { groupDoses, type DoseGroup, type DoseRow } from '../../matchers/doses.js';
import { linkRecords, type LinkResult, type LinkSettings, type MatchRecord } from '../../matchers/index.js';
import { modelToJson } from '../../matchers/model-json.js';
import { copyLine, textArrayLiteral } from '../db/copy.js';
import type { Database, RawTransaction } from '../db/database.js';
import { loadDecisions } from './decisions.js';
import { goldenRecord } from './golden.js';
import { reserveIds } from './ids.js';
import { keepIds } from './stable-ids.js';

/** A cleaned record's key: its batch and its row in the file. */
export interface RecordRef {
  readonly batch: number;
  readonly row: number;
}

export interface LinkSummary {
  readonly runId: number;
  readonly records: number;
  readonly quarantined: number;
  readonly persons: number;
  readonly doses: number;
  readonly pairsCompared: number;
  readonly accepted: number;
  readonly review: number;
  readonly vetoed: number;
  readonly doseConflicts: number;
  readonly warnings: readonly string[];
  readonly seconds: Readonly<Record<string, number>>;
}

/** One cleaned record as the link stage reads it. */
export interface LinkRow {
  readonly batch_id: number;
  readonly row_number: number;
  readonly quarantined: boolean;
  readonly name_key: string | null;
  readonly full_name: string | null;
  readonly birth_date: string | null;
  readonly sex: 'male' | 'female' | null;
  readonly citizen_id: string | null;
  readonly citizen_id_kind: 'cccd' | 'cmnd' | 'invalid' | null;
  readonly phone: string | null;
  readonly commune_current: string | null;
  readonly address: string | null;
  readonly vaccine_code: string | null;
  readonly vaccination_date: string | null;
  readonly dose_number: number | null;
  readonly lot_number: string | null;
}

/** Only one link run at a time, on any number of instances (a PostgreSQL advisory lock key). */
const LINK_LOCK = 0x7661_7831; // "vax1"

export async function linkAll(database: Database, settings: LinkSettings = {}): Promise<LinkSummary> {
  const clock = () => performance.now() / 1000;
  const seconds: Record<string, number> = {};
  let t = clock();
  const lap = (stage: string) => {
    const now = clock();
    seconds[stage] = (seconds[stage] ?? 0) + now - t;
    t = now;
  };

  const rows = await loadRows(database);
  lap('load');
  const matchable: LinkRow[] = [];
  const matchRecords: MatchRecord[] = [];
  for (const row of rows) {
    if (row.quarantined) continue;
    matchRecords.push(toMatchRecord(row, matchRecords.length));
    matchable.push(row);
  }
  const index = new Map(matchable.map((row, i) => [refKey(row), i]));
  const decisions: { same: [number, number][]; different: [number, number][] } = { same: [], different: [] };
  for (const d of await loadDecisions(database)) {
    const a = index.get(`${d.a.batch}:${d.a.row}`);
    const b = index.get(`${d.b.batch}:${d.b.row}`);
    // A decision about a record that is no longer matchable (its batch failed, it is quarantined) waits.
    if (a !== undefined && b !== undefined) decisions[d.decision].push([a, b]);
  }
  const result = linkRecords(matchRecords, { ...settings, decisions });
  lap('match');
  for (const [stage, s] of Object.entries(result.stats.seconds)) if (stage !== 'total') seconds[`match.${stage}`] = s;

  // Persons: one per cluster, and one per quarantined row (it still appears in every output).
  const clusterCount = result.clusters.reduce((max, c) => Math.max(max, c + 1), 0);
  const quarantined = rows.length - matchable.length;
  const members: number[][] = Array.from({ length: clusterCount }, () => []);
  result.clusters.forEach((cluster, i) => members[cluster]!.push(i));

  const summary = await database.withTransaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [LINK_LOCK]);
    const [run] = await tx.query<{ id: number }>('insert into link_run default values returning id');
    const runId = run!.id;
    // Ids the rows had in the previous run, so that people and doses that come out the same keep them.
    const previousPerson = await idsByRecord(tx, 'select batch_id, row_number, person_id as id from person_record');
    const previousDose = await idsByRecord(tx, 'select batch_id, row_number, dose_id as id from dose_record');
    await tx.query('delete from dose_record');
    await tx.query('delete from dose');
    await tx.query('delete from person_record');
    await tx.query('delete from match_link');
    await tx.query('delete from person');
    lap('clear');

    // People: the clusters, then each quarantined row on its own.
    const personRows: LinkRow[][] = [...members.map((indexes) => indexes.map((i) => matchable[i]!)), ...rows.filter((r) => r.quarantined).map((r) => [r])];
    const personIds = await assignIds(tx, 'person', keepIds(personRows, (r) => previousPerson.get(refKey(r))));
    let personText = '';
    let personRecordText = '';
    personRows.forEach((group, p) => {
      personText += personLine(personIds[p]!, runId, group);
      for (const row of group) personRecordText += copyLine([row.batch_id, row.row_number, personIds[p]!]);
    });

    // Doses, person by person (a quarantined row that reports an injection is its own person's only dose).
    const doseGroups: { person: number; rows: LinkRow[]; group: DoseGroup }[] = [];
    personRows.forEach((group, p) => {
      for (const dose of groupDoses(group.map((row, i) => toDoseRow(row, i)))) {
        doseGroups.push({ person: p, rows: dose.rows.map((i) => group[i]!), group: dose });
      }
    });
    const doseIds = await assignIds(tx, 'dose', keepIds(doseGroups.map((d) => d.rows), (r) => previousDose.get(refKey(r))));
    let doseText = '';
    let doseRecordText = '';
    let doseConflicts = 0;
    doseGroups.forEach(({ person, rows: doseRows, group }, d) => {
      if (group.conflicts.length > 0) doseConflicts++;
      doseText += copyLine([doseIds[d]!, personIds[person]!, group.vaccine, group.date, group.doseNumber, textArrayLiteral(group.conflicts)]);
      for (const row of doseRows) doseRecordText += copyLine([row.batch_id, row.row_number, doseIds[d]!]);
    });
    const personCount = personRows.length;
    const doseCount = doseGroups.length;
    lap('doses');

    await tx.copy('person', PERSON_COLUMNS, personText);
    await tx.copy('person_record', ['batch_id', 'row_number', 'person_id'], personRecordText);
    await tx.copy('dose', ['id', 'person_id', 'vaccine_code', 'vaccination_date', 'dose_number', 'conflicts'], doseText);
    await tx.copy('dose_record', ['batch_id', 'row_number', 'dose_id'], doseRecordText);
    await tx.copy('match_link', MATCH_LINK_COLUMNS, linkText(runId, result, matchable));
    lap('write');

    const counts = {
      records: rows.length,
      quarantined,
      persons: personCount,
      doses: doseCount,
      pairsCompared: result.stats.pairsCompared,
      accepted: result.accepted.length,
      review: result.review.length,
      vetoed: result.vetoed.length,
      doseConflicts,
    };
    await tx.query(
      `update link_run set finished_at = now(), records = $2, pairs_compared = $3, persons = $4, doses = $5,
         accepted = $6, review = $7, vetoed = $8, details = $9, model = $10 where id = $1`,
      [
        runId, counts.records, counts.pairsCompared, counts.persons, counts.doses, counts.accepted, counts.review,
        counts.vetoed, JSON.stringify({ seconds, perRule: result.stats.perRule, warnings: result.stats.blockingWarnings }),
        JSON.stringify(modelToJson(result.model)),
      ],
    );
    return { runId, ...counts };
  });
  return { ...summary, warnings: result.stats.blockingWarnings, seconds };
}

const refKey = (row: LinkRow) => `${row.batch_id}:${row.row_number}`;

async function idsByRecord(tx: RawTransaction, query: string): Promise<Map<string, string>> {
  const rows = await tx.query<{ batch_id: number; row_number: number; id: string }>(query);
  return new Map(rows.map((r) => [`${r.batch_id}:${r.row_number}`, String(r.id)]));
}

/** The kept ids, and fresh ones from the table's sequence where `kept` has none. */
async function assignIds(tx: RawTransaction, table: 'person' | 'dose', kept: readonly (string | null)[]): Promise<string[]> {
  let next = await reserveIds(tx, table, kept.filter((id) => id === null).length);
  return kept.map((id) => id ?? String(next++));
}

const PERSON_COLUMNS = ['id', 'link_run_id', 'full_name', 'birth_date', 'sex', 'citizen_id', 'phone', 'commune_code', 'address', 'sources'];

/** A person's row: its golden record, with the rows behind each value. */
function personLine(id: string, runId: number, rows: readonly LinkRow[]): string {
  const golden = goldenRecord(rows.map((row) => toMatchRecord(row, 0)));
  const v = golden.values;
  const sources: Record<string, string[]> = {};
  for (const [field, indexes] of Object.entries(golden.sources)) {
    sources[field] = indexes.map((i) => `${rows[i]!.batch_id}:${rows[i]!.row_number}`);
  }
  return copyLine([id, runId, v.full_name, v.birth_date, v.sex, v.citizen_id, v.phone, v.commune, v.address, JSON.stringify(sources)]);
}


const MATCH_LINK_COLUMNS = ['link_run_id', 'a_batch', 'a_row', 'b_batch', 'b_row', 'weight', 'probability', 'status', 'reason'];

function linkText(runId: number, result: LinkResult, rows: readonly LinkRow[]): string {
  let text = '';
  const add = (status: 'accepted' | 'review' | 'vetoed') => (link: LinkResult['accepted'][number]) => {
    const a = rows[link.a]!;
    const b = rows[link.b]!;
    text += copyLine([runId, a.batch_id, a.row_number, b.batch_id, b.row_number, link.weight, link.probability, status, link.reason ?? null]);
  };
  // Of the accepted links only those that joined two clusters are kept: they explain every merge, and
  // the rest (several times as many on real data) would only repeat them.
  result.joined.forEach(add('accepted'));
  result.review.forEach(add('review'));
  result.vetoed.forEach(add('vetoed'));
  return text;
}

/** The cleaned records of every loaded batch, or only those at `refs`, in file order. */
export async function loadRows(database: Database, refs?: readonly RecordRef[]): Promise<LinkRow[]> {
  let query = database.db
    .selectFrom('record as r')
    .innerJoin('batch as b', 'b.id', 'r.batch_id')
    .where('b.status', '=', 'loaded');
  if (refs) {
    query = query.where((eb) => eb.or(refs.map((ref) => eb.and([eb('r.batch_id', '=', ref.batch), eb('r.row_number', '=', ref.row)]))));
  }
  return query
    .select([
      'r.batch_id', 'r.row_number', sql<boolean>`r.quarantine_reason is not null`.as('quarantined'), 'r.name_key',
      'r.full_name', 'r.birth_date', 'r.sex', 'r.citizen_id', 'r.citizen_id_kind', 'r.phone', 'r.commune_current',
      'r.address', 'r.vaccine_code', 'r.vaccination_date', 'r.dose_number', 'r.lot_number',
    ])
    .orderBy('r.batch_id')
    .orderBy('r.row_number')
    .execute();
}

export function toMatchRecord(row: LinkRow, id: number): MatchRecord {
  return {
    id,
    nameKey: row.name_key,
    nameFull: row.full_name,
    birthDate: row.birth_date,
    sex: row.sex,
    // An invalid ID is kept as evidence in the record, but it is not an identifier to match on.
    citizenId: row.citizen_id_kind === 'invalid' ? null : row.citizen_id,
    citizenIdKind: row.citizen_id_kind === 'invalid' ? null : row.citizen_id_kind,
    phone: row.phone,
    commune: row.commune_current,
    address: row.address,
  };
}

function toDoseRow(row: LinkRow, index: number): DoseRow {
  return { row: index, vaccine: row.vaccine_code, date: row.vaccination_date, doseNumber: row.dose_number, lot: row.lot_number };
}
