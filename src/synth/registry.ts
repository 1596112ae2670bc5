/**
 * A population-registry extract for a synthetic sample, and the reconcile status each true person should get.
 *
 * `registry.csv` lists the same seeded people as records.csv (contract columns of
 * shared/contract/registry.md, English headers, Vietnamese-style values), with the scenarios below drawn per
 * person from the registry's own PRNG stream (`REGISTRY_STREAM`), so records.csv and truth.csv are the same
 * bytes with or without it.
 *
 * `registry-truth.csv` (`person_id,citizen_id,status,fields`) is the EXPECTED output of
 * `vaxsync reconcile`, defined as what a PERFECT deduplication would yield:
 * 1. take all the rows of one true person (person_id of truth.csv), clean each with `cleanRecord` (the
 *    generator's `today`), drop the quarantined ones (a person with none gets no truth row);
 * 2. build the golden record with `goldenRecord`, as the link stage does (invalid IDs left out, as
 *    `toMatchRecord` does);
 * 3. decide with the definitional rules of `expectedReconcile` below: a golden 12-digit CCCD is looked up
 *    in the registry (absent → not_found); without one, an identity search (same name key, same full birth
 *    date; exactly one candidate → use it, else no_id); then the name, birth date and sex are compared.
 * These rules are written here plainly, independently of matchers/ and src/reconcile/: they define the
 * answer, so they must not share that code's mistakes. A real dedupe merges or splits some people wrongly,
 * so its reconcile output may differ from this truth for those people; that gap is what an evaluation shows.
 *
 * `citizen_id` in the truth is the registry ID the person is checked against: the golden CCCD (also for
 * not_found), the ID the identity search found, or empty for no_id.
 */
import { toRegistryIdentity } from '../../connectors/registry/identity.js';
import { csvLine } from '../base/csv.js';
import { Random, WeightedTable } from '../base/random.js';
import type { RegistryIdentity, RegistryRawRow } from '../../connectors/registry/types.js';
import { civilFromDays, daysFromCivil } from '../base/civil-days.js';
import { normalizeName } from '../clean/name.js';
import { cleanRecord, type RawRecord } from '../clean/record.js';
import { goldenRecord, type GoldenSource } from '../link/golden.js';
import { GIVEN_NAMES_FEMALE, GIVEN_NAMES_MALE, MIDDLE_NAMES_FEMALE, MIDDLE_NAMES_MALE, SURNAMES } from './names.js';
import { DEFAULT_TODAY } from './rates.js';
import { CCCD_PROVINCE_CODES, COMMUNES } from './reference.js';
import type { SynthPerson, SynthRow, SynthTruth } from './types.js';

// =====================================================================================================
// Scenarios (per true person, exclusive, drawn in this order from one draw) and their parameters
// =====================================================================================================

/** PRNG stream of the registry (the population uses 1, the rows 2). */
export const REGISTRY_STREAM = 3;
/** Per true person: their true CCCD is not in the registry (never registered, or missed by the extract). */
export const REGISTRY_ABSENT_RATE = 0.02;
/** Per true person: present with their true identity, status deceased, a death date after their last vaccination. */
export const REGISTRY_DECEASED_RATE = 0.01;
/**
 * Per true person: under their true CCCD the registry holds someone else (a different full name from the
 * name lists, a birth year 15–40 years apart, same sex): a conflict whenever the golden CCCD is the true one.
 */
export const REGISTRY_OTHER_PERSON_RATE = 0.005;
export const OTHER_PERSON_YEARS_APART: readonly [number, number] = [15, 40];
// Everyone else (~96.5%): present with their true identity (name with tone marks, full birth date, sex), alive.

/**
 * Per true person, independently of the above: one more citizen in the registry who appears in no record
 * (the registry covers the whole population, not only the vaccinated). They are written after the others,
 * with a CCCD no true person has, and the same deceased rate.
 */
export const REGISTRY_UNRECORDED_RATE = 0.02;
/** Ages of those citizens, uniform in whole years [min, max]. */
export const UNRECORDED_AGE: readonly [number, number] = [0, 90];
/** Per registry row: the birth date is written `dd/mm/yyyy` (else `yyyy-mm-dd`). */
export const REGISTRY_BIRTH_DATE_DMY_RATE = 0.15;
/** Per unrecorded citizen: the CCCD prefix is the commune's province (as BIRTH_PROVINCE_LOCAL_RATE in rates.ts). */
export const UNRECORDED_LOCAL_PROVINCE_RATE = 0.85;

