/**
 * Blocking: which pairs are compared at all. Comparing every pair of a million records is 5·10¹¹ pairs;
 * a pair is a candidate only when the two records share the key of at least one rule.
 *
 * Each rule writes a record's key (or none: the record does not take part). The candidate set is the
 * union over rules, each pair emitted once: a pair from rule k is skipped when the two records already
 * shared a (non-capped) block of an earlier rule (a split one only with a further key, BlockingRule.narrowBy),
 * which is decided from per-rule block ids in Int32Arrays instead of a hash set of pairs, so memory is
 * O(n · rules) and nothing is sorted: the pairs leave a chunk at a time (blockPairs).
 *
 * A block larger than `maxBlockSize` is skipped and reported, never expanded: a placeholder date or a
 * placeholder ID shared by thousands of rows would otherwise produce millions of meaningless pairs.
 * The other rules still see those records.
 */
import { HASH64, Hash64Writer } from '../src/base/string-hash.js';
import type { MatchRecord, MatchRecords, PreparedRecord, RecordList } from './record.js';
import { prepareRecord, prepareRecords } from './record.js';

export interface BlockingRule {
  /** Stable name, shown in warnings and stats. */
  readonly name: string;
  /**
   * Names of the comparisons this key conditions on. Pairs found by the rule agree on those fields by
   * construction, so they say nothing about how often *matches* agree there: EM leaves them out when it
   * learns from this rule's pairs (Splink's training sessions do the same).
   */
  readonly uses: readonly string[];
  /**
   * Writes the record's key into `parts` and returns true; false: the record has no key for this rule
   * (whatever it wrote is dropped). A key is its parts joined by `|`; blocking hashes them as they are
   * written (a block is its key's 64-bit hash, as in link_key), so that no string is made a record and rule.
   */
  readonly key: (r: PreparedRecord, parts: KeyParts) => boolean;
  /**
   * A smaller cap than the run's `maxBlockSize` for this rule alone: for a key that identifies a person
   * only while few records share it (a name without any date). A larger block is skipped, as for the cap.
   * Such a rule is not an EM training session (training.ts): its pairs are picked by the rarity of a value.
   * Blocking keeps its blocks for the few records that may pair there (SparseBlocks), not a column of every
   * record: a rule whose cap keeps most records pairable would cost more so.
   */
  readonly maxBlockSize?: number;
  /**
   * Further keys for a block larger than the run's `splitBlockSize` (and within its cap): in such a block a
   * pair is proposed (and a later rule's pair counts as already proposed) only when it also shares one of
   * these values (not null); chosen so, it does not train the rule's EM session (CandidatePairs.agree). A block of one name and birth year holds a person's rows, a few dozen at most; as a province's
   * history grows, it holds more and more different people with that name, and comparing it whole makes the
   * pairs grow with the square of the history. Its pairs that share nothing else (no commune, phone, ID or
   * further part of the date) are strangers with a common name, or one person with every other field wrong,
   * whom the rules keyed on those other fields are there for. Rules without it are never split.
   */
  readonly narrowBy?: readonly NarrowKey[];
}

/**
 * Where a rule writes a record's key. Each method returns true, so that a rule's parts chain with `&&`:
 * `(r, k) => r.nameKey !== null && r.birthYear !== null && k.add(r.nameKey) && k.add(r.birthYear)`.
 */
export interface KeyParts {
  /** The next part: a text, or a number as String(n) writes it. */
  add(part: string | number): true;
  /** The next part: `text.slice(start)` (start ≥ 0), without making it. */
  addFrom(text: string, start: number): true;
}

const SEPARATOR = 0x7c; // '|'

/** A key's parts hashed as they are written (hash64 of the key's text, into HASH64 on `finish`). */
class KeyHash extends Hash64Writer implements KeyParts {
  private parts = 0;
  /** Starts a key. */
  start(): this {
    this.reset();
    this.parts = 0;
    return this;
  }
  add(part: string | number): true {
    if (this.parts++ > 0) this.code(SEPARATOR);
    if (typeof part === 'number') this.digits(part);
    else this.text(part);
    return true;
  }
  addFrom(text: string, start: number): true {
    if (this.parts++ > 0) this.code(SEPARATOR);
    this.text(text, start);
    return true;
  }
}

/** A key's parts joined into its text: for explaining a pair (blockingKeys) and for tests, not for blocking. */
class KeyText implements KeyParts {
  text = '';
  private parts = 0;
  add(part: string | number): true {
    this.text += (this.parts++ > 0 ? '|' : '') + String(part);
    return true;
  }
  addFrom(text: string, start: number): true {
    return this.add(text.slice(start));
  }
}

