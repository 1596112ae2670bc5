/**
 * The daily report (báo cáo ngày) per commune and per vaccination site (cơ sở tiêm), issue 13 item 3: for
 * one day, the doses given that day and cumulatively by vaccine and dose, people who became fully
 * vaccinated that day, the rows rejected or waiting for correction, adverse events after immunisation
 * (AEFI, phản ứng sau tiêm) and the screening results (khám sàng lọc).
 *
 * Where a figure belongs: a dose to the commune and site of the rows that reported it (the station that
 * gave it; the link keeps them on the dose), a row to its own commune and site. Each SQL statement aggregates per (commune, old commune,
 * site, …); the few resulting rows are rolled up to the chosen level and map in units.ts. Only the people
 * vaccinated that day are read one by one, for the engine to say whether that dose completed a series.
 *
 * "The day" of a row is its vaccination date; a row without a full vaccination date (a rejected row, a
 * screening that postponed the injection) counts on the day its file was loaded, in the configured zone.
 */
import type { Database } from '../db/database.js';
import { CURRENT } from '../link/rows.js';
import { vaccineNameVi } from '../clean/vaccine.js';
import type { ReportDocument } from './document.js';
import { childhoodDoseDates, covidPrimaryComplete, type GivenDose } from './dose-dates.js';
import type { ReportTable } from './table.js';
import { checkUnitChoice, communeOnMap, describeScope, levelHeader, unitLabel, unitOf, type UnitChoice } from './units.js';

export interface DailyScope extends UnitChoice {
  /** yyyy-mm-dd */
  readonly date: string;
  /** One commune, by its code on the chosen map. */
  readonly commune?: string | undefined;
  /** One vaccination site (facility code, as the rows carry it). */
  readonly site?: string | undefined;
  /** The zone whose calendar day a file's load time falls on (config.timezone). */
  readonly timeZone: string;
}

/**
 * Fully immunised (tiêm chủng đầy đủ) for a child under 1: BCG, hepatitis B birth dose, DPT-VGB-Hib ×3,
 * OPV ×3, IPV and measles — the doses of the first year in Thông tư 38/2017/TT-BYT with IPV added by QĐ
 * 2144/QĐ-BYT (DOMAIN.md §5.3). Each must be a valid dose (the schedule engine's minimum ages and intervals).
 */
export const FULLY_IMMUNISED_DOSES = ['bcg:1', 'hepb0:1', 'penta:1', 'penta:2', 'penta:3', 'opv:1', 'opv:2', 'opv:3', 'ipv:1', 'measles:1'] as const;

export const FULLY_IMMUNISED_DEFINITION =
  'Tiêm chủng đầy đủ (TCĐĐ): trẻ được tiêm đủ và hợp lệ BCG, viêm gan B sơ sinh, 3 mũi DPT-VGB-Hib, 3 lần OPV, IPV và sởi mũi 1 ' +
  '(Thông tư 38/2017/TT-BYT; IPV theo QĐ 2144/QĐ-BYT).';

const ALL_SITES = 'Tất cả cơ sở';
const NO_SITE = 'không rõ cơ sở';
const TOTAL = 'Tổng cộng';

type Cell = string | number | null;

/** A count row as SQL gives it: where it belongs, what it is about (`detail`), and its counts. */
interface PlacedCounts {
  readonly current: string | null;
  readonly old: string | null;
  readonly site: string | null;
  readonly detail: readonly Cell[];
  readonly counts: readonly number[];
}

/**
 * Rows of a section: per unit, its total over all sites, then each site; then the grand total. Each of
 * these per `detail` (e.g. vaccine and dose), in the detail's order.
 */
