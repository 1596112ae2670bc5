/**
 * A seeded, streaming generator of realistic, messy Vietnamese vaccination records, together with the
 * truth (which rows are the same person, which rows report the same injection).
 *
 * Two layers, each driven by its own PRNG stream of the same seed:
 * 1. The population (`Population`, stream 1): households of true people with a clean identity
 *    (name with tone marks, sex, birth date, CCCD, phone, commune, village) and their true injections.
 *    `generatePersons` exposes it, so tests can compare each row with the person it came from.
 * 2. The rows (stream 2): each injection is reported by one source and sometimes again by another, every
 *    row gets independent typing noise, and rows are shuffled within blocks of `BLOCK_ROWS`.
 * Optionally, a population-registry extract of the same people and the reconcile status each should get
 * (./registry.ts, stream 3), which leaves the two layers above untouched.
 *
 * Every rate is a named constant below, so a test or a report can cite it. "Per row" means per output row,
 * "per person" per true person. Rates that are not from a cited source are judgement, chosen to look like
 * the 2021–2022 clean-up problems of DOMAIN.md §2.4 without drowning the signal.
 *
 * The generator never reads ../shared at run time: names are in ./names.ts, admin units and codes below.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import {
  COMMON_FULL_NAMES_FEMALE,
  COMMON_FULL_NAMES_MALE,
  GIVEN_NAMES_FEMALE,
  GIVEN_NAMES_MALE,
  MIDDLE_NAMES_FEMALE,
  MIDDLE_NAMES_MALE,
  SURNAMES,
} from './names.js';
import { civilFromDays, daysFromCivil } from '../clean/civil-days.js';
import { Random, WeightedTable } from './random.js';
import type { RegistryFiles, SynthRegistry } from './registry.js';

// =====================================================================================================
// Rates and model parameters
// =====================================================================================================

/** Default "today" for ages, the childhood schedule and the future-date cut-off. */
export const DEFAULT_TODAY = '2026-11-01';

// ---- Population: households, ages, identity ---------------------------------------------------------

/**
 * Household composition, per household: `family` = a couple and their children, `singleParent` = one parent and
 * children, `threeGenerations` = a family plus 1–2 grandparents.
 *
 * With the tables below the population comes out as (share of people by age at `today`, seed 7, 20,000 people):
 * 0–4 6.6%, 5–9 7.2%, 10–14 6.5%, 15–19 5.7%, 20–24 7.1%, 25–29 9.3%, 30–34 10.2%, 35–39 9.4%, 40–44 8.9%,
 * 45–49 8.0%, 50–54 6.5%, 55–59 4.7%, 60–64 2.7%, 65–69 2.3%, 70–74 2.0%, 75–79 1.4%, 80–84 0.8%, 85–90 0.8%.
 */
export const HOUSEHOLD_TYPE_WEIGHTS = {
  single: 0.2,
  couple: 0.19,
  family: 0.4,
  singleParent: 0.05,
  threeGenerations: 0.16,
} as const;

/**
 * Age (whole years at `today`) of single adults and of the husband in a couple, by band [min, max, weight].
 * Shaped like the 2019 census pyramid (per 5-year band, %); the figures are approximate, from memory
 * (unconfirmed), which is enough for test data.
 */
export const ADULT_AGE_BANDS: readonly (readonly [number, number, number])[] = [
  [18, 19, 2.7], [20, 24, 7.0], [25, 29, 8.0], [30, 34, 8.3], [35, 39, 7.9], [40, 44, 7.3], [45, 49, 6.6],
  [50, 54, 6.0], [55, 59, 5.3], [60, 64, 4.3], [65, 69, 3.1], [70, 74, 2.0], [75, 79, 1.3], [80, 84, 1.0],
  [85, 90, 0.9],
];
/** Age of the mother (or single parent) in a household with children, by band. */
export const MOTHER_AGE_BANDS: readonly (readonly [number, number, number])[] = [
  [20, 24, 8], [25, 29, 15], [30, 34, 17], [35, 39, 16], [40, 44, 14], [45, 49, 12], [50, 56, 9],
];
/** Children born to the mother: [count, weight]. A child not yet born at `today` (mother too young) is left out. */
export const CHILDREN_COUNT_WEIGHTS: readonly (readonly [number, number])[] = [[1, 0.3], [2, 0.5], [3, 0.2]];
/** The mother's age at each birth, uniform in [min, max]; the child's age is the difference. */
export const MOTHER_AGE_AT_BIRTH: readonly [number, number] = [20, 38];
/** Per child aged 18 or more: still lives in the household (an adult with the father's family name); else left out. */
export const ADULT_CHILD_AT_HOME_RATE = 0.5;
/** Per child: the child is born with a twin (same family name and birth date, different given name). */
export const TWIN_RATE = 0.02;
/**
 * Per adult aged 25–80 whose family name is not fixed by a parent: start a group of different people with one
 * very common full name (names.ts) and the same birth year. The next adults of that sex born within
 * ±`COMMON_NAME_YEAR_WINDOW` years take the name and year until the group is full.
 */
export const COMMON_NAME_GROUP_RATE = 0.004;
export const COMMON_NAME_GROUP_SIZE: readonly [number, number] = [3, 6];
export const COMMON_NAME_YEAR_WINDOW = 2;
/** Per person born before `OLDER_GENERATION_BEFORE`: the weight of Văn / Thị is multiplied by this. */
export const OLDER_GENERATION_VAN_THI_BOOST = 4;
export const OLDER_GENERATION_BEFORE = 1980;
/** Per adult: the CCCD prefix is the household's province (else one of the 63 codes, uniformly). */
export const BIRTH_PROVINCE_LOCAL_RATE = 0.85;
/** Per child (< 18): same, children being mostly registered where they live. */
export const CHILD_BIRTH_PROVINCE_LOCAL_RATE = 0.97;
/** Per person aged ≥ 16 on 2021-07-01: also holds a legacy 9-digit CMND. */
export const HAS_CMND_RATE = 0.6;
/** Per person aged 15–69 / ≥ 70: has an own mobile (else the household's phone, see children). */
export const ADULT_HAS_OWN_PHONE_RATE = 0.92;
export const ELDERLY_HAS_OWN_PHONE_RATE = 0.5;
/** Per person aged ≥ 60: the registers know only the birth year (rows show `yyyy` or `01/01/yyyy`). */
export const BIRTH_YEAR_ONLY_RATE = 0.15;
/** Of those rows of year-only people: share written as the bare year (the rest as the `01/01/yyyy` placeholder). */
export const BIRTH_YEAR_ONLY_BARE_YEAR_SHARE = 0.7;

// ---- Injections --------------------------------------------------------------------------------------

/** COVID-19 doses are dated within this window (first AZ doses in Vietnam … end of the campaign). */
export const COVID_FIRST_DAY = '2021-03-08';
export const COVID_LAST_DAY = '2023-06-30';
/** Adults (≥ 18 on 2021-11-01): number of COVID-19 doses, [count, weight]. Doses after the window are dropped. */
export const ADULT_COVID_DOSE_COUNT_WEIGHTS: readonly (readonly [number, number])[] = [
  [0, 0.06], [1, 0.04], [2, 0.25], [3, 0.45], [4, 0.2],
];
/** Teenagers (12–17 on 2021-11-01): Pfizer from Oct 2021; number of doses. */
export const TEEN_COVID_DOSE_COUNT_WEIGHTS: readonly (readonly [number, number])[] = [[0, 0.08], [1, 0.05], [2, 0.6], [3, 0.27]];
/** Children 5–11 on 2022-06-01: Pfizer/Moderna from Apr 2022; number of doses. */
export const CHILD_COVID_DOSE_COUNT_WEIGHTS: readonly (readonly [number, number])[] = [[0, 0.3], [1, 0.1], [2, 0.6]];
/** Month of an adult's first dose, 2021-03 … 2022-03 (the Jul–Nov 2021 mass campaign dominates). */
export const ADULT_FIRST_DOSE_MONTH_WEIGHTS: readonly (readonly [string, number])[] = [
  ['2021-03', 0.5], ['2021-04', 0.5], ['2021-05', 1], ['2021-06', 2], ['2021-07', 6], ['2021-08', 12],
  ['2021-09', 16], ['2021-10', 14], ['2021-11', 10], ['2021-12', 6], ['2022-01', 3], ['2022-02', 1.5], ['2022-03', 1],
];
/** Before this day only AstraZeneca was given. */
export const AZ_ONLY_BEFORE = '2021-06-15';
/** Product of a first (primary) adult dose, from `AZ_ONLY_BEFORE` on. */
export const PRIMARY_PRODUCT_WEIGHTS: readonly (readonly [CovidCode, number])[] = [
  ['COVID-AZ', 0.38], ['COVID-VEROCELL', 0.28], ['COVID-PFIZER', 0.26], ['COVID-MODERNA', 0.08],
];
/** Dose 1 → dose 2 interval, days [min, max] (DOMAIN §5.1: AZ 8–12 weeks, Pfizer 3 weeks, Moderna 4 weeks, Vero Cell 3–4 weeks; the max allows late comers). */
export const PRIMARY_INTERVAL_DAYS: Readonly<Record<CovidCode, readonly [number, number]>> = {
  'COVID-AZ': [56, 84],
  'COVID-PFIZER': [21, 28],
  'COVID-MODERNA': [28, 35],
  'COVID-VEROCELL': [21, 28],
};
/** Per adult whose first dose was AZ and whose dose 2 falls on or after `MIX_ALLOWED_FROM`: dose 2 is Pfizer (allowed mix, Aug 2021). */
export const AZ_TO_PFIZER_MIX_RATE = 0.1;
export const MIX_ALLOWED_FROM = '2021-08-01';
/** Booster (dose 3): at least this many days after dose 2 (DOMAIN §5.2: ≥ 3 months), plus up to the extra, not before the start. */
export const BOOSTER_MIN_DAYS = 90;
export const BOOSTER_EXTRA_DAYS = 180;
export const BOOSTER_START = '2021-12-20';
/** Second booster (dose 4): ≥ 4 months after dose 3, plus up to the extra, not before the start (May 2022). */
export const SECOND_BOOSTER_MIN_DAYS = 120;
export const SECOND_BOOSTER_EXTRA_DAYS = 180;
export const SECOND_BOOSTER_START = '2022-05-20';
/** Teenagers' dose 3: ≥ 5 months after dose 2 (DOMAIN §5.2, Aug 2022 rule). */
export const TEEN_BOOSTER_MIN_DAYS = 150;
/** Product of a booster. */
export const BOOSTER_PRODUCT_WEIGHTS: readonly (readonly [CovidCode, number])[] = [
  ['COVID-PFIZER', 0.45], ['COVID-AZ', 0.3], ['COVID-MODERNA', 0.25],
];
/** Children under this age (at `today`) get the expanded-programme (TCMR) doses of DOMAIN §5.3 up to `today`. */
export const CHILD_PROGRAMME_MAX_AGE = 6;
/** Per scheduled childhood dose: missed (no row at all). */
export const CHILD_PROGRAMME_DOSE_MISSED_RATE = 0.06;
/** Per injection: given at the commune health station of the household (else a district hospital / campaign site). */
export const HOME_FACILITY_RATE_COVID = 0.6;
export const HOME_FACILITY_RATE_CHILD = 0.9;
/** Per injection: a reported reaction. */
export const ADVERSE_EVENT_RATE = 0.03;
/** Lots in circulation per vaccine per month. */
export const LOTS_PER_MONTH = 3;

