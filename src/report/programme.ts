/**
 * The reports the directives ask for, as tables: coverage by age group and dose, the call list of people
 * due a dose by village, daily progress, and the đúng / đủ / sạch / sống figures per commune.
 *
 * People and their doses are read once (golden records and deduplicated doses, so a dose reported three
 * times counts once) and every figure is computed from them by the schedule engine; tests check each
 * against a direct SQL count.
 */
import type { Database } from '../db/database.js';
import { addSpan, dayOf } from '../schedule/calendar.js';
import { COVID_AGE_GROUPS, COVID_GROUPS, PROGRAMME_DOSES } from '../schedule/rules.js';
import { scheduleStatus } from '../schedule/status.js';
import { callList } from './call-list.js';
import { loadPeople, type ReportScope } from './people.js';
import type { ReportTable } from './table.js';

export type { ReportTable } from './table.js';
export type { ReportScope } from './people.js';

const percent = (n: number, of: number): number | null => (of === 0 ? null : Math.round((1000 * n) / of) / 10);

/**
 * Coverage: COVID-19 by age group and number of doses (valid doses; a Janssen first dose counts as two, a whole
 * primary series), and each childhood programme dose among the children past its recommended window and under
 * the catch-up age (5 years), per commune and overall. A dose counts as the schedule engine counts it: by
 * antigen, only when valid.
 */
export async function coverageReport(database: Database, scope: ReportScope): Promise<ReportTable> {
  const people = await loadPeople(database, scope);
  const today = dayOf(scope.date)!;
  type Cell = { people: number; doses: number[] };
  const cells = new Map<string, Cell>();
  // Keys: the commune (or 'không rõ xã' for people without one) and the overall row, ALL.
  const ALL = '\u0001';
  const add = (commune: string, group: string, doses: number, maxDoses: number) => {
    for (const key of [`${commune}\u0000${group}`, `${ALL}\u0000${group}`]) {
      const cell = cells.get(key) ?? { people: 0, doses: new Array<number>(maxDoses + 1).fill(0) };
      cell.people++;
      for (let k = 1; k <= Math.min(doses, maxDoses); k++) cell.doses[k]!++;
      cells.set(key, cell);
    }
  };
  for (const person of people) {
    const status = scheduleStatus(person.birthDate, person.doses, scope.date, { covidCampaignEnd: scope.covidCampaignEnd });
    const commune = person.commune ?? 'không rõ xã';
    const group = status.ageYears === null ? undefined : COVID_AGE_GROUPS.find((g) => status.ageYears! >= g.years[0] && status.ageYears! < g.years[1]);
    if (group && status.covid) add(commune, `COVID-19 ${group.label}`, status.covid.counted, maxCovidDoses(group.years));
    if (status.childhood) {
      const birth = dayOf(person.birthDate!)!;
      for (const dose of status.childhood) {
        const rule = PROGRAMME_DOSES.find((r) => r.vaccine === dose.vaccine && r.dose === dose.dose)!;
        if (today <= addSpan(addSpan(birth, rule.recommendedAge), rule.dueFor)) continue;
        add(commune, `${dose.vaccine} mũi ${dose.dose}`, dose.state === 'given' ? 1 : 0, 1);
      }
    }
  }
  const rows = [...cells]
    .map(([key, cell]) => {
      const [commune, group] = key.split('\u0000') as [string, string];
      return [
        commune === ALL ? 'tất cả' : commune,
        group,
        cell.people,
        // A dose the group's schedule does not have is blank, not 0%.
        ...[1, 2, 3, 4].map((k) => (k < cell.doses.length ? percent(cell.doses[k]!, cell.people) : null)),
      ];
    })
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])));
  return {
    title: `Tỷ lệ bao phủ tiêm chủng đến ngày ${scope.date}`,
    columns: ['commune', 'group', 'people', '≥1 dose %', '≥2 doses %', '≥3 doses %', '≥4 doses %'],
    rows,
  };
}

/** The most COVID-19 doses the schedule gives anyone of an age group: two primary doses and its boosters. */
function maxCovidDoses(years: readonly [number, number]): number {
  const group = COVID_GROUPS.find((g) => g.ageYears[0] === years[0])!;
  return 2 + group.boosters.length;
}

/**
 * Daily progress: what each day added, from a week before the report date up to it. For one commune, the
 * rows of that commune (a batch counts on a day when it brought at least one) and its people's doses,
 * checks and pushes: a station asking for its commune must not get the province's figures.
 */
