/**
 * The rows (PRNG stream 2): each injection is reported by one source and sometimes again by another, every
 * row gets independent typing noise, and rows are shuffled within blocks of `BLOCK_ROWS`.
 */
import { Random, WeightedTable } from '../base/random.js';
import { foldDiacritics } from '../base/text.js';
import { civilFromDays } from '../base/civil-days.js';
import { formatDate, serialId } from './dates.js';
import { extraSpaces, swapTonePlacement, typo } from './noise.js';
import { resolveOptions } from './options.js';
import { Population, type Dose, type Person } from './population.js';
import {
  ADDRESS_MISSING_RATE,
  ADDRESS_WITH_COMMUNE_RATE,
  BIRTH_DATE_DAY_MONTH_SWAP_RATE,
  BIRTH_DATE_FORMAT_WEIGHTS,
  BIRTH_DATE_MISSING_RATE,
  BIRTH_YEAR_ONLY_BARE_YEAR_SHARE,
  BLOCK_ROWS,
  CHILDHOOD_MOTHER_ID_RATE,
  CHILD_CITIZEN_ID_MISSING_RATE,
  CHILD_CITIZEN_ID_PARENT_RATE,
  CITIZEN_ID_CMND_RATE,
  CITIZEN_ID_FORMATTED_RATE,
  CITIZEN_ID_LEADING_ZERO_LOST_RATE,
  CITIZEN_ID_MISSING_RATE,
  CITIZEN_ID_TYPO_RATE,
  COMMUNE_CODE_MISSING_RATE,
  COMMUNE_CODE_UNPADDED_RATE,
  DOSE_NUMBER_MISSING_RATE,
  DUPLICATE_ADVERSE_EVENT_KEPT_RATE,
  DUPLICATE_DATE_OFF_BY_ONE_RATE,
  DUPLICATE_DOSE_NUMBER_MISSING_RATE,
  DUPLICATE_REPORT_RATE,
  ETHNICITY_MISSING_RATE,
  FACILITY_CODE_MISSING_RATE,
  GUARDIAN_NAME_MISSING_RATE,
  GUARDIAN_PHONE_MISSING_RATE,
  MINORITY_SPELLING_VARIANT_RATE,
  LOT_NUMBER_MISSING_RATE,
  NAME_ALL_CAPS_RATE,
  NAME_EXTRA_SPACES_RATE,
  NAME_LOWERCASE_RATE,
  NAME_MIDDLE_DROPPED_RATE,
  NAME_NFD_RATE,
  NAME_NO_DIACRITICS_RATE,
  NAME_TONE_SWAP_RATE,
  NAME_TYPO_RATE,
  NAME_UNUSABLE_RATE,
  PHONE_84_RATE,
  PHONE_FORMATTED_RATE,
  PHONE_HOUSEHOLD_SHARED_RATE,
  PHONE_LEADING_ZERO_LOST_RATE,
  PHONE_MISSING_RATE,
  PHONE_OLD_PREFIX_RATE,
  PHONE_PLUS84_RATE,
  PRE_NAMING_EARLY_DAYS,
  PRE_NAMING_EARLY_RATE,
  PRE_NAMING_FORM_WEIGHTS,
  PRE_NAMING_LATE_DAYS,
  PRE_NAMING_LATE_RATE,
  PRE_NAMING_MOTHER_ID_RATE,
  PRE_NAMING_SEX_MISSING_RATE,
  REGISTRATION_ROW_EXTRA_RATE,
  RETRO_WORST_FAULT_WEIGHTS,
  RETRO_WORST_ROW_RATE,
  RETRO_WORST_THREE_FAULTS_SHARE,
  type RetroFault,
  SEX_MISSING_RATE,
  SEX_SPELLING_WEIGHTS,
  SOURCE_WEIGHTS,
  THIRD_REPORT_RATE,
  VACCINATION_DATE_FORMAT_WEIGHTS,
  VACCINE_LOWERCASE_RATE,
} from './rates.js';
import { MINORITY_SPELLINGS } from './names.js';
import { OLD_PHONE_PREFIX, VACCINE_ALIASES } from './reference.js';
import type { DateFormat, SynthMode, SynthOptions, SynthRow, SynthSource, SynthTruth, VaccineCode } from './types.js';

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
const PRE_NAMING_TABLE = new WeightedTable(PRE_NAMING_FORM_WEIGHTS);
const FAULT_TABLE = new WeightedTable(RETRO_WORST_FAULT_WEIGHTS);
const NO_FAULTS: ReadonlySet<RetroFault> = new Set();