// ---- Rows: sources and duplicates -----------------------------------------------------------------------

/** Per vaccinated person: also one registration row (no vaccine, no date). People with no dose always get one. */
export const REGISTRATION_ROW_EXTRA_RATE = 0.04;
/** The source of the first report of an injection. Registration rows come from `platform` or `station`. */
export const SOURCE_WEIGHTS: readonly (readonly [SynthSource, number])[] = [['station', 0.7], ['campaign', 0.1], ['platform', 0.2]];
/** Per injection: reported again by another source (2 rows share the dose_id). */
export const DUPLICATE_REPORT_RATE = 0.25;
/** Per duplicated injection: reported by the third source too (3 rows). */
export const THIRD_REPORT_RATE = 0.2;
/** Per duplicate row: the date is one day off (±1). */
export const DUPLICATE_DATE_OFF_BY_ONE_RATE = 0.15;
/** Per duplicate row: the dose number is missing. */
export const DUPLICATE_DOSE_NUMBER_MISSING_RATE = 0.3;
/** Per duplicate row of an injection with a reaction: the reaction is repeated. */
export const DUPLICATE_ADVERSE_EVENT_KEPT_RATE = 0.5;
/** Per first-report row: the dose number is missing. */
export const DOSE_NUMBER_MISSING_RATE = 0.04;
/** Rows are shuffled within blocks of about this many rows (a person's rows always fall in one block). */
export const BLOCK_ROWS = 4096;

// ---- Row noise ---------------------------------------------------------------------------------------------

/** Per row: the name is unusable, empty or digits only (a phone or ID typed in the name column); half each. */
export const NAME_UNUSABLE_RATE = 0.003;
/** Per row with a middle name: the middle name is dropped. */
export const NAME_MIDDLE_DROPPED_RATE = 0.03;
/** Per row: one typo in the name (substitution, deletion or transposition of a letter, equally likely). */
export const NAME_TYPO_RATE = 0.03;
/** Per row: tone marks moved between old and new placement (hòa↔hoà, thủy↔thuỷ); visible only where such a syllable exists. */
export const NAME_TONE_SWAP_RATE = 0.05;
/** Per row: the name is typed without diacritics (Đ → D). */
export const NAME_NO_DIACRITICS_RATE = 0.12;
/** Per row: the name is in ALL CAPS / all lower case (exclusive). */
export const NAME_ALL_CAPS_RATE = 0.08;
export const NAME_LOWERCASE_RATE = 0.04;
/** Per row: extra spaces (doubled inside, leading or trailing). */
export const NAME_EXTRA_SPACES_RATE = 0.05;
/** Per row: the name is stored decomposed (Unicode NFD). */
export const NAME_NFD_RATE = 0.05;

/** Per row (not year-only people): the birth date is empty. */
export const BIRTH_DATE_MISSING_RATE = 0.04;
/** Per row with a written birth date whose day and month are both ≤ 12 and differ: day and month swapped. */
export const BIRTH_DATE_DAY_MONTH_SWAP_RATE = 0.03;
/** Format of a written birth date. `excel` = the 1900-system serial number. */
export const BIRTH_DATE_FORMAT_WEIGHTS: readonly (readonly [DateFormat, number])[] = [
  ['dd/mm/yyyy', 0.58], ['d/m/yyyy', 0.12], ['yyyy-mm-dd', 0.12], ['dd-mm-yyyy', 0.06], ['excel', 0.12],
];
/** Format of a vaccination date. */
export const VACCINATION_DATE_FORMAT_WEIGHTS: readonly (readonly [DateFormat, number])[] = [
  ['dd/mm/yyyy', 0.62], ['d/m/yyyy', 0.1], ['yyyy-mm-dd', 0.15], ['dd-mm-yyyy', 0.05], ['excel', 0.08],
];

/** Per row: sex empty. */
export const SEX_MISSING_RATE = 0.05;
/** Spelling of a given sex, [male, female, weight]. */
export const SEX_SPELLING_WEIGHTS: readonly (readonly [string, string, number])[] = [
  ['Nam', 'Nữ', 0.7], ['nam', 'nữ', 0.08], ['NAM', 'NỮ', 0.03], ['Nam', 'Nu', 0.05], ['M', 'F', 0.05],
  ['1', '0', 0.06], ['male', 'female', 0.03],
];

/**
 * Citizen ID, one draw per row (exclusive). Adults (≥ 14 at `today`): missing, mistyped (one digit), written
 * with spaces/dots/a leading apostrophe, leading zero lost (11 digits), the 9-digit CMND instead (people who
 * have one; the others keep their CCCD). Children (< 14): missing, or a parent's CCCD.
 */
export const CITIZEN_ID_MISSING_RATE = 0.08;
export const CITIZEN_ID_TYPO_RATE = 0.02;
export const CITIZEN_ID_FORMATTED_RATE = 0.05;
export const CITIZEN_ID_LEADING_ZERO_LOST_RATE = 0.04;
export const CITIZEN_ID_CMND_RATE = 0.06;
export const CHILD_CITIZEN_ID_MISSING_RATE = 0.35;
export const CHILD_CITIZEN_ID_PARENT_RATE = 0.12;

/**
 * Phone, one draw per row of a person with a phone (own or the household's; the others' rows are always empty),
 * exclusive: missing, another household member's phone (adults with one), +84 form, 84 form, leading zero lost,
 * pre-2018 11-digit prefix (numbers on a migrated prefix only), dots/spaces.
 */
export const PHONE_MISSING_RATE = 0.1;
export const PHONE_HOUSEHOLD_SHARED_RATE = 0.05;
export const PHONE_PLUS84_RATE = 0.04;
export const PHONE_84_RATE = 0.03;
export const PHONE_LEADING_ZERO_LOST_RATE = 0.04;
export const PHONE_OLD_PREFIX_RATE = 0.04;
export const PHONE_FORMATTED_RATE = 0.03;

/** Per dose row: the vaccine name in lower case (on top of the alias choice, see VACCINE_ALIASES). */
export const VACCINE_LOWERCASE_RATE = 0.03;
/** Per dose row: lot number missing. */
export const LOT_NUMBER_MISSING_RATE = 0.2;
/** Per dose row: facility code missing. */
export const FACILITY_CODE_MISSING_RATE = 0.05;
/** Per row: address missing; else, per row: the commune name appended ("Thôn 3, Xã Hoằng Hóa"). */
export const ADDRESS_MISSING_RATE = 0.1;
export const ADDRESS_WITH_COMMUNE_RATE = 0.25;
/** Per row: commune code missing; else the leading zeros lost (5-digit codes below 10000 become shorter). */
export const COMMUNE_CODE_MISSING_RATE = 0.05;
export const COMMUNE_CODE_UNPADDED_RATE = 0.08;

// =====================================================================================================
// Reference tables (embedded so the generator needs no data files)
// =====================================================================================================

export type CovidCode = 'COVID-AZ' | 'COVID-PFIZER' | 'COVID-MODERNA' | 'COVID-VEROCELL';
export type ChildVaccineCode = 'BCG' | 'HEPB-BIRTH' | 'DPT-VGB-HIB' | 'OPV' | 'IPV' | 'MEASLES' | 'MR' | 'DPT' | 'JE';
export type VaccineCode = CovidCode | ChildVaccineCode;
export type SynthSource = 'station' | 'campaign' | 'platform';
export type DateFormat = 'dd/mm/yyyy' | 'd/m/yyyy' | 'yyyy-mm-dd' | 'dd-mm-yyyy' | 'excel';

/** How stations type each vaccine: [text, weight]. */
export const VACCINE_ALIASES: Readonly<Record<VaccineCode, readonly (readonly [string, number])[]>> = {
  'COVID-AZ': [
    ['AstraZeneca', 40], ['AZ', 20], ['Vaxzevria', 10], ['Covishield', 8], ['Astra Zeneca', 8], ['ASTRAZENECA', 6],
    ['AstraZeneca (Vaxzevria)', 4], ['ChAdOx1', 4],
  ],
  'COVID-PFIZER': [
    ['Pfizer', 45], ['Comirnaty', 15], ['Pfizer-BioNTech', 15], ['Pfizer BioNTech', 8], ['PFIZER', 8],
    ['Comirnaty (Pfizer)', 5], ['Pfizer/BioNTech', 4],
  ],
  'COVID-MODERNA': [['Moderna', 60], ['Spikevax', 20], ['MODERNA', 10], ['Spikevax (Moderna)', 10]],
  'COVID-VEROCELL': [
    ['Vero Cell', 45], ['Sinopharm', 20], ['Verocell', 12], ['Vero-Cell', 8], ['Vero Cell (Sinopharm)', 10], ['SINOPHARM', 5],
  ],
  BCG: [['BCG', 70], ['Lao (BCG)', 15], ['Vắc xin BCG', 15]],
  'HEPB-BIRTH': [['VGB sơ sinh', 40], ['Viêm gan B sơ sinh', 40], ['Viêm gan B', 10], ['HepB sơ sinh', 10]],
  'DPT-VGB-HIB': [['DPT-VGB-Hib', 45], ['5 trong 1', 30], ['ComBE Five', 10], ['Quinvaxem', 10], ['DPT-VGB-HIB', 5]],
  OPV: [['OPV', 40], ['bOPV', 20], ['Bại liệt uống', 30], ['Bại liệt (uống)', 10]],
  IPV: [['IPV', 60], ['Bại liệt tiêm', 40]],
  MEASLES: [['Sởi', 50], ['Vắc xin Sởi', 30], ['MVVAC', 20]],
  MR: [['MR', 35], ['Sởi - Rubella', 30], ['Vắc xin Sởi - Rubella', 25], ['Sởi-Rubella', 10]],
  DPT: [['DPT', 55], ['Bạch hầu - Ho gà - Uốn ván', 30], ['BH-HG-UV', 15]],
  JE: [['Viêm não Nhật Bản', 50], ['VNNB', 25], ['JEVAX', 15], ['Jevax', 10]],
};