/** A record's key under `rule` as text (its parts joined by `|`), or null where the rule does not apply. */
export function keyText(rule: BlockingRule, r: PreparedRecord): string | null {
  const parts = new KeyText();
  return rule.key(r, parts) ? parts.text : null;
}

/** One writer for every key hashed in this thread (blocking is synchronous: one key at a time). */
const KEY_HASH = new KeyHash();

/**
 * A record's key under `rule` hashed into HASH64 (hash64 of keyText's text, without making it); false
 * where the rule does not apply.
 */
export function hashKey(rule: BlockingRule, r: PreparedRecord): boolean {
  if (!rule.key(r, KEY_HASH.start())) return false;
  KEY_HASH.finish();
  return true;
}

/** A record's value for narrowing a large block (BlockingRule.narrowBy); null: the record has none. */
export type NarrowKey = (r: PreparedRecord) => string | number | null;

/**
 * A word's consonant skeleton: its first letter, then its consonants with vowels (a e i o u y) and the
 * silent-ish h, w dropped and doubled letters collapsed (`coppacok` and `coppock` → `cpck`, `bengier` and
 * `benger` → `bngr`). A key on it survives a wrong, missing or extra vowel and a doubled letter, the
 * commonest typing slips, but not a wrong consonant (the other keys cover those). Like Soundex, without
 * its English consonant classes, which would fold Vietnamese initials apart (ng/nh, tr/ch) together.
 */
export function skeletonOf(word: string): string {
  let out = word.charAt(0);
  let last = out;
  for (let i = 1; i < word.length; i++) {
    const c = word.charAt(i);
    if ('aeiouyhw'.includes(c) || c === last) {
      if ('aeiouyhw'.includes(c)) last = '';
      continue;
    }
    out += c;
    last = c;
  }
  return out;
}

/** The skeletons of a name's words, sorted: word order, vowel slips and doubled letters do not matter. */
function nameSkeleton(r: PreparedRecord): string {
  return r.tokens.map(skeletonOf).sort().join(' ');
}

/** The given name, or a one-word name's only word (it may be either name: DOMAIN.md §8). */
const givenOrOnly = (r: PreparedRecord) => r.given ?? (r.tokens.length === 1 ? r.family : null);

/**
 * Selective keys. The rules from `given+birth_year` on key on one field, or on a word and a year: they
 * are what still joins two rows of one person when *every* field has a slip, but their common values
 * (Nguyễn; a given name in a birth year; a date in a district) are shared by strangers. A rule with its
 * own cap uses only its selective values: a block larger than the cap is skipped, silently (that is the
 * design, not a placeholder), and the other rules still see its records. The caps bound the cost: a block
 * of 20 is 190 pairs, ≤ 19 per record; on the generator's million rows (`npm run bench`) these rules add
 * 0.6 M candidate pairs to the other rules' 7.9 M (8,507,253 in all: README, Performance).
 */
const NAME_ONLY_MAX_BLOCK = 20;
/**
 * Tighter still for a full date alone (~35 people share a day in a million rows of 80 birth years) and a
 * given name in a birth year: only their rarest values. Measured: with 20 for the given name and year,
 * the eval script's 200,000 Vietnamese rows got 6.5 candidate pairs per row, with 10 4.9, and the public
 * sets' pairs completeness moved by less than 0.001.
 */
const COMMON_VALUE_MAX_BLOCK = 10;

/**
 * Further keys of large blocks (BlockingRule.narrowBy), each a field the rule's key leaves out, so a rule
 * still finds the slip it is there for: one person's rows with the day wrong share the month, with the
 * month wrong the day, with the date wrong throughout the commune, phone or ID.
 */
const byCommune: NarrowKey = (r) => r.commune;
const byPhone: NarrowKey = (r) => r.phone;
const byCitizenId: NarrowKey = (r) => (r.citizenId !== null && r.citizenId.length >= 6 ? r.citizenId : null);
const byBirthYear: NarrowKey = (r) => r.birthYear;
const byBirthMonth: NarrowKey = (r) => r.birthMonth;
const byBirthDay: NarrowKey = (r) => r.birthDay;
const byFamily: NarrowKey = (r) => r.familyGroup;
const byGiven: NarrowKey = givenOrOnly;
const byGuardian: NarrowKey = (r) => r.guardianKey;

