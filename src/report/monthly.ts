/**
 * The monthly childhood-programme report (báo cáo tiêm chủng mở rộng hằng tháng) per commune, issue 13
 * item 4: children under 1 fully immunised, each dose's coverage, the 18-month DPT and MR doses, and the
 * children who missed full immunisation by their first birthday and those caught up later — in the month
 * and cumulatively since 1 January, against the year's target population.
 *
 * Denominators: per commune the target an operator imported (`vaxsync targets import`) for the year and
 * group; where none was imported, the children in the records (living, birth date known to the day): born
 * in the year for `under1`, reaching 18 months in the year for `age18m`. The report names which one each
 * unit uses.
 *
 * The children are read in one statement (golden records with their doses); which dose counts, and when,
 * is the schedule engine's (./dose-dates.ts). Roll-ups sum counts per unit (./units.ts).
 */
import type { Database } from '../db/database.js';
import { FULLY_IMMUNISED_DEFINITION, FULLY_IMMUNISED_DOSES, vnDate } from './daily.js';
import type { ReportDocument } from './document.js';
import { childhoodDoseDates, type GivenDose } from './dose-dates.js';
import type { ReportTable } from './table.js';
import { POPULATION_GROUP_NAMES, type PopulationGroup } from './targets.js';
import { communeName, successorsOf } from '../clean/commune.js';
import { checkUnitChoice, communeOnMap, describeScope, levelHeader, percent, rollUp, unitLabel, unitOf, UNKNOWN_UNIT, type UnitChoice } from './units.js';

export interface MonthlyScope extends UnitChoice {
  /** yyyy-mm */
  readonly month: string;
  /** One commune, by its code on the chosen map. */
  readonly commune?: string | undefined;
}

/** The doses whose coverage the report gives: the first year's, then the 18-month doses. */
const UNDER1_DOSES = FULLY_IMMUNISED_DOSES;
const DOSE_LABEL: Readonly<Record<string, string>> = {
  'bcg:1': 'BCG', 'hepb0:1': 'Viêm gan B sơ sinh', 'penta:1': 'DPT-VGB-Hib mũi 1', 'penta:2': 'DPT-VGB-Hib mũi 2', 'penta:3': 'DPT-VGB-Hib mũi 3',
  'opv:1': 'OPV lần 1', 'opv:2': 'OPV lần 2', 'opv:3': 'OPV lần 3', 'ipv:1': 'IPV', 'measles:1': 'Sởi mũi 1',
  'dpt:4': 'DPT mũi 4 (18 tháng)', 'mr:1': 'Sởi-Rubella (18 tháng)',
};

const COUNT_KEYS: readonly string[] = [
  'denomUnder1', 'denomAge18m', 'targetUnder1', 'targetAge18m', 'countedUnder1', 'countedAge18m',
  'fullyMonth', 'fullyYear', 'missedMonth', 'missedYear', 'caughtMonth', 'caughtYear',
  ...[...UNDER1_DOSES, 'dpt:4', 'mr:1'].flatMap((k) => [`${k}|month`, `${k}|year`]),
];
/** Counts by key (COUNT_KEYS); a key never bumped reads 0. */
type Counts = Record<string, number>;
const get = (c: Counts, key: string): number => c[key] ?? 0;
const add = (c: Counts, key: string, n = 1): void => {
  c[key] = get(c, key) + n;
};

const monthEnd = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

/** The same day `months` calendar months later (a 29 February or 31st lands on the month's last day + 1). */
function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, d));
  return target.toISOString().slice(0, 10);
}

const onlyOne = (codes: readonly string[]): string | null => (codes.length === 1 ? codes[0]! : null);

