/**
 * The childhood programme for one child on one date: every dose weighed per antigen series (rules.ts), then
 * every programme dose given, or due / overdue / catch-up / missed / not yet. Pure.
 *
 * Per series, doses are taken in date order (undated doses last, counted without checks: the station says they
 * were given). A dose counts when it comes at or after the minimum age and the minimum interval after the
 * series' previous valid dose (less the grace days); otherwise it is flagged and the child is still due. A dose
 * at or past the series' maximum age is not weighed for it (a hepatitis B dose at 10 days is no birth dose; it
 * goes on to the 5-in-1's hepatitis B series, where it is too young).
 */
import { vaccineByCode } from '../clean/vaccine.js';
import { addSpan, dayOf, isoOf, spanText, type Span } from './calendar.js';
import { ANTIGEN_SERIES, GRACE_DAYS, JE_LIVE, PROGRAMME_DOSES, PROGRAMME_VACCINE_NAMES, programmeDose, type AntigenSeries, type ChildhoodVaccine, type ProgrammeDose } from './rules.js';
import type { DoseState, DoseVerdict, GivenDose, ProgrammeDoseStatus } from './types.js';

interface SeriesResult {
  /** Valid doses counted, in order: their day (null when undated). */
  readonly valid: (number | null)[];
  /** The JE series begun with the live vaccine (rules.ts JE_LIVE): two doses, the second a year after the first. */
  readonly live?: boolean;
}

const JE_SERIES = 'viêm não Nhật Bản';

/** Dated doses first in date order, then the undated ones, keeping their input order. */
export function chronological<T extends GivenDose>(doses: readonly T[]): T[] {
  return chronologicalInPlace([...doses]);
}