/** The earliest birth year the registry's other people get. */
const EARLIEST_BIRTH_YEAR = 1920;

// =====================================================================================================
// Public types
// =====================================================================================================

export const REGISTRY_COLUMNS = ['citizen_id', 'full_name', 'birth_date', 'sex', 'commune_code', 'status', 'death_date'] as const;
export const REGISTRY_TRUTH_COLUMNS = ['person_id', 'citizen_id', 'status', 'fields'] as const;

export type ReconcileStatus = 'verified' | 'corrected' | 'conflict' | 'not_found' | 'no_id' | 'deceased';
export const RECONCILE_STATUSES: readonly ReconcileStatus[] = ['verified', 'corrected', 'conflict', 'not_found', 'no_id', 'deceased'];

/** The identity fields compared with the registry, in the order `fields` lists them. */
export type IdentityField = 'full_name' | 'birth_date' | 'sex';
export const IDENTITY_FIELDS: readonly IdentityField[] = ['full_name', 'birth_date', 'sex'];

export type RegistryScenario = 'present' | 'absent' | 'deceased' | 'otherPerson' | 'unrecorded';

/** How a golden value compares with the registry's. */
export type Agreement = 'same' | 'correctable' | 'different';

/** The identity part of a person's golden record. */
export interface GoldenIdentity {
  readonly fullName: string | null;
  /** normalizeName(fullName).key */
  readonly nameKey: string | null;
  /** Partial ISO date. */
  readonly birthDate: string | null;
  readonly sex: 'male' | 'female' | null;
  /** The golden citizen ID: a CCCD, a CMND, or null. */
  readonly citizenId: string | null;
}

/** What the expected status needs from a registry. */
export interface RegistryLookup {
  byId(citizenId: string): RegistryIdentity | undefined;
  /** Citizen IDs of the entries with this name key and this full birth date (`yyyy-mm-dd`). */
  byNameAndBirthDate(nameKey: string, birthDate: string): readonly string[];
}

export interface ExpectedReconcile {
  readonly status: ReconcileStatus;
  /** The registry ID checked against, '' for no_id. */
  readonly citizenId: string;
  /** Fields whose golden value is not "same" as the registry's, in IDENTITY_FIELDS order. */
  readonly fields: readonly IdentityField[];
}

/** What `writeSynthFiles({ registry: true })` wrote. */
export interface RegistryFiles {
  registry: string;
  truth: string;
  /** Data rows of registry.csv. */
  rows: number;
  /** True people per scenario; `unrecorded` counts the extra citizens. */
  scenarios: Record<RegistryScenario, number>;
  /** Rows of registry-truth.csv per expected status. */
  statuses: Record<ReconcileStatus, number>;
}

// =====================================================================================================
// The golden identity of a person's rows (cleaned as the import does, combined as the link stage does)
// =====================================================================================================

/**
 * A row as the link stage sees it (cleanRecord, then toMatchRecord's rule that an invalid ID is no
 * identifier); null when the row is quarantined. Phone, commune and address stay null: goldenRecord chooses
 * each field on its own, so they change none of the identity fields.
 */
export function goldenSourceOf(raw: RawRecord, today: string): GoldenSource | null {
  const { values, quarantineReason } = cleanRecord(raw, { today });
  if (quarantineReason !== null) return null;
  const invalidId = values.citizen_id_kind === 'invalid';
  return {
    nameKey: values.name_key,
    nameFull: values.full_name,
    birthDate: values.birth_date,
    sex: values.sex,
    citizenId: invalidId ? null : values.citizen_id,
    citizenIdKind: values.citizen_id_kind === 'invalid' ? null : values.citizen_id_kind,
    phone: null,
    commune: null,
    address: null,
  };
}

/** The golden identity of one person's usable rows (in file order: ties go to the earliest row); null without any. */
export function goldenIdentityOf(sources: readonly GoldenSource[]): GoldenIdentity | null {
  if (sources.length === 0) return null;
  const { values } = goldenRecord(sources);
  const fullName = values.full_name;
  return {
    fullName,
    nameKey: fullName === null ? null : (normalizeName(fullName).value?.key ?? null),
    birthDate: values.birth_date,
    sex: values.sex as GoldenIdentity['sex'],
    citizenId: values.citizen_id,
  };
}

