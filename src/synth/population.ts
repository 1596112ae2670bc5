/**
 * The population (PRNG stream 1): households of true people with a clean identity (name with tone marks,
 * sex, birth date, CCCD, phone, commune, village) and their true injections. `generatePersons` exposes it,
 * so tests can compare each row with the person it came from.
 */
import { civilFromDays, daysFromCivil } from '../base/civil-days.js';
import { ageOn, isoOfDay, pad2, parseIsoDay, serialId, ymdOfDay, type Ymd } from './dates.js';
import {
  COMMON_FULL_NAMES_FEMALE,
  COMMON_FULL_NAMES_MALE,
  GIVEN_NAMES_FEMALE,
  GIVEN_NAMES_MALE,
  MIDDLE_NAMES_FEMALE,
  MIDDLE_NAMES_MALE,
  MINORITY_GROUPS,
  SURNAMES,
  type MinorityGroup,
} from './names.js';
import { resolveOptions } from './options.js';
import { Random, WeightedTable } from '../base/random.js';
import {
  ADULT_AGE_BANDS,
  ADULT_CHILD_AT_HOME_RATE,
  ADULT_COVID_DOSE_COUNT_WEIGHTS,
  ADULT_FIRST_DOSE_MONTH_WEIGHTS,
  ADULT_HAS_OWN_PHONE_RATE,
  ADVERSE_EVENT_RATE,
  AZ_ONLY_BEFORE,
  AZ_TO_PFIZER_MIX_RATE,
  BIRTH_PROVINCE_LOCAL_RATE,
  BIRTH_YEAR_ONLY_RATE,
  BOOSTER_EXTRA_DAYS,
  BOOSTER_MIN_DAYS,
  BOOSTER_PRODUCT_WEIGHTS,
  BOOSTER_START,
  CHILDHOOD_CHILDREN_WEIGHTS,
  CHILDHOOD_MINORITY_RATE,
  CHILDHOOD_MOTHER_AGE,
  CHILDHOOD_PROGRAMME_LAST_DAY,
  CHILDHOOD_SIBLING_GAP_DAYS,
  CHILDHOOD_TWIN_RATE,
  CHILDHOOD_YOUNGEST_AGE_DAYS,
  CHILDREN_COUNT_WEIGHTS,
  CHILD_BIRTH_PROVINCE_LOCAL_RATE,
  CHILD_COVID_DOSE_COUNT_WEIGHTS,
  CHILD_PROGRAMME_DOSE_MISSED_RATE,
  CHILD_PROGRAMME_MAX_AGE,
  COMMON_NAME_GROUP_RATE,
  COMMON_NAME_GROUP_SIZE,
  COMMON_NAME_YEAR_WINDOW,
  COVID_FIRST_DAY,
  COVID_LAST_DAY,
  ELDERLY_HAS_OWN_PHONE_RATE,
  HAS_CMND_RATE,
  HOME_FACILITY_RATE_CHILD,
  HOME_FACILITY_RATE_COVID,
  HOUSEHOLD_TYPE_WEIGHTS,
  LOTS_PER_MONTH,
  MIX_ALLOWED_FROM,
  MOTHER_AGE_AT_BIRTH,
  MOTHER_AGE_BANDS,
  OLDER_GENERATION_BEFORE,
  OLDER_GENERATION_VAN_THI_BOOST,
  PRIMARY_INTERVAL_DAYS,
  PRIMARY_PRODUCT_WEIGHTS,
  SECOND_BOOSTER_EXTRA_DAYS,
  SECOND_BOOSTER_MIN_DAYS,
  SECOND_BOOSTER_START,
  TEEN_BOOSTER_MIN_DAYS,
  TEEN_COVID_DOSE_COUNT_WEIGHTS,
  TWIN_RATE,
} from './rates.js';
import {
  ADVERSE_EVENTS,
  CCCD_PROVINCE_CODES,
  COMMUNES,
  LOT_PREFIX,
  PHONE_PREFIX_WEIGHTS,
  VILLAGES,
  type Commune,
} from './reference.js';
import type { ChildVaccineCode, CovidCode, SynthMode, SynthOptions, SynthPerson, VaccineCode } from './types.js';

