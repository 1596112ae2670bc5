/**
 * Comparisons: for each field, an ordered list of agreement levels, the first that holds wins (Splink's
 * comparison levels). Each level owns its label and its condition; a comparison is its levels in order,
 * and a level's index (where its m and u are kept) is its position in that order, looked up by key
 * (`nameComparison.level.oneEdit`), never written as a number. Inserting a level therefore moves every
 * later index with it, and a stored model knows the labels it was fitted with (model-json.ts), so a model
 * of other levels is refused rather than read onto the wrong ones.
 *
 * When either side is missing the pair has no level, NULL_LEVEL: a missing value is not evidence, so it
 * weighs 0 and is left out of estimation.
 *
 * The levels say *how* two values agree; how much each level weighs is not decided here but estimated
 * from the data (estimate-u.ts, em.ts), so one set of comparisons serves Vietnamese records and foreign
 * test sets.
 */
import { isRegionalVariant, type PreparedRecord, type RecordList } from './record.js';
import { osaDistance, isSubsequence, sortedJaccard, withinOneEdit } from './strings.js';

/** Returned when either side is missing: weight 0, not counted by the estimators. */
export const NULL_LEVEL = -1;

/** Fields with a term-frequency table: agreeing on a common value is weaker evidence than on a rare one. */
export type TfField = 'name' | 'given';

type PairTest = (a: PreparedRecord, b: PreparedRecord) => boolean;

export interface Level {
  /** How code names the level (`comparison.level[key]` is its index). */
  readonly key: string;
  /** What people read (explain, review), and what a stored model is checked against. */
  readonly label: string;
  /**
   * The level in Vietnamese, as a reviewer reads it in a pair's reason ("tên gần giống", "cùng CCCD"): a
   * phrase naming its field, so that a pair's levels joined make a sentence. Every level of
   * DEFAULT_COMPARISONS has one (test/matchers/comparisons.test.ts); not part of a stored model.
   */
  readonly labelVi?: string;
  /**
   * Whether a pair is at this level. Asked only when no earlier level holds, so a condition may rely on
   * those having failed (the last level, the catch-all, is `always`).
   */
  readonly when: PairTest;
  /** At this level the two records agree on this field's value, and its frequency adjusts the weight. */
  readonly tf?: TfField;
  /**
   * Whose value the term frequency is read from: by default either record's (they agree on it); at a level
   * where one name's words are all in the other's, `fewerWords`: the shorter name's when it is one word, a
   * word both names hold (tfRecord).
   */
  readonly tfFrom?: 'fewerWords';
  /** The level says nothing either way (e.g. two identifier systems): weight 0, left out of estimation. */
  readonly neutral?: boolean;
  /** Upper bound on the level's weight in bits, for domain knowledge the estimator cannot see in the data. */
  readonly maxWeight?: number;
  /**
   * For a level so rare among strangers that a sample of random pairs sees it a handful of times at most:
   * how many of *all* pairs are at it, and how many have the field on both sides, counted exactly from the
   * records (estimate-u.ts uses it for u instead of the sample).
   */
  readonly countAllPairs?: (records: RecordList) => { readonly atLevel: number; readonly present: number };
}

export interface Comparison<Key extends string = string> {
  readonly name: string;
  /** Ordered from the strongest agreement to the last, catch-all "different" level. */
  readonly levels: readonly Level[];
  /** Each level's index by key, from the declared order: the one place a level number comes from. */
  readonly level: Readonly<Record<Key, number>>;
  /** True when either side lacks the field: the pair is at NULL_LEVEL. */
  readonly missing: PairTest;
  /** The index of the first level whose condition holds, or NULL_LEVEL. */
  readonly compare: (a: PreparedRecord, b: PreparedRecord) => number;
}

/** The catch-all last level's condition. */
export const always: PairTest = () => true;

/**
 * A comparison from its levels in order. Keys and labels must be distinct (the labels identify the levels
 * in a stored model) and the last level must be the catch-all, so every present pair gets a level.
 */
