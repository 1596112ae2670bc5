/**
 * A person as the API shows it: the golden record, the source rows behind it, its doses with the rows
 * reporting each, and its last registry status. Kept apart from the routes so the queries read as one unit.
 */
import { doseConflictVi } from '../../matchers/index.js';
import { FIELD_LABELS_VI } from '../clean/findings-catalogue.js';
import { vaccineNameVi } from '../clean/vaccine.js';
import type { Database } from '../db/database.js';
import { registryNoteVi } from '../reconcile/notes.js';
import type { z } from 'zod';
import type { PersonAnswer, PersonLookupAnswer } from './routes/persons.schemas.js';

type Person = z.input<typeof PersonAnswer>;
type Golden = z.input<typeof PersonLookupAnswer>['persons'][number];

const GOLDEN_COLUMNS = ['id', 'full_name', 'birth_date', 'sex', 'citizen_id', 'phone', 'commune_code', 'address'] as const;

function toGolden(p: { id: string; full_name: string | null; birth_date: string | null; sex: string | null; citizen_id: string | null; phone: string | null; commune_code: string | null; address: string | null }): Golden {
  return {
    id: String(p.id),
    fullName: p.full_name,
    birthDate: p.birth_date,
    sex: p.sex,
    citizenId: p.citizen_id,
    phone: p.phone,
    communeCode: p.commune_code,
    address: p.address,
  };
}

/** The person's commune, or undefined when there is no such person (for the station check before reading more). */
export async function personCommune(database: Database, id: string): Promise<string | null | undefined> {
  const row = await database.db.selectFrom('person').select('commune_code').where('id', '=', id).executeTakeFirst();
  return row ? row.commune_code : undefined;
}

export async function readPerson(database: Database, id: string): Promise<Person | null> {
  const person = await database.db.selectFrom('person').select(GOLDEN_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!person) return null;
  const [sources, doses, doseRows, check] = await Promise.all([
    database.db
      .selectFrom('person_record as pr')
      .innerJoin('record as r', (j) => j.onRef('r.batch_id', '=', 'pr.batch_id').onRef('r.row_number', '=', 'pr.row_number'))
      .innerJoin('batch as b', 'b.id', 'r.batch_id')
      .where('pr.person_id', '=', id)
      .select(['r.batch_id', 'r.row_number', 'r.record_id', 'b.station_code', 'r.full_name', 'r.birth_date', 'r.citizen_id', 'r.phone', 'r.commune_current', 'r.commune_code'])
      .orderBy('r.batch_id')
      .orderBy('r.row_number')
      .execute(),
    database.db
      .selectFrom('dose')
      .select(['id', 'vaccine_code', 'vaccination_date', 'dose_number', 'conflicts'])
      .where('person_id', '=', id)
      .orderBy('vaccination_date')
      .orderBy('id')
      .execute(),
    database.db
      .selectFrom('dose_record as dr')
      .innerJoin('dose as d', 'd.id', 'dr.dose_id')
      .where('d.person_id', '=', id)
      .select(['dr.dose_id', 'dr.batch_id', 'dr.row_number'])
      .execute(),
    database.db.selectFrom('registry_check').select(['status', 'fields', 'checked_at', 'note']).where('person_id', '=', id).executeTakeFirst(),
  ]);
  const rowsOfDose = new Map<string, string[]>();
  for (const r of doseRows) {
    const key = String(r.dose_id);
    const list = rowsOfDose.get(key) ?? [];
    list.push(`${r.batch_id}:${r.row_number}`);
    rowsOfDose.set(key, list);
  }
  return {
    ...toGolden(person),
    sources: sources.map((s) => ({
      ref: `${s.batch_id}:${s.row_number}`,
      recordId: s.record_id,
      batchId: s.batch_id,
      stationCode: s.station_code,
      fullName: s.full_name,
      birthDate: s.birth_date,
      citizenId: s.citizen_id,
      phone: s.phone,
      communeCode: s.commune_current ?? s.commune_code,
    })),
    doses: doses.map((d) => ({
      id: String(d.id),
      vaccine: d.vaccine_code,
      vaccineName: vaccineNameVi(d.vaccine_code),
      date: d.vaccination_date,
      doseNumber: d.dose_number,
      conflicts: d.conflicts,
      conflictsVi: d.conflicts.map(doseConflictVi),
      records: rowsOfDose.get(String(d.id)) ?? [],
    })),
    registry: check
      ? {
          status: check.status,
          fields: check.fields,
          fieldsVi: check.fields.map((f) => FIELD_LABELS_VI[f as keyof typeof FIELD_LABELS_VI] ?? f),
          checkedAt: check.checked_at.toISOString(),
          note: check.note,
          noteVi: check.note === null ? null : registryNoteVi(check.note),
        }
      : null,
  };
}

/** People whose golden citizen ID is `citizenId`, within `commune` when given (a station's reach). */
export async function findPersonsByCitizenId(database: Database, citizenId: string, commune: string | null): Promise<Golden[]> {
  let query = database.db.selectFrom('person').select(GOLDEN_COLUMNS).where('citizen_id', '=', citizenId);
  if (commune !== null) query = query.where('commune_code', '=', commune);
  const rows = await query.orderBy('id').limit(100).execute();
  return rows.map(toGolden);
}
