/**
 * COVID-19 for one person on one date (rules.ts, DOMAIN.md §5.1–5.2). Pure.
 *
 * Every COVID-19 dose counts as given unless it came too early: before 5 years of age, inside the primary
 * series sooner than the product's minimum interval (AstraZeneca 4 weeks, Pfizer 21 days, Moderna 28 days, …,
 * taken from the previous dose's product), or after the primary series sooner than 28 days. A dose beyond the
 * rules still counts (a 30-year-old with four doses has four). The next dose is offered by the age group on the
 * date: the primary series of the first dose's product (Abdala 3 doses, Janssen 1, others 2), then the boosters
 * of the group from the date they were offered; nothing from the campaign's end on.
 */
import { addSpan, dayOf, isoOf, spanText, wholeYears, type Span } from './calendar.js';
import { chronologicalInPlace } from './childhood.js';
import { COVID_ADDITIONAL_MIN_INTERVAL, COVID_GROUPS, COVID_MIN_AGE_YEARS, COVID_PRODUCTS, GRACE_DAYS } from './rules.js';
import type { DoseState, DoseVerdict, GivenDose, ProgrammeDoseStatus } from './types.js';

export interface CovidEvaluation {
  /** Valid doses given. */
  readonly given: number;
  /** Doses counted toward the schedule: a Janssen first dose stands for a whole two-dose primary series. */
  readonly counted: number;
  /** The next dose, or null when none is offered (complete, no group, or the campaign is over). */
  readonly next: ProgrammeDoseStatus | null;
  readonly verdicts: readonly DoseVerdict[][];
}

const DEFAULT_PRIMARY = 2;

/** `withVerdicts: false`: as evaluateChildhood, the doses' verdicts are left empty (NO_VERDICTS: one shared list). */
export function evaluateCovid(birthDay: number, doses: readonly GivenDose[], today: number, campaignEnd: number, withVerdicts = true): CovidEvaluation {
  // Reports call this for every adult of a province: no closure, no copy of a dose, no verdict list unless asked.
  const order: { date: string | null; vaccine: string; index: number }[] = [];
  for (let index = 0; index < doses.length; index++) {
    const d = doses[index]!;
    if (d.vaccine?.startsWith('COVID-')) order.push({ date: d.date, vaccine: d.vaccine, index });
  }
  if (order.length > 1) chronologicalInPlace(order);
  const verdicts: DoseVerdict[][] = withVerdicts ? doses.map((): DoseVerdict[] => []) : NO_VERDICTS;
  const valid: { day: number | null; product: string }[] = [];
  // wholeYears(birthDay, day) < COVID_MIN_AGE_YEARS exactly when day < this (addSpan is monotonic in months).
  const minAgeDay = addSpan(birthDay, { months: 12 * COVID_MIN_AGE_YEARS });
  for (const dose of order) {
    const number = valid.length + 1;
    const day = dose.date === null ? null : dayOf(dose.date);
    if (day !== null) {
      if (day < minAgeDay) {
        if (withVerdicts) verdicts[dose.index]!.push(rejected(number, 'before_min_age', `tiêm khi chưa đủ ${COVID_MIN_AGE_YEARS} tuổi`));
        continue;
      }
      const previous = valid.at(-1);
      if (previous && previous.day !== null) {
        const inPrimary = valid.length < (COVID_PRODUCTS[valid[0]!.product]?.primaryDoses ?? DEFAULT_PRIMARY);
        const min: Span = inPrimary ? (COVID_PRODUCTS[previous.product]?.minInterval ?? COVID_ADDITIONAL_MIN_INTERVAL) : COVID_ADDITIONAL_MIN_INTERVAL;
        if (day < addSpan(previous.day, min) - GRACE_DAYS) {
          if (withVerdicts) {
            verdicts[dose.index]!.push(
              rejected(number, 'before_min_interval', `cách mũi trước (${isoOf(previous.day)}) ít hơn ${spanText(min)}${inPrimary ? ' (khoảng cách tối thiểu của vắc xin)' : ''}`),
            );
          }
          continue;
        }
      }
    }
    valid.push({ day, product: dose.vaccine });
    if (withVerdicts) verdicts[dose.index]!.push({ vaccine: 'covid19', dose: number, series: 'COVID-19', valid: true, text: `hợp lệ: COVID-19 mũi ${number}${day === null ? ', ngày tiêm không rõ' : ''}` });
  }
  const given = valid.length;
  const counted = given + (valid[0]?.product === 'COVID-JANSSEN' ? 1 : 0);
  return { given, counted, next: today >= campaignEnd ? null : nextDose(birthDay, valid, today, counted), verdicts };
}

/** The verdicts of a call that asked for none: empty, and never written to. */
const NO_VERDICTS: DoseVerdict[][] = [];

function rejected(number: number, reason: DoseVerdict['reason'], text: string): DoseVerdict {
  return { vaccine: 'covid19', dose: number, series: 'COVID-19', valid: false, ...(reason ? { reason } : {}), text: `không tính cho COVID-19 mũi ${number}: ${text}` };
}

function nextDose(birthDay: number, valid: readonly { day: number | null; product: string }[], today: number, counted: number): ProgrammeDoseStatus | null {
  const age = wholeYears(birthDay, today);
  const group = COVID_GROUPS.find((g) => age >= g.ageYears[0] && age < g.ageYears[1]);
  if (!group) return null;
  const primary = COVID_PRODUCTS[valid[0]?.product ?? '']?.primaryDoses ?? DEFAULT_PRIMARY;
  const last = valid.at(-1);
  const lastDay = last?.day ?? null;
  let dueFrom: number;
  let dueFor: Span | null = null;
  let source: string;
  if (valid.length === 0) {
    dueFrom = Math.max(dayOf(group.primaryFrom)!, addSpan(birthDay, { months: 12 * group.ageYears[0] }));
    source = group.source;
  } else if (valid.length < primary) {
    const product = COVID_PRODUCTS[last!.product] ?? COVID_PRODUCTS['COVID-PFIZER']!;
    if (lastDay === null) return status('not_yet', null, counted + 1, product.source);
    dueFrom = addSpan(lastDay, product.recommendedInterval);
    dueFor = product.dueFor;
    source = product.source;
  } else {
    const booster = group.boosters[valid.length - primary];
    if (!booster || (booster.minAgeYears !== undefined && age < booster.minAgeYears)) return null;
    if (lastDay === null) return status('not_yet', null, counted + 1, booster.source);
    dueFrom = Math.max(addSpan(lastDay, booster.after), dayOf(booster.from)!);
    source = booster.source;
  }
  // Boosters and first doses have no deadline during the campaign: due, never overdue.
  const state: DoseState = today < dueFrom ? 'not_yet' : dueFor !== null && today > addSpan(dueFrom, dueFor) ? 'overdue' : 'due';
  return status(state, isoOf(dueFrom), counted + 1, source);
}

function status(state: DoseState, dueFrom: string | null, dose: number, source: string): ProgrammeDoseStatus {
  return { vaccine: 'covid19', dose, state, dueFrom, givenOn: null, source };
}