/**
 * Each rule on its own would find most true pairs; the first ten together cover one field being wrong at
 * a time, the selective ones after them a slip in every field (a typo in the name *and* a wrong birth-date
 * part). Birth-date parts are used in every combination: the full date, the year (day or month wrong),
 * month and day (year wrong), and none (the date wrong throughout or missing).
 *
 * Fuzzy blocking was measured and not adopted: a sorted neighbourhood on the sorted name (window 4) adds
 * 0.02–0.03 of the Splink sets' true pairs for 3 candidate pairs per record (3 M more at a million rows,
 * over a quarter of what the link compares now); the pairs still missed there have another date and
 * share at most a common name word.
 */
export const DEFAULT_BLOCKING_RULES: readonly BlockingRule[] = [
  // The ID alone: placeholders (`000000000`) form huge blocks, which the cap skips.
  {
    name: 'citizen_id',
    uses: ['citizen_id'],
    key: (r, k) => r.citizenId !== null && r.citizenId.length >= 6 && k.add(r.citizenId),
  },
  // A phone alone: blocks are households (a family shares one phone), small, and catch a person whose
  // name and birth date were both mistyped. A clinic's phone typed on every row is a huge block: capped.
  { name: 'phone', uses: ['phone'], key: (r, k) => r.phone !== null && k.add(r.phone) },
  {
    name: 'name+birth_year',
    uses: ['name', 'birth_date'],
    narrowBy: [byBirthMonth, byBirthDay, byCommune, byPhone, byCitizenId],
    key: (r, k) => r.nameKey !== null && r.birthYear !== null && k.add(r.nameKey) && k.add(r.birthYear),
  },
  // Word order differs (family and given name swapped in a form).
  {
    name: 'sorted_name+birth_year',
    uses: ['name', 'birth_date'],
    narrowBy: [byBirthMonth, byBirthDay, byCommune, byPhone, byCitizenId],
    key: (r, k) => r.sortedKey !== null && r.birthYear !== null && k.add(r.sortedKey) && k.add(r.birthYear),
  },
  // Family name wrong (tên rather than họ: DOMAIN.md §8), or only one word written: a one-word name is
  // keyed as a given name too, so `Grace` meets `Kelly Grace`.
  {
    name: 'given+birth_date',
    uses: ['name', 'birth_date'],
    narrowBy: [byCommune, byPhone, byCitizenId],
    key: (r, k) => givenOrOnly(r) !== null && r.birthDigits !== null && k.add(givenOrOnly(r)!) && k.add(r.birthDigits),
  },
  // Given name mistyped past its first letter (or middle name missing): family name, the given name's
  // initial and the full date. Hoàng/Huỳnh and Vũ/Võ folded together. (Not family + birth *year*: with
  // Nguyễn at ~38% and few given names, those blocks hold hundreds of different people.)
  {
    name: 'family+given_initial+birth_date',
    uses: ['name', 'birth_date'],
    narrowBy: [byCommune, byPhone, byCitizenId],
    key: (r, k) => r.familyGroup !== null && r.birthDigits !== null && k.add(r.familyGroup) && k.add(r.given?.charAt(0) ?? '') && k.add(r.birthDigits),
  },
  // Name wrong in more than one place: the full date within one commune is still nearly a person.
  {
    name: 'birth_date+commune',
    uses: ['birth_date', 'commune'],
    narrowBy: [byFamily, byGiven, byPhone, byCitizenId, byGuardian],
    key: (r, k) => r.commune !== null && r.birthDigits !== null && k.add(r.birthDigits) && k.add(r.commune),
  },
  // Birth year wrong (one digit, or a placeholder year): the same name born on the same day of the year.
  {
    name: 'sorted_name+birth_day_of_year',
    uses: ['name', 'birth_date'],
    narrowBy: [byCommune, byPhone, byCitizenId],
    key: (r, k) => r.sortedKey !== null && r.birthDigits !== null && k.add(r.sortedKey) && k.addFrom(r.birthDigits, 4),
  },
  // Birth date wrong or missing: the same name in the same commune.
  {
    name: 'sorted_name+commune',
    uses: ['name', 'commune'],
    narrowBy: [byBirthYear, byBirthMonth, byBirthDay, byPhone, byCitizenId],
    key: (r, k) => r.sortedKey !== null && r.commune !== null && k.add(r.sortedKey) && k.add(r.commune),
  },
  // Childhood records: a newborn's pre-naming rows (`Con bà Nguyễn Thị Lan`, no name of its own) and the
  // child's later named rows share the mother's given name and the birth date (the given name alone, so that
  // `Con của Lan` and a dropped middle name still meet).
  {
    name: 'guardian_given+birth_date',
    uses: ['guardian', 'birth_date'],
    narrowBy: [byCommune, byPhone, byGuardian],
    key: (r, k) => r.guardianGiven !== null && r.birthDigits !== null && k.add(r.guardianGiven) && k.add(r.birthDigits),
  },
  // Selective keys, each with its own cap: a slip in every field.
  // Family name mistyped and the day or month wrong: the given name (or a one-word name) and the year.
  {
    name: 'given+birth_year',
    uses: ['name', 'birth_date'],
    maxBlockSize: COMMON_VALUE_MAX_BLOCK,
    key: (r, k) => givenOrOnly(r) !== null && r.birthYear !== null && k.add(givenOrOnly(r)!) && k.add(r.birthYear),
  },
  // No usable birth date on one side, or a wrong one, and vowel slips in the name: the name's skeleton.
  { name: 'name_skeleton', uses: ['name'], maxBlockSize: NAME_ONLY_MAX_BLOCK, key: (r, k) => r.tokens.length > 0 && k.add(nameSkeleton(r)) },
  // Every word of the name mistyped or replaced, but the date right: the date alone.
  { name: 'birth_date', uses: ['birth_date'], maxBlockSize: COMMON_VALUE_MAX_BLOCK, key: (r, k) => r.birthDigits !== null && k.add(r.birthDigits) },
  // No date, and the other name word mistyped, replaced or missing: one name word alone, or with the
  // other word's initial.
  { name: 'family', uses: ['name'], maxBlockSize: NAME_ONLY_MAX_BLOCK, key: (r, k) => r.family !== null && k.add(r.family) },
  { name: 'given', uses: ['name'], maxBlockSize: NAME_ONLY_MAX_BLOCK, key: (r, k) => givenOrOnly(r) !== null && k.add(givenOrOnly(r)!) },
  {
    name: 'family+given_initial',
    uses: ['name'],
    maxBlockSize: NAME_ONLY_MAX_BLOCK,
    key: (r, k) => r.given !== null && k.add(r.family!) && k.add(r.given.charAt(0)),
  },
  {
    name: 'given+family_initial',
    uses: ['name'],
    maxBlockSize: NAME_ONLY_MAX_BLOCK,
    key: (r, k) => r.given !== null && k.add(r.given) && k.add(r.family!.charAt(0)),
  },
];

