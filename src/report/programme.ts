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
import { COVID_AGE_GROUPS, COVID_GROUPS, PROGRAMME_DOSES, PROGRAMME_VACCINE_NAMES } from '../schedule/rules.js';
import { vnDate } from './daily.js';
import { scheduleStatus } from '../schedule/status.js';
import { callList } from './call-list.js';
import { eachPerson, type ReportScope } from './people.js';
import { DOCUMENT_KINDS } from './documents.js';
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
  await eachPerson(database, scope, {}, (person) => {
    const status = scheduleStatus(person.birthDate, person.doses, scope.date, { covidCampaignEnd: scope.covidCampaignEnd, withVerdicts: false });
    const commune = person.commune ?? 'không rõ xã';
    const group = status.ageYears === null ? undefined : COVID_AGE_GROUPS.find((g) => status.ageYears! >= g.years[0] && status.ageYears! < g.years[1]);
    if (group && status.covid) add(commune, `COVID-19 ${group.label}`, status.covid.counted, maxCovidDoses(group.years));
    if (status.childhood) {
      const birth = dayOf(person.birthDate!)!;
      for (const dose of status.childhood) {
        const rule = RULES.get(`${dose.vaccine}:${dose.dose}`)!;
        if (today <= addSpan(addSpan(birth, rule.recommendedAge), rule.dueFor)) continue;
        add(commune, rule.group, dose.state === 'given' ? 1 : 0, 1);
      }
    }
  });
  const rows = [...cells]
    .map(([key, cell]) => {
      const [commune, group] = key.split('\u0000') as [string, string];
      return [
        commune === ALL ? ALL_LABEL : commune,
        group,
        cell.people,
        // A dose the group's schedule does not have is blank, not 0%.
        ...[1, 2, 3, 4].map((k) => (k < cell.doses.length ? percent(cell.doses[k]!, cell.people) : null)),
      ];
    })
    // Communes by code, the overall rows last (totals); in each, the COVID-19 age groups by age, then the
    // childhood doses in the programme's order.
    .sort((a, b) => Number(a[0] === ALL_LABEL) - Number(b[0] === ALL_LABEL) || String(a[0]).localeCompare(String(b[0])) || groupOrder(String(a[1])) - groupOrder(String(b[1])));
  return {
    title: `Tỷ lệ bao phủ tiêm chủng đến ngày ${vnDate(scope.date)}` + (scope.commune ? `, xã/phường ${scope.commune}` : ''),
    date: scope.date,
    notes: [
      `Ngày báo cáo: ${vnDate(scope.date)}. Phạm vi: ${scope.commune ? `xã/phường ${scope.commune}` : 'tất cả các xã/phường'}; người đã mất không tính.`,
      'Mẫu số: số người của nhóm tuổi (COVID-19), hoặc số trẻ dưới 5 tuổi đã qua khoảng khuyến cáo của mũi đó (tiêm chủng trẻ em). ' +
        'Mũi tiêm tính theo kháng nguyên và chỉ khi hợp lệ (đủ tuổi và khoảng cách tối thiểu); mũi 1 Janssen tính là 2 mũi.',
    ],
    columns: ['commune', 'group', 'people', '≥1 dose %', '≥2 doses %', '≥3 doses %', '≥4 doses %'],
    labels: ['Mã xã', 'Nhóm', 'Số người (mẫu số)', '≥1 mũi %', '≥2 mũi %', '≥3 mũi %', '≥4 mũi %'],
    rows,
    totalRows: rows.filter((r) => r[0] === ALL_LABEL).length,
    communeColumns: [0],
    printedValues: { 1: Object.fromEntries(GROUPS.map((g) => [g.key, g.words])) },
  };
}

const ALL_LABEL = 'tất cả';

/** Each childhood programme dose's rule and coverage group, by `vaccine:dose` (looked up for every child's every dose). */
const RULES = new Map(PROGRAMME_DOSES.map((r) => [`${r.vaccine}:${r.dose}`, { ...r, group: `${r.vaccine} mũi ${r.dose}` }]));

/** The coverage groups in the order they print, with their words: COVID-19 by age, then each childhood dose. */
const GROUPS: readonly { readonly key: string; readonly words: string }[] = [
  ...COVID_AGE_GROUPS.map((g) => ({ key: `COVID-19 ${g.label}`, words: `COVID-19, ${g.label.endsWith('+') ? `từ ${g.label.slice(0, -1)} tuổi` : `${g.label} tuổi`}` })),
  ...PROGRAMME_DOSES.map((r) => ({ key: `${r.vaccine} mũi ${r.dose}`, words: `${PROGRAMME_VACCINE_NAMES[r.vaccine]} mũi ${r.dose}` })),
];
const GROUP_ORDER = new Map(GROUPS.map((g, i) => [g.key, i]));
const groupOrder = (group: string) => GROUP_ORDER.get(group) ?? GROUPS.length;