export interface Item {
  row: SynthRow;
  truth: SynthTruth;
}

class RowMaker {
  constructor(
    private readonly rng: Random,
    private readonly mode: SynthMode = 'default',
  ) {}

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
    const mode = this.mode;
    // Retro-entry at its worst: the faults this row gets (none in the other modes, and no draw either).
    const faults = mode === 'retro-worst' && rng.chance(RETRO_WORST_ROW_RATE) ? this.faults() : NO_FAULTS;
    // Childhood mode: a newborn's birth-dose rows are often typed before it has a name.
    const mother = mode === 'childhood' ? p.guardian : null;
    let preNaming = false;
    if (mother && dose) {
      const age = dose.day - p.birth;
      preNaming = age <= PRE_NAMING_EARLY_DAYS ? rng.chance(PRE_NAMING_EARLY_RATE) : age <= PRE_NAMING_LATE_DAYS && rng.chance(PRE_NAMING_LATE_RATE);
    }
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
    if (faults.has('commune_missing')) commune = '';
    const fullName = preNaming && mother ? this.placeholder(p, mother) : this.name(p, faults);
    const birthDate = this.birthDate(p, faults);
    let sex = this.sex(p, faults);
    if (preNaming && rng.chance(PRE_NAMING_SEX_MISSING_RATE)) sex = '';
    let citizenId: string;
    if (preNaming && mother) citizenId = rng.chance(PRE_NAMING_MOTHER_ID_RATE) ? mother.cccd : '';
    else if (mother && p.age < 14) {
      const r = rng.next();
      citizenId = r < CHILD_CITIZEN_ID_MISSING_RATE ? '' : r < CHILD_CITIZEN_ID_MISSING_RATE + CHILDHOOD_MOTHER_ID_RATE ? mother.cccd : p.cccd;
    } else citizenId = this.citizenId(p);
    const row: SynthRow = {
        record_id: '',
        full_name: fullName,
        birth_date: birthDate,
        sex,
        citizen_id: citizenId,
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
    };
    if (mode === 'childhood') {
      row.guardian_name = mother && !rng.chance(GUARDIAN_NAME_MISSING_RATE) ? this.name(mother, NO_FAULTS) : '';
      row.guardian_phone = mother && !rng.chance(GUARDIAN_PHONE_MISSING_RATE) ? this.phone(mother) : '';
      row.ethnicity = rng.chance(ETHNICITY_MISSING_RATE) ? '' : p.minority ? rng.pick(p.minority.ethnicity) : rng.chance(0.8) ? 'Kinh' : 'kinh';
    }
    return { row, truth: { record_id: '', person_id: p.id, dose_id: dose ? dose.id : '' } };
  }

  /** Two or three distinct faults (RETRO_WORST_*). */
  private faults(): Set<RetroFault> {
    const rng = this.rng;
    const count = rng.chance(RETRO_WORST_THREE_FAULTS_SHARE) ? 3 : 2;
    const faults = new Set<RetroFault>();
    while (faults.size < count) faults.add(FAULT_TABLE.pick(rng));
    return faults;
  }

  /** A pre-naming placeholder for a newborn (PRE_NAMING_FORM_WEIGHTS), then the name noise of a row. */
  private placeholder(p: Person, mother: Person): string {
    const rng = this.rng;
    let text: string;
    switch (PRE_NAMING_TABLE.pick(rng)) {
      case 'con_ba':
        text = `Con bà ${mother.fullName}`;
        break;
      case 'cb':
        text = `CB ${mother.fullName}`;
        break;
      case 'con_cua':
        text = `Con của ${mother.given}`;
        break;
      case 'con_chi':
        text = `Con chị ${mother.fullName}`;
        break;
      default:
        text = p.sex === 'male' ? 'Bé trai' : 'Bé gái';
    }
    if (rng.chance(NAME_NO_DIACRITICS_RATE)) text = foldDiacritics(text);
    const c = rng.next();
    if (c < NAME_ALL_CAPS_RATE) text = text.toUpperCase();
    else if (c < NAME_ALL_CAPS_RATE + NAME_LOWERCASE_RATE) text = text.toLowerCase();
    if (rng.chance(NAME_EXTRA_SPACES_RATE)) text = extraSpaces(text, rng);
    return text;
  }

  private name(p: Person, faults: ReadonlySet<RetroFault> = NO_FAULTS): string {
    const rng = this.rng;
    if (rng.chance(NAME_UNUSABLE_RATE)) return rng.chance(0.5) ? '' : rng.digits(rng.int(1, 12));
    const dropMiddle = p.middle !== '' && (faults.has('middle_dropped') || rng.chance(NAME_MIDDLE_DROPPED_RATE));
    let name = dropMiddle ? `${p.family} ${p.given}` : p.fullName;
    let edited = dropMiddle;
    if (p.minority) {
      // A minority name's words have no one spelling: each may be written another way.
      const words = name.split(' ').map((w) => {
        const spellings = MINORITY_SPELLINGS.get(w);
        return spellings && rng.chance(MINORITY_SPELLING_VARIANT_RATE) ? rng.pick(spellings) : w;
      });
      const varied = words.join(' ');
      if (varied !== name) edited = true;
      name = varied;
    }
    if (faults.has('given_first')) {
      const words = name.split(' ');
      name = [words[words.length - 1], ...words.slice(0, -1)].join(' ');
      edited = true;
    }
    if (rng.chance(NAME_TYPO_RATE)) {
      name = typo(name, rng);
      edited = true;
    }
    if (faults.has('second_typo')) {
      name = typo(typo(name, rng), rng);
      edited = true;
    }
    if (rng.chance(NAME_TONE_SWAP_RATE)) {
      name = swapTonePlacement(name);
      edited = true;
    }
    if (rng.chance(NAME_NO_DIACRITICS_RATE)) {
      if (edited) name = foldDiacritics(name);
      else name = p.asciiName !== '' ? p.asciiName : (p.asciiName = foldDiacritics(name));
    }
    const c = rng.next();
    if (c < NAME_ALL_CAPS_RATE) name = name.toUpperCase();
    else if (c < NAME_ALL_CAPS_RATE + NAME_LOWERCASE_RATE) name = name.toLowerCase();
    if (rng.chance(NAME_EXTRA_SPACES_RATE)) name = extraSpaces(name, rng);
    if (rng.chance(NAME_NFD_RATE)) name = name.normalize('NFD');
    return name;
  }

  private birthDate(p: Person, faults: ReadonlySet<RetroFault> = NO_FAULTS): string {
    const rng = this.rng;
    if (faults.has('birth_digit') || faults.has('birth_year')) return this.wrongBirthDate(p, faults);
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

  private sex(p: Person, faults: ReadonlySet<RetroFault> = NO_FAULTS): string {
    const rng = this.rng;
    const wrong = faults.has('sex');
    if (!wrong && rng.chance(SEX_MISSING_RATE)) return '';
    const [male, female] = SEX_TABLE.pick(rng);
    return (p.sex === 'male') !== wrong ? male : female;
  }

  /**
   * Retro-worst: the birth date with one digit of the day or month changed (`birth_digit`) and/or the year one
   * off or ten off (`birth_year`: a neighbouring year, or the tens digit mistyped). Always written, never empty.
   */
  private wrongBirthDate(p: Person, faults: ReadonlySet<RetroFault>): string {
    const rng = this.rng;
    let year = p.birthYear;
    if (faults.has('birth_year')) year += (rng.chance(0.5) ? 1 : 10) * (rng.chance(0.5) ? 1 : -1);
    if (p.birthYearOnly) return String(year);
    let month = p.birthMonth;
    let day = p.birthDayOfMonth;
    if (faults.has('birth_digit')) {
      if (rng.chance(0.5)) {
        // The units digit of the day, to another day that exists in every month.
        for (let tries = 0; tries < 10; tries++) {
          const d = Math.floor(day / 10) * 10 + rng.int(0, 9);
          if (d !== day && d >= 1 && d <= 28) {
            day = d;
            break;
          }
        }
      } else {
        const candidates = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].filter((m) => m !== month && (m % 10 === month % 10 || Math.floor(m / 10) === Math.floor(month / 10)));
        month = rng.pick(candidates);
        if (day > 28) day = 28;
      }
    }
    return formatDate(year, month, day, BIRTH_FORMAT_TABLE.pick(rng));
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
export interface RecordBlock {
  readonly items: readonly Item[];
  readonly persons: readonly Person[];
}

/**
 * The blocks behind `generateRecords`. A block ends after a whole household, so a person's rows never
 * straddle two blocks: whoever needs all of a person's rows (the registry truth) can finish each block's
 * people before the next block, and memory stays bounded.
 */
export function* generateRecordBlocks(options: SynthOptions): Generator<RecordBlock> {
  const { persons, seed, todayDay, mode } = resolveOptions(options);
  const population = new Population(seed, todayDay, mode);
  const rowRng = new Random(seed, 2);
  const maker = new RowMaker(rowRng, mode);
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