/** The key of every rule for one record (null where the rule does not apply): for explaining a pair's candidacy. */
export function blockingKeys(record: MatchRecord, rules: readonly BlockingRule[] = DEFAULT_BLOCKING_RULES): (string | null)[] {
  const r = prepareRecord(record);
  return rules.map((rule) => keyText(rule, r));
}

export interface CandidatePairs {
  /** Pair p is (left[p], right[p]) with left < right; each unordered pair appears once. */
  readonly left: Int32Array;
  readonly right: Int32Array;
  /**
   * Bit k set: the pair shares a whole block of rule k (neither skipped nor split), what rule k's EM session
   * learns from. A pair proposed by a split block only (BlockingRule.narrowBy) has no bit for it: it was
   * chosen for agreeing on a further key, not a fair sample of how matches differ outside the rule's key.
   */
  readonly agree: Uint32Array;
  readonly count: number;
  /** Blocks of two or more records, over all rules, capped ones included. */
  readonly blocks: number;
  readonly cappedBlocks: number;
  /** Per rule: pairs it added (after dedup against earlier rules), pairs agreeing on it, blocks it skipped. */
  readonly perRule: readonly {
    readonly rule: string;
    readonly pairs: number;
    readonly agreeing: number;
    readonly cappedBlocks: number;
    /** Blocks over the rule's own smaller cap (BlockingRule.maxBlockSize), skipped without a warning. */
    readonly selectiveSkipped: number;
    /** Blocks over splitBlockSize, compared only where a pair shares a further key (BlockingRule.narrowBy). */
    readonly splitBlocks: number;
  }[];
  /** Capped blocks, a line each (the first 100). Never the key itself: keys are names, IDs and phones. */
  readonly warnings: readonly string[];
}

export interface BlockingOptions {
  /** Blocks with more records than this are skipped, with a warning. */
  readonly maxBlockSize: number;
  /**
   * Blocks with more records than this (and at most the cap) of a rule with `narrowBy` are split: only
   * their pairs sharing a further key are proposed. Default: never.
   */
  readonly splitBlockSize?: number;
  /**
   * Incremental linking: 1 for the records new (or reopened) since the last run. Only pairs with at
   * least one such record are emitted; pairs of two known records were decided by an earlier run.
   * Block sizes still count every record, so the cap means the same in both modes.
   */
  readonly changed?: Uint8Array;
  /**
   * The size of rule `rule`'s block over all records, the block named by its key's hash (hash64: the high
   * word signed, the low unsigned), where the input holds only part of them (an
   * incremental link loads the blocks of its changed records, not the history): the cap is decided on it.
   * Given `local`, the members in the input; by default the block is taken as whole. The split (splitBlockSize)
   * is decided on it too.
   */
  readonly blockSize?: (rule: number, high: number, low: number, local: number) => number;
}