export interface Dose {
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

export interface Person {
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
  /** Childhood mode: the mother, whose name and phone the child's rows carry (`guardian_name`); else null. */
  guardian: Person | null;
  /** Childhood mode: the ethnic minority whose names the person has (their words have several spellings); null for Kinh. */
  minority: MinorityGroup | null;
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
  /** Childhood mode: the birth day itself (instead of one drawn from `age`). */
  birthDay?: number;
  minority?: MinorityGroup | null;
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
const CHILDHOOD_CHILDREN_TABLE = new WeightedTable(CHILDHOOD_CHILDREN_WEIGHTS);
const MINORITY_TABLE = new WeightedTable(MINORITY_GROUPS.map((g) => [g, g.weight] as const));

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


export class Population {
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
  private readonly mode: SynthMode;

  constructor(seed: number, todayDay: number, mode: SynthMode = 'default') {
    this.mode = mode;
    this.rng = new Random(seed, 1);
    this.todayDay = todayDay;
    this.today = ymdOfDay(todayDay);
    this.salt = this.rng.nextUint32();
  }

  /** Households until exactly `persons` people exist (the last household may be cut short). */
  *households(persons: number): Generator<Person[]> {
    while (this.personCount < persons) {
      yield this.mode === 'childhood' ? this.childhoodHousehold(persons - this.personCount) : this.household(persons - this.personCount);
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

  /** An empty household in a random commune and village, numbered in order. */
  private newHousehold(limit: number): HouseholdDraft {
    const rng = this.rng;
    return {
      id: serialId('H', ++this.householdCount),
      commune: rng.pick(COMMUNES),
      address: rng.pick(VILLAGES),
      limit,
      members: [],
      adults: [],
      parents: [],
      children: [],
    };
  }

  private household(limit: number): Person[] {
    const rng = this.rng;
    const h = this.newHousehold(limit);
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

  /**
   * Childhood mode: a mother and her young children (CHILDHOOD_* rates). The youngest is 0–30 months old,
   * each older sibling 10–36 months older than the next; a twin shares the birth day. Children take a family
   * name of their own (the father's, who is not in the sample); a minority household's names are all the group's.
   */
  private childhoodHousehold(limit: number): Person[] {
    const rng = this.rng;
    const h = this.newHousehold(limit);
    const minority = rng.chance(CHILDHOOD_MINORITY_RATE) ? MINORITY_TABLE.pick(rng) : null;
    const motherAge = rng.int(CHILDHOOD_MOTHER_AGE[0], CHILDHOOD_MOTHER_AGE[1]);
    const mother = this.member(h, { sex: 'female', age: motherAge, role: 'parent', nameFree: false, minority });
    const family = minority ? rng.pick(minority.families) : SURNAME_TABLE.pick(rng);
    const count = CHILDHOOD_CHILDREN_TABLE.pick(rng);
    let birth = this.todayDay - rng.int(CHILDHOOD_YOUNGEST_AGE_DAYS[0], CHILDHOOD_YOUNGEST_AGE_DAYS[1]);
    // Vietnamese custom (and Hmong, Thái, Dao alike) never names a child after its mother.
    const given = new Set<string>(mother ? [mother.given] : []);
    for (let i = 0; i < count; i++) {
      if (i > 0) birth -= rng.int(CHILDHOOD_SIBLING_GAP_DAYS[0], CHILDHOOD_SIBLING_GAP_DAYS[1]);
      const sex = rng.chance(0.51) ? 'male' : 'female';
      const child = this.member(h, { sex, age: 0, role: 'child', family, nameFree: false, birthDay: birth, minority });
      if (!child) break;
      this.ownGiven(child, given);
      if (rng.chance(CHILDHOOD_TWIN_RATE)) {
        const twin = this.member(h, { sex: rng.chance(0.5) ? 'male' : 'female', age: 0, role: 'child', family, nameFree: false, twinOf: child, minority });
        if (twin) this.ownGiven(twin, given);
      }
    }
    const motherPhone = mother?.ownPhone ?? '';
    if (mother) mother.phone = motherPhone;
    for (const c of h.children) {
      c.phone = motherPhone;
      c.parentCccd = mother?.cccd ?? '';
      c.guardian = mother;
    }
    return h.members;
  }

  /** Siblings never share a given name: redraws until this child's differs from the others'. */
  private ownGiven(child: Person, taken: Set<string>): void {
    for (let tries = 0; taken.has(child.given) && tries < 20; tries++) {
      child.given = child.minority ? this.rng.pick(child.minority.given[child.sex]) : GIVEN_TABLE[child.sex].pick(this.rng);
    }
    taken.add(child.given);
    child.fullName = child.middle === '' ? `${child.family} ${child.given}` : `${child.family} ${child.middle} ${child.given}`;
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
    const birth = twin ? twin.birth : spec.birthDay ?? this.todayDay - Math.floor((spec.age + rng.next()) * 365.2425);
    const minority = spec.minority ?? null;
    const [year, month, day] = civilFromDays(birth);
    const older = year < OLDER_GENERATION_BEFORE;
    const middleTable = sex === 'male' ? (older ? MIDDLE_TABLE.olderMale : MIDDLE_TABLE.male) : older ? MIDDLE_TABLE.olderFemale : MIDDLE_TABLE.female;
    const p: Person = {
      id: serialId('P', ++this.personCount),
      householdId,
      family: spec.family ?? (minority ? rng.pick(minority.families) : SURNAME_TABLE.pick(rng)),
      middle: twin && twin.sex === sex && rng.chance(0.5) ? twin.middle : minority ? rng.pick(minority.middle[sex]) : middleTable.pick(rng),
      given: minority ? rng.pick(minority.given[sex]) : GIVEN_TABLE[sex].pick(rng),
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
      guardian: null,
      minority,
    };
    for (let tries = 0; twin && p.given === twin.given && tries < 20; tries++) p.given = minority ? rng.pick(minority.given[sex]) : GIVEN_TABLE[sex].pick(rng);
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
    const last = this.mode === 'childhood' ? b + CHILDHOOD_PROGRAMME_LAST_DAY : Number.POSITIVE_INFINITY;
    const give = (vaccine: ChildVaccineCode, number: number, day: number) => {
      if (day <= last) this.give(p, out, vaccine, number, day);
    };
    give('HEPB-BIRTH', 1, b + (rng.chance(0.85) ? 0 : 1));
    give('BCG', 1, b + rng.int(0, 30));
    let d = b + 61 + rng.int(0, 21);
    for (let n = 1; n <= 3; n++) {
      give('DPT-VGB-HIB', n, d);
      give('OPV', n, d);
      d += rng.int(28, 42);
    }
    give('IPV', 1, b + 152 + rng.int(0, 30));
    give('MEASLES', 1, b + 274 + rng.int(0, 30));
    const je1 = b + 365 + rng.int(0, 60);
    const je2 = je1 + rng.int(7, 14);
    give('JE', 1, je1);
    give('JE', 2, je2);
    give('JE', 3, je2 + rng.int(365, 395));
    const booster = b + 548 + rng.int(0, 45);
    give('DPT', 4, booster);
    give('MR', 1, rng.chance(0.8) ? booster : booster + rng.int(1, 30));
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

export function toPublicPerson(p: Person): SynthPerson {
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


/** The true people (clean identities and injections) behind `generateRecords` with the same options. */
export function* generatePersons(options: SynthOptions): Generator<SynthPerson> {
  const { persons, seed, todayDay, mode } = resolveOptions(options);
  for (const household of new Population(seed, todayDay, mode).households(persons)) {
    for (const p of household) yield toPublicPerson(p);
  }
}
