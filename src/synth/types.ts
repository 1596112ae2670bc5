/**
 * The generator's vocabulary: the vaccine codes, sources and date formats it draws from, and the public
 * shapes of what it produces (a contract row as a station would type it, its truth, a true person).
 * Imports nothing, so every other module of the generator can use it.
 */
export type CovidCode = 'COVID-AZ' | 'COVID-PFIZER' | 'COVID-MODERNA' | 'COVID-VEROCELL';
export type ChildVaccineCode = 'BCG' | 'HEPB-BIRTH' | 'DPT-VGB-HIB' | 'OPV' | 'IPV' | 'MEASLES' | 'MR' | 'DPT' | 'JE';
export type VaccineCode = CovidCode | ChildVaccineCode;
export type SynthSource = 'station' | 'campaign' | 'platform';
export type DateFormat = 'dd/mm/yyyy' | 'd/m/yyyy' | 'yyyy-mm-dd' | 'dd-mm-yyyy' | 'excel';

/**
 * What kind of sample (README "Matching", the generator's modes):
 * - `default`: households of every age, mostly adult COVID-19 records (the project's original generator);
 * - `childhood`: mothers and their young children with the expanded programme's (TCMR) doses from birth to
 *   18 months, mothers' names in `guardian_name`, newborns' pre-naming rows (`Con bà …`), siblings, twins,
 *   babies under the mother's CCCD and phone, ethnic-minority names spelled several ways (rates.ts, CHILDHOOD_*);
 * - `retro-worst`: the default population, with retro-entry at its worst: two or more fields wrong in one row
 *   (rates.ts, RETRO_WORST_*).
 */
export type SynthMode = 'default' | 'childhood' | 'retro-worst';
export const SYNTH_MODES: readonly SynthMode[] = ['default', 'childhood', 'retro-worst'];

export interface SynthOptions {
  /** Number of true people. */
  persons: number;
  seed: number;
  /** `yyyy-mm-dd`, default `DEFAULT_TODAY`. */
  today?: string;
  /** Default `default`: the same output as before modes existed. */
  mode?: SynthMode;
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
  /** Childhood mode only (absent otherwise, so the default mode's rows keep exactly CONTRACT_COLUMNS). */
  guardian_name?: string;
  guardian_phone?: string;
  ethnicity?: string;
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

/** The columns of a childhood-mode file: the contract's, then its optional guardian and ethnicity columns. */
export const CHILDHOOD_COLUMNS: readonly (keyof SynthRow)[] = [...CONTRACT_COLUMNS, 'guardian_name', 'guardian_phone', 'ethnicity'];

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