/** `goldenSourceOf` then `goldenIdentityOf`: one person's raw rows → their golden identity. */
export function goldenIdentity(rows: readonly RawRecord[], today: string = DEFAULT_TODAY): GoldenIdentity | null {
  const sources: GoldenSource[] = [];
  for (const row of rows) {
    const source = goldenSourceOf(row, today);
    if (source !== null) sources.push(source);
  }
  return goldenIdentityOf(sources);
}

// =====================================================================================================
// The definitional rules
// =====================================================================================================

/** Edit distance with adjacent transpositions (optimal string alignment). Names are short: a plain table. */
export function osaDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/** Same length, and one substituted character or two adjacent characters swapped. */
function oneSlipApart(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  const diffs: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diffs.push(i);
  if (diffs.length === 1) return true;
  const [i, j] = diffs as [number, number];
  return diffs.length === 2 && j === i + 1 && a[i] === b[j] && a[j] === b[i];
}

/** Family names that are one name spelled the northern and the southern way (DOMAIN.md §2.2), as keys. */
const REGIONAL_FAMILY_VARIANTS: readonly (readonly [string, string])[] = [
  ['hoang', 'huynh'],
  ['vu', 'vo'],
];

function familyNamesClose(a: string, b: string): boolean {
  if (a === b || osaDistance(a, b) <= 1) return true;
  return REGIONAL_FAMILY_VARIANTS.some(([x, y]) => (a === x && b === y) || (a === y && b === x));
}

/** `short` is `long` with some of its words left out (order kept). */
function isSubsequence(short: readonly string[], long: readonly string[]): boolean {
  let at = 0;
  for (const word of long) if (at < short.length && short[at] === word) at++;
  return at === short.length;
}

/** Every word of `short` is in `long`, each word of `long` used once. */
function wordsContained(short: readonly string[], long: readonly string[]): boolean {
  const left = [...long];
  for (const word of short) {
    const at = left.indexOf(word);
    if (at < 0) return false;
    left.splice(at, 1);
  }
  return true;
}

const sortedKey = (words: readonly string[]): string => [...words].sort().join(' ');

/**
 * Name agreement. `same`: equal after NFC and lower-casing. `correctable` when the diacritic-free keys say the
 * registry's name is ours as data entry damages it: equal keys; keys (or their sorted words) within two
 * edits; the same words in another order; same family and given name with middle name(s) left out on one
 * side; the same given name with regional-variant (Hoàng/Huỳnh, Vũ/Võ) or one-edit family names; or one
 * name's words all within the other's. `different` otherwise. A missing name on either side is `same`.
 */
export function compareNames(
  ours: { readonly full: string | null; readonly key: string | null },
  registry: { readonly full: string | null; readonly key: string | null },
): Agreement {
  if (ours.full === null || registry.full === null || ours.key === null || registry.key === null) return 'same';
  if (ours.full.normalize('NFC').toLowerCase() === registry.full.normalize('NFC').toLowerCase()) return 'same';
  if (ours.key === registry.key) return 'correctable';
  const a = ours.key.split(' ');
  const b = registry.key.split(' ');
  if (sortedKey(a) === sortedKey(b)) return 'correctable';
  if (osaDistance(ours.key, registry.key) <= 2 || osaDistance(sortedKey(a), sortedKey(b)) <= 2) return 'correctable';
  if (a.length >= 2 && b.length >= 2 && a[0] === b[0] && a.at(-1) === b.at(-1)) {
    const [short, long] = a.length < b.length ? [a, b] : [b, a];
    if (short.length < long.length && isSubsequence(short.slice(1, -1), long.slice(1, -1))) return 'correctable';
  }
  if (a.length >= 2 && b.length >= 2 && a.at(-1) === b.at(-1) && familyNamesClose(a[0]!, b[0]!)) return 'correctable';
  if (a.length <= b.length ? wordsContained(a, b) : wordsContained(b, a)) return 'correctable';
  return 'different';
}

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Birth-date agreement on partial ISO dates. `same`: equal, or the registry's is coarser and agrees (we never
 * degrade a date). `correctable`: ours is coarser and agrees; day and month swapped; the yyyymmdd digits one
 * substitution or adjacent transposition apart (only the years when either date is coarser); the same year.
 * `different`: the years differ beyond one digit slip. A missing date on either side is `same`.
 */