export function defineComparison<const L extends readonly Level[]>(name: string, missing: PairTest, levels: L): Comparison<L[number]['key']> {
  if (levels.length === 0 || levels[levels.length - 1]!.when !== always) {
    throw new Error(`comparison ${name}: the last level must be the catch-all (when: always)`);
  }
  for (const field of ['key', 'label'] as const) {
    const seen = new Set(levels.map((l) => l[field]));
    if (seen.size !== levels.length) throw new Error(`comparison ${name}: two levels share a ${field}`);
  }
  const level = Object.fromEntries(levels.map((l, i) => [l.key, i])) as Record<L[number]['key'], number>;
  return { name, levels, level, missing, compare: firstHolding(missing, levels.map((l) => l.when)) };
}

/**
 * `(a, b) => missing ? NULL_LEVEL : index of the first condition that holds`, the last being the catch-all.
 *
 * Written out per number of levels rather than as one loop, for speed: comparisons run on every candidate
 * pair and a million random pairs. V8 keeps call-site feedback per function *literal*, so in one shared
 * loop every comparison's conditions would meet at one call site, which then calls them all indirectly
 * (measured ~45% slower over the default comparisons). Here each condition has its own call site, which
 * sees only the conditions of comparisons with that many levels, and can inline them.
 */
function firstHolding(missing: PairTest, when: readonly PairTest[]): (a: PreparedRecord, b: PreparedRecord) => number {
  const [c0, c1, c2, c3, c4, c5, c6, c7] = when;
  const last = when.length - 1;
  const N = NULL_LEVEL;
  switch (last) {
    case 1:
      return (a, b) => (missing(a, b) ? N : c0!(a, b) ? 0 : 1);
    case 2:
      return (a, b) => (missing(a, b) ? N : c0!(a, b) ? 0 : c1!(a, b) ? 1 : 2);
    case 3:
      return (a, b) => (missing(a, b) ? N : c0!(a, b) ? 0 : c1!(a, b) ? 1 : c2!(a, b) ? 2 : 3);
    case 4:
      return (a, b) => (missing(a, b) ? N : c0!(a, b) ? 0 : c1!(a, b) ? 1 : c2!(a, b) ? 2 : c3!(a, b) ? 3 : 4);
    case 5:
      return (a, b) => (missing(a, b) ? N : c0!(a, b) ? 0 : c1!(a, b) ? 1 : c2!(a, b) ? 2 : c3!(a, b) ? 3 : c4!(a, b) ? 4 : 5);
    case 6:
      return (a, b) => (missing(a, b) ? N : c0!(a, b) ? 0 : c1!(a, b) ? 1 : c2!(a, b) ? 2 : c3!(a, b) ? 3 : c4!(a, b) ? 4 : c5!(a, b) ? 5 : 6);
    case 7:
      return (a, b) =>
        missing(a, b) ? N : c0!(a, b) ? 0 : c1!(a, b) ? 1 : c2!(a, b) ? 2 : c3!(a, b) ? 3 : c4!(a, b) ? 4 : c5!(a, b) ? 5 : c6!(a, b) ? 6 : 7;
    case 8:
      return (a, b) =>
        missing(a, b)
          ? N
          : c0!(a, b) ? 0 : c1!(a, b) ? 1 : c2!(a, b) ? 2 : c3!(a, b) ? 3 : c4!(a, b) ? 4 : c5!(a, b) ? 5 : c6!(a, b) ? 6 : c7!(a, b) ? 7 : 8;
    default:
      return (a, b) => {
        if (missing(a, b)) return N;
        for (let l = 0; l < last; l++) if (when[l]!(a, b)) return l;
        return last;
      };
  }
}

/**
 * An expensive measure of a pair (an edit distance, a Jaccard index) that several levels of one comparison
 * test in turn: computed once for the pair being compared, not once per level.
 */