/** Pairs a chunk of candidates holds (12 bytes each). */
const CHUNK_PAIRS = 1 << 16;

/** Candidate pairs as blocking emits them, a chunk at a time (the arrays are reused: read them during the call). */
export interface PairChunk {
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly agree: Uint32Array;
  readonly count: number;
}

/** What blocking found besides the pairs themselves. */
export type BlockingSummary = Omit<CandidatePairs, 'left' | 'right' | 'agree'>;

/**
 * Pairs gathered into chunks of CHUNK_PAIRS and handed on as each fills: blocking holds one chunk, never
 * all the pairs (146 million at ten million records, where its buffer of them took 2.3 GB).
 */
class ChunkWriter {
  private readonly left = new Int32Array(CHUNK_PAIRS);
  private readonly right = new Int32Array(CHUNK_PAIRS);
  private readonly agree = new Uint32Array(CHUNK_PAIRS);
  private filled = 0;
  /** Pairs emitted so far. */
  count = 0;
  constructor(private readonly onChunk: (chunk: PairChunk) => void) {}
  push(i: number, j: number, agree: number): void {
    this.left[this.filled] = i;
    this.right[this.filled] = j;
    this.agree[this.filled] = agree;
    this.count++;
    if (++this.filled === CHUNK_PAIRS) this.flush();
  }
  flush(): void {
    if (this.filled === 0) return;
    const count = this.filled;
    this.filled = 0;
    this.onChunk({ left: this.left, right: this.right, agree: this.agree, count });
  }
}

const MAX_WARNINGS = 100;

/**
 * Typed arrays of a run's size, allocated once and used again for every rule: a new typed array per rule
 * counts as external memory, of which every ~100 MB makes V8 collect the whole heap. Assigning a rule's
 * blocks (slots, hashes) and laying them out (sizes, start, members) never overlap in time, so the two
 * share one buffer: at ten million records that is 216 MB where apart they would take 339.
 */
interface Scratch {
  /** Block id per record under the current rule (-1: no key; after pass 1, below -1: a split block, splitId). */
  readonly ids: Int32Array;
  /** Open-addressing table of block ids by key hash (assignBlocks only). */
  readonly slots: Int32Array;
  /** Each block's key hash (hash64), its high and low words, by block id (assignBlocks only). */
  readonly highs: Int32Array;
  readonly lows: Int32Array;
  /** Records per block id while laying them out (layBlocks), then each block's end in members. */
  readonly sizes: Int32Array;
  /** CSR layout of the records by block: block b's members are members[start[b] .. start[b+1]). */
  readonly start: Int32Array;
  readonly members: Int32Array;
}

function scratchFor(n: number): Scratch {
  let capacity = 1024;
  while (capacity < n * 2) capacity *= 2;
  const shared = new Int32Array(Math.max(capacity + 2 * n, 3 * n + 1));
  return {
    ids: new Int32Array(n),
    slots: shared.subarray(0, capacity),
    highs: shared.subarray(capacity, capacity + n),
    lows: shared.subarray(capacity + n, capacity + 2 * n),
    sizes: shared.subarray(0, n),
    start: shared.subarray(n, 2 * n + 1),
    members: shared.subarray(2 * n + 1, 3 * n + 1),
  };
}

/**
 * Block id per record under one rule (-1: no key) into `scratch.ids`, and the number of blocks, each block's
 * key hash in `scratch.highs` and `scratch.lows`. An open-addressing table in typed arrays instead of a
 * Map<string, number>: a million keys per rule would otherwise spend most of the time rehashing and
 * collecting garbage. A block is its key's 64-bit hash (hashKey, no key string made), as in link_key, where
 * the nights find their blocks (the key strings, kept for every block to confirm a hit, took ~60 MiB of
 * blocking's peak at a million records). Two keys of one rule sharing a hash (a few in a million for ten
 * million keys: hash64, src/base/string-hash.ts) would be one block, their pairs compared too.
 */
