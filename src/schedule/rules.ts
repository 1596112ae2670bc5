/**
 * The vaccination schedules as data, each line with its source. The engine (evaluate.ts, covid.ts) reads only
 * these tables, so a new circular from the Ministry is a change here.
 *
 * Childhood programme (Tiêm chủng mở rộng, TCMR). A programme dose (`penta` 2, `mr` 1: what the station gives
 * and the call list names, ../shared/contract/reports.md) is given when every antigen it protects against has
 * had that dose, whatever product carried it (DOMAIN.md §5.3: count by antigen). So the rules come in two
 * tables: PROGRAMME_DOSES says when each programme dose is due, and ANTIGEN_SERIES says which antigens' doses
 * make it up. A 6-in-1 (Hexaxim) at 2 months is dose 1 of diphtheria, tetanus, pertussis, Hib, hepatitis B and
 * inactivated polio: `penta` 1, `opv` 1 (any polio dose counts for the polio series: judgement, WHO counts an
 * all-IPV schedule as complete) and, from 14 weeks, `ipv` 1.
 *
 * Ages and intervals are calendar spans (calendar.ts). Timing of a missing dose, from `dueFrom` (the latest of
 * the recommended age, the minimum age, and the recommended interval after the previous valid dose):
 *   due       from dueFrom for `dueFor` (the recommended window);
 *   overdue   after that, until the programme age (`programmeUntil`);
 *   catch_up  from the programme age until the catch-up limit (`maxAge`): tiêm bù / tiêm vét;
 *   missed    from `maxAge` on: no longer offered, never listed (a birth dose past its window).
 * A dose given before its minimum age or interval, less the 4-day grace period (ACIP), is recorded, flagged
 * and not counted.
 */
import type { Antigen } from '../clean/vaccine.js';
import type { Span } from './calendar.js';

/** The programme vaccines of the call list contract (../shared/contract/reports.md). Stable codes. */
export const PROGRAMME_VACCINES = ['hepb0', 'bcg', 'penta', 'opv', 'ipv', 'measles', 'je', 'dpt', 'mr', 'covid19'] as const;
export type ProgrammeVaccine = (typeof PROGRAMME_VACCINES)[number];
export type ChildhoodVaccine = Exclude<ProgrammeVaccine, 'covid19'>;

/** Vietnamese names, for the person page and the reports. */
export const PROGRAMME_VACCINE_NAMES: Readonly<Record<ProgrammeVaccine, string>> = {
  hepb0: 'Viêm gan B sơ sinh',
  bcg: 'BCG (lao)',
  penta: 'DPT-VGB-Hib (5 trong 1)',
  opv: 'Bại liệt uống (OPV)',
  ipv: 'Bại liệt tiêm (IPV)',
  measles: 'Sởi',
  je: 'Viêm não Nhật Bản',
  dpt: 'DPT nhắc lại (18 tháng)',
  mr: 'Sởi - Rubella (18 tháng)',
  covid19: 'COVID-19',
};

/** ACIP: a dose up to 4 days before the minimum age or interval still counts (DOMAIN.md §5.3). */
export const GRACE_DAYS = 4;

export interface ProgrammeDose {
  readonly vaccine: ChildhoodVaccine;
  /** The dose as the call list numbers it (`dpt` is dose 4: the booster after penta's three). */
  readonly dose: number;
  readonly recommendedAge: Span;
  readonly minAge: Span;
  /** After the previous dose of the same antigen series (none for a series' first dose). */
  readonly minInterval?: Span;
  readonly recommendedInterval?: Span;
  /** Length of the "due" window from dueFrom; after it the dose is overdue. */
  readonly dueFor: Span;
  /** From this age a missing dose is a catch-up matter (tiêm bù). */
  readonly programmeUntil: Span;
  /** From this age the dose is no longer given nor counted for this series (the window or catch-up limit). */
  readonly maxAge: Span;
  readonly source: string;
}

const TT38 = 'Thông tư 38/2017/TT-BYT (lịch TCMR), DOMAIN.md §5.3';
const QD2144 = 'QĐ 2144/QĐ-BYT (4/6/2016): IPV at 5 months, DOMAIN.md §5.3';
const ACIP = 'minimum ages and intervals: US CDC/ACIP table, DOMAIN.md §5.3';
/**
 * Judgement (no Vietnamese source found, to confirm with the programme): infant doses are "on time" in the
 * first year (the under-1 full-immunisation indicator), 18-month doses in the second; TCMR catch-up rounds
 * (tiêm bù, tiêm vét) reach children under 5.
 */
const CATCH_UP = 'catch-up to under 5 years: engineering judgement, to confirm with the provincial CDC';
const MONTH: Span = { months: 1 };
const UNDER_1: Span = { months: 12 };
const UNDER_2: Span = { months: 24 };
const UNDER_5: Span = { months: 60 };

