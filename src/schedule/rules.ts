/**
 * The vaccination schedules as data: one table per programme, one line per dose, each with its source.
 * The engine (status.ts) reads only these tables, so a new circular from the Ministry is a change here.
 *
 * Ages and intervals are in days. `dueAge` is the recommended age; `minAge` the earliest valid age;
 * `minInterval` the least time after the previous dose of the same series; a dose is overdue `grace`
 * days after it became due (judgement: one month for the childhood programme, so that a child invited
 * on time is not yet on the late list; never for COVID-19 doses, which have no deadline).
 */

export type Programme = 'epi' | 'covid';

export interface DoseRule {
  readonly programme: Programme;
  /** The series a dose belongs to, and its place in it (1-based). */
  readonly series: string;
  readonly dose: number;
  /** Catalogue codes (src/clean/vaccine.ts) that count for this dose. */
  readonly vaccines: readonly string[];
  readonly dueAge: number;
  readonly minAge: number;
  /** After the previous dose of the series (0 for the first). */
  readonly minInterval: number;
  readonly grace: number;
  /** Only for people in this age range on the report date, in years [from, to): the COVID age groups. */
  readonly ageYears?: readonly [number, number];
  /** Not due before this date (yyyy-mm-dd): when the programme offered the dose at all. */
  readonly from?: string;
  readonly source: string;
}

const TT38 = 'Thông tư 38/2017/TT-BYT (lịch TCMR), via DOMAIN.md §5.3';
const QD2144 = 'QĐ 2144/QĐ-BYT (4 Jun 2016), IPV at 5 months, via DOMAIN.md §5.3';
const MONTH = 30;
const EPI_GRACE = 30;

/**
 * Tiêm chủng mở rộng: children under 1 and at 18 months. A child is followed until 24 months; after
 * that a missed dose is a catch-up matter, not a call list's.
 */
export const EPI_SCHEDULE: readonly DoseRule[] = [
  { programme: 'epi', series: 'HEPB-BIRTH', dose: 1, vaccines: ['HEPB-BIRTH'], dueAge: 0, minAge: 0, minInterval: 0, grace: 1, source: `${TT38}: within 24 h of birth` },
  { programme: 'epi', series: 'BCG', dose: 1, vaccines: ['BCG'], dueAge: 0, minAge: 0, minInterval: 0, grace: MONTH, source: `${TT38}: newborn, ideally under 1 month` },
  ...[1, 2, 3].flatMap((dose): DoseRule[] => [
    { programme: 'epi', series: 'DPT-VGB-HIB', dose, vaccines: ['DPT-VGB-HIB'], dueAge: (dose + 1) * MONTH, minAge: 6 * 7, minInterval: dose === 1 ? 0 : 28, grace: EPI_GRACE, source: `${TT38}: 2, 3, 4 months, at least 1 month apart` },
    { programme: 'epi', series: 'OPV', dose, vaccines: ['OPV'], dueAge: (dose + 1) * MONTH, minAge: 6 * 7, minInterval: dose === 1 ? 0 : 28, grace: EPI_GRACE, source: `${TT38}: with DPT-VGB-Hib` },
  ]),
  { programme: 'epi', series: 'IPV', dose: 1, vaccines: ['IPV'], dueAge: 5 * MONTH, minAge: 14 * 7, minInterval: 0, grace: EPI_GRACE, source: QD2144 },
  { programme: 'epi', series: 'MEASLES', dose: 1, vaccines: ['MEASLES', 'MR'], dueAge: 9 * MONTH, minAge: 9 * MONTH, minInterval: 0, grace: EPI_GRACE, source: `${TT38}: 9 months` },
  { programme: 'epi', series: 'JE', dose: 1, vaccines: ['JE'], dueAge: 12 * MONTH, minAge: 12 * MONTH, minInterval: 0, grace: EPI_GRACE, source: `${TT38}: 12 months` },
  { programme: 'epi', series: 'JE', dose: 2, vaccines: ['JE'], dueAge: 12 * MONTH + 14, minAge: 12 * MONTH + 7, minInterval: 7, grace: EPI_GRACE, source: `${TT38}: 1–2 weeks after JE 1` },
  { programme: 'epi', series: 'MR', dose: 1, vaccines: ['MR'], dueAge: 18 * MONTH, minAge: 18 * MONTH, minInterval: 0, grace: EPI_GRACE, source: `${TT38}: MR at 18 months` },
  { programme: 'epi', series: 'DPT-BOOSTER', dose: 1, vaccines: ['DPT', 'DPT-VGB-HIB'], dueAge: 18 * MONTH, minAge: 18 * MONTH, minInterval: 0, grace: EPI_GRACE, source: `${TT38}: DPT booster (mũi 4) at 18 months` },
];

/** The age up to which the childhood programme follows a child. */
export const EPI_FOLLOW_UNTIL_DAYS = 24 * MONTH;

