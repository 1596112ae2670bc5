/**
 * The people a programme report is about, read once: living golden records (registry status not `deceased`)
 * of the scope with their deduplicated doses given on or before the report date, so a dose reported three
 * times counts once. Reports compute every figure from these with the schedule engine.
 */
import type { Database } from '../db/database.js';
import type { GivenDose } from '../schedule/status.js';
import { readContacts } from './contacts.js';

export interface ReportScope {
  /** One commune (current code); every commune by default. */
  readonly commune?: string | undefined;
  /** The report date, yyyy-mm-dd. */
  readonly date: string;
  /** From this day no COVID-19 dose is due (config `covidCampaignEnd`); the engine's default otherwise. */
  readonly covidCampaignEnd?: string | undefined;
}

export interface ReportPerson {
  readonly id: string;
  readonly fullName: string | null;
  readonly birthDate: string | null;
  readonly sex: string | null;
  readonly phone: string | null;
  readonly commune: string | null;
  readonly address: string | null;
  readonly guardianName: string | null;
  readonly guardianPhone: string | null;
  readonly school: string | null;
  readonly doses: GivenDose[];
}

export async function loadPeople(database: Database, scope: ReportScope): Promise<ReportPerson[]> {
  const where = scope.commune ? 'and p.commune_code = $2' : '';
  const params = scope.commune ? [scope.date, scope.commune] : [scope.date];
  const [persons, doses] = await database.withTransaction(async (tx) => [
    await tx.query<{ id: string; full_name: string | null; birth_date: string | null; sex: string | null; phone: string | null; commune_code: string | null; address: string | null }>(
      `select p.id::text as id, p.full_name, p.birth_date, p.sex, p.phone, p.commune_code, p.address
       from person p left join registry_check c on c.person_id = p.id
       where coalesce(c.status, '') <> 'deceased' and $1::text is not null ${where}
       order by p.id`,
      params,
    ),
    await tx.query<{ id: string; person_id: string; vaccine_code: string | null; vaccination_date: string | null }>(
      `select d.id::text as id, d.person_id::text as person_id, d.vaccine_code, d.vaccination_date
       from dose d join person p on p.id = d.person_id
       where (d.vaccination_date is null or d.vaccination_date <= $1) ${where}
       order by d.id`,
      params,
    ),
  ]);
  const byPerson = new Map<string, GivenDose[]>();
  for (const d of doses) {
    const list = byPerson.get(d.person_id) ?? [];
    list.push({ id: d.id, vaccine: d.vaccine_code, date: d.vaccination_date });
    byPerson.set(d.person_id, list);
  }
  const contacts = await readContacts(database, scope.commune);
  return persons.map((p) => {
    const contact = contacts.get(p.id);
    return {
      id: p.id,
      fullName: p.full_name,
      birthDate: p.birth_date,
      sex: p.sex,
      phone: p.phone,
      commune: p.commune_code,
      address: p.address,
      guardianName: contact?.guardianName ?? null,
      guardianPhone: contact?.guardianPhone ?? null,
      school: contact?.school ?? null,
      doses: byPerson.get(p.id) ?? [],
    };
  });
}