const LOT_PREFIX: Readonly<Record<VaccineCode, string>> = {
  'COVID-AZ': 'ABV', 'COVID-PFIZER': 'FK', 'COVID-MODERNA': '30', 'COVID-VEROCELL': 'H',
  BCG: 'BCG', 'HEPB-BIRTH': 'HB', 'DPT-VGB-HIB': 'Q', OPV: 'PV', IPV: 'IP', MEASLES: 'MV', MR: 'MR', DPT: 'DT', JE: 'JE',
};

/** The 63 pre-2025 province codes used as CCCD prefixes (DOMAIN §1.2). */
export const CCCD_PROVINCE_CODES: readonly string[] = [
  '001', '002', '004', '006', '008', '010', '011', '012', '014', '015', '017', '019', '020', '022', '024', '025',
  '026', '027', '030', '031', '033', '034', '035', '036', '037', '038', '040', '042', '044', '045', '046', '048',
  '049', '051', '052', '054', '056', '058', '060', '062', '064', '066', '067', '068', '070', '072', '074', '075',
  '077', '079', '080', '082', '083', '084', '086', '087', '089', '091', '092', '093', '094', '095', '096',
];

export interface Province {
  readonly cccd: string;
  /** First two digits of 9-digit CMNDs issued there (third-party, approximate: 01 Hà Nội, 17 Thanh Hóa). */
  readonly cmnd: string;
  /** 2-digit code (same number in the 2004 and 2025 lists for these two). */
  readonly code: string;
  /** Facility codes of hospitals and campaign sites (invented: `BV` + province + 2 digits). */
  readonly hospitals: readonly string[];
}
const hospitals = (code: string): string[] => Array.from({ length: 12 }, (_, i) => `BV${code}${pad2(i + 1)}`);
const HA_NOI: Province = { cccd: '001', cmnd: '01', code: '01', hospitals: hospitals('01') };
const THANH_HOA: Province = { cccd: '038', cmnd: '17', code: '38', hospitals: hospitals('38') };

export interface Commune {
  readonly code: string;
  /** The code as a number would show it (leading zeros lost). */
  readonly unpadded: string;
  /** Facility code of the commune health station (trạm y tế, invented: `TYT` + code). */
  readonly healthStation: string;
  readonly name: string;
  readonly province: Province;
}

/**
 * 50 communes (xã) of the 2025 list (QĐ 19/2025/QĐ-TTg, 5-digit codes), 25 in Hà Nội and 25 in Thanh Hóa,
 * taken from shared/datasets/vn_admin_units/post_2025_07/wards.csv (sunshine-tech/VietnamProvinces, NSO data).
 * Hà Nội codes start with 0, so losing the padding is a visible noise.
 */
export const COMMUNES: readonly Commune[] = [
  ...([
    ['00376', 'Xã Sóc Sơn'], ['00382', 'Xã Kim Anh'], ['00385', 'Xã Trung Giã'], ['00430', 'Xã Đa Phúc'],
    ['00433', 'Xã Nội Bài'], ['00454', 'Xã Đông Anh'], ['00466', 'Xã Phúc Thịnh'], ['00475', 'Xã Thư Lâm'],
    ['00541', 'Xã Phù Đổng'], ['00565', 'Xã Gia Lâm'], ['00577', 'Xã Bát Tràng'], ['00640', 'Xã Thanh Trì'],
    ['00679', 'Xã Ngọc Hồi'], ['08974', 'Xã Quang Minh'], ['09022', 'Xã Mê Linh'], ['09616', 'Xã Đoài Phương'],
    ['09700', 'Xã Ba Vì'], ['09715', 'Xã Phúc Thọ'], ['09784', 'Xã Đan Phượng'], ['09832', 'Xã Hoài Đức'],
    ['09895', 'Xã Quốc Oai'], ['09955', 'Xã Thạch Thất'], ['10114', 'Xã Thanh Oai'], ['10183', 'Xã Thường Tín'],
    ['10273', 'Xã Phú Xuyên'],
  ] as const).map(([code, name]) => ({ code, unpadded: String(Number(code)), healthStation: `TYT${code}`, name, province: HA_NOI })),
  ...([
    ['15061', 'Xã Ngọc Lặc'], ['15127', 'Xã Cẩm Thủy'], ['15229', 'Xã Thành Vinh'], ['15271', 'Xã Hà Trung'],
    ['15349', 'Xã Vĩnh Lộc'], ['15469', 'Xã Yên Định'], ['15499', 'Xã Thọ Xuân'], ['15544', 'Xã Lam Sơn'],
    ['15646', 'Xã Thường Xuân'], ['15664', 'Xã Triệu Sơn'], ['15772', 'Xã Thiệu Hóa'], ['15820', 'Xã Thiệu Toán'],
    ['15865', 'Xã Hoằng Hóa'], ['15889', 'Xã Hoằng Phú'], ['15961', 'Xã Hoằng Lộc'], ['16012', 'Xã Hậu Lộc'],
    ['16093', 'Xã Nga Sơn'], ['16114', 'Xã Nga Thắng'], ['16174', 'Xã Như Xuân'], ['16228', 'Xã Như Thanh'],
    ['16279', 'Xã Nông Cống'], ['16438', 'Xã Lưu Vệ'], ['16480', 'Xã Quảng Yên'], ['16540', 'Xã Quảng Ninh'],
    ['16549', 'Xã Tiên Trang'],
  ] as const).map(([code, name]) => ({ code, unpadded: String(Number(code)), healthStation: `TYT${code}`, name, province: THANH_HOA })),
];

/** Villages and hamlets (thôn, xóm, làng) for the address column. */
const VILLAGES: readonly string[] = [
  ...Array.from({ length: 12 }, (_, i) => `Thôn ${i + 1}`),
  ...Array.from({ length: 8 }, (_, i) => `Xóm ${i + 1}`),
  'Thôn Đông', 'Thôn Tây', 'Thôn Nam', 'Thôn Bắc', 'Thôn Trung', 'Thôn Đoài', 'Thôn Thượng', 'Thôn Hạ',
  'Xóm Đông', 'Xóm Tây', 'Xóm Chùa', 'Xóm Đình', 'Xóm Mới', 'Làng Vân', 'Thôn Yên Lạc', 'Thôn Phú Mỹ',
  'Thôn An Hòa', 'Thôn Tân Lập', 'Thôn Đồng Tâm', 'Thôn Quyết Thắng', 'Thôn Hòa Bình', 'Xóm Bãi',
];

/** 10-digit mobile prefixes since 2018 and their weights (Viettel, MobiFone, VinaPhone, Vietnamobile, Gmobile). */
const PHONE_PREFIX_WEIGHTS: readonly (readonly [string, number])[] = [
  ['032', 5], ['033', 5], ['034', 5], ['035', 5], ['036', 5], ['037', 5], ['038', 5], ['039', 5], ['086', 4],
  ['096', 5], ['097', 6], ['098', 6], ['070', 2], ['076', 2], ['077', 2], ['078', 2], ['079', 2], ['089', 2],
  ['090', 4], ['093', 3], ['081', 2], ['082', 2], ['083', 2], ['084', 2], ['085', 2], ['088', 2], ['091', 4],
  ['094', 3], ['056', 1], ['058', 1], ['092', 1], ['059', 0.5], ['099', 0.5],
];
/** The pre-2018 11-digit prefix of each migrated 10-digit prefix (DOMAIN §3.2). */
export const OLD_PHONE_PREFIX: Readonly<Record<string, string>> = {
  '032': '0162', '033': '0163', '034': '0164', '035': '0165', '036': '0166', '037': '0167', '038': '0168', '039': '0169',
  '070': '0120', '079': '0121', '077': '0122', '076': '0126', '078': '0128',
  '083': '0123', '084': '0124', '085': '0125', '081': '0127', '082': '0129',
  '056': '0186', '058': '0188', '059': '0199',
};

const ADVERSE_EVENTS: readonly (readonly [string, number])[] = [
  ['Sốt nhẹ', 30], ['Đau tại chỗ tiêm', 25], ['Sưng đỏ tại chỗ tiêm', 15], ['Mệt mỏi, đau đầu', 15],
  ['Sốt 38,5 độ', 10], ['Buồn nôn', 5],
];

// =====================================================================================================
// Public types
// =====================================================================================================

export interface SynthOptions {
  /** Number of true people. */
  persons: number;
  seed: number;
  /** `yyyy-mm-dd`, default `DEFAULT_TODAY`. */
  today?: string;
}

/** The contract columns as the strings a station would type. */
export interface SynthRow {
  record_id: string;
  full_name: string;
  birth_date: string;
  sex: string;
  citizen_id: string;
  phone: string;
  address: string;
  commune_code: string;
  vaccine: string;
  dose_number: string;
  vaccination_date: string;
  lot_number: string;
  facility_code: string;
  adverse_event: string;
  source: string;
}

export interface SynthTruth {
  record_id: string;
  person_id: string;
  /** '' for rows without a dose. */
  dose_id: string;
}

export const CONTRACT_COLUMNS: readonly (keyof SynthRow)[] = [
  'record_id', 'full_name', 'birth_date', 'sex', 'citizen_id', 'phone', 'address', 'commune_code', 'vaccine',
  'dose_number', 'vaccination_date', 'lot_number', 'facility_code', 'adverse_event', 'source',
];

/** One true injection. */
export interface SynthDose {
  dose_id: string;
  vaccine: VaccineCode;
  dose_number: number;
  /** yyyy-mm-dd */
  date: string;
  lot_number: string;
  facility_code: string;
  adverse_event: string;
}