function unitSiteRows(placed: readonly PlacedCounts[], scope: DailyScope, width: number): Cell[][] {
  type Acc = Map<string, { detail: readonly Cell[]; counts: number[] }>;
  const add = (acc: Acc, detail: readonly Cell[], counts: readonly number[]) => {
    const key = JSON.stringify(detail);
    const entry = acc.get(key) ?? { detail, counts: new Array<number>(width).fill(0) };
    counts.forEach((n, i) => (entry.counts[i]! += n));
    acc.set(key, entry);
  };
  const units = new Map<string | null, { all: Acc; sites: Map<string, Acc> }>();
  const total: Acc = new Map();
  for (const row of placed) {
    const commune = communeOnMap(scope.map, row.current, row.old);
    if (scope.commune !== undefined && commune !== scope.commune) continue;
    const unit = unitOf(commune, scope);
    const entry = units.get(unit) ?? { all: new Map(), sites: new Map() };
    units.set(unit, entry);
    const site = row.site ?? NO_SITE;
    const siteAcc = entry.sites.get(site) ?? new Map();
    entry.sites.set(site, siteAcc);
    add(entry.all, row.detail, row.counts);
    add(siteAcc, row.detail, row.counts);
    add(total, row.detail, row.counts);
  }
  const ordered = (acc: Acc) => [...acc.values()].sort((a, b) => compareCells(a.detail, b.detail));
  const rows: Cell[][] = [];
  const unitKeys = [...units.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
  for (const unit of unitKeys) {
    const entry = units.get(unit)!;
    const label = unitLabel(unit, scope);
    for (const e of ordered(entry.all)) rows.push([label, ALL_SITES, ...e.detail, ...e.counts]);
    for (const site of [...entry.sites.keys()].sort()) {
      for (const e of ordered(entry.sites.get(site)!)) rows.push([label, site, ...e.detail, ...e.counts]);
    }
  }
  for (const e of ordered(total)) rows.push([TOTAL, ALL_SITES, ...e.detail, ...e.counts]);
  return rows;
}

function compareCells(a: readonly Cell[], b: readonly Cell[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x).localeCompare(String(y));
  }
  return 0;
}

const vaccineLabel = (code: string | null) => vaccineNameVi(code) ?? 'không rõ vắc xin';

/** The rows of the day: dated that day, or undated (or dated to a month or year only) and loaded that day. */
// A row a later correction replaced (src/ingest/corrections.ts) is history, not a row of the day.
const ROW_OF_DAY = `(r.vaccination_date = $1 or ((r.vaccination_date is null or length(r.vaccination_date) < 10)
  and (b.finished_at at time zone $2)::date = $1::date)) and ${CURRENT}`;

type Counted = { current_code: string | null; old_code: string | null; site: string | null };

