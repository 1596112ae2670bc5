/**
 * What a person has had and what comes next on a date: the childhood programme for a child with a birth date
 * known to the day and under the catch-up age, COVID-19 for anyone whose age group is known (a year-only birth
 * date is taken at 1 July, a month-only one at the 15th). Pure: the same person, doses and date always give the
 * same answer.
 */
import { daysFromCivil } from '../base/civil-days.js';
import { addSpan, dayOf, wholeYears } from './calendar.js';
import { evaluateChildhood, nextChildhoodDoses } from './childhood.js';
import { evaluateCovid, type CovidEvaluation } from './covid.js';
import { COVID_CAMPAIGN_END_DEFAULT } from './rules.js';
import type { DoseVerdict, EvaluatedDose, GivenDose, ProgrammeDoseStatus } from './types.js';

export type { DoseState, DoseVerdict, EvaluatedDose, GivenDose, ProgrammeDoseStatus } from './types.js';
export { LISTED_STATES } from './types.js';

export interface ScheduleOptions {
  /** yyyy-mm-dd; from this day no COVID-19 dose is due (default: rules.ts COVID_CAMPAIGN_END_DEFAULT). */
  readonly covidCampaignEnd?: string | undefined;
  /** false: each dose's verdicts are left empty (the reports, which read the programme doses only); default true. */
  readonly withVerdicts?: boolean;
}

/** The childhood programme follows a child up to this age (the catch-up limit of rules.ts). */
export const CHILDHOOD_UNTIL = { months: 60 } as const;

export interface ScheduleStatus {
  /** Age on the date in whole years, null when the birth date is unknown. */
  readonly ageYears: number | null;
  /** Every childhood programme dose and its state; null when the programme does not apply. */
  readonly childhood: readonly ProgrammeDoseStatus[] | null;
  readonly covid: CovidEvaluation | null;
  /** Each input dose with its verdicts, in the input order. */
  readonly doses: readonly EvaluatedDose[];
  /** What to offer on the date: the first missing dose per programme vaccine, whatever its state. */
  readonly next: readonly ProgrammeDoseStatus[];
}

const NONE: readonly DoseVerdict[] = [];

/** A partial birth date as a day, for age groups only: the 15th of its month, or 1 July of its year. */
function approximateBirthDay(birthDate: string): number | null {
  const exact = dayOf(birthDate);
  if (exact !== null) return exact;
  const m = /^(\d{4})(?:-(\d{2}))?/.exec(birthDate);
  if (!m) return null;
  return daysFromCivil(Number(m[1]), m[2] ? Number(m[2]) : 7, m[2] ? 15 : 1);
}

export function scheduleStatus(birthDate: string | null, doses: readonly GivenDose[], date: string, options: ScheduleOptions = {}): ScheduleStatus {
  const today = dayOf(date);
  if (today === null) throw new RangeError(`the date must be yyyy-mm-dd, got ${date}`);
  const birth = birthDate === null ? null : approximateBirthDay(birthDate);
  if (birth === null) return { ageYears: null, childhood: null, covid: null, doses: doses.map((given) => ({ given, verdicts: [] })), next: [] };
  const withVerdicts = options.withVerdicts ?? true;
  // Reports (withVerdicts: false) evaluate a province's people: no per-dose lists they would not read.
  const verdicts: DoseVerdict[][] | null = withVerdicts ? doses.map(() => []) : null;

  const exactBirth = dayOf(birthDate!);
  let childhood: ProgrammeDoseStatus[] | null = null;
  if (exactBirth !== null && today >= exactBirth && today < addSpan(exactBirth, CHILDHOOD_UNTIL)) {
    const evaluation = evaluateChildhood(exactBirth, doses, today, withVerdicts);
    childhood = [...evaluation.doses];
    if (verdicts) evaluation.verdicts.forEach((v, i) => verdicts[i]!.push(...v));
  }
  const campaignEnd = dayOf(options.covidCampaignEnd ?? COVID_CAMPAIGN_END_DEFAULT);
  if (campaignEnd === null) throw new RangeError(`the COVID-19 campaign end must be yyyy-mm-dd, got ${options.covidCampaignEnd}`);
  const covid = today >= birth ? evaluateCovid(birth, doses, today, campaignEnd, withVerdicts) : null;
  if (verdicts && covid) covid.verdicts.forEach((v, i) => verdicts[i]!.push(...v));

  const next = [...(childhood ? nextChildhoodDoses(childhood) : []), ...(covid?.next ? [covid.next] : [])];
  return {
    ageYears: wholeYears(birth, today),
    childhood,
    covid,
    doses: verdicts ? doses.map((given, i) => ({ given, verdicts: verdicts[i]! })) : doses.map((given) => ({ given, verdicts: NONE })),
    next,
  };
}