/** A true person with the clean identity every noisy row was derived from. */
export interface SynthPerson {
  person_id: string;
  household_id: string;
  family_name: string;
  middle_name: string;
  given_name: string;
  /** NFC, tone marks as in the civil register, single spaces. */
  full_name: string;
  sex: 'male' | 'female';
  /** yyyy-mm-dd */
  birth_date: string;
  /** Registers know only the year (rows show `yyyy` or `01/01/yyyy`). */
  birth_year_only: boolean;
  /** 12-digit CCCD. */
  citizen_id: string;
  /** 9-digit CMND, or ''. */
  cmnd: string;
  /** Own phone, or the household's for children and people without one; '' when the household has none. */
  phone: string;
  /** Another adult member's phone ('' if none). */
  household_phone: string;
  /** A parent's CCCD for children (< 18), else ''. */
  parent_citizen_id: string;
  address: string;
  commune_code: string;
  doses: SynthDose[];
}

// =====================================================================================================
// Dates (day numbers since 1970-01-01, proleptic Gregorian; Hinnant's algorithms)
// =====================================================================================================

function parseIsoDay(iso: string, what: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`${what} must be yyyy-mm-dd, got ${JSON.stringify(iso)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = daysFromCivil(y, mo, d);
  const [cy, cm, cd] = civilFromDays(days);
  if (cy !== y || cm !== mo || cd !== d) throw new RangeError(`${what} is not a calendar date: ${iso}`);
  return days;
}

const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000'];

/** `prefix` + `n` zero-padded to 7 digits (R0000001). */
function serialId(prefix: string, n: number): string {
  const digits = String(n);
  return digits.length >= 7 ? prefix + digits : prefix + ZEROS[7 - digits.length] + digits;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function isoOfDay(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Serial day number of the 1900 date system (valid after 1900-02-28): days since 1899-12-30. */
const EXCEL_EPOCH = daysFromCivil(1899, 12, 30);

function formatDate(year: number, month: number, day: number, format: DateFormat): string {
  switch (format) {
    case 'dd/mm/yyyy':
      return `${pad2(day)}/${pad2(month)}/${year}`;
    case 'd/m/yyyy':
      return `${day}/${month}/${year}`;
    case 'yyyy-mm-dd':
      return `${year}-${pad2(month)}-${pad2(day)}`;
    case 'dd-mm-yyyy':
      return `${pad2(day)}-${pad2(month)}-${year}`;
    case 'excel':
      return String(daysFromCivil(year, month, day) - EXCEL_EPOCH);
  }
}

interface Ymd {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

function ymdOfDay(days: number): Ymd {
  const [y, m, d] = civilFromDays(days);
  return { y, m, d };
}

/** Whole years from a birth date to a day. */
function ageOn(birthYear: number, birthMonth: number, birthDay: number, on: Ymd): number {
  return on.y - birthYear - (on.m < birthMonth || (on.m === birthMonth && on.d < birthDay) ? 1 : 0);
}

// =====================================================================================================
// Text noise helpers
// =====================================================================================================

/** For each code point below U+2000: its letter without diacritics ('' for a combining mark), built once. */
const ASCII_FOLD: readonly string[] = Array.from({ length: 0x2000 }, (_, code) => {
  if (code >= 0x300 && code <= 0x36f) return '';
  const ch = String.fromCharCode(code);
  if (ch === 'đ') return 'd';
  if (ch === 'Đ') return 'D';
  const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return base.length === 1 ? base : ch;
});

/** Removes Vietnamese diacritics (NFC or NFD input), mapping Đ/đ to D/d (they have no decomposition). */
export function stripDiacritics(text: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    const folded = code < 0x2000 ? (ASCII_FOLD[code] as string) : text[i];
    if (folded === text[i]) continue;
    out += text.slice(start, i) + folded;
    start = i + 1;
  }
  return start === 0 ? text : out + text.slice(start);
}

const TONE = '\u0300\u0301\u0303\u0309\u0323';
const END = '(?![\\p{L}\\p{M}])';
const OLD_TO_NEW = [
  new RegExp(`(?<![qQ])([oO])([${TONE}])([aAeE])${END}`, 'gu'),
  new RegExp(`(?<![qQ])([uU])([${TONE}])([yY])${END}`, 'gu'),
];
const NEW_TO_OLD = [
  new RegExp(`(?<![qQ])([oO])([aAeE])([${TONE}])${END}`, 'gu'),
  new RegExp(`(?<![qQ])([uU])([yY])([${TONE}])${END}`, 'gu'),
];

/**
 * Moves the tone mark of open `oa`, `oe`, `uy` syllables between the old placement (hòa, thủy) and the new
 * one (hoà, thuỷ), in whichever direction applies; other text is unchanged. Returns NFC.
 */
export function swapTonePlacement(text: string): string {
  const nfd = text.normalize('NFD');
  let out = nfd;
  for (const re of OLD_TO_NEW) out = out.replace(re, '$1$3$2');
  if (out === nfd) for (const re of NEW_TO_OLD) out = out.replace(re, '$1$3$2');
  return out.normalize('NFC');
}

const TYPO_LETTERS = 'abcdeghiklmnopqrstuvxy';

function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && ch !== ' ' && ch.toLowerCase() !== ch.toUpperCase();
}

/** One substitution, deletion or transposition of a letter (NFC input). */
function typo(name: string, rng: Random): string {
  const chars = Array.from(name);
  const letters: number[] = [];
  chars.forEach((c, i) => {
    if (isLetter(c)) letters.push(i);
  });
  if (letters.length < 3) return name;
  const at = rng.pick(letters);
  const ch = chars[at] as string;
  let op = rng.int(0, 2);
  if (op === 1 && !(isLetter(chars[at - 1]) && isLetter(chars[at + 1]))) op = 0; // delete inside a word only
  if (op === 2 && !(isLetter(chars[at + 1]) && chars[at + 1] !== ch)) op = 0;
  if (op === 0) {
    let sub = TYPO_LETTERS.charAt(rng.int(0, TYPO_LETTERS.length - 1));
    if (sub === stripDiacritics(ch).toLowerCase()) sub = sub === 'a' ? 'e' : 'a';
    chars[at] = ch === ch.toUpperCase() ? sub.toUpperCase() : sub;
  } else if (op === 1) {
    chars.splice(at, 1);
  } else {
    chars[at] = chars[at + 1] as string;
    chars[at + 1] = ch;
  }
  return chars.join('');
}

function extraSpaces(name: string, rng: Random): string {
  switch (rng.int(0, 2)) {
    case 0: {
      const parts = name.split(' ');
      if (parts.length < 2) return ` ${name}`;
      const at = rng.int(1, parts.length - 1);
      return `${parts.slice(0, at).join(' ')}  ${parts.slice(at).join(' ')}`;
    }
    case 1:
      return ` ${name}`;
    default:
      return `${name} `;
  }
}

// =====================================================================================================
// Population: households, people and their injections (PRNG stream 1)
// =====================================================================================================

interface Dose {
  readonly id: string;
  readonly vaccine: VaccineCode;
  readonly number: number;
  readonly day: number;
  readonly y: number;
  readonly m: number;
  readonly d: number;
  readonly lot: string;
  readonly facility: string;
  readonly adverse: string;
}

interface Person {
  readonly id: string;
  readonly householdId: string;
  family: string;
  middle: string;
  given: string;
  readonly sex: 'male' | 'female';
  birthYear: number;
  birthMonth: number;
  birthDayOfMonth: number;
  birth: number;
  birthYearOnly: boolean;
  /** Caches of the full name (with middle name) as registered and without diacritics. */
  fullName: string;
  asciiName: string;
  /** Cache of the birth date written in each format (by DATE_FORMAT_INDEX). */
  birthTexts: string[] | null;
  /** Whole years at `today`. */
  age: number;
  cccd: string;
  cmnd: string;
  ownPhone: string;
  phone: string;
  householdPhone: string;
  parentCccd: string;
  readonly address: string;
  /** `address, commune name` */
  readonly addressWithCommune: string;
  readonly commune: Commune;
  doses: Dose[];
}

interface CommonNameGroup {
  readonly sex: 'male' | 'female';
  readonly name: readonly [string, string, string];
  readonly year: number;
  remaining: number;
}

interface HouseholdDraft {
  readonly id: string;
  readonly commune: Commune;
  readonly address: string;
  /** People still allowed (the population is cut at exactly `persons`). */
  readonly limit: number;
  readonly members: Person[];
  readonly adults: Person[];
  readonly parents: Person[];
  readonly children: Person[];
}

interface PersonSpec {
  sex: 'male' | 'female';
  age: number;
  role: 'adult' | 'parent' | 'grandparent' | 'child';
  family?: string;
  /** The family name is not inherited, so a common-name group may take this person. */
  nameFree: boolean;
  /** Born as the twin of this sibling: same birth day, a different given name. */
  twinOf?: Person;
}

type Band = readonly [number, number];

function bandTable(bands: readonly (readonly [number, number, number])[]): WeightedTable<Band> {
  return new WeightedTable(bands.map(([lo, hi, w]) => [[lo, hi] as const, w] as const));
}

const SURNAME_TABLE = new WeightedTable(SURNAMES);
const GIVEN_TABLE = { male: new WeightedTable(GIVEN_NAMES_MALE), female: new WeightedTable(GIVEN_NAMES_FEMALE) };
const boosted = (table: readonly (readonly [string, number])[], word: string): [string, number][] =>
  table.map(([name, w]) => [name, name.split(' ')[0] === word ? w * OLDER_GENERATION_VAN_THI_BOOST : w]);
const MIDDLE_TABLE = {
  male: new WeightedTable(MIDDLE_NAMES_MALE),
  female: new WeightedTable(MIDDLE_NAMES_FEMALE),
  olderMale: new WeightedTable(boosted(MIDDLE_NAMES_MALE, 'Văn')),
  olderFemale: new WeightedTable(boosted(MIDDLE_NAMES_FEMALE, 'Thị')),
};
const HOUSEHOLD_TABLE = new WeightedTable(
  Object.entries(HOUSEHOLD_TYPE_WEIGHTS) as [keyof typeof HOUSEHOLD_TYPE_WEIGHTS, number][],
);
const ADULT_AGE_TABLE = bandTable(ADULT_AGE_BANDS);
const MOTHER_AGE_TABLE = bandTable(MOTHER_AGE_BANDS);
const CHILDREN_TABLE = new WeightedTable(CHILDREN_COUNT_WEIGHTS);
const PHONE_PREFIX_TABLE = new WeightedTable(PHONE_PREFIX_WEIGHTS);
const ADULT_DOSES_TABLE = new WeightedTable(ADULT_COVID_DOSE_COUNT_WEIGHTS);
const TEEN_DOSES_TABLE = new WeightedTable(TEEN_COVID_DOSE_COUNT_WEIGHTS);
const CHILD_DOSES_TABLE = new WeightedTable(CHILD_COVID_DOSE_COUNT_WEIGHTS);
const FIRST_DOSE_MONTH_TABLE = new WeightedTable(
  ADULT_FIRST_DOSE_MONTH_WEIGHTS.map(([ym, w]) => [parseIsoDay(`${ym}-01`, 'month'), w] as const),
);
const PRIMARY_PRODUCT_TABLE = new WeightedTable(PRIMARY_PRODUCT_WEIGHTS);
const BOOSTER_PRODUCT_TABLE = new WeightedTable(BOOSTER_PRODUCT_WEIGHTS);
const ADVERSE_TABLE = new WeightedTable(ADVERSE_EVENTS);

const DAY = {
  covidFirst: parseIsoDay(COVID_FIRST_DAY, 'COVID_FIRST_DAY'),
  covidLast: parseIsoDay(COVID_LAST_DAY, 'COVID_LAST_DAY'),
  azOnlyBefore: parseIsoDay(AZ_ONLY_BEFORE, 'AZ_ONLY_BEFORE'),
  mixFrom: parseIsoDay(MIX_ALLOWED_FROM, 'MIX_ALLOWED_FROM'),
  boosterStart: parseIsoDay(BOOSTER_START, 'BOOSTER_START'),
  secondBoosterStart: parseIsoDay(SECOND_BOOSTER_START, 'SECOND_BOOSTER_START'),
  adultReference: ymdOfDay(parseIsoDay('2021-11-01', 'reference')),
  cmndReference: ymdOfDay(parseIsoDay('2021-07-01', 'reference')),
  teenFirst: parseIsoDay('2021-10-15', 'teen start'),
  teenLast: parseIsoDay('2022-01-31', 'teen end'),
  kidReference: ymdOfDay(parseIsoDay('2022-06-01', 'reference')),
  kidFirst: parseIsoDay('2022-04-14', 'kid start'),
  kidLast: parseIsoDay('2022-10-31', 'kid end'),
};

/** A bijection of [0, modulus) (multiplier coprime with 10), so counters give distinct, random-looking numbers. */
function scramble(counter: number, salt: number, modulus: number): string {
  const value = (counter * 7_654_321 + salt) % modulus;
  return String(value).padStart(String(modulus - 1).length, '0');
}

function mix32(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

const VACCINE_INDEX = Object.fromEntries(Object.keys(LOT_PREFIX).map((code, i) => [code, i])) as Record<VaccineCode, number>;


class Population {
  private readonly rng: Random;
  private readonly todayDay: number;
  private readonly today: Ymd;
  private readonly salt: number;
  /** Lot numbers by (vaccine, month, lot index). */
  private readonly lots = new Map<number, string>();
  /** Per number series: how many were issued, and the series' offset. */
  private readonly counters = new Map<number, { issued: number; offset: number }>();
  private readonly commonGroups: CommonNameGroup[] = [];
  private personCount = 0;
  private doseCount = 0;
  private householdCount = 0;

  constructor(seed: number, todayDay: number) {
    this.rng = new Random(seed, 1);
    this.todayDay = todayDay;
    this.today = ymdOfDay(todayDay);
    this.salt = this.rng.nextUint32();
  }

  /** Households until exactly `persons` people exist (the last household may be cut short). */
  *households(persons: number): Generator<Person[]> {
    while (this.personCount < persons) {
      yield this.household(persons - this.personCount);
    }
  }

  /** A number unique within `key`, `digits` long. */
  private uniqueDigits(key: number, modulus: number): string {
    let series = this.counters.get(key);
    if (!series) {
      series = { issued: 0, offset: mix32(key ^ this.salt) % modulus };
      this.counters.set(key, series);
    }
    return scramble(series.issued++, series.offset, modulus);
  }

  private household(limit: number): Person[] {
    const rng = this.rng;
    const h: HouseholdDraft = {
      id: serialId('H', ++this.householdCount),
      commune: rng.pick(COMMUNES),
      address: rng.pick(VILLAGES),
      limit,
      members: [],
      adults: [],
      parents: [],
      children: [],
    };
    const type = HOUSEHOLD_TABLE.pick(rng);
    switch (type) {
      case 'single':
        this.member(h, { sex: rng.chance(0.5) ? 'male' : 'female', age: this.adultAge(18), role: 'adult', nameFree: true });
        break;
      case 'couple': {
        const husband = this.adultAge(20);
        this.member(h, { sex: 'male', age: husband, role: 'adult', nameFree: true });
        this.member(h, { sex: 'female', age: Math.max(18, Math.min(90, husband - rng.int(-2, 7))), role: 'adult', nameFree: true });
        break;
      }
      case 'family':
      case 'threeGenerations': {
        const [lo, hi] = MOTHER_AGE_TABLE.pick(rng);
        const mother = rng.int(lo, hi);
        const fatherAge = Math.min(90, mother + rng.int(-1, 7));
        const father = this.member(h, { sex: 'male', age: fatherAge, role: 'parent', nameFree: true });
        this.member(h, { sex: 'female', age: mother, role: 'parent', nameFree: true });
        const family = father?.family ?? SURNAME_TABLE.pick(rng);
        if (type === 'threeGenerations') {
          const grandfather = Math.min(90, fatherAge + rng.int(20, 35));
          if (rng.chance(0.6)) this.member(h, { sex: 'male', age: grandfather, role: 'grandparent', family, nameFree: false });
          this.member(h, { sex: 'female', age: Math.min(90, grandfather - rng.int(0, 5)), role: 'grandparent', nameFree: true });
        }
        this.children(h, mother, family);
        break;
      }
      case 'singleParent': {
        const [lo, hi] = MOTHER_AGE_TABLE.pick(rng);
        const parentAge = rng.int(lo, hi);
        const parent = this.member(h, { sex: rng.chance(0.85) ? 'female' : 'male', age: parentAge, role: 'parent', nameFree: true });
        this.children(h, parentAge, parent?.family ?? SURNAME_TABLE.pick(rng));
        break;
      }
    }
    // Phones: the household phone is the first adult's own; children and adults without one use it.
    const adults = h.adults;
    let householdPhone = '';
    for (const a of adults) if (householdPhone === '' && a.ownPhone !== '') householdPhone = a.ownPhone;
    for (const a of adults) {
      a.phone = a.ownPhone !== '' ? a.ownPhone : householdPhone;
      for (const b of adults) {
        if (b !== a && b.ownPhone !== '' && b.ownPhone !== a.phone) {
          a.householdPhone = b.ownPhone;
          break;
        }
      }
    }
    let motherPhone = '';
    for (const p of h.parents) if (motherPhone === '' && p.sex === 'female') motherPhone = p.ownPhone;
    for (const c of h.children) {
      c.phone = motherPhone !== '' ? motherPhone : householdPhone;
      c.parentCccd = h.parents.length > 0 ? rng.pick(h.parents).cccd : '';
    }
    return h.members;
  }

  private adultAge(min: number): number {
    const [lo, hi] = ADULT_AGE_TABLE.pick(this.rng);
    return Math.max(min, this.rng.int(lo, hi));
  }

  private member(h: HouseholdDraft, spec: PersonSpec): Person | null {
    if (h.members.length >= h.limit) return null;
    const p = this.person(spec, h.id, h.commune, h.address);
    h.members.push(p);
    (spec.role === 'child' ? h.children : h.adults).push(p);
    if (spec.role === 'parent') h.parents.push(p);
    return p;
  }

  private children(h: HouseholdDraft, mother: number, family: string): void {
    const rng = this.rng;
    const count = CHILDREN_TABLE.pick(rng);
    for (let i = 0; i < count; i++) {
      const sex = rng.chance(0.51) ? 'male' : 'female';
      const age = mother - rng.int(MOTHER_AGE_AT_BIRTH[0], MOTHER_AGE_AT_BIRTH[1]);
      if (age < 0) continue;
      if (age >= 18) {
        if (rng.chance(ADULT_CHILD_AT_HOME_RATE)) this.member(h, { sex, age, role: 'adult', family, nameFree: false });
        continue;
      }
      const child = this.member(h, { sex, age, role: 'child', family, nameFree: false });
      if (child && rng.chance(TWIN_RATE)) {
        const twinSex = rng.chance(0.5) ? 'male' : 'female';
        this.member(h, { sex: twinSex, age: child.age, role: 'child', family, nameFree: false, twinOf: child });
      }
    }
  }

  private cccd(p: Person, province: string): string {
    const centurySex = 2 * Math.floor((p.birthYear - 1900) / 100) + (p.sex === 'female' ? 1 : 0);
    const yy = p.birthYear % 100;
    return `${province}${centurySex}${pad2(yy)}${this.uniqueDigits(Number(province) * 1000 + centurySex * 100 + yy, 1_000_000)}`;
  }

  private person(spec: PersonSpec, householdId: string, commune: Commune, address: string): Person {
    const rng = this.rng;
    const { sex } = spec;
    const twin = spec.twinOf;
    const birth = twin ? twin.birth : this.todayDay - Math.floor((spec.age + rng.next()) * 365.2425);
    const [year, month, day] = civilFromDays(birth);
    const older = year < OLDER_GENERATION_BEFORE;
    const middleTable = sex === 'male' ? (older ? MIDDLE_TABLE.olderMale : MIDDLE_TABLE.male) : older ? MIDDLE_TABLE.olderFemale : MIDDLE_TABLE.female;
    const p: Person = {
      id: serialId('P', ++this.personCount),
      householdId,
      family: spec.family ?? SURNAME_TABLE.pick(rng),
      middle: twin && twin.sex === sex && rng.chance(0.5) ? twin.middle : middleTable.pick(rng),
      given: GIVEN_TABLE[sex].pick(rng),
      sex,
      birthYear: year,
      birthMonth: month,
      birthDayOfMonth: day,
      birth,
      birthYearOnly: false,
      fullName: '',
      asciiName: '',
      birthTexts: null,
      age: ageOn(year, month, day, this.today),
      cccd: '',
      cmnd: '',
      ownPhone: '',
      phone: '',
      householdPhone: '',
      parentCccd: '',
      address,
      addressWithCommune: `${address}, ${commune.name}`,
      commune,
      doses: [],
    };
    for (let tries = 0; twin && p.given === twin.given && tries < 20; tries++) p.given = GIVEN_TABLE[sex].pick(rng);
    if (spec.nameFree && p.age >= 25 && p.age <= 80) this.commonName(p);
    const local = rng.chance(spec.role === 'child' ? CHILD_BIRTH_PROVINCE_LOCAL_RATE : BIRTH_PROVINCE_LOCAL_RATE);
    const province = local ? commune.province.cccd : rng.pick(CCCD_PROVINCE_CODES);
    p.cccd = this.cccd(p, province);
    if (ageOn(p.birthYear, p.birthMonth, p.birthDayOfMonth, DAY.cmndReference) >= 16 && rng.chance(HAS_CMND_RATE)) {
      const prefix = local ? commune.province.cmnd : pad2(rng.int(2, 38));
      p.cmnd = prefix + this.uniqueDigits(2_000_000 + Number(prefix), 10_000_000);
    }
    if (p.age >= 15 && rng.chance(p.age >= 70 ? ELDERLY_HAS_OWN_PHONE_RATE : ADULT_HAS_OWN_PHONE_RATE)) {
      const prefix = PHONE_PREFIX_TABLE.pick(rng);
      p.ownPhone = prefix + this.uniqueDigits(3_000_000 + Number(prefix), 10_000_000);
    }
    p.birthYearOnly = p.age >= 60 && rng.chance(BIRTH_YEAR_ONLY_RATE);
    p.fullName = p.middle === '' ? `${p.family} ${p.given}` : `${p.family} ${p.middle} ${p.given}`;
    p.doses = this.doses(p);
    return p;
  }

  /** Joins an open common-name group of this sex and birth year, or starts one. */
  private commonName(p: Person): void {
    const rng = this.rng;
    const index = this.commonGroups.findIndex(
      (g) => g.sex === p.sex && Math.abs(g.year - p.birthYear) <= COMMON_NAME_YEAR_WINDOW,
    );
    let group = index >= 0 ? this.commonGroups[index] : undefined;
    if (!group) {
      if (!rng.chance(COMMON_NAME_GROUP_RATE)) return;
      group = {
        sex: p.sex,
        name: rng.pick(p.sex === 'male' ? COMMON_FULL_NAMES_MALE : COMMON_FULL_NAMES_FEMALE),
        year: p.birthYear,
        remaining: rng.int(COMMON_NAME_GROUP_SIZE[0], COMMON_NAME_GROUP_SIZE[1]),
      };
      this.commonGroups.push(group);
      if (this.commonGroups.length > 32) this.commonGroups.shift();
    }
    [p.family, p.middle, p.given] = group.name;
    if (p.birthYear !== group.year) {
      const day = p.birthMonth === 2 && p.birthDayOfMonth === 29 ? 28 : p.birthDayOfMonth;
      p.birthYear = group.year;
      p.birthDayOfMonth = day;
      p.birth = daysFromCivil(group.year, p.birthMonth, day);
      p.age = ageOn(group.year, p.birthMonth, day, this.today);
    }
    group.remaining -= 1;
    if (group.remaining <= 0) this.commonGroups.splice(this.commonGroups.indexOf(group), 1);
  }

  private doses(p: Person): Dose[] {
    const out: Dose[] = [];
    const last = Math.min(DAY.covidLast, this.todayDay);
    const ageAdult = ageOn(p.birthYear, p.birthMonth, p.birthDayOfMonth, DAY.adultReference);
    const ageKid = ageOn(p.birthYear, p.birthMonth, p.birthDayOfMonth, DAY.kidReference);
    const rng = this.rng;
    if (ageAdult >= 18) {
      const count = ADULT_DOSES_TABLE.pick(rng);
      if (count > 0) {
        let d1 = Math.max(DAY.covidFirst, FIRST_DOSE_MONTH_TABLE.pick(rng) + rng.int(0, 27));
        const eighteen = this.birthday(p, 18);
        if (d1 < eighteen) d1 = eighteen + rng.int(0, 60);
        const p1: CovidCode = d1 < DAY.azOnlyBefore ? 'COVID-AZ' : PRIMARY_PRODUCT_TABLE.pick(rng);
        const days = [d1];
        const products: CovidCode[] = [p1];
        if (count >= 2) {
          const [lo, hi] = PRIMARY_INTERVAL_DAYS[p1];
          const d2 = d1 + rng.int(lo, hi);
          days.push(d2);
          products.push(p1 === 'COVID-AZ' && d2 >= DAY.mixFrom && rng.chance(AZ_TO_PFIZER_MIX_RATE) ? 'COVID-PFIZER' : p1);
        }
        if (count >= 3) {
          const d3 = Math.max((days[1] as number) + BOOSTER_MIN_DAYS + rng.int(0, BOOSTER_EXTRA_DAYS), DAY.boosterStart + rng.int(0, 30));
          days.push(d3);
          products.push(BOOSTER_PRODUCT_TABLE.pick(rng));
        }
        if (count >= 4) {
          const d4 = Math.max(
            (days[2] as number) + SECOND_BOOSTER_MIN_DAYS + rng.int(0, SECOND_BOOSTER_EXTRA_DAYS),
            DAY.secondBoosterStart + rng.int(0, 30),
          );
          days.push(d4);
          products.push(BOOSTER_PRODUCT_TABLE.pick(rng));
        }
        this.covid(p, out, last, days, products);
      }
    } else if (ageAdult >= 12) {
      const count = TEEN_DOSES_TABLE.pick(rng);
      if (count > 0) {
        const d1 = Math.max(rng.int(DAY.teenFirst, DAY.teenLast), this.birthday(p, 12));
        const [lo, hi] = PRIMARY_INTERVAL_DAYS['COVID-PFIZER'];
        const d2 = d1 + rng.int(lo, hi);
        const d3 = d2 + TEEN_BOOSTER_MIN_DAYS + rng.int(0, 120);
        this.covid(p, out, last, [d1, d2, d3].slice(0, count), ['COVID-PFIZER', 'COVID-PFIZER', 'COVID-PFIZER']);
      }
    } else if (ageKid >= 5 && ageKid <= 11) {
      const count = CHILD_DOSES_TABLE.pick(rng);
      if (count > 0) {
        const product: CovidCode = rng.chance(0.75) ? 'COVID-PFIZER' : 'COVID-MODERNA';
        const d1 = Math.max(rng.int(DAY.kidFirst, DAY.kidLast), this.birthday(p, 5));
        const [lo, hi] = PRIMARY_INTERVAL_DAYS[product];
        this.covid(p, out, last, [d1, d1 + rng.int(lo, hi)].slice(0, count), [product, product]);
      }
    }
    if (p.age < CHILD_PROGRAMME_MAX_AGE) this.childProgramme(p, out);
    return out;
  }

  /** The day a person turns `age` (29 February → 28 February). */
  private birthday(p: Person, age: number): number {
    return daysFromCivil(p.birthYear + age, p.birthMonth, p.birthMonth === 2 && p.birthDayOfMonth === 29 ? 28 : p.birthDayOfMonth);
  }

  /** Appends a COVID-19 series, stopping at the first dose outside the window. */
  private covid(p: Person, out: Dose[], last: number, days: readonly number[], products: readonly CovidCode[]): void {
    for (let i = 0; i < days.length; i++) {
      const day = days[i] as number;
      if (day > last || day < DAY.covidFirst) break;
      out.push(this.dose(p, products[i] as CovidCode, i + 1, day, HOME_FACILITY_RATE_COVID));
    }
  }

  /** The expanded-programme schedule of DOMAIN §5.3, up to `today`, each dose possibly missed. */
  private childProgramme(p: Person, out: Dose[]): void {
    const rng = this.rng;
    const b = p.birth;
    this.give(p, out, 'HEPB-BIRTH', 1, b + (rng.chance(0.85) ? 0 : 1));
    this.give(p, out, 'BCG', 1, b + rng.int(0, 30));
    let d = b + 61 + rng.int(0, 21);
    for (let n = 1; n <= 3; n++) {
      this.give(p, out, 'DPT-VGB-HIB', n, d);
      this.give(p, out, 'OPV', n, d);
      d += rng.int(28, 42);
    }
    this.give(p, out, 'IPV', 1, b + 152 + rng.int(0, 30));
    this.give(p, out, 'MEASLES', 1, b + 274 + rng.int(0, 30));
    const je1 = b + 365 + rng.int(0, 60);
    const je2 = je1 + rng.int(7, 14);
    this.give(p, out, 'JE', 1, je1);
    this.give(p, out, 'JE', 2, je2);
    this.give(p, out, 'JE', 3, je2 + rng.int(365, 395));
    const booster = b + 548 + rng.int(0, 45);
    this.give(p, out, 'DPT', 4, booster);
    this.give(p, out, 'MR', 1, rng.chance(0.8) ? booster : booster + rng.int(1, 30));
  }

  private give(p: Person, out: Dose[], vaccine: ChildVaccineCode, number: number, day: number): void {
    if (day <= this.todayDay && !this.rng.chance(CHILD_PROGRAMME_DOSE_MISSED_RATE)) {
      out.push(this.dose(p, vaccine, number, day, HOME_FACILITY_RATE_CHILD));
    }
  }

  private dose(p: Person, vaccine: VaccineCode, number: number, day: number, homeRate: number): Dose {
    const rng = this.rng;
    const [y, m, d] = civilFromDays(day);
    const lotKey = ((VACCINE_INDEX[vaccine] * 10000 + y) * 13 + m) * LOTS_PER_MONTH + rng.int(0, LOTS_PER_MONTH - 1);
    let lot = this.lots.get(lotKey);
    if (lot === undefined) {
      const serial = String(mix32(lotKey ^ this.salt) % 10000).padStart(4, '0');
      lot = `${LOT_PREFIX[vaccine]}${pad2(y % 100)}${serial}`;
      this.lots.set(lotKey, lot);
    }
    const commune = p.commune;
    return {
      id: serialId('D', ++this.doseCount),
      vaccine,
      number,
      day,
      y,
      m,
      d,
      lot,
      facility: rng.chance(homeRate) ? commune.healthStation : rng.pick(commune.province.hospitals),
      adverse: rng.chance(ADVERSE_EVENT_RATE) ? ADVERSE_TABLE.pick(rng) : '',
    };
  }
}

function toPublicPerson(p: Person): SynthPerson {
  return {
    person_id: p.id,
    household_id: p.householdId,
    family_name: p.family,
    middle_name: p.middle,
    given_name: p.given,
    full_name: [p.family, p.middle, p.given].filter((s) => s !== '').join(' '),
    sex: p.sex,
    birth_date: `${p.birthYear}-${pad2(p.birthMonth)}-${pad2(p.birthDayOfMonth)}`,
    birth_year_only: p.birthYearOnly,
    citizen_id: p.cccd,
    cmnd: p.cmnd,
    phone: p.phone,
    household_phone: p.householdPhone,
    parent_citizen_id: p.parentCccd,
    address: p.address,
    commune_code: p.commune.code,
    doses: p.doses.map((d) => ({
      dose_id: d.id,
      vaccine: d.vaccine,
      dose_number: d.number,
      date: isoOfDay(d.day),
      lot_number: d.lot,
      facility_code: d.facility,
      adverse_event: d.adverse,
    })),
  };
}

function resolveOptions(options: SynthOptions): { persons: number; seed: number; todayDay: number } {
  if (!Number.isSafeInteger(options.persons) || options.persons < 0) {
    throw new RangeError(`persons must be a non-negative integer, got ${options.persons}`);
  }
  if (!Number.isFinite(options.seed)) throw new RangeError(`seed must be a finite number, got ${options.seed}`);
  return { persons: options.persons, seed: options.seed, todayDay: parseIsoDay(options.today ?? DEFAULT_TODAY, 'today') };
}

/** The true people (clean identities and injections) behind `generateRecords` with the same options. */
export function* generatePersons(options: SynthOptions): Generator<SynthPerson> {
  const { persons, seed, todayDay } = resolveOptions(options);
  for (const household of new Population(seed, todayDay).households(persons)) {
    for (const p of household) yield toPublicPerson(p);
  }
}

// =====================================================================================================
// Rows: sources, duplicates and noise (PRNG stream 2)
// =====================================================================================================

const SOURCE_TABLE = new WeightedTable(SOURCE_WEIGHTS);
const SOURCES: readonly SynthSource[] = ['station', 'campaign', 'platform'];
const BIRTH_FORMAT_TABLE = new WeightedTable(BIRTH_DATE_FORMAT_WEIGHTS);
const DATE_FORMAT_INDEX: Readonly<Record<DateFormat, number>> = {
  'dd/mm/yyyy': 0,
  'd/m/yyyy': 1,
  'yyyy-mm-dd': 2,
  'dd-mm-yyyy': 3,
  excel: 4,
};
const VACCINATION_FORMAT_TABLE = new WeightedTable(VACCINATION_DATE_FORMAT_WEIGHTS);
const SEX_TABLE = new WeightedTable(SEX_SPELLING_WEIGHTS.map(([m, f, w]) => [[m, f] as const, w] as const));
const ALIAS_TABLE = Object.fromEntries(
  Object.entries(VACCINE_ALIASES).map(([code, aliases]) => [code, new WeightedTable(aliases)]),
) as Record<VaccineCode, WeightedTable<string>>;

const DOSE_NUMBER_TEXT: readonly string[] = ['0', '1', '2', '3', '4', '5'];

interface Item {
  row: SynthRow;
  truth: SynthTruth;
}

class RowMaker {
  constructor(private readonly rng: Random) {}

  /** All rows of one person, appended to `out` (record ids are set later). */
  person(p: Person, out: Item[]): void {
    const rng = this.rng;
    if (p.doses.length === 0 || rng.chance(REGISTRATION_ROW_EXTRA_RATE)) {
      out.push(this.row(p, null, rng.chance(0.6) ? 'platform' : 'station', false));
    }
    for (const dose of p.doses) {
      const first = SOURCE_TABLE.pick(rng);
      out.push(this.row(p, dose, first, false));
      if (rng.chance(DUPLICATE_REPORT_RATE)) {
        // The other two sources, in random order.
        const shift = rng.int(1, 2);
        const at = SOURCES.indexOf(first);
        out.push(this.row(p, dose, SOURCES[(at + shift) % 3] as SynthSource, true));
        if (rng.chance(THIRD_REPORT_RATE)) out.push(this.row(p, dose, SOURCES[(at + 3 - shift) % 3] as SynthSource, true));
      }
    }
  }

  private row(p: Person, dose: Dose | null, source: SynthSource, duplicate: boolean): Item {
    const rng = this.rng;
    let vaccine = '';
    let doseNumber = '';
    let date = '';
    let lot = '';
    let facility = '';
    let adverse = '';
    if (dose) {
      vaccine = ALIAS_TABLE[dose.vaccine].pick(rng);
      if (rng.chance(VACCINE_LOWERCASE_RATE)) vaccine = vaccine.toLowerCase();
      const numberMissing = rng.chance(duplicate ? DUPLICATE_DOSE_NUMBER_MISSING_RATE : DOSE_NUMBER_MISSING_RATE);
      doseNumber = numberMissing ? '' : (DOSE_NUMBER_TEXT[dose.number] ?? String(dose.number));
      const format = VACCINATION_FORMAT_TABLE.pick(rng);
      if (duplicate && rng.chance(DUPLICATE_DATE_OFF_BY_ONE_RATE)) {
        const [y, m, d] = civilFromDays(dose.day + (rng.chance(0.5) ? 1 : -1));
        date = formatDate(y, m, d, format);
      } else {
        date = formatDate(dose.y, dose.m, dose.d, format);
      }
      lot = rng.chance(LOT_NUMBER_MISSING_RATE) ? '' : dose.lot;
      facility = rng.chance(FACILITY_CODE_MISSING_RATE) ? '' : dose.facility;
      adverse = duplicate && !rng.chance(DUPLICATE_ADVERSE_EVENT_KEPT_RATE) ? '' : dose.adverse;
    }
    let address = '';
    if (!rng.chance(ADDRESS_MISSING_RATE)) {
      address = rng.chance(ADDRESS_WITH_COMMUNE_RATE) ? p.addressWithCommune : p.address;
    }
    let commune = '';
    if (!rng.chance(COMMUNE_CODE_MISSING_RATE)) {
      commune = rng.chance(COMMUNE_CODE_UNPADDED_RATE) ? p.commune.unpadded : p.commune.code;
    }
    return {
      row: {
        record_id: '',
        full_name: this.name(p),
        birth_date: this.birthDate(p),
        sex: this.sex(p),
        citizen_id: this.citizenId(p),
        phone: this.phone(p),
        address,
        commune_code: commune,
        vaccine,
        dose_number: doseNumber,
        vaccination_date: date,
        lot_number: lot,
        facility_code: facility,
        adverse_event: adverse,
        source,
      },
      truth: { record_id: '', person_id: p.id, dose_id: dose ? dose.id : '' },
    };
  }

  private name(p: Person): string {
    const rng = this.rng;
    if (rng.chance(NAME_UNUSABLE_RATE)) return rng.chance(0.5) ? '' : rng.digits(rng.int(1, 12));
    const dropMiddle = p.middle !== '' && rng.chance(NAME_MIDDLE_DROPPED_RATE);
    let name = dropMiddle ? `${p.family} ${p.given}` : p.fullName;
    let edited = dropMiddle;
    if (rng.chance(NAME_TYPO_RATE)) {
      name = typo(name, rng);
      edited = true;
    }
    if (rng.chance(NAME_TONE_SWAP_RATE)) {
      name = swapTonePlacement(name);
      edited = true;
    }
    if (rng.chance(NAME_NO_DIACRITICS_RATE)) {
      if (edited) name = stripDiacritics(name);
      else name = p.asciiName !== '' ? p.asciiName : (p.asciiName = stripDiacritics(name));
    }
    const c = rng.next();
    if (c < NAME_ALL_CAPS_RATE) name = name.toUpperCase();
    else if (c < NAME_ALL_CAPS_RATE + NAME_LOWERCASE_RATE) name = name.toLowerCase();
    if (rng.chance(NAME_EXTRA_SPACES_RATE)) name = extraSpaces(name, rng);
    if (rng.chance(NAME_NFD_RATE)) name = name.normalize('NFD');
    return name;
  }

  private birthDate(p: Person): string {
    const rng = this.rng;
    if (p.birthYearOnly) return rng.chance(BIRTH_YEAR_ONLY_BARE_YEAR_SHARE) ? String(p.birthYear) : `01/01/${p.birthYear}`;
    if (rng.chance(BIRTH_DATE_MISSING_RATE)) return '';
    const day = p.birthDayOfMonth;
    const month = p.birthMonth;
    if (day <= 12 && day !== month && rng.chance(BIRTH_DATE_DAY_MONTH_SWAP_RATE)) {
      return formatDate(p.birthYear, day, month, BIRTH_FORMAT_TABLE.pick(rng));
    }
    const format = BIRTH_FORMAT_TABLE.pick(rng);
    const index = DATE_FORMAT_INDEX[format];
    const cache = (p.birthTexts ??= ['', '', '', '', '']);
    return cache[index] || (cache[index] = formatDate(p.birthYear, month, day, format));
  }

  private sex(p: Person): string {
    const rng = this.rng;
    if (rng.chance(SEX_MISSING_RATE)) return '';
    const [male, female] = SEX_TABLE.pick(rng);
    return p.sex === 'male' ? male : female;
  }

  private citizenId(p: Person): string {
    const r = this.rng.next();
    if (p.age < 14) {
      if (r < CHILD_CITIZEN_ID_MISSING_RATE) return '';
      if (r < CHILD_CITIZEN_ID_MISSING_RATE + CHILD_CITIZEN_ID_PARENT_RATE && p.parentCccd !== '') return p.parentCccd;
      return p.cccd;
    }
    let t = CITIZEN_ID_MISSING_RATE;
    if (r < t) return '';
    if (r < (t += CITIZEN_ID_TYPO_RATE)) {
      const rng = this.rng;
      const at = rng.int(3, 11);
      const digit = (Number(p.cccd[at]) + rng.int(1, 9)) % 10;
      return p.cccd.slice(0, at) + String(digit) + p.cccd.slice(at + 1);
    }
    if (r < (t += CITIZEN_ID_FORMATTED_RATE)) {
      const c = p.cccd;
      switch (this.rng.int(0, 2)) {
        case 0:
          return `${c.slice(0, 3)} ${c.slice(3, 6)} ${c.slice(6, 9)} ${c.slice(9)}`;
        case 1:
          return `${c.slice(0, 3)}.${c.slice(3, 6)}.${c.slice(6, 9)}.${c.slice(9)}`;
        default:
          return `'${c}`;
      }
    }
    if (r < (t += CITIZEN_ID_LEADING_ZERO_LOST_RATE)) return p.cccd.slice(1);
    if (r < t + CITIZEN_ID_CMND_RATE && p.cmnd !== '') return p.cmnd;
    return p.cccd;
  }

  private phone(p: Person): string {
    const phone = p.phone;
    if (phone === '') return '';
    const r = this.rng.next();
    let t = PHONE_MISSING_RATE;
    if (r < t) return '';
    if (r < (t += PHONE_HOUSEHOLD_SHARED_RATE)) return p.householdPhone !== '' ? p.householdPhone : phone;
    if (r < (t += PHONE_PLUS84_RATE)) return `+84${phone.slice(1)}`;
    if (r < (t += PHONE_84_RATE)) return `84${phone.slice(1)}`;
    if (r < (t += PHONE_LEADING_ZERO_LOST_RATE)) return phone.slice(1);
    if (r < (t += PHONE_OLD_PREFIX_RATE)) {
      const old = OLD_PHONE_PREFIX[phone.slice(0, 3)];
      return old === undefined ? phone : old + phone.slice(3);
    }
    if (r < t + PHONE_FORMATTED_RATE) {
      return this.rng.chance(0.5)
        ? `${phone.slice(0, 4)}.${phone.slice(4, 7)}.${phone.slice(7)}`
        : `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`;
    }
    return phone;
  }
}

