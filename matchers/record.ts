/**
 * The record the matching engine works on, and the features derived from it once so that millions of
 * pair comparisons never re-split a name or re-parse a date.
 *
 * Input is already cleaned upstream (src/clean): names are NFC with one tone-mark convention, IDs are
 * digits with a kind, dates are partial ISO at the precision they were given. The engine never re-cleans;
 * it only derives.
 */
import { daysFromCivil } from '../src/base/civil-days.js';
import { asciiKey } from '../src/base/text.js';
import { idStatus, type IdStatus } from './citizen-id.js';

export interface MatchRecord {
  /** Dense index 0..n-1: the engine's arrays are indexed by it. */
  readonly id: number;
  /** Lower-case diacritic-free full name, single spaces (`nguyen thi thuy`). */
  readonly nameKey: string | null;
  /** NFC display form with tone marks (`Nguyễn Thị Thủy`), same word order as nameKey. */
  readonly nameFull: string | null;
  /** Partial ISO date: `yyyy` | `yyyy-mm` | `yyyy-mm-dd`. */
  readonly birthDate: string | null;
  readonly sex: 'male' | 'female' | null;
  /** Digits (or the text as written, for an identifier of another kind). */
  readonly citizenId: string | null;
  /**
   * `other`: neither a CCCD nor a CMND (a passport, a health-insurance or birth-certificate number, a
   * foreign data set's identifier, a CCCD with a digit missing): matched on as written, with its own
   * levels and weights, never trusted to veto.
   */
  readonly citizenIdKind: 'cccd' | 'cmnd' | 'other' | null;
  /** Canonical 10/11 digits. */
  readonly phone: string | null;
  /** Current commune code. */
  readonly commune: string | null;
  /** Free text (village, street). */
  readonly address: string | null;
  /**
   * Lower-case diacritic-free name of the mother or guardian (childhood records), like nameKey; for a
   * newborn's pre-naming row, the name its placeholder holds (`Con bà Nguyễn Thị Lan`). Absent: none.
   */
  readonly guardianKey?: string | null;
  /**
   * The row's name is a pre-naming placeholder (`Con bà …`, `Bé gái`): the child has no name of its own
   * there, so nameKey is null and the row is compared on birth date, sex, guardian, phone and village.
   */
  readonly preNaming?: boolean;
}

/** A MatchRecord plus the derived features the comparisons, blocking rules and hard rules read. */
export interface PreparedRecord extends MatchRecord {
  readonly prepared: true;
  /** nameFull lower-cased (NFC): "exact with diacritics" ignores only letter case. */
  readonly nameLower: string | null;
  readonly tokens: readonly string[];
  /**
   * Vietnamese order: family name first, given name last, middle names between. A one-word name has a
   * family name only (it cannot be told apart from a lone given name, so it is never used as one).
   */
  readonly family: string | null;
  readonly middle: readonly string[];
  readonly given: string | null;
  /** Family name with the regional spellings of one surname folded (huynh → hoang, vo → vu): for blocking only. */
  readonly familyGroup: string | null;
  /** Name tokens sorted: equal when only the word order differs (family/given swapped in a form). */
  readonly sortedKey: string | null;
  readonly birthYear: number | null;
  readonly birthMonth: number | null;
  readonly birthDay: number | null;
  /** `yyyymmdd` when the birth date is known to the day, else null. */
  readonly birthDigits: string | null;
  /** Days since 1970-01-01 when the birth date is known to the day, else null: how far apart two dates are. */
  readonly birthDayNumber: number | null;
  readonly idStatus: IdStatus | null;
  /** Address tokens, sorted and distinct, for the token-set Jaccard. */
  readonly addressTokens: readonly string[];
  readonly guardianKey: string | null;
  /** Guardian name words, in order (the last is the given name). */
  readonly guardianTokens: readonly string[];
  /** The guardian's given name (last word); a one-word guardian (`Con của Lan`) is a given name only. */
  readonly guardianGiven: string | null;
  readonly preNaming: boolean;
}