function assignBlocks(records: RecordList, rule: BlockingRule, scratch: Scratch): number {
  const n = records.length;
  const { ids, slots, highs, lows } = scratch;
  ids.fill(-1);
  slots.fill(-1);
  const mask = slots.length - 1;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!hashKey(rule, records.at(i)!)) continue;
    const high = HASH64[0]!;
    const low = HASH64[1]! | 0;
    // The low word's bits are the better mixed; the high word breaks up runs of one low word.
    let slot = (low ^ Math.imul(high, 0x9e3779b1)) & mask;
    let b = -1;
    for (;;) {
      const occupant = slots[slot]!;
      if (occupant === -1) break;
      if (lows[occupant] === low && highs[occupant] === high) {
        b = occupant;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (b === -1) {
      b = count++;
      highs[b] = high;
      lows[b] = low;
      slots[slot] = b;
    }
    ids[i] = b;
  }
  return count;
}

/**
 * Counting sort of records by block (CSR layout into scratch.start and scratch.members), from `length`
 * entries: entry x is record `recordAt(x)` in block `blockAt(x)` (-1: none), records ascending, so that
 * members stay in ascending record order. `sizes` then holds each block's end (a size is start[b + 1] - start[b]).
 */
function layBlocks(count: number, length: number, recordAt: (x: number) => number, blockAt: (x: number) => number, scratch: Scratch): void {
  const { sizes, start, members } = scratch;
  sizes.fill(0, 0, count);
  for (let x = 0; x < length; x++) {
    const b = blockAt(x);
    if (b >= 0) sizes[b]!++;
  }
  start[0] = 0;
  for (let b = 0; b < count; b++) start[b + 1] = start[b]! + sizes[b]!;
  sizes.set(start.subarray(0, count));
  for (let x = 0; x < length; x++) {
    const b = blockAt(x);
    if (b >= 0) members[sizes[b]!++] = recordAt(x);
  }
}

/** A split block's id as pass 1 leaves it (-2 - id, below -1, which is no block), and back. */
const splitId = (id: number) => -2 - id;
/** The block of an id pass 1 left (a split one's too), -1 for none. */
const blockOfId = (id: number) => (id >= -1 ? id : splitId(id));

/**
 * The blocks a rule with its own cap (BlockingRule.maxBlockSize) puts records in, for the records that may
 * pair there (a block of two or more, neither skipped): such a rule skips its common values, so few records
 * have one. At ten million generated rows the seven selective rules held 2,582 to 275,660 records each, where
 * a column of every record's block took 41 MB a rule. Records ascending, found by binary search.
 */
class SparseBlocks {
  constructor(
    readonly records: Int32Array,
    readonly ids: Int32Array,
  ) {}