export async function monthlyReport(database: Database, scope: MonthlyScope): Promise<ReportDocument> {
  checkUnitChoice(scope);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(scope.month)) throw new RangeError(`the month must be yyyy-mm, got ${scope.month}`);
  const year = Number(scope.month.slice(0, 4));
  const first = `${scope.month}-01`;
  const last = monthEnd(scope.month);
  const yearStart = `${year}-01-01`;
  // Children who can figure in the year: born up to five years before it (the catch-up age) and by its end.
  const bornFrom = `${year - 5}-01-01`;

  const [children, targets] = await database.withTransaction(async (tx) => [
    await tx.query<{ birth_date: string; current_code: string | null; old_code: string | null; doses: string | null }>(
      `with kids as (
         select p.id, p.birth_date, p.commune_code from person p left join registry_check c on c.person_id = p.id
         where coalesce(c.status, '') <> 'deceased' and length(p.birth_date) = 10 and p.birth_date between $1 and $2),
       old as (
         select pr.person_id, min(r.commune_code) as old_code
         from kids k join person_record pr on pr.person_id = k.id
         join record r on r.batch_id = pr.batch_id and r.row_number = pr.row_number
         where r.commune_scheme = '2004' group by pr.person_id),
       given as (
         select d.person_id, json_agg(json_build_array(d.vaccine_code, d.vaccination_date))::text as doses
         from kids k join dose d on d.person_id = k.id
         where length(d.vaccination_date) = 10 and d.vaccination_date <= $2 and d.vaccine_code not like 'COVID-%'
         group by d.person_id)
       select k.birth_date, k.commune_code as current_code, o.old_code, g.doses
       from kids k left join old o on o.person_id = k.id left join given g on g.person_id = k.id`,
      [bornFrom, last],
    ),
    await tx.query<{ commune_code: string; population_group: PopulationGroup; count: number }>(
      `select commune_code, population_group, count from target_population where year = $1`,
      [year],
    ),
  ]);

  const zero = (): Counts => Object.fromEntries(COUNT_KEYS.map((k) => [k, 0]));
  const perCommune = new Map<string | null, Counts>();
  const at = (commune: string | null) => {
    let counts = perCommune.get(commune);
    if (!counts) perCommune.set(commune, (counts = zero()));
    return counts;
  };
  const inMonth = (d: string) => d >= first && d <= last;
  const inYear = (d: string) => d >= yearStart && d <= last;
  const bump = (c: Counts, key: string, d: string | undefined) => {
    if (d === undefined || !inYear(d)) return;
    add(c, `${key}|year`);
    if (inMonth(d)) add(c, `${key}|month`);
  };
  const age18mFrom = addMonths(yearStart, -18);
  const age18mTo = addMonths(`${year}-12-31`, -18);

  for (const child of children) {
    const commune = communeOnMap(scope.map, child.current_code, child.old_code);
    const c = at(commune);
    const birth = child.birth_date;
    const firstBirthday = addMonths(birth, 12);
    if (birth >= yearStart && birth <= `${year}-12-31`) add(c, 'countedUnder1');
    if (birth >= age18mFrom && birth <= age18mTo) add(c, 'countedAge18m');
    const given: GivenDose[] = child.doses === null ? [] : (JSON.parse(child.doses) as [string | null, string | null][]).map(([vaccine, date]) => ({ vaccine, date }));
    const dates = childhoodDoseDates(birth, given, last);
    for (const key of UNDER1_DOSES) {
      const d = dates.get(key);
      if (d !== undefined && d < firstBirthday) bump(c, key, d);
    }
    bump(c, 'dpt:4', dates.get('dpt:4'));
    bump(c, 'mr:1', dates.get('mr:1'));
    const all = UNDER1_DOSES.map((k) => dates.get(k));
    const completed = all.every((d) => d !== undefined) ? all.reduce((a, b) => (a! > b! ? a : b))! : null;
    if (completed !== null && completed < firstBirthday && inYear(completed)) {
      add(c, 'fullyYear');
      if (inMonth(completed)) add(c, 'fullyMonth');
    }
    if (completed !== null && completed >= firstBirthday && inYear(completed)) {
      add(c, 'caughtYear');
      if (inMonth(completed)) add(c, 'caughtMonth');
    }
    // missed: turned one in the period without being fully immunised before that day
    if (inYear(firstBirthday) && (completed === null || completed >= firstBirthday)) {
      add(c, 'missedYear');
      if (inMonth(firstBirthday)) add(c, 'missedMonth');
    }
  }
  const targetKeys = new Set<string>();
  for (const t of targets) {
    // A target's code is of the list in force in its year (2025: the 2025 list when the code is in it).
    const isOld = year < 2025 || (year === 2025 && communeName(t.commune_code, '2025') === null);
    const commune = communeOnMap(scope.map, isOld ? onlyOne(successorsOf(t.commune_code)) : t.commune_code, isOld ? t.commune_code : null);
    add(at(commune), t.population_group === 'under1' ? 'targetUnder1' : 'targetAge18m', t.count);
    targetKeys.add(`${commune}|${t.population_group}`);
  }
  // Per commune: the imported target where there is one, else the count; which one is kept per unit.
  const sources = new Map<string | null, Set<string>>();
  const allSources = new Set<string>();
  const rows = [...perCommune]
    .filter(([commune]) => scope.commune === undefined || commune === scope.commune)
    .map(([commune, counts]) => {
      const unit = unitOf(commune, scope);
      const set = sources.get(unit) ?? new Set<string>();
      sources.set(unit, set);
      for (const [group, target, counted, denominator] of [
        ['under1', 'targetUnder1', 'countedUnder1', 'denomUnder1'],
        ['age18m', 'targetAge18m', 'countedAge18m', 'denomAge18m'],
      ] as const) {
        const imported = targetKeys.has(`${commune}|${group}`);
        counts[denominator] = imported ? get(counts, target) : get(counts, counted);
        const source = `${group}:${imported ? 'target' : 'counted'}`;
        set.add(source);
        allSources.add(source);
      }
      return { commune, counts };
    });
  const { units, total } = rollUp(rows, COUNT_KEYS, scope);
  const denominatorName = (set: ReadonlySet<string> | undefined, group: PopulationGroup) => {
    const target = set?.has(`${group}:target`) ?? false;
    const counted = set?.has(`${group}:counted`) ?? false;
    return target && counted ? 'chỉ tiêu + đếm từ sổ' : target ? 'chỉ tiêu đã nhập' : 'đếm từ sổ';
  };
  const lines = [...units.map((u) => ({ label: unitLabel(u.unit, scope), counts: u.counts, set: sources.get(u.unit) })), { label: 'Tổng cộng', counts: total, set: allSources }];

  const sections: ReportTable[] = [
    {
      title: 'Trẻ dưới 1 tuổi được tiêm chủng đầy đủ',
      columns: [levelHeader(scope), 'Mẫu số: số trẻ dưới 1 tuổi', 'Nguồn mẫu số', 'TCĐĐ trong tháng', 'TCĐĐ cộng dồn từ đầu năm', 'Tỷ lệ cộng dồn %'],
      rows: lines.map((l) => [l.label, get(l.counts, 'denomUnder1'), denominatorName(l.set, 'under1'), get(l.counts, 'fullyMonth'), get(l.counts, 'fullyYear'), percent(get(l.counts, 'fullyYear'), get(l.counts, 'denomUnder1'))]),
    },
    {
      title: 'Tỷ lệ từng mũi tiêm trẻ dưới 1 tuổi',
      columns: [levelHeader(scope), 'Vắc xin, mũi', 'Trong tháng', 'Cộng dồn từ đầu năm', 'Mẫu số: số trẻ dưới 1 tuổi', 'Tỷ lệ cộng dồn %'],
      rows: lines.flatMap((l) =>
        UNDER1_DOSES.map((k) => [l.label, DOSE_LABEL[k]!, get(l.counts, `${k}|month`), get(l.counts, `${k}|year`), get(l.counts, 'denomUnder1'), percent(get(l.counts, `${k}|year`), get(l.counts, 'denomUnder1'))]),
      ),
    },
    {
      title: 'Mũi tiêm 18 tháng tuổi',
      columns: [levelHeader(scope), 'Vắc xin, mũi', 'Trong tháng', 'Cộng dồn từ đầu năm', 'Mẫu số: số trẻ 18 tháng tuổi', 'Nguồn mẫu số', 'Tỷ lệ cộng dồn %'],
      rows: lines.flatMap((l) =>
        (['dpt:4', 'mr:1'] as const).map((k) => [
          l.label, DOSE_LABEL[k]!, get(l.counts, `${k}|month`), get(l.counts, `${k}|year`), get(l.counts, 'denomAge18m'), denominatorName(l.set, 'age18m'), percent(get(l.counts, `${k}|year`), get(l.counts, 'denomAge18m')),
        ]),
      ),
    },
    {
      title: 'Trẻ bỏ lỡ và được tiêm bù',
      columns: [levelHeader(scope), 'Tròn 1 tuổi chưa TCĐĐ, trong tháng', 'Tròn 1 tuổi chưa TCĐĐ, từ đầu năm', 'Tiêm bù đủ sau 1 tuổi, trong tháng', 'Tiêm bù đủ sau 1 tuổi, từ đầu năm'],
      rows: lines.map((l) => [l.label, get(l.counts, 'missedMonth'), get(l.counts, 'missedYear'), get(l.counts, 'caughtMonth'), get(l.counts, 'caughtYear')]),
    },
  ];
  const [y, m] = scope.month.split('-');
  return {
    title: `Báo cáo tiêm chủng mở rộng tháng ${m}/${y}`,
    date: last,
    notes: [
      `Kỳ báo cáo: tháng ${m}/${y} (${vnDate(first)}–${vnDate(last)}); cộng dồn từ ${vnDate(yearStart)}`,
      describeScope(scope, scope.commune),
      `Mẫu số: ${POPULATION_GROUP_NAMES.under1} (TCĐĐ và từng mũi) và ${POPULATION_GROUP_NAMES.age18m} (mũi 18 tháng) của năm ${year}: chỉ tiêu đã nhập ` +
        `(vaxsync targets import) cho xã có chỉ tiêu, nếu không thì đếm từ sổ: trẻ sinh trong năm ${year}; trẻ tròn 18 tháng trong năm ${year}.`,
      FULLY_IMMUNISED_DEFINITION + ' Tính là TCĐĐ dưới 1 tuổi khi mũi cuối cùng tiêm trước sinh nhật đầu tiên; từng mũi dưới 1 tuổi tính khi tiêm trước sinh nhật đầu tiên.',
      'Bỏ lỡ: trẻ tròn 1 tuổi trong kỳ mà chưa TCĐĐ. Tiêm bù: trẻ hoàn thành TCĐĐ trong kỳ khi đã quá 1 tuổi (đến 5 tuổi). Trẻ đã mất (sổ hộ tịch) không tính.',
      ...(units.some((u) => u.unit === null) ? [`"${UNKNOWN_UNIT}": trẻ không có mã xã, hoặc không xác định được xã trên bản đồ đã chọn.`] : []),
    ],
    sections,
  };
}