/** One shuffled, numbered block of rows and the true people whose rows (all of them) it holds, in order. */
interface RecordBlock {
  readonly items: readonly Item[];
  readonly persons: readonly Person[];
}

/**
 * The blocks behind `generateRecords`. A block ends after a whole household, so a person's rows never
 * straddle two blocks: whoever needs all of a person's rows (the registry truth) can finish each block's
 * people before the next block, and memory stays bounded.
 */
function* generateRecordBlocks(options: SynthOptions): Generator<RecordBlock> {
  const { persons, seed, todayDay } = resolveOptions(options);
  const population = new Population(seed, todayDay);
  const rowRng = new Random(seed, 2);
  const maker = new RowMaker(rowRng);
  let block: Item[] = [];
  let people: Person[] = [];
  let next = 1;
  let done = false;
  const households = population.households(persons);
  while (!done) {
    const step = households.next();
    if (step.done) done = true;
    else {
      for (const p of step.value) {
        maker.person(p, block);
        people.push(p);
      }
    }
    if (block.length >= BLOCK_ROWS || (done && block.length > 0)) {
      rowRng.shuffle(block);
      for (const item of block) {
        const id = serialId('R', next++);
        item.row.record_id = id;
        item.truth.record_id = id;
      }
      yield { items: block, persons: people };
      block = [];
      people = [];
    }
  }
}