/**
 * Hoàng/Huỳnh and Vũ/Võ are one surname split by region (North/South; DOMAIN.md §2.2): a person's legal
 * name uses exactly one, so they are a *fuzzy* agreement in the comparisons, but they must land in the
 * same block or the comparison never sees them.
 */
const FAMILY_VARIANTS: ReadonlyMap<string, string> = new Map([
  ['huynh', 'hoang'],
  ['vo', 'vu'],
]);

export function familyGroupOf(family: string): string {
  return FAMILY_VARIANTS.get(family) ?? family;
}

export function isRegionalVariant(a: string, b: string): boolean {
  return a !== b && familyGroupOf(a) === familyGroupOf(b);
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const UNTIDY_SPACE = /^\s|\s$|\s\s|[^\S ]/;

/** Trimmed, single ASCII spaces. Input is already like this from cleaning, so the test usually skips the rewrite. */
function singleSpaced(s: string): string {
  return UNTIDY_SPACE.test(s) ? s.replace(/\s+/g, ' ').trim() : s;
}

/** Past this many distinct values of a field, a RecordTable stops looking new values up (each is a new part). */
const MAX_SHARED = 4_000_000;

/**
 * A name's middle names (the words between the first and the last): one array per distinct middle name
 * in a table, where each distinct name held its own (a province's names have a few hundred middle names).
 */
type Middles = (tokens: readonly string[]) => readonly string[];

const NO_TOKENS: readonly string[] = [];

/** A record prepared alone shares nothing. */
const ownMiddle: Middles = (tokens) => (tokens.length >= 3 ? tokens.slice(1, -1) : NO_TOKENS);

/**
 * Middle names shared, as a field's distinct parts are (Parts). (The words themselves were shared too, once:
 * that took another ~35 MiB from the 10M's records, but comparing was 10–15% slower in processes of their
 * own, though not in one process holding both kinds of table; not understood, not kept.)
 */
function sharedMiddles(maxShared: number): Middles {
  const middles = new Parts<readonly string[]>(NO_TOKENS, (key) => key.split(' '), maxShared);
  return (tokens) => (tokens.length < 3 ? NO_TOKENS : middles.at(middles.indexOf(tokens.slice(1, -1).join(' '))));
}

/** What a prepared record derives from its name key (`key`: the key single-spaced, null when empty). */
type NameParts = { readonly key: string | null } & Pick<PreparedRecord, 'tokens' | 'family' | 'middle' | 'given' | 'familyGroup' | 'sortedKey'>;

const NO_NAME: NameParts = { key: null, tokens: [], family: null, middle: [], given: null, familyGroup: null, sortedKey: null };

function namePartsOf(nameKey: string, middleOf: Middles): NameParts {
  const key = singleSpaced(nameKey) || null;
  if (key === null) return NO_NAME;
  const tokens = key.split(' ');
  const family = tokens[0]!;
  return {
    key,
    tokens,
    family,
    middle: middleOf(tokens),
    given: tokens.length >= 2 ? tokens[tokens.length - 1]! : null,
    familyGroup: familyGroupOf(family),
    sortedKey: [...tokens].sort().join(' '),
  };
}

interface FullNameParts {
  readonly full: string | null;
  readonly lower: string | null;
}

const NO_FULL_NAME: FullNameParts = { full: null, lower: null };

const fullNamePartsOf = (full: string): FullNameParts => ({ full, lower: singleSpaced(full.normalize('NFC').toLowerCase()) || null });

interface BirthParts {
  readonly date: string | null;
  readonly year: number | null;
  readonly month: number | null;
  readonly day: number | null;
  readonly digits: string | null;
  readonly dayNumber: number | null;
}

const NO_BIRTH: BirthParts = { date: null, year: null, month: null, day: null, digits: null, dayNumber: null };

function birthPartsOf(date: string): BirthParts {
  const m = DATE.exec(date);
  const year = m ? Number(m[1]) : null;
  const month = m?.[2] ? Number(m[2]) : null;
  const day = m?.[3] && month !== null ? Number(m[3]) : null;
  return {
    date,
    year,
    month,
    day,
    digits: day !== null && m ? `${m[1]}${m[2]}${m[3]}` : null,
    dayNumber: day !== null ? daysFromCivil(year!, month!, day) : null,
  };
}

interface GuardianParts {
  readonly key: string | null;
  readonly tokens: readonly string[];
  readonly given: string | null;
}

const NO_GUARDIAN: GuardianParts = { key: null, tokens: [], given: null };

function guardianPartsOf(guardianKey: string): GuardianParts {
  const key = singleSpaced(guardianKey) || null;
  if (key === null) return NO_GUARDIAN;
  const tokens = key.split(' ');
  return { key, tokens, given: tokens[tokens.length - 1]! };
}

interface AddressParts {
  readonly text: string | null;
  readonly tokens: readonly string[];
}

const NO_ADDRESS: AddressParts = { text: null, tokens: NO_TOKENS };

// Folded like the name key, so `Thôn 3` and `thon 3` share their tokens.
const addressPartsOf = (text: string): AddressParts => ({ text, tokens: text ? [...new Set(asciiKey(text).split(' ').filter(Boolean))].sort() : NO_TOKENS });

// The small enumerations of a record packed into one small integer, two bits each (0: null) and one for preNaming.
const SEXES = [null, 'male', 'female'] as const;
const ID_KINDS = [null, 'cccd', 'cmnd', 'other'] as const;
const ID_STATUSES = [null, 'reliable', 'contradicts', 'unchecked'] as const;
const codeOf = <T>(values: readonly T[], value: T | undefined): number => {
  const code = values.indexOf(value ?? (null as T));
  if (code < 0) throw new Error(`not a MatchRecord value: ${String(value)}`);
  return code;
};

/** sex | citizenIdKind << 2 | idStatus << 4 | preNaming << 6 */
function codesOf(r: MatchRecord, birthYear: number | null): number {
  return (
    codeOf(SEXES, r.sex) |
    (codeOf(ID_KINDS, r.citizenIdKind) << 2) |
    (codeOf(ID_STATUSES, idStatus(r.citizenId, r.citizenIdKind, birthYear)) << 4) |
    (r.preNaming === true ? 64 : 0)
  );
}

/**
 * A prepared record's features, read from the parts it shares with other records (a name's words, a birth
 * date's parts, a guardian's) and its packed enumerations. Two kinds of record: one alone (CompactRecord,
 * holding its parts) and one of a RecordTable (TableRecord, a view of the table's columns).
 */
abstract class PreparedFeatures implements PreparedRecord {
  abstract readonly id: number;
  protected abstract get nameParts(): NameParts;
  protected abstract get fullNameParts(): FullNameParts;
  protected abstract get birthParts(): BirthParts;
  protected abstract get addressParts(): AddressParts;
  protected abstract get guardianParts(): GuardianParts;
  protected abstract get codes(): number;
  abstract get citizenId(): string | null;
  abstract get phone(): string | null;
  abstract get commune(): string | null;

  get prepared(): true {
    return true;
  }
  get nameKey() {
    return this.nameParts.key;
  }
  get nameFull() {
    return this.fullNameParts.full;
  }
  get nameLower() {
    return this.fullNameParts.lower;
  }
  get tokens() {
    return this.nameParts.tokens;
  }
  get family() {
    return this.nameParts.family;
  }
  get middle() {
    return this.nameParts.middle;
  }
  get given() {
    return this.nameParts.given;
  }
  get familyGroup() {
    return this.nameParts.familyGroup;
  }
  get sortedKey() {
    return this.nameParts.sortedKey;
  }
  get birthDate() {
    return this.birthParts.date;
  }
  get birthYear() {
    return this.birthParts.year;
  }
  get birthMonth() {
    return this.birthParts.month;
  }
  get birthDay() {
    return this.birthParts.day;
  }
  get birthDigits() {
    return this.birthParts.digits;
  }
  get birthDayNumber() {
    return this.birthParts.dayNumber;
  }
  get address() {
    return this.addressParts.text;
  }
  get addressTokens() {
    return this.addressParts.tokens;
  }
  get sex() {
    return SEXES[this.codes & 3] ?? null;
  }
  get citizenIdKind() {
    return ID_KINDS[(this.codes >> 2) & 3] ?? null;
  }
  get idStatus() {
    return ID_STATUSES[(this.codes >> 4) & 3] ?? null;
  }
  get preNaming() {
    return (this.codes & 64) !== 0;
  }
  get guardianKey() {
    return this.guardianParts.key;
  }
  get guardianTokens() {
    return this.guardianParts.tokens;
  }
  get guardianGiven() {
    return this.guardianParts.given;
  }
}

/** A record prepared alone (a pair scored on its own, a registry comparison): it holds its own parts. */
class CompactRecord extends PreparedFeatures {
  constructor(
    readonly id: number,
    protected readonly nameParts: NameParts,
    protected readonly fullNameParts: FullNameParts,
    protected readonly birthParts: BirthParts,
    readonly citizenId: string | null,
    readonly phone: string | null,
    readonly commune: string | null,
    protected readonly addressParts: AddressParts,
    protected readonly guardianParts: GuardianParts,
    protected readonly codes: number,
  ) {
    super();
  }
}

const nameOf = (key: string | null) => (key === null ? NO_NAME : namePartsOf(key, ownMiddle));
const fullNameOf = (full: string | null) => (full === null ? NO_FULL_NAME : fullNamePartsOf(full));
const birthOf = (date: string | null) => (date === null ? NO_BIRTH : birthPartsOf(date));
const addressOf = (text: string | null) => (text === null ? NO_ADDRESS : addressPartsOf(text));
const guardianOf = (key: string | null | undefined) => (key ? guardianPartsOf(key) : NO_GUARDIAN);

/** A record's features, derived once (a record already prepared is returned as it is). */
export function prepareRecord(r: MatchRecord): PreparedRecord {
  if (r instanceof PreparedFeatures) return r;
  const birth = birthOf(r.birthDate);
  return new CompactRecord(r.id, nameOf(r.nameKey), fullNameOf(r.nameFull), birth, r.citizenId, r.phone, r.commune, addressOf(r.address), guardianOf(r.guardianKey), codesOf(r, birth.year));
}

/**
 * The records of a run, by id (0..length-1): a RecordTable, or for a few records an array of prepared ones.
 * `at` may return a new object on every call (a table's view), so a record is told by its id, not its identity.
 */
export interface RecordList extends Iterable<PreparedRecord> {
  readonly length: number;
  at(id: number): PreparedRecord | undefined;
}

// A RecordTable's fields: each record's nine numbers side by side (a record's comparisons read most of them,
// and its pairs come in no order: one or two cache lines a record, where a column each would be nine).
const NAME = 0;
const FULL_NAME = 1;
const BIRTH = 2;
const CITIZEN_ID = 3;
const PHONE = 4;
const COMMUNE = 5;
const ADDRESS = 6;
const GUARDIAN = 7;
const CODES = 8;
const STRIDE = 9;

/** A RecordTable's storage: per record an index into each field's distinct parts (0: none) and its codes. */
interface Columns {
  /** STRIDE numbers a record. */
  readonly fields: Int32Array;
  readonly names: readonly NameParts[];
  readonly fullNames: readonly FullNameParts[];
  readonly births: readonly BirthParts[];
  /** IDs, phones and communes: one string per distinct value; index 0 is null. */
  readonly texts: readonly (string | null)[];
  readonly addresses: readonly AddressParts[];
  readonly guardians: readonly GuardianParts[];
}

/** A record of a RecordTable: its id and the table, every feature read from the table's fields. */
class TableRecord extends PreparedFeatures {
  private readonly at: number;
  constructor(
    private readonly columns: Columns,
    readonly id: number,
  ) {
    super();
    this.at = id * STRIDE;
  }
  protected get nameParts() {
    return this.columns.names[this.columns.fields[this.at + NAME]!]!;
  }
  protected get fullNameParts() {
    return this.columns.fullNames[this.columns.fields[this.at + FULL_NAME]!]!;
  }
  protected get birthParts() {
    return this.columns.births[this.columns.fields[this.at + BIRTH]!]!;
  }
  protected get addressParts() {
    return this.columns.addresses[this.columns.fields[this.at + ADDRESS]!]!;
  }
  protected get guardianParts() {
    return this.columns.guardians[this.columns.fields[this.at + GUARDIAN]!]!;
  }
  protected get codes() {
    return this.columns.fields[this.at + CODES]!;
  }
  get citizenId() {
    return this.columns.texts[this.columns.fields[this.at + CITIZEN_ID]!]!;
  }
  get phone() {
    return this.columns.texts[this.columns.fields[this.at + PHONE]!]!;
  }
  get commune() {
    return this.columns.texts[this.columns.fields[this.at + COMMUNE]!]!;
  }
}

/** RecordTable.nameGroups: per name part, its first record (-1: none) and how many records hold it; a record's part. */
export interface NameGroups {
  readonly first: Int32Array;
  readonly count: Int32Array;
  readonly partOf: (id: number) => number;
}

/**
 * Prepared records held in one typed array: per record, eight 4-byte indexes into each field's distinct
 * parts and its codes (36 bytes), where a record object took 112 bytes (11 fields and its header) and 8
 * in each array holding it. What records repeat (a person's name, ID, phone and birth date; a village's address; a
 * province's given names and dates) is derived once and shared. `at(id)` returns a view, made on each call.
 */
export class RecordTable implements RecordList {
  private constructor(
    private readonly columns: Columns,
    readonly length: number,
  ) {}

  /** @internal RecordTableBuilder's result. */
  static of(columns: Columns, length: number): RecordTable {
    return new RecordTable(columns, length);
  }

  at(id: number): PreparedRecord | undefined {
    return id >= 0 && id < this.length ? new TableRecord(this.columns, id) : undefined;
  }

  /**
   * The records grouped by their name as the table holds it: one part per distinct name key as given (part
   * 0: none), numbered in the order first met. What reads only a record's name (its term frequencies) is
   * worked out once a part, from its first record, rather than once a record: at 3M records, 244,298
   * parts. One name may have several parts (`an  b` and `an b`, or `` and ` `, and any name past
   * MAX_SHARED distinct ones), so what is keyed by the name itself must still merge them.
   */
  nameGroups(): NameGroups {
    const first = new Int32Array(this.columns.names.length).fill(-1);
    const count = new Int32Array(first.length);
    const fields = this.columns.fields;
    for (let id = 0, at = NAME; id < this.length; id++, at += STRIDE) {
      const part = fields[at]!;
      if (count[part] === 0) first[part] = id;
      count[part] = count[part]! + 1;
    }
    return { first, count, partOf: (id) => fields[id * STRIDE + NAME]! };
  }

  *[Symbol.iterator](): Iterator<PreparedRecord> {
    for (let id = 0; id < this.length; id++) yield new TableRecord(this.columns, id);
  }
}

/**
 * Builds a RecordTable a record at a time (ids dense from 0, in the order added). Each field's distinct
 * values are looked up in a map until it holds MAX_SHARED of them; past that a new value is a new part.
 */
export class RecordTableBuilder {
  private length = 0;
  private fields: Int32Array;
  private readonly middles: Middles;
  private readonly names: Parts<NameParts>;
  private readonly fullNames: Parts<FullNameParts>;
  private readonly births: Parts<BirthParts>;
  private readonly texts: Parts<string | null>;
  private readonly addresses: Parts<AddressParts>;
  private readonly guardians: Parts<GuardianParts>;

  /** `maxShared`: MAX_SHARED but in tests, which need a value with several parts without millions of records. */
  constructor(capacity = 1024, maxShared = MAX_SHARED) {
    this.fields = new Int32Array(Math.max(capacity, 1) * STRIDE);
    this.middles = sharedMiddles(maxShared);
    this.names = new Parts<NameParts>(NO_NAME, (key) => namePartsOf(key, this.middles), maxShared);
    this.fullNames = new Parts<FullNameParts>(NO_FULL_NAME, fullNamePartsOf, maxShared);
    this.births = new Parts<BirthParts>(NO_BIRTH, birthPartsOf, maxShared);
    this.texts = new Parts<string | null>(null, (s) => s, maxShared);
    this.addresses = new Parts<AddressParts>(NO_ADDRESS, addressPartsOf, maxShared);
    this.guardians = new Parts<GuardianParts>(NO_GUARDIAN, guardianPartsOf, maxShared);
  }

  /** Adds `r` as the next record; its id must be that record's (the count added so far). */
  add(r: MatchRecord): void {
    const i = this.length;
    if (r.id !== i) throw new Error(`MatchRecord ids must be dense 0..n-1: index ${i} holds id ${r.id}`);
    if ((i + 1) * STRIDE > this.fields.length) {
      const grown = new Int32Array(this.fields.length * 2);
      grown.set(this.fields);
      this.fields = grown;
    }
    const at = i * STRIDE;
    const f = this.fields;
    const birth = this.births.indexOf(r.birthDate);
    f[at + NAME] = this.names.indexOf(r.nameKey);
    f[at + FULL_NAME] = this.fullNames.indexOf(r.nameFull);
    f[at + BIRTH] = birth;
    f[at + CITIZEN_ID] = this.texts.indexOf(r.citizenId);
    f[at + PHONE] = this.texts.indexOf(r.phone);
    f[at + COMMUNE] = this.texts.indexOf(r.commune);
    f[at + ADDRESS] = this.addresses.indexOf(r.address);
    f[at + GUARDIAN] = this.guardians.indexOf(r.guardianKey || null);
    f[at + CODES] = codesOf(r, this.births.at(birth).year);
    this.length = i + 1;
  }

  /** The table of the records added (the builder is not used after). */
  finish(): RecordTable {
    const n = this.length;
    return RecordTable.of(
      {
        fields: this.fields.subarray(0, n * STRIDE),
        names: this.names.values,
        fullNames: this.fullNames.values,
        births: this.births.values,
        texts: this.texts.values,
        addresses: this.addresses.values,
        guardians: this.guardians.values,
      },
      n,
    );
  }
}

/** One field's distinct parts, index 0 the part of a missing value, each derived once from its text. */
class Parts<V> {
  readonly values: V[];
  private readonly index = new Map<string, number>();

  constructor(
    none: V,
    private readonly derive: (text: string) => V,
    private readonly maxShared: number,
  ) {
    this.values = [none];
  }

  indexOf(text: string | null | undefined): number {
    if (text === null || text === undefined) return 0;
    const known = this.index.get(text);
    if (known !== undefined) return known;
    const i = this.values.push(this.derive(text)) - 1;
    if (this.index.size < this.maxShared) this.index.set(text, i);
    return i;
  }

  at(i: number): V {
    return this.values[i]!;
  }
}

/** Records as the engine's entry points take them: plain (tests, small sets) or already a table. */
export type MatchRecords = readonly MatchRecord[] | RecordTable;

/** Every record prepared into one table (a table is returned as it is); ids must be dense 0..n-1. */
export function prepareRecords(records: MatchRecords): RecordTable {
  if (records instanceof RecordTable) return records;
  const builder = new RecordTableBuilder(records.length);
  for (const r of records) builder.add(r);
  return builder.finish();
}
