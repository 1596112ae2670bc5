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

/**
 * What records share, derived once per distinct value and shared by every record that has it: a person's
 * rows repeat one name, ID, phone and birth date, and a province's names and dates repeat among people.
 * At a million records sharing instead of deriving per record saves hundreds of megabytes of small strings
 * and arrays (the derived values are immutable, so sharing them changes nothing else). One cache per
 * prepareRecords call or load; each map stops growing at MAX_CACHED values (past it, values are derived
 * per record as without a cache).
 */
export interface PrepareCache {
  readonly address: Map<string, readonly string[]>;
  readonly name: Map<string, NameParts>;
  readonly fullName: Map<string, FullNameParts>;
  readonly birth: Map<string, BirthParts>;
  readonly guardian: Map<string, GuardianParts>;
  /** IDs and phones: one string per distinct value. */
  readonly text: Map<string, string>;
}

const MAX_CACHED = 4_000_000;

export function newPrepareCache(): PrepareCache {
  return { address: new Map(), name: new Map(), fullName: new Map(), birth: new Map(), guardian: new Map(), text: new Map() };
}

function cached<K, V>(map: Map<K, V> | undefined, key: K, derive: (key: K) => V): V {
  if (map === undefined) return derive(key);
  const known = map.get(key);
  if (known !== undefined) return known;
  const value = derive(key);
  if (map.size < MAX_CACHED) map.set(key, value);
  return value;
}

/** What a prepared record derives from its name key (`key`: the key single-spaced, null when empty). */
type NameParts = { readonly key: string | null } & Pick<PreparedRecord, 'tokens' | 'family' | 'middle' | 'given' | 'familyGroup' | 'sortedKey'>;

const NO_NAME: NameParts = { key: null, tokens: [], family: null, middle: [], given: null, familyGroup: null, sortedKey: null };

function namePartsOf(nameKey: string): NameParts {
  const key = singleSpaced(nameKey) || null;
  if (key === null) return NO_NAME;
  const tokens = key.split(' ');
  const family = tokens[0]!;
  return {
    key,
    tokens,
    family,
    middle: tokens.length >= 3 ? tokens.slice(1, -1) : [],
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

const NO_TOKENS: readonly string[] = [];

function addressTokensOf(address: string | null, cache: PrepareCache | null): readonly string[] {
  if (!address) return NO_TOKENS;
  // Folded like the name key, so `Thôn 3` and `thon 3` share their tokens.
  return cached(cache?.address, address, (a) => [...new Set(asciiKey(a).split(' ').filter(Boolean))].sort());
}

const same = (s: string) => s;

// The small enumerations of a record packed into one small integer, two bits each (0: null) and one for preNaming.
const SEXES = [null, 'male', 'female'] as const;
const ID_KINDS = [null, 'cccd', 'cmnd', 'other'] as const;
const ID_STATUSES = [null, 'reliable', 'contradicts', 'unchecked'] as const;
const codeOf = <T>(values: readonly T[], value: T | undefined): number => {
  const code = values.indexOf(value ?? (null as T));
  if (code < 0) throw new Error(`not a MatchRecord value: ${String(value)}`);
  return code;
};

/**
 * A prepared record as it is held: the parts it shares with other records (a name's words, a birth date's
 * parts, a guardian's) by one reference each and its enumerations in one small integer, its features
 * read through getters. 11 fields instead of 30 own properties (a field is a pointer of 8 bytes): loading the
 * bench's million rows held 248 bytes of heap a record instead of 378 (scripts/bench-link.ts's schema,
 * the rows of `npm run bench`), about 1.3 GB less at ten million; the link's output identical by digest. One class, so every
 * record has one hidden class and the getters are inlined where the comparisons read them.
 */
class CompactRecord implements PreparedRecord {
  constructor(
    readonly id: number,
    private readonly name: NameParts,
    private readonly fullName: FullNameParts,
    private readonly birth: BirthParts,
    readonly citizenId: string | null,
    readonly phone: string | null,
    readonly commune: string | null,
    readonly address: string | null,
    readonly addressTokens: readonly string[],
    private readonly guardian: GuardianParts,
    /** sex | citizenIdKind << 2 | idStatus << 4 | preNaming << 6 */
    private readonly codes: number,
  ) {}

  get prepared(): true {
    return true;
  }
  get nameKey() {
    return this.name.key;
  }
  get nameFull() {
    return this.fullName.full;
  }
  get nameLower() {
    return this.fullName.lower;
  }
  get tokens() {
    return this.name.tokens;
  }
  get family() {
    return this.name.family;
  }
  get middle() {
    return this.name.middle;
  }
  get given() {
    return this.name.given;
  }
  get familyGroup() {
    return this.name.familyGroup;
  }
  get sortedKey() {
    return this.name.sortedKey;
  }
  get birthDate() {
    return this.birth.date;
  }
  get birthYear() {
    return this.birth.year;
  }
  get birthMonth() {
    return this.birth.month;
  }
  get birthDay() {
    return this.birth.day;
  }
  get birthDigits() {
    return this.birth.digits;
  }
  get birthDayNumber() {
    return this.birth.dayNumber;
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
    return this.guardian.key;
  }
  get guardianTokens() {
    return this.guardian.tokens;
  }
  get guardianGiven() {
    return this.guardian.given;
  }
}

export function prepareRecord(r: MatchRecord, cache: PrepareCache | null = null): PreparedRecord {
  if (r instanceof CompactRecord) return r;
  const name = r.nameKey === null ? NO_NAME : cached(cache?.name, r.nameKey, namePartsOf);
  const full = r.nameFull === null ? NO_FULL_NAME : cached(cache?.fullName, r.nameFull, fullNamePartsOf);
  const guardian = r.guardianKey ? cached(cache?.guardian, r.guardianKey, guardianPartsOf) : NO_GUARDIAN;
  const birth = r.birthDate === null ? NO_BIRTH : cached(cache?.birth, r.birthDate, birthPartsOf);
  const codes =
    codeOf(SEXES, r.sex) |
    (codeOf(ID_KINDS, r.citizenIdKind) << 2) |
    (codeOf(ID_STATUSES, idStatus(r.citizenId, r.citizenIdKind, birth.year)) << 4) |
    (r.preNaming === true ? 64 : 0);
  return new CompactRecord(
    r.id,
    name,
    full,
    birth,
    r.citizenId === null ? null : cached(cache?.text, r.citizenId, same),
    r.phone === null ? null : cached(cache?.text, r.phone, same),
    r.commune,
    r.address,
    addressTokensOf(r.address, cache),
    guardian,
    codes,
  );
}

/** Prepares every record and checks the dense-id contract the engine's typed arrays rely on. */
export function prepareRecords(records: readonly MatchRecord[]): PreparedRecord[] {
  const cache = newPrepareCache();
  return records.map((r, i) => {
    if (r.id !== i) throw new Error(`MatchRecord ids must be dense 0..n-1: index ${i} holds id ${r.id}`);
    return prepareRecord(r, cache);
  });
}