/**
 * Streams the rows of `options.persons` true people with their truth. Same options → same output.
 * Rows are shuffled within blocks of about `BLOCK_ROWS` rows, then numbered `R0000001`, `R0000002`, …
 */
export function* generateRecords(options: SynthOptions): Generator<{ row: SynthRow; truth: SynthTruth }> {
  for (const block of generateRecordBlocks(options)) yield* block.items;
}

// =====================================================================================================
// CSV output
// =====================================================================================================

const NEEDS_QUOTES = { ',': /[",\r\n]/, ';': /[";\r\n]/ } as const;

/**
 * One CSV record (no line terminator): fields joined by `delimiter`, quoted per RFC 4180 when they contain
 * the delimiter, a double quote, CR or LF (inner quotes doubled).
 */
export function toCsvLine(values: readonly string[], delimiter: ',' | ';' = ','): string {
  const needsQuotes = NEEDS_QUOTES[delimiter];
  let quoted: string[] | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as string;
    if (needsQuotes.test(v)) {
      quoted ??= values.slice();
      quoted[i] = `"${v.replace(/"/g, '""')}"`;
    }
  }
  // Array#join builds one flat string: much less garbage than appending field by field.
  return (quoted ?? values).join(delimiter);
}

/** Bytes collected before a write to the file stream. */
const WRITE_CHUNK_BYTES = 1 << 20;
/** Lines collected before they are joined and encoded into the chunk. */
const LINES_PER_BATCH = 512;