export function compareBirthDates(ours: string | null, registry: string | null): Agreement {
  if (ours === null || registry === null || ours === registry) return 'same';
  if (ours.startsWith(`${registry}-`)) return 'same';
  if (registry.startsWith(`${ours}-`)) return 'correctable';
  const [oursYear, registryYear] = [ours.slice(0, 4), registry.slice(0, 4)];
  if (FULL_DATE.test(ours) && FULL_DATE.test(registry)) {
    const swapped = oursYear === registryYear && ours.slice(5, 7) === registry.slice(8, 10) && ours.slice(8, 10) === registry.slice(5, 7);
    if (swapped || oneSlipApart(ours.replace(/-/g, ''), registry.replace(/-/g, ''))) return 'correctable';
  } else if (oneSlipApart(oursYear, registryYear)) {
    return 'correctable';
  }
  return oursYear === registryYear ? 'correctable' : 'different';
}

/** Sex agreement: a sex we lack (or the registry lacks) is `same`; a different one is a typing slip. */
export function compareSex(ours: 'male' | 'female' | null, registry: 'male' | 'female' | null): Agreement {
  return ours === null || registry === null || ours === registry ? 'same' : 'correctable';
}

/** The reconcile status a perfect deduplication would give a person with this golden identity. */
export function expectedReconcile(golden: GoldenIdentity, registry: RegistryLookup): ExpectedReconcile {
  let entry: RegistryIdentity | undefined;
  if (golden.citizenId !== null && /^\d{12}$/.test(golden.citizenId)) {
    entry = registry.byId(golden.citizenId);
    if (entry === undefined) return { status: 'not_found', citizenId: golden.citizenId, fields: [] };
  } else {
    // Without a CCCD (none, or a CMND only) the registry is searched by identity; a year-only or
    // year-month birth date cannot search, and two candidates are as good as none.
    const canSearch = golden.nameKey !== null && golden.birthDate !== null && FULL_DATE.test(golden.birthDate);
    const found = canSearch ? registry.byNameAndBirthDate(golden.nameKey!, golden.birthDate!) : [];
    entry = found.length === 1 ? registry.byId(found[0]!) : undefined;
    if (entry === undefined) return { status: 'no_id', citizenId: '', fields: [] };
  }
  const agreement: Record<IdentityField, Agreement> = {
    full_name: compareNames({ full: golden.fullName, key: golden.nameKey }, { full: entry.fullName, key: entry.nameKey }),
    birth_date: compareBirthDates(golden.birthDate, entry.birthDate),
    sex: compareSex(golden.sex, entry.sex),
  };
  const fields = IDENTITY_FIELDS.filter((f) => agreement[f] !== 'same');
  let status: ReconcileStatus;
  if (entry.status === 'deceased') status = 'deceased';
  else if (agreement.full_name === 'different' || agreement.birth_date === 'different') status = 'conflict';
  else status = fields.length > 0 ? 'corrected' : 'verified';
  return { status, citizenId: entry.citizenId, fields };
}

// =====================================================================================================
// Writing the registry
// =====================================================================================================

