/**
 * Đúng, đủ, sạch, sống per commune (DOMAIN.md §6.1, Bộ Công an's standard for population data), issue 13
 * item 6. The working definitions, per person (golden record):
 * - đúng (correct): the population registry verified or corrected the person;
 * - đủ (complete): full name, birth date to the day, sex, citizen ID and commune all present;
 * - sạch (clean): no row of the person was rejected or has an invalid value, none of their doses has conflicting reports,
 *   and the registry did not contradict them (status `conflict`);
 * - sống (kept up to date — not "alive"): the registry checked the person, or a file brought a row of theirs,
 *   within the last `liveDays` days before the end of the report day (setting VAXSYNC_LIVE_DAYS).
 *
 * One statement: per person flags from per-person aggregates (no per-person round trip), counted per
 * commune; the roll-up to district or province is ./units.ts.
 */
import type { Database } from '../db/database.js';
import { vnDate } from './daily.js';
import type { ReportDocument } from './document.js';
import { checkUnitChoice, communeOnMap, describeScope, levelHeader, percent, rollUp, unitLabel, type UnitChoice } from './units.js';

export interface QualityScope extends UnitChoice {
  /** yyyy-mm-dd: "within the period" ends with this day. */
  readonly date: string;
  readonly commune?: string | undefined;
  /** sống: verified or updated within this many days (config.liveDays). */
  readonly liveDays: number;
  /** The zone whose calendar day the report day is (config.timezone). */
  readonly timeZone: string;
}

const KEYS = ['people', 'correct', 'complete', 'clean', 'live'] as const;

export async function dataQualityReport(database: Database, scope: QualityScope): Promise<ReportDocument> {
  checkUnitChoice(scope);
  const rows = await database.withTransaction((tx) =>
    tx.query<{ current_code: string | null; old_code: string | null; people: string; correct: string; complete: string; clean: string; live: string }>(
      `with invalid as (select coalesce(array_agg(code), '{}') as codes from finding_kind where severity = 'invalid'),
       rows_of as (
         select pr.person_id, bool_or(r.quarantine_reason is not null or r.findings && (select codes from invalid)) as has_invalid, max(b.finished_at) as updated,
                min(r.commune_code) filter (where r.commune_scheme = '2004') as old_code
         from person_record pr join record r on r.batch_id = pr.batch_id and r.row_number = pr.row_number
         join batch b on b.id = r.batch_id
         group by pr.person_id),
       conflicting as (select distinct person_id from dose where cardinality(conflicts) > 0),
       flags as (
         select p.commune_code as current_code, o.old_code,
           coalesce(c.status in ('verified', 'corrected'), false) as correct,
           (p.full_name is not null and length(p.birth_date) = 10 and p.sex is not null and p.citizen_id is not null and p.commune_code is not null) as complete,
           (not coalesce(o.has_invalid, false) and x.person_id is null and coalesce(c.status, '') <> 'conflict') as clean,
           greatest(c.checked_at, o.updated) >= ($1::date + 1 - make_interval(days => $2::int))::timestamp at time zone $3 as live
         from person p
         left join registry_check c on c.person_id = p.id
         left join rows_of o on o.person_id = p.id
         left join conflicting x on x.person_id = p.id)
       select current_code, old_code, count(*) as people, count(*) filter (where correct) as correct,
              count(*) filter (where complete) as complete, count(*) filter (where clean) as clean, count(*) filter (where live) as live
       from flags group by current_code, old_code`,
      [scope.date, scope.liveDays, scope.timeZone],
    ),
  );
  const placed = rows
    .map((r) => ({
      commune: communeOnMap(scope.map, r.current_code, r.old_code),
      counts: { people: Number(r.people), correct: Number(r.correct), complete: Number(r.complete), clean: Number(r.clean), live: Number(r.live) },
    }))
    .filter((r) => scope.commune === undefined || r.commune === scope.commune);
  const { units, total } = rollUp(placed, KEYS, scope);
  const line = (label: string, c: Record<(typeof KEYS)[number], number>) => [
    label, c.people, c.correct, percent(c.correct, c.people), c.complete, percent(c.complete, c.people),
    c.clean, percent(c.clean, c.people), c.live, percent(c.live, c.people),
  ];
  return {
    title: 'Dữ liệu tiêm chủng đúng, đủ, sạch, sống',
    date: scope.date,
    notes: [
      `Ngày báo cáo: ${vnDate(scope.date)}`,
      describeScope(scope, scope.commune),
      'Mẫu số: số người trong sổ (bản ghi gốc sau khi ghép trùng) của đơn vị.',
      'Đúng: đã đối chiếu CSDLQG về dân cư, khớp hoặc đã sửa theo CSDLQG. Đủ: có họ tên, ngày sinh đầy đủ, giới tính, số định danh và mã xã. ' +
        'Sạch: không dòng nào bị từ chối hay có giá trị sai, không mũi tiêm nào có báo cáo mâu thuẫn, không mâu thuẫn với CSDLQG. ' +
        `Sống: được đối chiếu hoặc cập nhật trong ${scope.liveDays} ngày tính đến hết ngày báo cáo (dữ liệu được cập nhật thường xuyên).`,
    ],
    sections: [
      {
        title: 'Đúng, đủ, sạch, sống theo đơn vị',
        columns: [levelHeader(scope), 'Số người', 'Đúng', 'Đúng %', 'Đủ', 'Đủ %', 'Sạch', 'Sạch %', 'Sống', 'Sống %'],
        rows: [...units.map((u) => line(unitLabel(u.unit, scope), u.counts)), line('Tổng cộng', total)],
      },
    ],
  };
}