const infant = (vaccine: 'penta' | 'opv', dose: number): ProgrammeDose => ({
  vaccine,
  dose,
  recommendedAge: { months: dose + 1 },
  minAge: { weeks: [6, 10, 14][dose - 1]! },
  ...(dose > 1 ? { minInterval: { weeks: 4 }, recommendedInterval: { weeks: 4 } } : {}),
  dueFor: MONTH,
  programmeUntil: UNDER_1,
  maxAge: UNDER_5,
  source: `${TT38}: 2, 3, 4 months, at least 1 month (28 days) apart; minimum ages 6/10/14 weeks (${ACIP}); ${CATCH_UP}`,
});

export const PROGRAMME_DOSES: readonly ProgrammeDose[] = [
  {
    vaccine: 'hepb0', dose: 1, recommendedAge: {}, minAge: {}, dueFor: { days: 1 }, programmeUntil: { days: 7 }, maxAge: { days: 7 },
    source: `${TT38}: within 24 h of birth; at the latest ~7 days (DOMAIN.md §5.3), then missed: the 5-in-1 carries hepatitis B on`,
  },
  {
    vaccine: 'bcg', dose: 1, recommendedAge: {}, minAge: {}, dueFor: MONTH, programmeUntil: UNDER_1, maxAge: UNDER_1,
    source: `${TT38}: newborn, ideally under 1 month; may still be given up to 12 months (DOMAIN.md §5.3)`,
  },
  infant('penta', 1), infant('penta', 2), infant('penta', 3),
  infant('opv', 1), infant('opv', 2), infant('opv', 3),
  {
    vaccine: 'ipv', dose: 1, recommendedAge: { months: 5 }, minAge: { weeks: 14 }, dueFor: MONTH, programmeUntil: UNDER_1, maxAge: UNDER_5,
    source: `${QD2144}; minimum 14 weeks (WHO polio position paper 2016: one IPV dose from 14 weeks); ${CATCH_UP}`,
  },
  {
    vaccine: 'measles', dose: 1, recommendedAge: { months: 9 }, minAge: { months: 9 }, dueFor: MONTH, programmeUntil: UNDER_1, maxAge: UNDER_5,
    source: `${TT38}: 9 months; a dose before 9 months does not count; ${CATCH_UP}`,
  },
  {
    vaccine: 'je', dose: 1, recommendedAge: { months: 12 }, minAge: { months: 12 }, dueFor: MONTH, programmeUntil: UNDER_2, maxAge: UNDER_5,
    source: `${TT38}: JE dose 1 at 12 months; ${CATCH_UP}`,
  },
  {
    vaccine: 'je', dose: 2, recommendedAge: { months: 12 }, minAge: { months: 12 }, minInterval: { weeks: 1 }, recommendedInterval: { weeks: 1 },
    dueFor: { weeks: 1 }, programmeUntil: UNDER_2, maxAge: UNDER_5,
    source: `${TT38}: JE dose 2 1–2 weeks after dose 1; ${CATCH_UP}`,
  },
  {
    vaccine: 'je', dose: 3, recommendedAge: { months: 12 }, minAge: { months: 12 }, minInterval: { months: 12 }, recommendedInterval: { months: 12 },
    dueFor: MONTH, programmeUntil: { months: 36 }, maxAge: UNDER_5,
    source: `${TT38}: JE dose 3 one year after dose 2 (no shorter minimum found); ${CATCH_UP}`,
  },
  {
    vaccine: 'dpt', dose: 4, recommendedAge: { months: 18 }, minAge: { months: 12 }, minInterval: { months: 6 }, recommendedInterval: { months: 6 },
    dueFor: MONTH, programmeUntil: UNDER_2, maxAge: UNDER_5,
    source: `${TT38}: DPT booster (mũi 4) at 18 months; minimum 12 months and 6 months after dose 3 (${ACIP}); ${CATCH_UP}`,
  },
  {
    vaccine: 'mr', dose: 1, recommendedAge: { months: 18 }, minAge: { months: 12 }, minInterval: { weeks: 4 }, recommendedInterval: { weeks: 4 },
    dueFor: MONTH, programmeUntil: UNDER_2, maxAge: UNDER_5,
    source: `${TT38}: MR at 18 months, the second measles dose (minimum 4 weeks after the first, ${ACIP}); ${CATCH_UP}`,
  },
];

/** One antigen's series: which doses of which antigens count, and the programme dose each one is part of. */
export interface AntigenSeries {
  readonly name: string;
  /** A dose of a product with any of these antigens is a dose of the series. */
  readonly accepts: readonly Antigen[];
  readonly doses: readonly (readonly [ChildhoodVaccine, number])[];
  /**
   * Doses this series counts are not offered to the later series of the same antigen: a birth dose of
   * hepatitis B is not also dose 1 of the 5-in-1's hepatitis B (nor flagged there as given too young).
   */
  readonly claims?: true;
}