const COVID_PRIMARY = ['COVID-AZ', 'COVID-PFIZER', 'COVID-MODERNA', 'COVID-VEROCELL', 'COVID-SPUTNIK', 'COVID-HAYAT', 'COVID-ABDALA', 'COVID-COVAXIN', 'COVID-NANOCOVAX'];
const COVID_ANY = [...COVID_PRIMARY, 'COVID-JANSSEN'];
const COVID_MRNA = ['COVID-PFIZER', 'COVID-MODERNA'];
const HCDC_2022 = 'hcdc.vn and TTXVN (Aug 2022), via DOMAIN.md §5.2';
/** When each dose was first offered (DOMAIN.md §5): a person is never "due" before the programme existed. */
const ADULTS_FROM = '2021-03-08'; // first COVID-19 vaccinations in Vietnam
const TEENS_FROM = '2021-06-12'; // QĐ 2908/QĐ-BYT: Pfizer approved from 12 years
const BOOSTER_FROM = '2021-12-01'; // boosters (liều nhắc lại) from late 2021
const SECOND_BOOSTER_FROM = '2022-05-01'; // mũi 4 from May 2022
const KIDS_FROM = '2022-04-01'; // children 5–<12 vaccinated in Q2 2022 (infographics.vn)
/** COVID-19 doses have no deadline: a missing one is due, never overdue. */
const NO_DEADLINE = Number.POSITIVE_INFINITY;

/**
 * COVID-19 by age group as used in Vietnam in 2022: two primary doses (mRNA only for 5–11), a third
 * dose 3 months after the second (5 months for 12–17), a fourth 4 months after the third for people of
 * 50 and over (the risk groups of the rule are not in the records). A Janssen dose counts as a full primary
 * series (handled in status.ts).
 */
export const COVID_SCHEDULE: readonly DoseRule[] = [
  { programme: 'covid', series: 'COVID', dose: 1, vaccines: COVID_MRNA, dueAge: 5 * 365, minAge: 5 * 365, minInterval: 0, grace: NO_DEADLINE, ageYears: [5, 12], from: KIDS_FROM, source: 'Children 5–<12: Pfizer/Moderna only (aschool.edu.vn 2022), via DOMAIN.md §5.2' },
  { programme: 'covid', series: 'COVID', dose: 2, vaccines: COVID_MRNA, dueAge: 5 * 365, minAge: 5 * 365, minInterval: 21, grace: NO_DEADLINE, ageYears: [5, 12], from: KIDS_FROM, source: 'Children 5–<12: 2 doses of the same vaccine; interval per manufacturer (21 days for Pfizer)' },
  { programme: 'covid', series: 'COVID', dose: 1, vaccines: COVID_ANY, dueAge: 12 * 365, minAge: 12 * 365, minInterval: 0, grace: NO_DEADLINE, ageYears: [12, 18], from: TEENS_FROM, source: 'QĐ 2908/QĐ-BYT (Pfizer from 12), via DOMAIN.md §5.1' },
  { programme: 'covid', series: 'COVID', dose: 2, vaccines: COVID_PRIMARY, dueAge: 12 * 365, minAge: 12 * 365, minInterval: 21, grace: NO_DEADLINE, ageYears: [12, 18], from: TEENS_FROM, source: 'primary series intervals, DOMAIN.md §5.1' },
  { programme: 'covid', series: 'COVID', dose: 3, vaccines: COVID_ANY, dueAge: 12 * 365, minAge: 12 * 365, minInterval: 150, grace: NO_DEADLINE, ageYears: [12, 18], from: BOOSTER_FROM, source: `${HCDC_2022}: 12–<18, mũi 3 ≥ 5 months after mũi 2` },
  { programme: 'covid', series: 'COVID', dose: 1, vaccines: COVID_ANY, dueAge: 18 * 365, minAge: 18 * 365, minInterval: 0, grace: NO_DEADLINE, ageYears: [18, 200], from: ADULTS_FROM, source: 'DOMAIN.md §5.1' },
  { programme: 'covid', series: 'COVID', dose: 2, vaccines: COVID_PRIMARY, dueAge: 18 * 365, minAge: 18 * 365, minInterval: 21, grace: NO_DEADLINE, ageYears: [18, 200], from: ADULTS_FROM, source: 'primary series intervals (AZ 8–12 weeks, Pfizer 21 days, Moderna 28 days), DOMAIN.md §5.1' },
  { programme: 'covid', series: 'COVID', dose: 3, vaccines: COVID_ANY, dueAge: 18 * 365, minAge: 18 * 365, minInterval: 90, grace: NO_DEADLINE, ageYears: [18, 200], from: BOOSTER_FROM, source: `${HCDC_2022}: 18+, mũi 3 ≥ 3 months after mũi 2` },
  { programme: 'covid', series: 'COVID', dose: 4, vaccines: COVID_ANY, dueAge: 50 * 365, minAge: 50 * 365, minInterval: 120, grace: NO_DEADLINE, ageYears: [50, 200], from: SECOND_BOOSTER_FROM, source: 'thanhnien (May 2022) and TTXVN (Aug 2022): mũi 4 ≥ 4 months after mũi 3 for people ≥ 50, via DOMAIN.md §5.2' },
];

/** The COVID age groups the coverage report uses, in years [from, to). */
export const COVID_AGE_GROUPS: readonly { readonly label: string; readonly years: readonly [number, number] }[] = [
  { label: '5–11', years: [5, 12] },
  { label: '12–17', years: [12, 18] },
  { label: '18+', years: [18, 200] },
];
