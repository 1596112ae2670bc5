/**
 * The people a programme report is about, read in one statement: living golden records (registry status not
 * `deceased`) of the scope with their deduplicated doses given on or before the report date, aggregated per
 * person in SQL, so a dose reported three times counts once and Node sees one row per person, handed to the
 * report one by one. Reports compute every figure from these with the schedule engine.
 *
 * A report that can only concern some people (the call list after the COVID-19 campaign: children under the
 * catch-up age; an age band) says so with a `PeopleFilter`, and only those are read: the filter is a superset
 * test on the birth date, the engine still decides exactly.
 */
import type { Database } from '../db/database.js';
import type { GivenDose } from '../schedule/status.js';

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
  readonly doses: GivenDose[];
}

/** Which people to read (every one by default). Each bound keeps anyone it cannot rule out. */
export interface PeopleFilter {
  /** Only people with a full birth date (yyyy-mm-dd) after this day (yyyy-mm-dd, exclusive) and not after the report date. */
  readonly exactBirthAfter?: string;
  /** Only people whose birth year (of a full or partial birth date) lies in this range, inclusive. */
  readonly birthYears?: readonly [number | null, number | null];
  /** Only people with a usable name (rows quarantined for lacking one make nameless people). */
  readonly named?: boolean;
  /**
   * Not those whose commune police last answered that they do not live in the commune (Project 06's check
   * loop): the station does not invite them; a later answer about the person (confirmed, corrected) brings
   * them back.
   */
  readonly residents?: boolean;
}

/** Separators of the aggregated doses: ASCII unit and record separators, which no code or date holds. */
const FIELD = '\u001f';
const RECORD = '\u001e';

/** Calls `visit` with each person of the scope that the filter keeps, in id order. */
export async function eachPerson(database: Database, scope: ReportScope, filter: PeopleFilter, visit: (person: ReportPerson) => void): Promise<void> {
  const params: unknown[] = [scope.date];
  const where: string[] = [`coalesce(c.status, '') <> 'deceased'`];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (scope.commune) where.push(`p.commune_code = ${param(scope.commune)}`);
  if (filter.named) where.push('p.full_name is not null');
  if (filter.residents) {
    where.push(`not exists (
      select 1 from police_answer a
      where a.person_id = p.id and a.commune_code = p.commune_code and a.outcome = 'not_resident'
        and not exists (select 1 from police_answer b where b.person_id = a.person_id and b.id > a.id))`);
  }
  if (filter.exactBirthAfter !== undefined) {
    where.push(`length(p.birth_date) = 10 and p.birth_date > ${param(filter.exactBirthAfter)} and p.birth_date <= $1`);
  }
  const [fromYear, toYear] = filter.birthYears ?? [null, null];
  if (fromYear !== null || toYear !== null) {
    where.push(`p.birth_date ~ '^[0-9]{4}'`);
    if (fromYear !== null) where.push(`substr(p.birth_date, 1, 4)::int >= ${param(fromYear)}`);
    if (toYear !== null) where.push(`substr(p.birth_date, 1, 4)::int <= ${param(toYear)}`);
  }
  // Doses aggregated per person before the join. When the filter keeps few people, only theirs are aggregated;
  // otherwise all at once, which PostgreSQL does faster than per person. The order of a person's doses (by id,
  // as the engine's ties expect) is restored in parseDoses: string_agg(… order by) sorts per group, slowly.
  const selective = filter.exactBirthAfter !== undefined || scope.commune !== undefined;
  const dosesOf = (people: string) => `
    select d.person_id,
           string_agg(d.id::text || E'\\x1f' || coalesce(d.vaccine_code, '') || E'\\x1f' || coalesce(d.vaccination_date, ''), E'\\x1e') as doses
    from dose d ${people}
    where d.vaccination_date is null or d.vaccination_date <= $1
    group by d.person_id`;
  const columns = 'p.id::text as id, p.full_name, p.birth_date, p.sex, p.phone, p.commune_code, p.address, g.doses';
  const sql = selective
    ? `with people as (
         select p.id, p.full_name, p.birth_date, p.sex, p.phone, p.commune_code, p.address
         from person p left join registry_check c on c.person_id = p.id
         where ${where.join(' and ')})
       select ${columns} from people p left join (${dosesOf('join people p on p.id = d.person_id')}) g on g.person_id = p.id
       order by p.id`
    : `select ${columns}
       from person p left join registry_check c on c.person_id = p.id left join (${dosesOf('')}) g on g.person_id = p.id
       where ${where.join(' and ')}
       order by p.id`;
  type Row = { id: string; full_name: string | null; birth_date: string | null; sex: string | null; phone: string | null; commune_code: string | null; address: string | null; doses: string | null };
  const toPerson = (p: Row): ReportPerson => ({
    id: p.id,
    fullName: p.full_name,
    birthDate: p.birth_date,
    sex: p.sex,
    phone: p.phone,
    commune: p.commune_code,
    address: p.address,
    doses: p.doses === null ? [] : parseDoses(p.doses),
  });
  // A page at a time through a cursor, the next page asked for before this one is visited: PostgreSQL reads
  // it while Node evaluates, so the two cores work at once, and a province's people are never all in memory.
  await database.withTransaction(async (tx) => {
    await tx.query(`declare report_people no scroll cursor for ${sql}`, params);
    const fetchPage = () => tx.query<Row>(`fetch ${PEOPLE_PAGE} from report_people`);
    let pending = fetchPage();
    for (;;) {
      const page = await pending;
      const more = page.length === PEOPLE_PAGE;
      if (more) {
        pending = fetchPage();
        // awaited on the next turn; a visit that throws first must not leave it unhandled
        pending.catch(() => {});
      }
      for (const row of page) visit(toPerson(row));
      if (!more) break;
    }
    await tx.query('close report_people');
  });
}

/** People per cursor page: large enough that round trips cost nothing, small enough to keep memory flat. */
const PEOPLE_PAGE = 10_000;

/** A person's aggregated doses, in the order of their ids. */
function parseDoses(text: string): GivenDose[] {
  const doses = text.split(RECORD).map((one): GivenDose & { id: string } => {
    const [id, vaccine, date] = one.split(FIELD) as [string, string, string];
    return { id, vaccine: vaccine === '' ? null : vaccine, date: date === '' ? null : date };
  });
  // ids are bigint text: a shorter one is smaller
  if (doses.length > 1) doses.sort((a, b) => a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return doses;
}