export async function dailyReport(database: Database, scope: DailyScope): Promise<ReportDocument> {
  checkUnitChoice(scope);
  const siteFilter = scope.site === undefined ? '' : 'and d.facility_code = $2';
  const siteParams = scope.site === undefined ? [] : [scope.site];
  const recordSite = scope.site === undefined ? '' : 'and r.facility_code = $3';
  const recordParams = [scope.date, scope.timeZone, ...siteParams];

  const [doses, people, rejected, aefi, screening] = await database.withTransaction(async (tx) => [
    // Every dose up to the day counted per place in one pass over `dose`, which keeps where each dose was
    // given (its rows' communes and site, written by the link: migration 0019), so a dose reported by three
    // rows counts once and no dose is regrouped with its rows here.
    await tx.query<Counted & { vaccine_code: string | null; dose_number: number | null; day: string; cumulative: string }>(
      `select d.commune_current as current_code, d.commune_old as old_code, d.facility_code as site, d.vaccine_code, d.dose_number,
              count(*) filter (where d.vaccination_date = $1) as day, count(*) as cumulative
       from dose d
       where d.vaccination_date <= $1 ${siteFilter}
       group by 1, 2, 3, 4, 5`,
      [scope.date, ...siteParams],
    ),
    // The people vaccinated that day, each once, where that day's dose was given, with every dose they have.
    await tx.query<Counted & { person_id: string; birth_date: string | null; doses: string }>(
      `with today as (
         select d.person_id, min(d.commune_current) as current_code, min(d.commune_old) as old_code, min(d.facility_code) as site
         from dose d
         where d.vaccination_date = $1 ${siteFilter}
         group by d.person_id)
       select t.person_id::text as person_id, t.current_code, t.old_code, t.site, pe.birth_date,
              json_agg(json_build_array(d.vaccine_code, d.vaccination_date))::text as doses
       from today t join person pe on pe.id = t.person_id join dose d on d.person_id = t.person_id
       group by t.person_id, t.current_code, t.old_code, t.site, pe.birth_date`,
      [scope.date, ...siteParams],
    ),
    await tx.query<Counted & { rejected: string; to_correct: string }>(
      `select r.commune_current as current_code, case when r.commune_scheme = '2004' then r.commune_code end as old_code,
              r.facility_code as site,
              count(*) filter (where r.quarantine_reason is not null) as rejected,
              count(*) filter (where r.quarantine_reason is null and exists (
                select 1 from finding_kind k where k.code = any(r.findings) and k.severity = 'invalid')) as to_correct
       from record r join batch b on b.id = r.batch_id and b.status = 'loaded'
       where ${ROW_OF_DAY} ${recordSite}
       group by 1, 2, 3`,
      recordParams,
    ),
    // Per dose given that day (a dose reported by several rows counts once): any reaction, and its worst severity.
    await tx.query<Counted & { with_event: string; common: string; serious: string }>(
      `with events as (
         select dr.dose_id,
                bool_or(r.adverse_event is not null or r.adverse_event_severity is not null) as with_event,
                bool_or(r.adverse_event_severity = 'serious') as serious,
                bool_or(r.adverse_event_severity = 'common') as common
         from dose d join dose_record dr on dr.dose_id = d.id
         join record r on r.batch_id = dr.batch_id and r.row_number = dr.row_number
         where d.vaccination_date = $1
         group by dr.dose_id)
       select d.commune_current as current_code, d.commune_old as old_code, d.facility_code as site,
              count(*) filter (where e.with_event) as with_event,
              count(*) filter (where e.serious) as serious,
              count(*) filter (where e.common and not e.serious) as common
       from events e join dose d on d.id = e.dose_id
       where true ${siteFilter}
       group by 1, 2, 3`,
      [scope.date, ...siteParams],
    ),
    // Per person screened that day (their rows of the day, one person counted once per outcome).
    await tx.query<Counted & { outcome: string; people: string }>(
      `select r.commune_current as current_code, case when r.commune_scheme = '2004' then r.commune_code end as old_code,
              r.facility_code as site,
              case when r.screening_result in ('eligible', 'postponed', 'contraindicated') then r.screening_result else 'other' end as outcome,
              count(distinct coalesce(pr.person_id::text, r.batch_id || ':' || r.row_number)) as people
       from record r join batch b on b.id = r.batch_id and b.status = 'loaded'
       left join person_record pr on pr.batch_id = r.batch_id and pr.row_number = r.row_number
       where r.screening_result is not null and ${ROW_OF_DAY} ${recordSite}
       group by 1, 2, 3, 4`,
      recordParams,
    ),
  ]);

  const place = (r: Counted) => ({ current: r.current_code, old: r.old_code, site: r.site });
  const previousDay = new Date(Date.parse(`${scope.date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const completed: PlacedCounts[] = people.map((p) => {
    const given: GivenDose[] = (JSON.parse(p.doses) as [string | null, string | null][]).map(([vaccine, date]) => ({ vaccine, date }));
    let covid = 0;
    let child = 0;
    if (p.birth_date !== null) {
      if (covidPrimaryComplete(p.birth_date, given, scope.date) && !covidPrimaryComplete(p.birth_date, given, previousDay)) covid = 1;
      if (/^\d{4}-\d{2}-\d{2}$/.test(p.birth_date)) {
        const dates = childhoodDoseDates(p.birth_date, given, scope.date);
        const all = FULLY_IMMUNISED_DOSES.map((k) => dates.get(k));
        if (all.every((d) => d !== undefined) && all.includes(scope.date)) child = 1;
      }
    }
    return { ...place(p), detail: [], counts: [covid, child] };
  });

  const outcomes = ['eligible', 'postponed', 'contraindicated', 'other'] as const;
  const head = [levelHeader(scope), 'Cơ sở tiêm'];
  const sections: ReportTable[] = [
    {
      title: 'Số mũi tiêm trong ngày và cộng dồn, theo vắc xin và mũi',
      columns: [...head, 'Vắc xin', 'Mũi', 'Trong ngày', 'Cộng dồn đến hết ngày'],
      rows: unitSiteRows(
        doses.map((d) => ({ ...place(d), detail: [vaccineLabel(d.vaccine_code), d.dose_number], counts: [Number(d.day), Number(d.cumulative)] })),
        scope,
        2,
      ),
    },
    {
      title: 'Người hoàn thành tiêm chủng trong ngày',
      columns: [...head, 'Hoàn thành liều cơ bản COVID-19', 'Trẻ được tiêm chủng đầy đủ (TCĐĐ)'],
      rows: unitSiteRows(completed, scope, 2),
    },
    {
      title: 'Dòng dữ liệu bị từ chối hoặc chờ sửa',
      columns: [...head, 'Bị từ chối (không dùng được)', 'Chờ sửa (có giá trị sai)'],
      rows: unitSiteRows(rejected.map((r) => ({ ...place(r), detail: [], counts: [Number(r.rejected), Number(r.to_correct)] })), scope, 2),
    },
    {
      title: 'Phản ứng sau tiêm (AEFI)',
      columns: [...head, 'Mũi tiêm có phản ứng', 'Phản ứng thông thường', 'Phản ứng nặng'],
      rows: unitSiteRows(aefi.map((r) => ({ ...place(r), detail: [], counts: [Number(r.with_event), Number(r.common), Number(r.serious)] })), scope, 3),
    },
    {
      title: 'Kết quả khám sàng lọc (số người)',
      columns: [...head, 'Đủ điều kiện tiêm', 'Tạm hoãn', 'Chống chỉ định', 'Khác'],
      rows: unitSiteRows(
        screening.map((r) => ({ ...place(r), detail: [], counts: outcomes.map((o) => (r.outcome === o ? Number(r.people) : 0)) })),
        scope,
        4,
      ),
    },
  ];
  return {
    title: `Báo cáo tiêm chủng ngày ${vnDate(scope.date)}`,
    date: scope.date,
    notes: [
      `Ngày báo cáo: ${vnDate(scope.date)}`,
      describeScope(scope, scope.commune) + (scope.site ? `; cơ sở tiêm ${scope.site}` : ''),
      'Mẫu số: không có (số đếm). Một mũi tiêm được báo cáo nhiều lần chỉ tính một lần; cộng dồn tính mọi mũi đến hết ngày báo cáo.',
      'Hoàn thành liều cơ bản COVID-19: mũi cơ bản cuối cùng (mũi 2, hoặc mũi 1 Janssen) tiêm trong ngày. ' + FULLY_IMMUNISED_DEFINITION,
      'Bị từ chối: dòng không có họ tên dùng được. Chờ sửa: dòng có ít nhất một giá trị sai (vaxsync problems). Dòng không có ngày tiêm đầy đủ tính vào ngày tệp được nạp.',
    ],
    sections,
  };
}

/** dd/mm/yyyy, as Vietnamese forms write dates. */
export function vnDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return d === undefined ? (m === undefined ? y! : `${m}/${y}`) : `${d}/${m}/${y}`;
}