const PENTA_THEN_BOOSTER: readonly (readonly [ChildhoodVaccine, number])[] = [['penta', 1], ['penta', 2], ['penta', 3], ['dpt', 4]];
const PENTA: readonly (readonly [ChildhoodVaccine, number])[] = [['penta', 1], ['penta', 2], ['penta', 3]];

/** In evaluation order: a claiming series comes before the series it takes doses from. */
export const ANTIGEN_SERIES: readonly AntigenSeries[] = [
  { name: 'viêm gan B sơ sinh', accepts: ['hepb'], doses: [['hepb0', 1]], claims: true },
  { name: 'lao', accepts: ['bcg'], doses: [['bcg', 1]] },
  { name: 'bạch hầu', accepts: ['diphtheria'], doses: PENTA_THEN_BOOSTER },
  { name: 'uốn ván', accepts: ['tetanus'], doses: PENTA_THEN_BOOSTER },
  { name: 'ho gà', accepts: ['pertussis'], doses: PENTA_THEN_BOOSTER },
  { name: 'Hib', accepts: ['hib'], doses: PENTA },
  { name: 'viêm gan B', accepts: ['hepb'], doses: PENTA },
  { name: 'bại liệt', accepts: ['polio_oral', 'polio_inactivated'], doses: [['opv', 1], ['opv', 2], ['opv', 3]] },
  { name: 'bại liệt tiêm', accepts: ['polio_inactivated'], doses: [['ipv', 1]] },
  { name: 'sởi', accepts: ['measles'], doses: [['measles', 1], ['mr', 1]] },
  { name: 'rubella', accepts: ['rubella'], doses: [['mr', 1]] },
  { name: 'viêm não Nhật Bản', accepts: ['je'], doses: [['je', 1], ['je', 2], ['je', 3]] },
];

/**
 * Imojev (catalogue `JE-LIVE`), the live chimeric JE vaccine of the service sector: a series of 2 doses, not the
 * inactivated vaccine's 3 — the first from 9 months, the second 12 to 24 months after it (Sanofi's product
 * information for Imojev as registered in Vietnam; VNVC's schedule). A child whose first JE dose is Imojev follows
 * this series: `je` 1 from 9 months, `je` 2 a year after it, and the series is complete after `je` 2 (`je` 3 is
 * not due). A child who started with the inactivated vaccine (Jevax) keeps the programme's 3 doses whatever came
 * later. Judgement on the mixed case: to confirm with the provincial CDC.
 */
export const JE_LIVE = {
  code: 'JE-LIVE',
  minAge: { months: 9 } as Span,
  interval: { months: 12 } as Span,
  source: 'Imojev (JE-LIVE): 2 doses, from 9 months, the second 12–24 months after the first (product information); rules.ts JE_LIVE',
} as const;

export function programmeDose(vaccine: ChildhoodVaccine, dose: number): ProgrammeDose {
  const rule = PROGRAMME_DOSES.find((r) => r.vaccine === vaccine && r.dose === dose);
  if (!rule) throw new Error(`no schedule rule for ${vaccine} dose ${dose}`);
  return rule;
}

// ---------------------------------------------------------------------------------------------------------
// COVID-19 (DOMAIN.md §5.1, §5.2)

/**
 * The end of the COVID-19 campaign: from 20 Oct 2023 COVID-19 is a group B disease (Decision 26/2023/QĐ-TTg),
 * and no COVID-19 dose is due any more (DOMAIN.md §5.2). The default of the VAXSYNC_COVID_CAMPAIGN_END setting.
 */
export const COVID_CAMPAIGN_END_DEFAULT = '2023-10-20';

export interface CovidProduct {
  /** Doses in its primary series. */
  readonly primaryDoses: number;
  /** Between primary doses: the least that counts, and the recommended interval and window. */
  readonly minInterval: Span;
  readonly recommendedInterval: Span;
  readonly dueFor: Span;
  readonly source: string;
}