/** `chronological` on an array of the caller's own (sorted in place, stable, and returned). */
export function chronologicalInPlace<T extends GivenDose>(doses: T[]): T[] {
  const key = (d: GivenDose) => (d.date === null ? '\uffff' : d.date);
  return doses.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const name = (vaccine: ChildhoodVaccine, dose: number) => `${PROGRAMME_VACCINE_NAMES[vaccine]} mũi ${dose}`;

export interface ChildhoodEvaluation {
  readonly doses: readonly ProgrammeDoseStatus[];
  /** Verdicts per input dose (same order as the input). */
  readonly verdicts: readonly DoseVerdict[][];
}

/** Each programme dose's rule, by `vaccine:dose` (rules.ts programmeDose, without its search). */
const RULES: ReadonlyMap<string, ProgrammeDose> = new Map(PROGRAMME_DOSES.map((r) => [`${r.vaccine}:${r.dose}`, r]));
const ruleOf = (vaccine: ChildhoodVaccine, dose: number): ProgrammeDose => RULES.get(`${vaccine}:${dose}`) ?? programmeDose(vaccine, dose);

/** Per programme dose, the series it belongs to and its position in each (static: computed once). */
const PLACES: ReadonlyMap<ProgrammeDose, readonly { readonly series: AntigenSeries; readonly position: number }[]> = new Map(
  PROGRAMME_DOSES.map((rule) => [
    rule,
    ANTIGEN_SERIES.map((series) => ({ series, position: series.doses.findIndex(([v, n]) => v === rule.vaccine && n === rule.dose) })).filter((p) => p.position >= 0),
  ]),
);

/** Per catalogue code, whether a dose of it is a dose of each antigen series (ANTIGEN_SERIES order): any antigen accepted. */
const SERIES_OF = new Map<string, readonly boolean[]>();
const NO_SERIES: readonly boolean[] = ANTIGEN_SERIES.map(() => false);
function seriesOf(code: string): readonly boolean[] {
  let inSeries = SERIES_OF.get(code);
  if (inSeries === undefined) {
    const antigens = vaccineByCode(code)?.antigens;
    inSeries = antigens === undefined ? NO_SERIES : ANTIGEN_SERIES.map((series) => antigens.some((a) => series.accepts.includes(a)));
    SERIES_OF.set(code, inSeries);
  }
  return inSeries;
}

/** `addSpan(birthDay, span)`, computed once per span for one child (the rules share their span objects). */
function agesOf(birthDay: number): (span: Span) => number {
  const cache = new Map<Span, number>();
  return (span) => {
    let day = cache.get(span);
    if (day === undefined) cache.set(span, (day = addSpan(birthDay, span)));
    return day;
  };
}

/** `withVerdicts: false` leaves every dose's verdicts empty (reports read only the programme doses' states): the same states, fewer objects. */
export function evaluateChildhood(birthDay: number, doses: readonly GivenDose[], today: number, withVerdicts = true): ChildhoodEvaluation {
  // Each dose's antigens and day, looked up once rather than once per series.
  const order = chronologicalInPlace(doses.map((d, index) => ({ date: d.date, vaccine: d.vaccine, index }))).map((d) => ({
    index: d.index,
    inSeries: d.vaccine === null ? NO_SERIES : seriesOf(d.vaccine),
    live: d.vaccine === JE_LIVE.code,
    day: d.date === null ? null : dayOf(d.date),
  }));
  const age = agesOf(birthDay);
  const verdicts: DoseVerdict[][] = withVerdicts ? doses.map((): DoseVerdict[] => []) : [];
  const claimed = new Set<number>();
  const results = new Map<string, SeriesResult>();

  for (let s = 0; s < ANTIGEN_SERIES.length; s++) {
    const series = ANTIGEN_SERIES[s]!;
    const valid: (number | null)[] = [];
    // JE begun with Imojev: its own minimum age and interval, and two doses make the series.
    const live = series.name === JE_SERIES && order.find((d) => d.inSeries[s])?.live === true;
    const length = live ? 2 : series.doses.length;
    for (const dose of order) {
      if (valid.length >= length) break;
      if (claimed.has(dose.index)) continue;
      if (!dose.inSeries[s]) continue;
      const [vaccine, number] = series.doses[valid.length]!;
      const base = ruleOf(vaccine, number);
      const rule: ProgrammeDose = live ? { ...base, minAge: JE_LIVE.minAge, ...(number > 1 ? { minInterval: JE_LIVE.interval } : {}) } : base;
      const day = dose.day;
      if (day !== null) {
        if (day >= age(rule.maxAge)) continue;
        if (day < age(rule.minAge) - GRACE_DAYS) {
          if (withVerdicts) verdicts[dose.index]!.push({
            vaccine, dose: number, series: series.name, valid: false, reason: 'before_min_age',
            text: `không tính cho ${name(vaccine, number)} (${series.name}): tiêm trước tuổi tối thiểu ${spanText(rule.minAge)}`,
          });
          continue;
        }
        const previous = valid.at(-1);
        if (rule.minInterval && previous !== undefined && previous !== null && day < addSpan(previous, rule.minInterval) - GRACE_DAYS) {
          if (withVerdicts) verdicts[dose.index]!.push({
            vaccine, dose: number, series: series.name, valid: false, reason: 'before_min_interval',
            text: `không tính cho ${name(vaccine, number)} (${series.name}): cách mũi trước ít hơn ${spanText(rule.minInterval)} (tiêm ngày ${isoOf(previous)})`,
          });
          continue;
        }
      }
      valid.push(day);
      if (series.claims) claimed.add(dose.index);
      if (withVerdicts) verdicts[dose.index]!.push({
        vaccine, dose: number, series: series.name, valid: true,
        text: `hợp lệ: ${name(vaccine, number)} (${series.name})${day === null ? ', ngày tiêm không rõ' : ''}`,
      });
    }
    // The live series complete: its second dose stands for the programme's third (no third dose is due).
    if (live && valid.length === 2) valid.push(valid[1]!);
    results.set(series.name, live ? { valid, live } : { valid });
  }

  const statuses: ProgrammeDoseStatus[] = [];
  for (const rule of PROGRAMME_DOSES) statuses.push(programmeDoseStatus(rule, age, today, results, statuses));
  return { doses: statuses, verdicts: withVerdicts ? verdicts.map((list) => collapse(list).map((v) => withMissingParts(v, statuses, results))) : verdicts };
}

/**
 * A dose valid for only part of a programme dose says what the rest waits for: MR given as the first
 * measles-containing dose counts for rubella's one dose, but the 18-month MR dose is also measles' second,
 * so it stays due; a nurse reading "valid" beside a dose still listed as owed must see why.
 */
function withMissingParts(verdict: DoseVerdict, statuses: readonly ProgrammeDoseStatus[], results: ReadonlyMap<string, SeriesResult>): DoseVerdict {
  if (!verdict.valid || verdict.vaccine === 'covid19') return verdict;
  if (statuses.find((s) => s.vaccine === verdict.vaccine && s.dose === verdict.dose)?.state === 'given') return verdict;
  const rule = ruleOf(verdict.vaccine, verdict.dose);
  const missing = PLACES.get(rule)!
    .filter(({ series, position }) => results.get(series.name)!.valid.length <= position)
    .map(({ series, position }) => `mũi ${series.name} thứ ${position + 1}`);
  if (missing.length === 0) return verdict;
  return { ...verdict, text: `${verdict.text}; ${name(verdict.vaccine, verdict.dose)} vẫn chưa đủ: còn cần ${missing.join(', ')}` };
}

/** One verdict per programme dose and validity: a 6-in-1 is valid for `penta` 1 once (naming its antigens), not once per antigen. */
function collapse(list: DoseVerdict[]): DoseVerdict[] {
  if (list.length < 2) return list;
  const groups = new Map<string, DoseVerdict[]>();
  for (const v of list) {
    const key = `${v.vaccine}/${v.dose}/${v.valid}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  return [...groups.values()].map((same) => {
    const first = same[0]!;
    if (!first.valid || same.length === 1) return first;
    const series = same.map((v) => v.series).join(', ');
    const undated = first.text.endsWith('ngày tiêm không rõ') ? ', ngày tiêm không rõ' : '';
    return { ...first, series, text: `hợp lệ: ${name(first.vaccine as ChildhoodVaccine, first.dose)} (${series})${undated}` };
  });
}

/**
 * A programme dose waits (not_yet) while an earlier programme dose of one of its series is not given: the DPT
 * booster is not offered beside a missing 5-in-1 dose 3, which brings the fourth DTP dose itself; MR waits for the
 * first measles dose. `earlier` holds the statuses of the doses before it in PROGRAMME_DOSES order.
 */
function programmeDoseStatus(
  rule: ProgrammeDose,
  age: (span: Span) => number,
  today: number,
  results: ReadonlyMap<string, SeriesResult>,
  earlier: readonly ProgrammeDoseStatus[],
): ProgrammeDoseStatus {
  let dueFrom = Math.max(age(rule.recommendedAge), age(rule.minAge));
  let given = true;
  let blocked = false;
  let givenOn: number | null = null;
  let undated = false;
  let source = rule.source;
  let dueFor = rule.dueFor;
  for (const { series, position } of PLACES.get(rule)!) {
    const { valid, live } = results.get(series.name)!;
    if (live) {
      source = JE_LIVE.source;
      // the live vaccine's second dose: from a year after the first, for a year (12–24 months)
      if (position > 0) dueFor = JE_LIVE.interval;
    }
    if (valid.length > position) {
      const day = valid[position]!;
      if (day === null) undated = true;
      else givenOn = Math.max(givenOn ?? day, day);
      continue;
    }
    given = false;
    // The series' previous dose: when it is this series' next dose, from the last valid dose; when an
    // earlier dose of the series is still missing (MR waits for the first measles dose), from today at best.
    const previous = position === 0 ? undefined : valid.length === position ? valid[position - 1] : today;
    if (valid.length < position) blocked = true;
    for (const [v, n] of series.doses.slice(0, position)) {
      if (v !== rule.vaccine && earlier.find((e) => e.vaccine === v && e.dose === n)?.state !== 'given') blocked = true;
    }
    const interval = live && position > 0 ? JE_LIVE.interval : rule.recommendedInterval;
    if (previous !== undefined && previous !== null && interval) {
      dueFrom = Math.max(dueFrom, addSpan(previous, interval));
    }
  }
  if (given) return { vaccine: rule.vaccine, dose: rule.dose, state: 'given', dueFrom: null, givenOn: undated || givenOn === null ? null : isoOf(givenOn), source };
  const state: DoseState =
    today >= age(rule.maxAge) ? 'missed'
    : blocked || today < dueFrom ? 'not_yet'
    : today >= age(rule.programmeUntil) ? 'catch_up'
    : today > addSpan(dueFrom, dueFor) ? 'overdue'
    : 'due';
  return { vaccine: rule.vaccine, dose: rule.dose, state, dueFrom: isoOf(dueFrom), givenOn: null, source };
}

/** The programme doses to offer: per programme vaccine, its first dose not given (later ones wait for it). */
export function nextChildhoodDoses(statuses: readonly ProgrammeDoseStatus[]): ProgrammeDoseStatus[] {
  const seen = new Set<string>();
  const next: ProgrammeDoseStatus[] = [];
  for (const s of statuses) {
    if (s.state === 'given' || seen.has(s.vaccine)) continue;
    seen.add(s.vaccine);
    next.push(s);
  }
  return next;
}