/**
 * A file written in large UTF-8 chunks. Lines (without terminator) are collected, joined with CRLF once per
 * batch and encoded into a chunk; a full chunk is handed to the stream.
 */
class Sink {
  private readonly lines: string[] = [];
  private readonly stream: WriteStream;
  private failure: Error | null = null;
  private chunk = Buffer.allocUnsafe(WRITE_CHUNK_BYTES);
  private used = 0;

  constructor(path: string) {
    this.stream = createWriteStream(path, { highWaterMark: WRITE_CHUNK_BYTES });
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  /** Adds a line; returns a promise only when the stream asked the writer to wait (backpressure). */
  line(text: string): Promise<void> | undefined {
    this.lines.push(text);
    return this.lines.length >= LINES_PER_BATCH ? this.encode() : undefined;
  }

  private encode(): Promise<void> | undefined {
    this.lines.push('');
    const text = this.lines.join('\r\n');
    this.lines.length = 0;
    const maxBytes = text.length * 3;
    const wait = this.used + maxBytes > this.chunk.length ? this.hand() : undefined;
    if (maxBytes > this.chunk.length) this.chunk = Buffer.allocUnsafe(maxBytes);
    this.used += this.chunk.write(text, this.used, 'utf8');
    return wait;
  }

  /** Hands the filled part of the chunk to the stream and starts a new chunk. */
  private hand(): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    if (this.used === 0) return undefined;
    const full = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(WRITE_CHUNK_BYTES);
    this.used = 0;
    return this.stream.write(full) ? undefined : once(this.stream, 'drain').then(() => undefined);
  }