export async function progressReport(database: Database, scope: ReportScope): Promise<ReportTable> {
  const commune = scope.commune ?? null;
  const loaded = commune
    ? `select b.id, b.finished_at::date as day, count(*) as records, count(*) filter (where r.quarantine_reason is null) as cleaned
       from batch b join record r on r.batch_id = b.id
       where b.status = 'loaded' and b.finished_at::date between $1::date - 6 and $1::date and r.commune_current = $2
       group by b.id, b.finished_at`
    : `select b.id, b.finished_at::date as day, b.row_count as records, b.row_count - b.quarantined_count as cleaned
       from batch b where b.status = 'loaded' and b.finished_at::date between $1::date - 6 and $1::date`;
  const ofCommune = (alias: string) => (commune ? `and exists (select 1 from person p where p.id = ${alias}.person_id and p.commune_code = $2)` : '');
  const rows = await database.withTransaction((tx) =>
    tx.query<{ day: string; batches: string; records: string; cleaned: string; doses: string; verified: string; pushed: string }>(
      `with days as (select generate_series($1::date - 6, $1::date, interval '1 day')::date as day),
            loaded as (${loaded})
       select to_char(d.day, 'YYYY-MM-DD') as day,
         (select count(*) from loaded b where b.day = d.day) as batches,
         (select coalesce(sum(b.records), 0) from loaded b where b.day = d.day) as records,
         (select coalesce(sum(b.cleaned), 0) from loaded b where b.day = d.day) as cleaned,
         (select count(*) from dose x where x.vaccination_date = to_char(d.day, 'YYYY-MM-DD') ${ofCommune('x')}) as doses,
         (select count(*) from registry_check c where c.status in ('verified', 'corrected') and c.checked_at::date = d.day ${ofCommune('c')}) as verified,
         (select count(*) from outbox o where o.acknowledged_at::date = d.day ${ofCommune('o')}) as pushed
       from days d order by d.day`,
      commune ? [scope.date, commune] : [scope.date],
    ),
  );
  return {
    title: `Tiến độ hằng ngày đến ngày ${scope.date}${commune ? `, xã ${commune}` : ''}`,
    columns: ['day', 'batches loaded', 'records added', 'records usable', 'doses given that day', 'people verified', 'people pushed'],
    rows: rows.map((r) => [r.day, Number(r.batches), Number(r.records), Number(r.cleaned), Number(r.doses), Number(r.verified), Number(r.pushed)]),
  };
}

/**
 * Đúng, đủ, sạch, sống per commune (DOMAIN.md §6.1): correct = the registry verified or corrected the
 * person; complete = name, birth date to the day, sex, citizen ID and commune all present; clean = none of
 * the person's rows has an invalid value; alive = the registry does not say deceased.
 */
export async function qualityReport(database: Database, scope: ReportScope): Promise<ReportTable> {
  const where = scope.commune ? 'where p.commune_code = $1' : '';
  const rows = await database.withTransaction((tx) =>
    tx.query<{ commune: string | null; total: boolean; people: string; correct: string; complete: string; clean: string; alive: string }>(
      `with flags as (
         select p.id, p.commune_code,
           coalesce(c.status in ('verified', 'corrected'), false) as correct,
           (p.full_name is not null and length(p.birth_date) = 10 and p.sex is not null and p.citizen_id is not null and p.commune_code is not null) as complete,
           not exists (
             select 1 from person_record pr join record r on r.batch_id = pr.batch_id and r.row_number = pr.row_number
             join finding_kind k on k.code = any(r.findings)
             where pr.person_id = p.id and k.severity = 'invalid') as clean,
           coalesce(c.status, '') <> 'deceased' as alive
         from person p left join registry_check c on c.person_id = p.id ${where})
       select commune_code as commune, grouping(commune_code) = 1 as total, count(*) as people, count(*) filter (where correct) as correct,
              count(*) filter (where complete) as complete, count(*) filter (where clean) as clean, count(*) filter (where alive) as alive
       from flags group by rollup (commune_code) order by grouping(commune_code), commune_code nulls last`,
      scope.commune ? [scope.commune] : [],
    ),
  );
  return {
    title: 'Dữ liệu đúng, đủ, sạch, sống',
    columns: ['commune', 'people', 'đúng %', 'đủ %', 'sạch %', 'sống %'],
    rows: rows.map((r) => {
      const n = Number(r.people);
      const label = r.total ? 'tất cả' : (r.commune ?? 'không rõ xã');
      return [label, n, percent(Number(r.correct), n), percent(Number(r.complete), n), percent(Number(r.clean), n), percent(Number(r.alive), n)];
    }),
  };
}

/** The programme reports, in the order the CLI, the HTTP API and their help list them. */
export const REPORT_KINDS = ['coverage', 'due', 'progress', 'quality'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORTS: Readonly<Record<ReportKind, (database: Database, scope: ReportScope) => Promise<ReportTable>>> = {
  coverage: coverageReport,
  due: callList,
  progress: progressReport,
  quality: qualityReport,
};

export function isReportKind(kind: string): kind is ReportKind {
  return (REPORT_KINDS as readonly string[]).includes(kind);
}