function measuredOnce(measure: (a: PreparedRecord, b: PreparedRecord) => number): (a: PreparedRecord, b: PreparedRecord) => number {
  let lastA: PreparedRecord | null = null;
  let lastB: PreparedRecord | null = null;
  let value = 0;
  return (a, b) => {
    if (a !== lastA || b !== lastB) {
      value = measure(a, b);
      lastA = a;
      lastB = b;
    }
    return value;
  };
}

/**
 * The record whose value a TF level's adjustment is read from (Level.tfFrom), or null when none has a
 * frequency that means anything: a shorter name of several words (`van hung` beside `nguyen van hung`) is
 * rare as a whole name because words are missing from it, not because its words are rare, and would weigh
 * like a name seen once.
 */
export function tfRecord(level: Level, a: PreparedRecord, b: PreparedRecord): PreparedRecord | null {
  if (level.tfFrom !== 'fewerWords') return a;
  const shorter = b.tokens.length < a.tokens.length ? b : a;
  return shorter.tokens.length === 1 ? shorter : null;
}

/** The value a TF level agrees on (both records hold it, by construction of the level). */
export function tfValue(field: TfField, r: PreparedRecord): string | null {
  return field === 'name' ? r.nameKey : r.given;
}

/**
 * Two family names that may be the same person's: equal, the regional spellings of one surname
 * (Hoàng/Huỳnh, Vũ/Võ), or one typing slip apart when both have at least 4 letters. Short Vietnamese
 * surnames one letter apart are usually different surnames (Lê/Lý, Hà/Hồ → ha/ho), so they are not close.
 */
export function familyClose(a: string, b: string): boolean {
  if (a === b || isRegionalVariant(a, b)) return true;
  return Math.min(a.length, b.length) >= 4 && withinOneEdit(a, b);
}

/**
 * True when every word of the shorter name matches a distinct word of the longer one (any order), exactly
 * for words of up to 3 letters (Vietnamese syllables are short: an/anh are different names) and within
 * one typing slip for longer words.
 */
export function wordsContained(short: readonly string[], long: readonly string[]): boolean {
  if (short.length === 0 || short.length >= long.length) return false;
  const used = new Array<boolean>(long.length).fill(false);
  for (const word of short) {
    let found = -1;
    for (let i = 0; i < long.length && found < 0; i++) if (!used[i] && long[i] === word) found = i;
    if (found < 0 && word.length > 3) {
      for (let i = 0; i < long.length && found < 0; i++) if (!used[i] && long[i]!.length > 3 && withinOneEdit(long[i]!, word)) found = i;
    }
    if (found < 0) return false;
    used[found] = true;
  }
  return true;
}

/**
 * Edit distance of two names, bounded at 2: Levenshtein-with-transposition on the whole diacritic-free key,
 * or on the sorted words when that is smaller (a swapped order plus a typo still counts). Both keys are
 * present (the comparison's `missing` checks), and so are the sorted keys, derived from them.
 */
const nameDistance = measuredOnce((a, b) => {
  const d = osaDistance(a.nameKey!, b.nameKey!, 2);
  if (d > 1 && a.tokens.length > 1 && b.tokens.length > 1) return Math.min(d, osaDistance(a.sortedKey!, b.sortedKey!, 2));
  return d;
});