const S51 = 'DOMAIN.md §5.1';
export const COVID_PRODUCTS: Readonly<Record<string, CovidProduct>> = {
  // 8–12 weeks; from 20 Sep 2021 provinces could shorten it, to 4 weeks at least in outbreak zones.
  'COVID-AZ': { primaryDoses: 2, minInterval: { weeks: 4 }, recommendedInterval: { weeks: 8 }, dueFor: { weeks: 4 }, source: `${S51}: 8–12 weeks, ≥ 4 weeks when shortened (20/9/2021)` },
  'COVID-PFIZER': { primaryDoses: 2, minInterval: { days: 21 }, recommendedInterval: { days: 21 }, dueFor: { weeks: 1 }, source: `${S51}: 3 weeks (21 days)` },
  'COVID-MODERNA': { primaryDoses: 2, minInterval: { days: 28 }, recommendedInterval: { days: 28 }, dueFor: { weeks: 1 }, source: `${S51}: 28 days` },
  'COVID-VEROCELL': { primaryDoses: 2, minInterval: { weeks: 3 }, recommendedInterval: { weeks: 3 }, dueFor: { weeks: 1 }, source: `${S51}: 3–4 weeks` },
  'COVID-HAYAT': { primaryDoses: 2, minInterval: { weeks: 3 }, recommendedInterval: { weeks: 3 }, dueFor: { weeks: 1 }, source: `${S51}: same antigen as Vero Cell; interval unconfirmed, presumed 3–4 weeks` },
  'COVID-SPUTNIK': { primaryDoses: 2, minInterval: { weeks: 3 }, recommendedInterval: { weeks: 3 }, dueFor: { weeks: 1 }, source: `${S51}: 3 weeks` },
  'COVID-ABDALA': { primaryDoses: 3, minInterval: { days: 14 }, recommendedInterval: { days: 14 }, dueFor: { weeks: 1 }, source: `${S51}: 3 doses, 0–14–28 days (manufacturer; unconfirmed in VN)` },
  'COVID-COVAXIN': { primaryDoses: 2, minInterval: { weeks: 4 }, recommendedInterval: { weeks: 4 }, dueFor: { weeks: 1 }, source: `${S51}: 4 weeks (manufacturer; unconfirmed in VN)` },
  'COVID-NANOCOVAX': { primaryDoses: 2, minInterval: { days: 28 }, recommendedInterval: { days: 28 }, dueFor: { weeks: 1 }, source: `${S51}: trial scheme, 28 days (unconfirmed)` },
  'COVID-JANSSEN': { primaryDoses: 1, minInterval: {}, recommendedInterval: {}, dueFor: {}, source: `${S51}: 1 dose (the product's label)` },
};

/** The least interval after which any later COVID-19 dose counts: the "liều bổ sung", ≥ 28 days after primary. */
export const COVID_ADDITIONAL_MIN_INTERVAL: Span = { days: 28 };
/** No COVID-19 dose counts before 5 years of age (the youngest group vaccinated, DOMAIN.md §5.2). */
export const COVID_MIN_AGE_YEARS = 5;

export interface CovidGroupRule {
  /** Age on the report date, in whole years [from, to). */
  readonly ageYears: readonly [number, number];
  /** The first dose is offered from this date. */
  readonly primaryFrom: string;
  /** Boosters in order: after the last primary (or previous booster), from a date. Empty: primary only. */
  readonly boosters: readonly { readonly after: Span; readonly from: string; readonly minAgeYears?: number; readonly source: string }[];
  readonly source: string;
}

export const COVID_GROUPS: readonly CovidGroupRule[] = [
  { ageYears: [5, 12], primaryFrom: '2022-04-01', boosters: [], source: 'children 5–<12: two doses of Pfizer or Moderna, Q2 2022 (DOMAIN.md §5.2)' },
  {
    ageYears: [12, 18], primaryFrom: '2021-06-12',
    boosters: [{ after: { months: 5 }, from: '2022-08-01', source: '12–<18: mũi 3 ≥ 5 months after mũi 2 (TTXVN, Aug 2022; DOMAIN.md §5.2)' }],
    source: 'from 12 years: QĐ 2908/QĐ-BYT (12 Jun 2021), DOMAIN.md §5.1',
  },
  {
    ageYears: [18, 200], primaryFrom: '2021-03-08',
    boosters: [
      { after: { months: 3 }, from: '2021-12-01', source: '18+: mũi 3 ≥ 3 months after mũi 2 (late 2021, hcdc.vn 2022; DOMAIN.md §5.2)' },
      { after: { months: 4 }, from: '2022-05-01', minAgeYears: 50, source: 'mũi 4 ≥ 4 months after mũi 3 for people ≥ 50 (May 2022; the risk groups of the rule are not in the records), DOMAIN.md §5.2' },
    ],
    source: 'adults from 8 Mar 2021 (first doses in Vietnam)',
  },
];

/** The COVID age groups the coverage report uses, in years [from, to). */
export const COVID_AGE_GROUPS: readonly { readonly label: string; readonly years: readonly [number, number] }[] = COVID_GROUPS.map((g) => ({
  label: g.ageYears[1] >= 200 ? `${g.ageYears[0]}+` : `${g.ageYears[0]}–${g.ageYears[1] - 1}`,
  years: g.ageYears,
}));