  /** Record i's block id as pass 1 left it (-1: none; below -1 a split block). */
  get(i: number): number {
    const { records } = this;
    let lo = 0;
    let hi = records.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = records[mid]!;
      if (r === i) return this.ids[mid]!;
      if (r < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The records of `ids` in a block of two or more (`start`: its layout), with their ids. */
  static of(ids: Int32Array, start: Int32Array): SparseBlocks {
    const inBlock = (id: number) => {
      const b = blockOfId(id);
      return b >= 0 && start[b + 1]! - start[b]! >= 2;
    };
    let length = 0;
    for (let i = 0; i < ids.length; i++) if (inBlock(ids[i]!)) length++;
    const records = new Int32Array(length);
    const kept = new Int32Array(length);
    for (let i = 0, x = 0; i < ids.length; i++) {
      if (!inBlock(ids[i]!)) continue;
      records[x] = i;
      kept[x++] = ids[i]!;
    }
    return new SparseBlocks(records, kept);
  }
}

/**
 * All the candidate pairs at once, in the order blockPairs emits them: for tests and evaluations, which look
 * at them together. The link streams them (blockPairs).
 */
export function candidatePairs(
  input: MatchRecords,
  rules: readonly BlockingRule[] = DEFAULT_BLOCKING_RULES,
  options: BlockingOptions = { maxBlockSize: 500 },
): CandidatePairs {
  const chunks: { left: Int32Array; right: Int32Array; agree: Uint32Array }[] = [];
  const summary = blockPairs(input, rules, options, (chunk) =>
    chunks.push({ left: chunk.left.slice(0, chunk.count), right: chunk.right.slice(0, chunk.count), agree: chunk.agree.slice(0, chunk.count) }),
  );
  const left = new Int32Array(summary.count);
  const right = new Int32Array(summary.count);
  const agree = new Uint32Array(summary.count);
  let at = 0;
  for (const chunk of chunks) {
    left.set(chunk.left, at);
    right.set(chunk.right, at);
    agree.set(chunk.agree, at);
    at += chunk.left.length;
  }
  return { ...summary, left, right, agree };
}

/**
 * The candidate pairs, handed to `onChunk` a chunk at a time in a fixed order (rule by rule, block by
 * block), and what blocking found (BlockingSummary).
 */
export function blockPairs(
  input: MatchRecords,
  rules: readonly BlockingRule[],
  options: BlockingOptions,
  onChunk: (chunk: PairChunk) => void,
): BlockingSummary {
  const records = prepareRecords(input);
  if (rules.length > 32) throw new Error('at most 32 blocking rules');
  const n = records.length;
  const warnings: string[] = [];
  let blocks = 0;
  let cappedBlocks = 0;
  const capped: number[] = [];
  const selective = new Array<number>(rules.length).fill(0);
  const split = new Array<number>(rules.length).fill(0);
  const splitAbove = options.splitBlockSize ?? Number.POSITIVE_INFINITY;

  // Pass 1: block ids per rule. A skipped block's records get -1, so no pair counts as agreeing on it; a
  // split block's records get -2 - id (splitId): a pair counts as proposed by it only where it shares a
  // further key, and never as agreeing on it (CandidatePairs.agree).
  const R = rules.length;
  // A rule without its own cap keeps every record's block in `blockOf`, record-major (blockOf[i * D + d],
  // its column d): checking a pair against every such rule touches two cache lines. A rule with its own cap
  // keeps its few pairable records in a SparseBlocks, each record's bit in `marks` saying it has one there:
  // most pairs have no bit in common and skip those rules without a look-up.
  const column = new Int32Array(R).fill(-1);
  const bit = new Uint32Array(R);
  let D = 0;
  let S = 0;
  rules.forEach((rule, k) => {
    if (rule.maxBlockSize === undefined) column[k] = D++;
    else bit[k] = 1 << S++;
  });
  const blockOf = new Int32Array(n * D);
  const marks = S <= 8 ? new Uint8Array(n) : S <= 16 ? new Uint16Array(n) : new Uint32Array(n);
  const sparse: (SparseBlocks | undefined)[] = new Array<SparseBlocks | undefined>(R);
  const blockCounts: number[] = [];
  const scratch = scratchFor(n);
  const { ids, start, members } = scratch;
  const recordItself = (i: number) => i;
  for (let k = 0; k < R; k++) {
    const rule = rules[k]!;
    const cap = Math.min(options.maxBlockSize, rule.maxBlockSize ?? Number.POSITIVE_INFINITY);
    const count = assignBlocks(records, rule, scratch);
    // layBlocks lays the blocks out where their hashes were: a night, which looks its blocks' sizes up by
    // them, keeps a copy (its records are few).
    const hashes = options.blockSize ? { highs: scratch.highs.slice(0, count), lows: scratch.lows.slice(0, count) } : null;
    layBlocks(count, n, recordItself, (i) => ids[i]!, scratch);
    let ruleCapped = 0;
    for (let b = 0; b < count; b++) {
      const local = start[b + 1]! - start[b]!;
      const size = hashes ? options.blockSize!(k, hashes.highs[b]!, hashes.lows[b]! >>> 0, local) : local;
      if (size < 2) continue;
      blocks++;
      if (size <= cap) {
        if (size > splitAbove && rule.narrowBy !== undefined && rule.narrowBy.length > 0) {
          for (let x = start[b]!; x < start[b + 1]!; x++) ids[members[x]!] = splitId(b);
          split[k]!++;
        }
        continue;
      }
      for (let x = start[b]!; x < start[b + 1]!; x++) ids[members[x]!] = -1;
      // A rule's own smaller cap skips the common values of a weak key by design: counted, not warned.
      if (size <= options.maxBlockSize) {
        selective[k]!++;
        continue;
      }
      ruleCapped++;
      if (warnings.length < MAX_WARNINGS) {
        warnings.push(
          `blocking rule '${rule.name}': a block of ${size} records exceeds maxBlockSize ${options.maxBlockSize} ` +
            `and was skipped (first record ${members[start[b]!]!}); its pairs are compared only if another rule finds them`,
        );
      }
    }
    cappedBlocks += ruleCapped;
    capped.push(ruleCapped);
    const d = column[k]!;
    if (d >= 0) {
      for (let i = 0; i < n; i++) blockOf[i * D + d] = ids[i]!;
    } else {
      const kept = SparseBlocks.of(ids, start);
      sparse[k] = kept;
      for (const i of kept.records) marks[i]! |= bit[k]!;
    }
    blockCounts.push(count);
  }
  if (cappedBlocks > warnings.length) warnings.push(`… ${cappedBlocks - warnings.length} more capped blocks`);

  /** Record i's block under rule r as pass 1 left it (-1: none; below -1 a split block). */
  const idOf = (r: number, i: number): number => {
    const d = column[r]!;
    if (d >= 0) return blockOf[i * D + d]!;
    return (marks[i]! & bit[r]!) === 0 ? -1 : sparse[r]!.get(i);
  };

  // Pass 2: emit each pair from the first rule whose block holds it, with the bits of every rule it agrees on.
  // Each rule's layout is laid again from pass 1's ids (its skipped blocks now empty) rather than kept.
  const agreeing = new Array<number>(rules.length).fill(0);
  const out = new ChunkWriter((chunk) => {
    for (let p = 0; p < chunk.count; p++) {
      const a = chunk.agree[p]!;
      for (let k = 0; k < R; k++) if (a & (1 << k)) agreeing[k]!++;
    }
    onChunk(chunk);
  });
  const changed = options.changed;
  /** The places in `members` of a block's changed records (a block holds at most all n). */
  const changedAt = new Int32Array(changed ? n : 0);
  const perRule: { rule: string; pairs: number; agreeing: number; cappedBlocks: number; selectiveSkipped: number; splitBlocks: number }[] = [];
  const narrowBy = rules.map((rule) => rule.narrowBy ?? []);
  /** Whether records i and j share a further key of rule r (they share a split block of it). */
  const narrowAgree = (r: number, i: number, j: number): boolean => {
    const a = records.at(i)!;
    const b = records.at(j)!;
    for (const key of narrowBy[r]!) {
      const v = key(a);
      if (v !== null && v === key(b)) return true;
    }
    return false;
  };
  /**
   * Records i and j's block under rule r when they share one (a split one too), else -1. `both`: the bits
   * of `marks` they share.
   */
  const sharedId = (r: number, i: number, j: number, both: number): number => {
    if (column[r]! < 0 && (both & bit[r]!) === 0) return -1;
    const id = idOf(r, i);
    return id === idOf(r, j) ? id : -1;
  };
  for (let k = 0; k < R; k++) {
    const count = blockCounts[k]!;
    const d = column[k]!;
    if (d >= 0) layBlocks(count, n, recordItself, (i) => blockOfId(blockOf[i * D + d]!), scratch);
    else {
      const { records: kept, ids: keptIds } = sparse[k]!;
      layBlocks(count, kept.length, (x) => kept[x]!, (x) => blockOfId(keptIds[x]!), scratch);
    }
    const before = out.count;
    for (let b = 0; b < count; b++) {
      const s = start[b]!;
      const e = start[b + 1]!;
      if (e - s < 2) continue;
      // A night pairs only where a changed record is: an unchanged member meets the changed members after
      // it alone, where walking every member after it made each block a night touched cost its size
      // squared (a block of 500 with one new record, 124,750 steps for 499 pairs).
      let changedCount = 0;
      if (changed) {
        for (let x = s; x < e; x++) if (changed[members[x]!] === 1) changedAt[changedCount++] = x;
        if (changedCount === 0) continue;
      }
      const isSplit = idOf(k, members[s]!) < -1;
      let nextChanged = 0;
      for (let x = s; x < e; x++) {
        const i = members[x]!;
        while (nextChanged < changedCount && changedAt[nextChanged]! <= x) nextChanged++;
        // The members after x to pair with: all of them, or (x unchanged) the changed ones, in order.
        const all = changed === undefined || changed[i] === 1;
        const to = all ? e : changedCount;
        for (let t = all ? x + 1 : nextChanged; t < to; t++) {
          const j = members[all ? t : changedAt[t]!]!;
          if (isSplit && !narrowAgree(k, i, j)) continue;
          const both = marks[i]! & marks[j]!;
          let seen = false;
          for (let r = 0; r < k; r++) {
            const id = sharedId(r, i, j, both);
            if (id !== -1 && (id >= 0 || narrowAgree(r, i, j))) {
              seen = true;
              break;
            }
          }
          if (seen) continue;
          let agree = isSplit ? 0 : 1 << k;
          for (let r = k + 1; r < R; r++) if (sharedId(r, i, j, both) >= 0) agree |= 1 << r;
          out.push(i, j, agree >>> 0);
        }
      }
    }
    perRule.push({
      rule: rules[k]!.name,
      pairs: out.count - before,
      agreeing: 0,
      cappedBlocks: capped[k]!,
      selectiveSkipped: selective[k]!,
      splitBlocks: split[k]!,
    });
  }
  out.flush();
  perRule.forEach((r, k) => (r.agreeing = agreeing[k]!));

  return {
    count: out.count,
    blocks,
    cappedBlocks,
    perRule,
    warnings,
  };
}