/** How many pairs of records share a (non-null) value of `key`. */
function pairsSharing(records: RecordList, key: (r: PreparedRecord) => string | null): number {
  const counts = new Map<string, number>();
  for (const r of records) {
    const k = key(r);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  let pairs = 0;
  for (const c of counts.values()) pairs += (c * (c - 1)) / 2;
  return pairs;
}

/** Letters of a name's diacritic-free key (its words are single-spaced). */
const letters = (r: PreparedRecord) => r.nameKey!.length - Math.max(r.tokens.length - 1, 0);

/** The shortest names (in letters) that the two-edits level applies to. */
export const TWO_EDITS_MIN_LETTERS = 8;

/**
 * Name levels, on the diacritic-free key unless said otherwise. Jaro-Winkler was the alternative to the
 * edit distance and is deliberately not used: it rewards a shared *prefix*, and a Vietnamese key begins
 * with the family name, the least informative part (~38% are Nguyễn), so every two `nguyen thi …` would
 * look alike. Edit distance treats every position the same.
 */
export const nameComparison = defineComparison('name', (a, b) => a.nameKey === null || b.nameKey === null, [
  {
    key: 'exact',
    label: 'same name with diacritics',
    labelVi: 'tên trùng',
    tf: 'name',
    // Upstream cleaning canonicalises tone placement (thuỷ → thủy), so equal display forms mean equal names;
    // if it did not, Thuỷ/Thủy still meet at the next level.
    when: (a, b) => a.nameLower !== null && a.nameLower === b.nameLower,
  },
  { key: 'withoutDiacritics', label: 'same name without diacritics', labelVi: 'tên trùng khi bỏ dấu', tf: 'name', when: (a, b) => a.nameKey === b.nameKey },
  {
    key: 'reordered',
    label: 'same words in another order',
    labelVi: 'tên cùng các chữ, khác thứ tự',
    when: (a, b) => a.sortedKey === b.sortedKey,
    // Among a million random pairs two strangers with the same words in another order (`Lan Nguyễn Thị`,
    // `Nguyễn Thị Lan`) are seen a few times or never, and u would be the sample's smoothing (half a pair in
    // the sample), a fixed number. Counted over all pairs instead: pairs with the same sorted words, less those with the same
    // key (the earlier levels).
    countAllPairs: (records) => {
      let named = 0;
      for (const r of records) if (r.nameKey !== null) named++;
      return {
        atLevel: pairsSharing(records, (r) => r.sortedKey) - pairsSharing(records, (r) => r.nameKey),
        present: (named * (named - 1)) / 2,
      };
    },
  },
  {
    key: 'middleMissing',
    label: 'same family and given name, middle name(s) missing on one side',
    labelVi: 'cùng họ và tên, thiếu tên đệm một bên',
    tf: 'given',
    // `Nguyễn Thủy` vs `Nguyễn Thị Thủy`: the tên đệm is often left out (DOMAIN.md §2.4).
    when: (a, b) => {
      if (a.given === null || a.given !== b.given || a.family !== b.family) return false;
      const [short, long] = a.middle.length < b.middle.length ? [a.middle, b.middle] : [b.middle, a.middle];
      return short.length < long.length && isSubsequence(short, long);
    },
  },
  { key: 'oneEdit', label: 'one edit apart', labelVi: 'tên gần giống (lệch một ký tự)', when: (a, b) => nameDistance(a, b) <= 1 },
  {
    key: 'twoEdits',
    label: 'two edits apart (names of 8 letters or more)',
    labelVi: 'tên gần giống (lệch hai ký tự)',
    // Two edits in a short name change most of it (`le van an`/`le van nam` are other people): only names of
    // TWO_EDITS_MIN_LETTERS letters or more, where two slips still leave most letters in place.
    when: (a, b) => Math.min(letters(a), letters(b)) >= TWO_EDITS_MIN_LETTERS && nameDistance(a, b) <= 2,
  },
  {
    key: 'familyClose',
    label: 'same given name, family name close (Hoàng/Huỳnh, Vũ/Võ, a typo)',
    labelVi: 'cùng tên, họ gần giống (Hoàng/Huỳnh, Vũ/Võ)',
    tf: 'given',
    when: (a, b) => a.given !== null && a.given === b.given && a.family !== null && b.family !== null && familyClose(a.family, b.family),
  },
  {
    key: 'wordsMissing',
    label: 'words missing on one side (only the given name, or only family + given)',
    labelVi: 'tên thiếu chữ ở một bên',
    // Sharing a rare surname is strong evidence, sharing `oliver` weak: a lone word's frequency among all
    // name words (TfTables.word). A shorter name of several words gets none (tfRecord).
    tf: 'name',
    tfFrom: 'fewerWords',
    when: (a, b) => (a.tokens.length < b.tokens.length ? wordsContained(a.tokens, b.tokens) : wordsContained(b.tokens, a.tokens)),
  },
  { key: 'different', label: 'different', labelVi: 'tên khác', when: always },
]);

/** Both birth dates are known to the day. */
const bothToTheDay: PairTest = (a, b) => a.birthDigits !== null && b.birthDigits !== null;

/** Both dates known to the day, with the same day and month (the years may differ). */
const sameDayAndMonth: PairTest = (a, b) => bothToTheDay(a, b) && a.birthMonth === b.birthMonth && a.birthDay === b.birthDay;

/** The distances of the "within a month" and "within a year" birth-date levels, in days (Splink's). */
const DAYS_IN_MONTH = 31;
const DAYS_IN_YEAR = 366;

/**
 * Birth-date levels, matching at the precision each record has (a year alone is never invented into 1 Jan).
 * The levels for dates known to the day and those for a coarser date on one side interleave: each
 * condition says which of the two cases it is about.
 */
export const birthDateComparison = defineComparison('birth_date', (a, b) => a.birthYear === null || b.birthYear === null, [
  { key: 'sameDay', label: 'same day', labelVi: 'ngày sinh trùng', when: (a, b) => bothToTheDay(a, b) && a.birthDigits === b.birthDigits },
  {
    key: 'sameAtCoarser',
    label: 'same at the coarser precision (year or month only on one side)',
    labelVi: 'ngày sinh khớp (một bên chỉ có năm/tháng)',
    when: (a, b) =>
      !bothToTheDay(a, b) && a.birthYear === b.birthYear && (a.birthMonth === null || b.birthMonth === null || a.birthMonth === b.birthMonth),
  },
  {
    key: 'dayMonthSwapped',
    label: 'day and month swapped',
    labelVi: 'ngày sinh đảo ngày và tháng',
    // dd/mm read as mm/dd by a US-locale Excel (DOMAIN.md §3.1).
    when: (a, b) => bothToTheDay(a, b) && a.birthYear === b.birthYear && a.birthMonth === b.birthDay && a.birthDay === b.birthMonth,
  },
  {
    key: 'digitSlip',
    label: 'one digit off or two adjacent digits swapped',
    labelVi: 'ngày sinh lệch một chữ số',
    // Same length, so "one edit" is one substituted digit or two adjacent digits transposed; with a coarser
    // date on one side only the years can be compared so.
    when: (a, b) =>
      bothToTheDay(a, b)
        ? withinOneEdit(a.birthDigits!, b.birthDigits!)
        : a.birthYear !== b.birthYear && withinOneEdit(String(a.birthYear), String(b.birthYear)),
  },
  // The year wrong, day and month right (a year typed from memory, or from another document): one year apart,
  // or two to ten. Strangers share a day and month 1 time in 365 whatever their years, so these levels are
  // far rarer among non-matches than "different"; how much they weigh, EM finds from the data.
  {
    key: 'yearOneApart',
    label: 'one year apart, same day and month',
    labelVi: 'ngày sinh lệch một năm (cùng ngày và tháng)',
    when: (a, b) => sameDayAndMonth(a, b) && Math.abs(a.birthYear! - b.birthYear!) === 1,
  },
  {
    key: 'yearsApart',
    label: '2 to 10 years apart, same day and month',
    labelVi: 'ngày sinh lệch 2–10 năm (cùng ngày và tháng)',
    when: (a, b) => sameDayAndMonth(a, b) && Math.abs(a.birthYear! - b.birthYear!) <= 10,
  },
  // Splink's date levels by distance: a day and a month both typed wrong, or a date across a new year,
  // leave the dates close whatever digits changed. EM weighs them like the others.
  {
    key: 'withinMonth',
    label: 'within a month',
    labelVi: 'ngày sinh cách nhau không quá một tháng',
    when: (a, b) => bothToTheDay(a, b) && Math.abs(a.birthDayNumber! - b.birthDayNumber!) <= DAYS_IN_MONTH,
  },
  { key: 'sameYear', label: 'same year', labelVi: 'cùng năm sinh', when: (a, b) => a.birthYear === b.birthYear },
  {
    key: 'withinYear',
    label: 'within a year (another year)',
    labelVi: 'ngày sinh cách nhau không quá một năm (khác năm)',
    when: (a, b) => bothToTheDay(a, b) && Math.abs(a.birthDayNumber! - b.birthDayNumber!) <= DAYS_IN_YEAR,
  },
  { key: 'different', label: 'different', labelVi: 'ngày sinh khác', when: always },
]);

/**
 * Two different identifier systems: CMND (9 digits) and CCCD (12 digits), one person holds both; or an
 * identifier of another kind (a passport, a BHYT number) beside a CCCD or CMND.
 */
const identifierSystemsDiffer: PairTest = (a, b) => a.citizenIdKind !== b.citizenIdKind;

/** Both IDs are of another kind than CCCD and CMND (`other`): they have their own levels, hence weights. */
const bothOther: PairTest = (a, b) => a.citizenIdKind === 'other' && b.citizenIdKind === 'other';

/** The same ID within one identifier system. */
const sameId: PairTest = (a, b) => !identifierSystemsDiffer(a, b) && a.citizenId === b.citizenId;

/**
 * Citizen-ID levels. Kind decides whether an ID is trusted enough to veto (rules.ts) and which levels, so
 * which weights, a pair gets:
 * - CCCD and CMND: the same, a parent's, one slip apart, different.
 * - Identifiers of another kind (a FEBRL social-security number, a passport, a BHYT or birth-certificate
 *   number): the same, one slip apart, different, each with its own weights: how much such a number
 *   proves is learnt from the data, not borrowed from the CCCD's.
 * - Different systems (CMND vs CCCD, another kind vs either) say nothing: one person has several
 *   documents. The level is neutral, also when the other kind's value is one slip from the CCCD (a digit
 *   dropped or added): measured on the generator's retro-worst mode, counting that as "one edit" joined
 *   11 more pairs of different people (person precision 0.9977 instead of 0.9982) for no recall.
 * - An ID whose digits 4–6 contradict a record's birth year is probably a parent's ID typed for a child;
 *   agreeing on it says "same family" as much as "same person", so its weight is capped at 2 bits
 *   whatever the estimator finds (siblings sharing a parent's ID may be too rare in a sample to show).
 */
export const citizenIdComparison = defineComparison('citizen_id', (a, b) => a.citizenId === null || b.citizenId === null, [
  { key: 'same', label: 'same ID', labelVi: 'cùng CCCD', when: (a, b) => sameId(a, b) && !bothOther(a, b) && a.idStatus !== 'contradicts' && b.idStatus !== 'contradicts' },
  { key: 'sameContradictingBirthYear', label: "same ID, contradicting a birth year (a parent's ID?)", labelVi: 'cùng CCCD nhưng không khớp năm sinh (số của cha mẹ?)', maxWeight: 2, when: (a, b) => sameId(a, b) && !bothOther(a, b) },
  {
    key: 'oneEdit',
    label: 'one edit or adjacent transposition apart',
    labelVi: 'CCCD lệch một chữ số',
    when: (a, b) => !bothOther(a, b) && !identifierSystemsDiffer(a, b) && withinOneEdit(a.citizenId!, b.citizenId!),
  },
  { key: 'sameOtherKind', label: 'same identifier of another kind (passport, BHYT, …)', labelVi: 'cùng số giấy tờ khác (hộ chiếu, BHYT, …)', when: (a, b) => bothOther(a, b) && a.citizenId === b.citizenId },
  { key: 'oneEditOtherKind', label: 'identifiers of another kind one edit apart', labelVi: 'số giấy tờ khác lệch một chữ số', when: (a, b) => bothOther(a, b) && withinOneEdit(a.citizenId!, b.citizenId!) },
  { key: 'otherSystem', label: 'CMND vs CCCD, or another kind of identifier (different systems)', labelVi: 'CMND và CCCD (hai loại giấy tờ)', neutral: true, when: identifierSystemsDiffer },
  { key: 'differentOtherKind', label: 'different identifiers of another kind', labelVi: 'số giấy tờ khác nhau', when: bothOther },
  { key: 'different', label: 'different', labelVi: 'CCCD khác', when: always },
]);

/** Two levels: the values are equal, or not. */
function exactComparison(name: string, value: (r: PreparedRecord) => string | null, vi: { readonly same: string; readonly different: string }) {
  return defineComparison(name, (a, b) => value(a) === null || value(b) === null, [
    { key: 'same', label: 'same', labelVi: vi.same, when: (a, b) => value(a) === value(b) },
    { key: 'different', label: 'different', labelVi: vi.different, when: always },
  ]);
}

export const sexComparison = exactComparison('sex', (r) => r.sex, { same: 'cùng giới', different: 'khác giới' });

/** Exact only: a phone is a weak, shared signal (a family's one phone; DOMAIN.md §3.2), EM decides how weak. */
export const phoneComparison = exactComparison('phone', (r) => r.phone, { same: 'cùng số điện thoại', different: 'số điện thoại khác' });

export const communeComparison = exactComparison('commune', (r) => r.commune, { same: 'cùng xã', different: 'khác xã' });

/** The shortest words that may differ by one typing slip in sameWordsWithSlips. */
const SLIP_MIN_LETTERS = 5;

/**
 * As many words on each side, each matched to a distinct word of the other, equal or one slip apart (long
 * words). A matching, not first come first served: taking the first word that fits could take the one
 * another word needed (`london londonx`/`londonx londoo`), and the answer would depend on which record
 * comes first. Addresses have a few words: augmenting paths over them cost nothing.
 */
export function sameWordsWithSlips(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  const partner = new Array<number>(b.length).fill(-1);
  for (let i = 0; i < a.length; i++) if (!placeWord(a, b, partner, i, new Array<boolean>(b.length).fill(false))) return false;
  return true;
}

/** Two address words sameWordsWithSlips may pair: equal, or long and one slip apart. */
const wordsFit = (x: string, y: string) => x === y || (x.length >= SLIP_MIN_LETTERS && y.length >= SLIP_MIN_LETTERS && withinOneEdit(x, y));

/**
 * Pairs a[i] with a word of b, moving earlier pairings along an augmenting path if need be (`partner`: the
 * word of a each word of b is paired with, -1 for none). At module level rather than a closure made per
 * pair: the loader names each function expression as it is created, a cost per call.
 */
function placeWord(a: readonly string[], b: readonly string[], partner: number[], i: number, seen: boolean[]): boolean {
  for (let j = 0; j < b.length; j++) {
    if (seen[j] || !wordsFit(a[i]!, b[j]!)) continue;
    seen[j] = true;
    if (partner[j] === -1 || placeWord(a, b, partner, partner[j]!, seen)) {
      partner[j] = i;
      return true;
    }
  }
  return false;
}

const addressJaccard = measuredOnce((a, b) => sortedJaccard(a.addressTokens, b.addressTokens));

/** Token-set Jaccard: word order and repeated words in free-text addresses do not matter. */
export const addressComparison = defineComparison('address', (a, b) => a.addressTokens.length === 0 || b.addressTokens.length === 0, [
  { key: 'close', label: 'Jaccard ≥ 0.8', labelVi: 'địa chỉ gần như trùng', when: (a, b) => addressJaccard(a, b) >= 0.8 },
  { key: 'similar', label: 'Jaccard ≥ 0.5', labelVi: 'địa chỉ gần giống', when: (a, b) => addressJaccard(a, b) >= 0.5 },
  {
    key: 'typo',
    label: 'the same words, some one typing slip apart (words of 5 letters or more)',
    labelVi: 'địa chỉ giống, lệch lỗi gõ',
    // `Lndon`/`London`, `Swasea`/`Swansea`: a typo in a one-word place puts the Jaccard at 0. Short words
    // (`thon 3`/`thon 4`, Vietnamese syllables) must still be equal.
    when: (a, b) => sameWordsWithSlips(a.addressTokens, b.addressTokens),
  },
  { key: 'different', label: 'different', labelVi: 'địa chỉ khác', when: always },
]);

const guardianDistance = measuredOnce((a, b) => osaDistance(a.guardianKey!, b.guardianKey!, 2));

/**
 * The mother's or guardian's name (childhood records): what joins a newborn's pre-naming rows to the
 * child's named rows, and a sibling's rows to each other (so the birth date and the child's own name must
 * still tell siblings apart: hard rules in rules.ts). A one-word guardian (`Con của Lan`) or a dropped middle
 * name agrees as words contained in the other.
 */
export const guardianComparison = defineComparison('guardian', (a, b) => a.guardianKey === null || b.guardianKey === null, [
  { key: 'same', label: 'same guardian name', labelVi: 'cùng tên người giám hộ', when: (a, b) => a.guardianKey === b.guardianKey },
  { key: 'oneEdit', label: 'guardian names one edit apart', labelVi: 'tên người giám hộ lệch một ký tự', when: (a, b) => guardianDistance(a, b) <= 1 },
  {
    key: 'contained',
    label: "guardian's words contained in the other's (given name only, middle name missing)",
    labelVi: 'tên người giám hộ thiếu chữ ở một bên',
    when: (a, b) =>
      a.guardianGiven === b.guardianGiven &&
      (a.guardianTokens.length < b.guardianTokens.length ? wordsContained(a.guardianTokens, b.guardianTokens) : wordsContained(b.guardianTokens, a.guardianTokens)),
  },
  { key: 'twoEdits', label: 'guardian names two edits apart', labelVi: 'tên người giám hộ lệch hai ký tự', when: (a, b) => guardianDistance(a, b) <= 2 },
  { key: 'different', label: 'different', labelVi: 'tên người giám hộ khác', when: always },
]);

/** Each comparison's field in Vietnamese, for the explanation's table ("So sánh"). */
export const COMPARISON_NAMES_VI: Readonly<Record<string, string>> = {
  name: 'Họ tên',
  birth_date: 'Ngày sinh',
  citizen_id: 'CCCD/CMND',
  sex: 'Giới tính',
  phone: 'Điện thoại',
  commune: 'Xã',
  address: 'Địa chỉ',
  guardian: 'Người giám hộ',
};

export const DEFAULT_COMPARISONS: readonly Comparison[] = [
  nameComparison,
  birthDateComparison,
  citizenIdComparison,
  sexComparison,
  phoneComparison,
  communeComparison,
  addressComparison,
  guardianComparison,
];

/**
 * Comparisons that agree *together* among non-matches, given a joint u (model.ts, estimate-u.ts). One household shares
 * a phone (parents' phone on children's records, DOMAIN.md §3.2), a commune and an address: for siblings
 * or a parent and child the three agree at once, so their chance agreement is that of "same household",
 * not the product of three chance agreements.
 * The citizen ID is left out on purpose although a parent's ID is shared in families too: in a group a
 * level's weight cap cannot apply, and the parent's-ID level is already capped (citizenIdComparison).
 * The guardian's name is a household's too (siblings share their mother), so it joins the group.
 */
export const DEFAULT_CORRELATED: readonly (readonly string[])[] = [['phone', 'commune', 'address', 'guardian']];