  async close(): Promise<void> {
    if (this.lines.length > 0) await this.encode();
    await this.hand();
    this.stream.end();
    await finished(this.stream);
    if (this.failure) throw this.failure;
  }

  destroy(): void {
    this.stream.destroy();
  }
}

const NEEDS_QUOTES_COMMA = NEEDS_QUOTES[','];

/** A field for a comma-delimited file, quoted when needed (same rule as `toCsvLine`). */
function csvCell(value: string): string {
  return NEEDS_QUOTES_COMMA.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Which files `writeSynthFiles` wrote. */
export interface SynthFiles {
  records: string;
  truth: string;
  rows: number;
  /** With `registry: true`: the registry extract and its expected reconcile statuses (./registry.ts). */
  registry?: RegistryFiles;
}

/**
 * Writes `records.csv` (UTF-8 with BOM, comma, CRLF, the contract columns) and `truth.csv`
 * (`record_id,person_id,dose_id`) into `dir`, streaming with backpressure: memory stays bounded whatever
 * the number of rows. With `registry: true`, also `registry.csv` and `registry-truth.csv` (./registry.ts),
 * from the same people; records.csv and truth.csv are the same bytes either way.
 */
export async function writeSynthFiles(options: SynthOptions & { dir: string; registry?: boolean }): Promise<SynthFiles> {
  const { todayDay } = resolveOptions(options);
  await mkdir(options.dir, { recursive: true });
  const recordsPath = join(options.dir, 'records.csv');
  const truthPath = join(options.dir, 'truth.csv');
  const registryPath = join(options.dir, 'registry.csv');
  const registryTruthPath = join(options.dir, 'registry-truth.csv');
  let registry: { builder: SynthRegistry; rows: Sink; truth: Sink } | null = null;
  if (options.registry) {
    // Loaded on demand: registry.ts builds on this module (types, communes, CSV lines), so a static import
    // would make the two modules load each other.
    const { SynthRegistry } = await import('./registry.js');
    const builder = new SynthRegistry({ seed: options.seed, today: isoOfDay(todayDay) });
    registry = { builder, rows: new Sink(registryPath), truth: new Sink(registryTruthPath) };
  }
  const records = new Sink(recordsPath);
  const truth = new Sink(truthPath);
  const values = new Array<string>(CONTRACT_COLUMNS.length).fill('');
  let rows = 0;
  try {
    await records.line(`\uFEFF${toCsvLine(CONTRACT_COLUMNS)}`);
    await truth.line('record_id,person_id,dose_id');
    if (registry) {
      await registry.rows.line(`\uFEFF${registry.builder.header}`);
      await registry.truth.line(registry.builder.truthHeader);
    }
    for (const block of generateRecordBlocks(options)) {
      for (const { row, truth: t } of block.items) {
        // Explicit fields in CONTRACT_COLUMNS order (a test parses the file back against generateRecords).
        // Ids, dates, sex, citizen IDs, phones, codes and dose numbers are built here from digits, letters and
        // `/-.+' `, never a comma, quote or line break, so only the free-text fields go through csvCell.
        values[0] = row.record_id;
        values[1] = csvCell(row.full_name);
        values[2] = row.birth_date;
        values[3] = row.sex;
        values[4] = row.citizen_id;
        values[5] = row.phone;
        values[6] = csvCell(row.address);
        values[7] = row.commune_code;
        values[8] = csvCell(row.vaccine);
        values[9] = row.dose_number;
        values[10] = row.vaccination_date;
        values[11] = csvCell(row.lot_number);
        values[12] = csvCell(row.facility_code);
        values[13] = csvCell(row.adverse_event);
        values[14] = csvCell(row.source);
        const a = records.line(values.join(','));
        if (a) await a;
        const b = truth.line(`${t.record_id},${t.person_id},${t.dose_id}`);
        if (b) await b;
        rows++;
      }
      if (registry) {
        for (const line of registry.builder.addBlock(block.persons.map(toPublicPerson), block.items)) {
          const c = registry.rows.line(line);
          if (c) await c;
        }
      }
    }
    await records.close();
    await truth.close();
    if (registry) {
      // The unrecorded citizens come last, and the truth only once every registry row is known.
      for (const line of registry.builder.unrecordedLines()) {
        const c = registry.rows.line(line);
        if (c) await c;
      }
      await registry.rows.close();
      for (const line of registry.builder.truthLines()) {
        const d = registry.truth.line(line);
        if (d) await d;
      }
      await registry.truth.close();
    }
  } catch (error) {
    records.destroy();
    truth.destroy();
    registry?.rows.destroy();
    registry?.truth.destroy();
    throw error;
  }
  const files: SynthFiles = { records: recordsPath, truth: truthPath, rows };
  if (registry) files.registry = { registry: registryPath, truth: registryTruthPath, ...registry.builder.summary() };
  return files;
}