/** The most COVID-19 doses the schedule gives anyone of an age group: two primary doses and its boosters. */
function maxCovidDoses(years: readonly [number, number]): number {
  const group = COVID_GROUPS.find((g) => g.ageYears[0] === years[0])!;
  return 2 + group.boosters.length;
}

/**
 * Daily progress: what each day added, from a week before the report date up to it. With a commune, only
 * its rows (by their current commune) and its people count: a batch counts when it brought a row of it.
 */
export async function progressReport(database: Database, scope: ReportScope): Promise<ReportTable> {
  const commune = scope.commune ?? null;
  const rows = await database.withTransaction((tx) =>
    tx.query<{ day: string; batches: string; records: string; cleaned: string; doses: string; verified: string; pushed: string }>(
      `with days as (select generate_series($1::date - 6, $1::date, interval '1 day')::date as day),
       loaded as (
         select b.finished_at::date as day, count(distinct b.id) as batches, count(*) as records,
                count(*) filter (where r.quarantine_reason is null) as cleaned
         from batch b join record r on r.batch_id = b.id
         where b.status = 'loaded' and b.finished_at::date between $1::date - 6 and $1::date
           and ($2::text is null or r.commune_current = $2)
         group by 1),
       people as (select id from person where $2::text is null or commune_code = $2),
       given as (
         select x.vaccination_date::date as day, count(*) as doses from dose x join people p on p.id = x.person_id
         where length(x.vaccination_date) = 10 and x.vaccination_date between to_char($1::date - 6, 'YYYY-MM-DD') and $1::text
         group by 1),
       verified as (
         select c.checked_at::date as day, count(*) as verified from registry_check c join people p on p.id = c.person_id
         where c.status in ('verified', 'corrected') group by 1),
       pushed as (
         select o.acknowledged_at::date as day, count(*) as pushed from outbox o join people p on p.id = o.person_id
         where o.acknowledged_at is not null group by 1)
       select to_char(d.day, 'YYYY-MM-DD') as day, coalesce(l.batches, 0) as batches, coalesce(l.records, 0) as records,
              coalesce(l.cleaned, 0) as cleaned, coalesce(g.doses, 0) as doses, coalesce(v.verified, 0) as verified, coalesce(u.pushed, 0) as pushed
       from days d left join loaded l on l.day = d.day left join given g on g.day = d.day
       left join verified v on v.day = d.day left join pushed u on u.day = d.day
       order by d.day`,
      [scope.date, commune],
    ),
  );
  return {
    title: `Tiến độ hằng ngày đến ngày ${vnDate(scope.date)}` + (commune ? `, xã/phường ${commune}` : ''),
    date: scope.date,
    notes: [
      `Bảy ngày đến hết ngày ${vnDate(scope.date)}; phạm vi: ${commune ? `xã/phường ${commune}` : 'tất cả các xã/phường'}.`,
      'Tệp đã nạp và dòng: theo ngày nạp; mũi tiêm: theo ngày tiêm; người đã đối chiếu CSDLQG và đã gửi lên nền tảng quốc gia: theo ngày thực hiện.',
    ],
    columns: ['day', 'batches loaded', 'records added', 'records usable', 'doses given that day', 'people verified', 'people pushed'],
    labels: ['Ngày', 'Số tệp đã nạp', 'Số dòng nhận', 'Số dòng dùng được', 'Số mũi tiêm trong ngày', 'Số người đã đối chiếu', 'Số người đã gửi'],
    rows: rows.map((r) => [r.day, Number(r.batches), Number(r.records), Number(r.cleaned), Number(r.doses), Number(r.verified), Number(r.pushed)]),
  };
}

/** The reports that are one table; the others are documents of several sections (./documents.ts). */
export const TABLE_REPORT_KINDS = ['coverage', 'due', 'progress'] as const;
export type TableReportKind = (typeof TABLE_REPORT_KINDS)[number];

export const REPORTS: Readonly<Record<TableReportKind, (database: Database, scope: ReportScope) => Promise<ReportTable>>> = {
  coverage: coverageReport,
  due: callList,
  progress: progressReport,
};

/** Every report, in the order the CLI, the HTTP API and their help list them. */
export const REPORT_KINDS = [...TABLE_REPORT_KINDS, ...DOCUMENT_KINDS] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export function isReportKind(kind: string): kind is ReportKind {
  return (REPORT_KINDS as readonly string[]).includes(kind);
}
