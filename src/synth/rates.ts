/**
 * Every rate and model parameter of the generator, as named constants so a test or a report can cite them.
 * "Per row" means per output row, "per person" per true person. Rates that are not from a cited source are
 * judgement, chosen to look like the 2021–2022 clean-up problems of DOMAIN.md §2.4 without drowning the signal.
 */
import type { CovidCode, DateFormat, SynthSource } from './types.js';

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

// ---- Childhood mode (`vaxsync synth --mode childhood`) -------------------------------------------------------
// Households of a mother and her young children. The mother is a person of the sample too (her own rows:
// COVID-19 doses or a registration), so a child recorded under her CCCD and phone meets her in blocking.

/** Mother's age at `today`, uniform in [min, max]. */
export const CHILDHOOD_MOTHER_AGE: readonly [number, number] = [19, 42];
/** Children of the household, [count, weight]. */
export const CHILDHOOD_CHILDREN_WEIGHTS: readonly (readonly [number, number])[] = [[1, 0.55], [2, 0.35], [3, 0.1]];
/** The youngest child's age at `today` in days, uniform in [min, max] (0 … 30 months): the birth doses of the newest babies are there. */
export const CHILDHOOD_YOUNGEST_AGE_DAYS: readonly [number, number] = [0, 913];
/** Days between a child's birth and the next older sibling's, uniform in [min, max] (10 … 36 months). */
export const CHILDHOOD_SIBLING_GAP_DAYS: readonly [number, number] = [304, 1095];
/** Per child: born with a twin (same birth day, own given name; sex drawn independently): as TWIN_RATE of the default mode. */
export const CHILDHOOD_TWIN_RATE = 0.02;
/** Programme doses are given up to this many days of age: birth to the 18-month doses (DPT 4, MR), not the third JE dose. */
export const CHILDHOOD_PROGRAMME_LAST_DAY = 600;
/** Per household: an ethnic minority (names of MINORITY_NAMES, spelled several ways); else Kinh. */
export const CHILDHOOD_MINORITY_RATE = 0.2;
/** Per row and per word of a minority name that has other spellings: written in one of them. */
export const MINORITY_SPELLING_VARIANT_RATE = 0.35;
/** Per child row: `guardian_name` empty; else the mother's name with its own typing noise (the row noise of names). */
export const GUARDIAN_NAME_MISSING_RATE = 0.15;
/** Per child row: `guardian_phone` empty; else the mother's phone (phone noise as for `phone`). */
export const GUARDIAN_PHONE_MISSING_RATE = 0.4;
/** Per row: `ethnicity` empty; else one of the group's spellings (ETHNICITY_SPELLINGS). */
export const ETHNICITY_MISSING_RATE = 0.4;
/**
 * Per row of a dose given in the child's first `PRE_NAMING_EARLY_DAYS` days (hepatitis B birth dose, most BCG):
 * the row carries a pre-naming placeholder instead of the child's name; for doses up to `PRE_NAMING_LATE_DAYS`,
 * at the lower rate. Later rows carry the child's registered name.
 */
export const PRE_NAMING_EARLY_DAYS = 7;
export const PRE_NAMING_EARLY_RATE = 0.7;
export const PRE_NAMING_LATE_DAYS = 30;
export const PRE_NAMING_LATE_RATE = 0.25;
/**
 * Form of a placeholder, [form, weight]: `con_ba` = `Con bà {mother}`, `cb` = `CB {mother}`, `con_cua` =
 * `Con của {mother's given name}`, `con_chi` = `Con chị {mother}`, `be` = `Bé trai` / `Bé gái` by the child's
 * sex. The placeholder then takes the row noise of names (no diacritics, case, spaces).
 */
export const PRE_NAMING_FORM_WEIGHTS: readonly (readonly ['con_ba' | 'cb' | 'con_cua' | 'con_chi' | 'be', number])[] = [
  ['con_ba', 0.4], ['cb', 0.2], ['con_cua', 0.1], ['con_chi', 0.1], ['be', 0.2],
];
/** Per pre-naming row: the citizen_id column holds the mother's CCCD (else empty: a newborn has none yet). */
export const PRE_NAMING_MOTHER_ID_RATE = 0.3;
/** Per pre-naming row: sex empty (on top of SEX_MISSING_RATE; `Bé trai`/`Bé gái` still says it). */
export const PRE_NAMING_SEX_MISSING_RATE = 0.2;
/** Per named child row (< 14): the mother's CCCD instead of the child's own (replaces CHILD_CITIZEN_ID_PARENT_RATE in this mode). */
export const CHILDHOOD_MOTHER_ID_RATE = 0.15;

// ---- Retro-entry at its worst (`vaxsync synth --mode retro-worst`) -------------------------------------------
// The default population and row noise, and on top of it, per row:

/** Per row: the row gets `RETRO_WORST_FAULTS` of the faults below, all in one row (2, or 3 at the given share). */
export const RETRO_WORST_ROW_RATE = 0.25;
export const RETRO_WORST_THREE_FAULTS_SHARE = 0.25;
/**
 * The faults, [fault, weight], drawn without repetition per row: `second_typo` = two typos in the name,
 * `birth_digit` = one digit of the birth day or month changed, `birth_year` = the birth year one off or one
 * digit changed, `sex` = the other sex, `given_first` = the given name written first, `middle_dropped` = the
 * middle name left out, `commune_missing` = no commune code.
 */
export const RETRO_WORST_FAULT_WEIGHTS: readonly (readonly [RetroFault, number])[] = [
  ['second_typo', 1], ['birth_digit', 1], ['birth_year', 1], ['sex', 1], ['given_first', 1], ['middle_dropped', 1], ['commune_missing', 1],
];
export type RetroFault = 'second_typo' | 'birth_digit' | 'birth_year' | 'sex' | 'given_first' | 'middle_dropped' | 'commune_missing';