/** One registry row before it is written. */
interface Citizen {
  readonly citizenId: string;
  readonly fullName: string;
  readonly sex: 'male' | 'female';
  /** Day number of the birth date. */
  readonly birth: number;
  readonly communeCode: string;
  /** Day number of the death, or null for the living. */
  readonly death: number | null;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function isoOfDay(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

function dmyOfDay(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${pad2(d)}/${pad2(m)}/${y}`;
}

function dayOfIso(iso: string): number {
  return daysFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}

/** The registry row's text, as an extract holds it. */
function rawRowOf(c: Citizen, dmyBirthDate: boolean): RegistryRawRow {
  return {
    citizen_id: c.citizenId,
    full_name: c.fullName,
    birth_date: dmyBirthDate ? dmyOfDay(c.birth) : isoOfDay(c.birth),
    sex: c.sex === 'male' ? 'Nam' : 'Nữ',
    commune_code: c.communeCode,
    status: c.death === null ? 'alive' : 'deceased',
    death_date: c.death === null ? '' : isoOfDay(c.death),
  };
}

const SURNAME_TABLE = new WeightedTable(SURNAMES);
const MIDDLE_TABLE = { male: new WeightedTable(MIDDLE_NAMES_MALE), female: new WeightedTable(MIDDLE_NAMES_FEMALE) };
const GIVEN_TABLE = { male: new WeightedTable(GIVEN_NAMES_MALE), female: new WeightedTable(GIVEN_NAMES_FEMALE) };

function randomFullName(sex: 'male' | 'female', rng: Random): string {
  return [SURNAME_TABLE.pick(rng), MIDDLE_TABLE[sex].pick(rng), GIVEN_TABLE[sex].pick(rng)].filter((w) => w !== '').join(' ');
}

function nameForms(full: string): { full: string; key: string } {
  return { full, key: normalizeName(full).value?.key ?? full };
}

/** A birth year 15–40 years from `year` whose digits are not one slip from it, not after `latest`. */
function distantBirthYear(year: number, latest: number, rng: Random): number {
  const [min, max] = OTHER_PERSON_YEARS_APART;
  for (;;) {
    const gap = rng.int(min, max);
    const earlier = year - gap >= EARLIEST_BIRTH_YEAR;
    const later = year + gap <= latest;
    if (!earlier && !later) continue;
    const candidate = earlier && (!later || rng.chance(0.5)) ? year - gap : year + gap;
    if (!oneSlipApart(String(candidate), String(year))) return candidate;
  }
}

const emptyCounts = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

const SCENARIOS: readonly RegistryScenario[] = ['present', 'absent', 'deceased', 'otherPerson', 'unrecorded'];

/**
 * Builds the registry of one synthetic sample block by block, then its truth. No I/O: `writeSynthFiles`
 * writes the lines. Memory: one block's cleaned rows at a time, plus, per person, the registry entry (for
 * lookups) and the golden identity (decided at the end, once every registry row, unrecorded citizens
 * included, is known: a golden ID or an identity search may hit anyone).
 */
export class SynthRegistry implements RegistryLookup {
  readonly header = csvLine(REGISTRY_COLUMNS);
  readonly truthHeader = REGISTRY_TRUTH_COLUMNS.join(',');
  private readonly rng: Random;
  private readonly today: string;
  private readonly todayDay: number;
  private readonly entries = new Map<string, RegistryIdentity>();
  private readonly byIdentity = new Map<string, string[]>();
  /** True CCCDs left out of the registry: an unrecorded citizen must not take one. */
  private readonly absentIds = new Set<string>();
  private readonly goldens: { readonly personId: string; readonly golden: GoldenIdentity }[] = [];
  private unrecordedOwed = 0;
  private rows = 0;
  private readonly scenarios = emptyCounts(SCENARIOS);
  private readonly statuses = emptyCounts(RECONCILE_STATUSES);

  constructor(options: { readonly seed: number; readonly today?: string }) {
    this.rng = new Random(options.seed, REGISTRY_STREAM);
    this.today = options.today ?? DEFAULT_TODAY;
    this.todayDay = dayOfIso(this.today);
  }

  byId(citizenId: string): RegistryIdentity | undefined {
    return this.entries.get(citizenId);
  }

  byNameAndBirthDate(nameKey: string, birthDate: string): readonly string[] {
    return this.byIdentity.get(`${nameKey}|${birthDate}`) ?? [];
  }

  /**
   * One generator block: its true people in order and all their rows. Returns the registry.csv lines of
   * those people and keeps each one's golden identity for `truthLines`.
   */
  addBlock(persons: readonly SynthPerson[], items: readonly { readonly row: SynthRow; readonly truth: SynthTruth }[]): string[] {
    const lines: string[] = [];
    for (const p of persons) {
      const citizen = this.citizenOf(p);
      if (citizen !== null) lines.push(this.register(citizen));
    }
    // File order within the block is the order the link stage reads a person's rows in.
    const sources = new Map<string, GoldenSource[]>();
    for (const { row, truth } of items) {
      const source = goldenSourceOf(row, this.today);
      if (source === null) continue;
      const list = sources.get(truth.person_id);
      if (list) list.push(source);
      else sources.set(truth.person_id, [source]);
    }
    for (const p of persons) {
      const golden = goldenIdentityOf(sources.get(p.person_id) ?? []);
      if (golden !== null) this.goldens.push({ personId: p.person_id, golden });
    }
    return lines;
  }

  /** The citizens who appear in no record; call once, after the last block. */
  unrecordedLines(): string[] {
    const lines: string[] = [];
    for (; this.unrecordedOwed > 0; this.unrecordedOwed--) lines.push(this.register(this.unrecordedCitizen()));
    return lines;
  }

  /** registry-truth.csv data lines in person order; call after `unrecordedLines`. */
  *truthLines(): Generator<string> {
    for (const { personId, golden } of this.goldens) {
      const expected = expectedReconcile(golden, this);
      this.statuses[expected.status]++;
      yield `${personId},${expected.citizenId},${expected.status},${expected.fields.join(';')}`;
    }
  }

  summary(): Pick<RegistryFiles, 'rows' | 'scenarios' | 'statuses'> {
    return { rows: this.rows, scenarios: { ...this.scenarios }, statuses: { ...this.statuses } };
  }

  /** Draws the person's scenario; their registry row, or null when absent. */
  private citizenOf(p: SynthPerson): Citizen | null {
    const rng = this.rng;
    const draw = rng.next();
    if (rng.chance(REGISTRY_UNRECORDED_RATE)) this.unrecordedOwed++;
    const truth: Citizen = {
      citizenId: p.citizen_id,
      fullName: p.full_name,
      sex: p.sex,
      birth: dayOfIso(p.birth_date),
      communeCode: p.commune_code,
      death: null,
    };
    let t = REGISTRY_ABSENT_RATE;
    if (draw < t) {
      this.scenarios.absent++;
      this.absentIds.add(p.citizen_id);
      return null;
    }
    if (draw < (t += REGISTRY_DECEASED_RATE)) {
      this.scenarios.deceased++;
      return { ...truth, death: this.deathAfter(lastEventDay(p, truth.birth)) };
    }
    if (draw < t + REGISTRY_OTHER_PERSON_RATE) {
      this.scenarios.otherPerson++;
      return this.otherPerson(truth);
    }
    this.scenarios.present++;
    return truth;
  }

  /** Someone else under `truth`'s CCCD: same sex, a name and a birth date that cannot pass for theirs. */
  private otherPerson(truth: Citizen): Citizen {
    const rng = this.rng;
    const ours = nameForms(truth.fullName);
    let fullName = randomFullName(truth.sex, rng);
    while (compareNames(ours, nameForms(fullName)) !== 'different') fullName = randomFullName(truth.sex, rng);
    const [year] = civilFromDays(truth.birth);
    const [todayYear] = civilFromDays(this.todayDay);
    const otherYear = distantBirthYear(year, todayYear - 1, rng);
    const birth = daysFromCivil(otherYear, 1, 1) + rng.int(0, 364);
    return { ...truth, fullName, birth };
  }

  /** A death day after `day` and not after today (the day after, when `day` is today). */
  private deathAfter(day: number): number {
    return day + 1 >= this.todayDay ? day + 1 : this.rng.int(day + 1, this.todayDay);
  }

  private unrecordedCitizen(): Citizen {
    const rng = this.rng;
    this.scenarios.unrecorded++;
    const sex = rng.chance(0.5) ? 'male' : 'female';
    const [minAge, maxAge] = UNRECORDED_AGE;
    const birth = this.todayDay - Math.floor((rng.int(minAge, maxAge) + rng.next()) * 365.2425);
    const commune = rng.pick(COMMUNES);
    const province = rng.chance(UNRECORDED_LOCAL_PROVINCE_RATE) ? commune.province.cccd : rng.pick(CCCD_PROVINCE_CODES);
    const [year] = civilFromDays(birth);
    // Century-and-sex digit and birth year as in population.ts (DOMAIN §1.2), then a serial nobody holds.
    const prefix = `${province}${2 * Math.floor((year - 1900) / 100) + (sex === 'female' ? 1 : 0)}${pad2(year % 100)}`;
    let citizenId = prefix + rng.digits(6);
    while (this.entries.has(citizenId) || this.absentIds.has(citizenId)) citizenId = prefix + rng.digits(6);
    const citizen: Citizen = { citizenId, fullName: randomFullName(sex, rng), sex, birth, communeCode: commune.code, death: null };
    return rng.chance(REGISTRY_DECEASED_RATE) ? { ...citizen, death: this.deathAfter(birth) } : citizen;
  }

  /** Writes the row's text, and indexes it as a connector would read it back (toRegistryIdentity). */
  private register(citizen: Citizen): string {
    const raw = rawRowOf(citizen, this.rng.chance(REGISTRY_BIRTH_DATE_DMY_RATE));
    const identity = toRegistryIdentity(raw);
    this.entries.set(identity.citizenId, identity);
    if (identity.nameKey !== null && identity.birthDate !== null) {
      const key = `${identity.nameKey}|${identity.birthDate}`;
      const ids = this.byIdentity.get(key);
      if (ids) ids.push(identity.citizenId);
      else this.byIdentity.set(key, [identity.citizenId]);
    }
    this.rows++;
    return csvLine(REGISTRY_COLUMNS.map((column) => raw[column] ?? ''));
  }
}

/** The person's last vaccination day, or their birth day when they have none. */
function lastEventDay(p: SynthPerson, birth: number): number {
  let last = '';
  for (const dose of p.doses) if (dose.date > last) last = dose.date;
  return last === '' ? birth : dayOfIso(last);
}
