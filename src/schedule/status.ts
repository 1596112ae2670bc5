/**
 * What a person has had and what comes next, from their deduplicated doses and birth date, by the tables
 * of rules.ts. Pure: the same person, doses and report date always give the same answer.
 *
 * - The childhood programme follows a child with a birth date known to the day, up to 24 months. Each
 *   series counts its doses (dated or not, in date order); the next dose is due at the latest of: the
 *   recommended age, the minimum age, the minimum interval after the previous dated dose. It is overdue
 *   `grace` days after that.
 * - COVID-19 applies by the age group on the report date (a year-only birth date is enough: the group is
 *   taken at mid-year). Doses of any COVID vaccine count; a Janssen first dose completes the primary series.
 */
import { civilFromDays, daysFromCivil } from '../clean/civil-days.js';
import { COVID_SCHEDULE, EPI_FOLLOW_UNTIL_DAYS, EPI_SCHEDULE, type DoseRule } from './rules.js';

export interface GivenDose {
  readonly vaccine: string | null;
  /** Partial ISO date, or null when unknown. */
  readonly date: string | null;
}

export type DoseState = 'not_yet' | 'due' | 'overdue';

export interface NextDose {
  readonly rule: DoseRule;
  readonly dueDate: string;
  readonly state: DoseState;
}

export interface SeriesStatus {
  readonly series: string;
  /** Doses of the series counted so far. */
  readonly doses: number;
  readonly complete: boolean;
  readonly next: NextDose | null;
}

export interface ScheduleStatus {
  /** Null when the programme does not apply (too old, too young, birth date not known well enough). */
  readonly epi: readonly SeriesStatus[] | null;
  readonly covid: SeriesStatus | null;
  /** Age on the report date in whole years, null when the birth date is unknown. */
  readonly ageYears: number | null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayNumber(date: string): number | null {
  const m = DAY.exec(date);
  return m ? daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

function isoOf(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A partial birth date as a day: itself, or mid-month, or mid-year (1 July) for age groups only. */
function approximateBirthDay(birthDate: string): number {
  const [y, m] = birthDate.split('-').map(Number) as [number, number | undefined];
  return dayNumber(birthDate) ?? daysFromCivil(y, m ?? 7, m === undefined ? 1 : 15);
}

function wholeYears(birth: number, on: number): number {
  const [by, bm, bd] = civilFromDays(birth);
  const [y, m, d] = civilFromDays(on);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

function nextDose(rule: DoseRule, birth: number, lastDose: number | null, today: number): NextDose {
  const due = Math.max(
    birth + rule.dueAge,
    birth + rule.minAge,
    lastDose === null ? -Infinity : lastDose + rule.minInterval,
    rule.from === undefined ? -Infinity : dayNumber(rule.from)!,
  );
  const state: DoseState = today < due ? 'not_yet' : today <= due + rule.grace ? 'due' : 'overdue';
  return { rule, dueDate: isoOf(due), state };
}

/** Dated doses first in date order, then the undated: the order they were given in, as far as it is known. */
function chronological(doses: readonly GivenDose[]): GivenDose[] {
  return [...doses].sort((a, b) => (a.date === null ? 1 : b.date === null ? -1 : a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * Each dose counts for one series: in date order, for the unfinished series accepting its vaccine whose
 * next dose comes earliest. So an MR given at 9 months is the measles dose and the next MR the 18-month
 * one; a fourth DPT-VGB-Hib is the booster.
 */
function allocate(bySeries: ReadonlyMap<string, readonly DoseRule[]>, doses: readonly GivenDose[]): Map<string, GivenDose[]> {
  const given = new Map([...bySeries.keys()].map((series) => [series, [] as GivenDose[]]));
  for (const dose of chronological(doses)) {
    let best: string | null = null;
    let bestAge = Infinity;
    for (const [series, rules] of bySeries) {
      const next = rules[given.get(series)!.length];
      if (next && dose.vaccine !== null && next.vaccines.includes(dose.vaccine) && next.dueAge < bestAge) {
        best = series;
        bestAge = next.dueAge;
      }
    }
    if (best !== null) given.get(best)!.push(dose);
  }
  return given;
}

/** A series' status from the doses counted for it (already its own, in date order). */
function seriesStatus(series: string, rules: readonly DoseRule[], given: readonly GivenDose[], birth: number, today: number): SeriesStatus {
  const count = Math.min(given.length, rules.length);
  const rule = rules[count];
  if (!rule) return { series, doses: count, complete: true, next: null };
  const last = count === 0 ? null : given[count - 1]!.date;
  return { series, doses: count, complete: false, next: nextDose(rule, birth, last === null ? null : dayNumber(last), today) };
}

export function scheduleStatus(birthDate: string | null, doses: readonly GivenDose[], reportDate: string): ScheduleStatus {
  const today = dayNumber(reportDate);
  if (today === null) throw new RangeError(`the report date must be yyyy-mm-dd, got ${reportDate}`);
  if (birthDate === null) return { epi: null, covid: null, ageYears: null };
  const birth = approximateBirthDay(birthDate);
  const ageYears = wholeYears(birth, today);

  const exactBirth = dayNumber(birthDate);
  let epi: SeriesStatus[] | null = null;
  if (exactBirth !== null && today >= exactBirth && today - exactBirth <= EPI_FOLLOW_UNTIL_DAYS) {
    const bySeries = new Map<string, DoseRule[]>();
    for (const rule of EPI_SCHEDULE) bySeries.set(rule.series, [...(bySeries.get(rule.series) ?? []), rule]);
    const given = allocate(bySeries, doses);
    // A child too young for a series yet still has it listed, as not_yet: the call list shows what comes.
    epi = [...bySeries].map(([series, rules]) => seriesStatus(series, rules, given.get(series)!, exactBirth, today));
  }

  const group = COVID_SCHEDULE.filter((r) => r.ageYears && ageYears >= r.ageYears[0] && ageYears < r.ageYears[1]);
  let covid: SeriesStatus | null = null;
  if (group.length > 0) {
    const rules = [...new Map(group.map((r) => [r.dose, r])).values()].sort((a, b) => a.dose - b.dose);
    const covidDoses = chronological(doses.filter((d) => d.vaccine?.startsWith('COVID-')));
    // One Janssen dose is a complete primary series: it stands for doses 1 and 2.
    const counted = covidDoses[0]?.vaccine === 'COVID-JANSSEN' ? [covidDoses[0], ...covidDoses] : covidDoses;
    covid = seriesStatus('COVID', rules, counted, birth, today);
  }
  return { epi, covid, ageYears };
}
