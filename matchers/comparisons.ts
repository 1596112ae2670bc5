/**
 * Comparisons: for each field, an ordered list of agreement levels, the first that holds wins (Splink's
 * comparison levels). Each comparison is a pure function `(a, b) => level index`, or NULL_LEVEL when either
 * side is missing: a missing value is not evidence, so it weighs 0 and is left out of estimation.
 *
 * The levels say *how* two values agree; how much each level weighs is not decided here but estimated
 * from the data (model.ts), so one set of comparisons serves Vietnamese records and foreign test sets.
 */
import { isRegionalVariant, type PreparedRecord } from './record.js';
import { osaDistance, isSubsequence, sortedJaccard, withinOneEdit } from './strings.js';

/** Returned when either side is missing: weight 0, not counted by the estimators. */
export const NULL_LEVEL = -1;

/** Fields with a term-frequency table: agreeing on a common value is weaker evidence than on a rare one. */
export type TfField = 'name' | 'given';

export interface Level {
  readonly label: string;
  /** At this level the two records agree on this field's value, and its frequency adjusts the weight. */
  readonly tf?: TfField;
  /** The level says nothing either way (e.g. two identifier systems): weight 0, left out of estimation. */
  readonly neutral?: boolean;
  /** Upper bound on the level's weight in bits, for domain knowledge the estimator cannot see in the data. */
  readonly maxWeight?: number;
}

export interface Comparison {
  readonly name: string;
  /** Ordered from the strongest agreement to the last, catch-all "different" level. */
  readonly levels: readonly Level[];
  readonly compare: (a: PreparedRecord, b: PreparedRecord) => number;
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
 * Name levels. Distances are Levenshtein-with-transposition on the whole diacritic-free key (or on the
 * sorted words, whichever is smaller, so a swapped order plus a typo still counts), bounded at 2.
 * Jaro-Winkler was the alternative and is deliberately not used: it rewards a shared *prefix*, and a
 * Vietnamese key begins with the family name, the least informative part (~38% are Nguyễn), so every two
 * `nguyen thi …` would look alike. Edit distance treats every position the same.
 */
export const nameComparison: Comparison = {
  name: 'name',
  levels: [
    { label: 'same name with diacritics', tf: 'name' },
    { label: 'same name without diacritics', tf: 'name' },
    { label: 'same words in another order' },
    { label: 'same family and given name, middle name(s) missing on one side', tf: 'given' },
    { label: 'one edit apart' },
    { label: 'two edits apart' },
    { label: 'same given name, family name close (Hoàng/Huỳnh, Vũ/Võ, a typo)', tf: 'given' },
    { label: 'words missing on one side (only the given name, or only family + given)' },
    { label: 'different' },
  ],
  compare(a, b) {
    if (a.nameKey === null || b.nameKey === null) return NULL_LEVEL;
    // Upstream cleaning canonicalises tone placement (thuỷ → thủy), so equal display forms mean equal names;
    // if it did not, Thuỷ/Thủy still meet at the next level.
    if (a.nameLower !== null && a.nameLower === b.nameLower) return 0;
    if (a.nameKey === b.nameKey) return 1;
    if (a.sortedKey === b.sortedKey) return 2;
    if (a.given !== null && a.given === b.given && a.family === b.family) {
      // `Nguyễn Thủy` vs `Nguyễn Thị Thủy`: the tên đệm is often left out (DOMAIN.md §2.4).
      const [short, long] = a.middle.length < b.middle.length ? [a.middle, b.middle] : [b.middle, a.middle];
      if (short.length < long.length && isSubsequence(short, long)) return 3;
    }
    let d = osaDistance(a.nameKey, b.nameKey, 2);
    if (d > 1 && a.tokens.length > 1 && b.tokens.length > 1) d = Math.min(d, osaDistance(a.sortedKey!, b.sortedKey!, 2));
    if (d <= 1) return 4;
    if (d <= 2) return 5;
    if (a.given !== null && a.given === b.given && a.family !== null && b.family !== null && familyClose(a.family, b.family)) {
      return 6;
    }
    if (a.tokens.length < b.tokens.length ? wordsContained(a.tokens, b.tokens) : wordsContained(b.tokens, a.tokens)) return 7;
    return 8;
  },
};

/** Birth-date levels, matching at the precision each record has (a year alone is never invented into 1 Jan). */
export const birthDateComparison: Comparison = {
  name: 'birth_date',
  levels: [
    { label: 'same day' },
    { label: 'same at the coarser precision (year or month only on one side)' },
    { label: 'day and month swapped' },
    { label: 'one digit off or two adjacent digits swapped' },
    { label: 'same year' },
    { label: 'different' },
  ],
  compare(a, b) {
    if (a.birthYear === null || b.birthYear === null) return NULL_LEVEL;
    if (a.birthDigits !== null && b.birthDigits !== null) {
      if (a.birthDigits === b.birthDigits) return 0;
      // dd/mm read as mm/dd by a US-locale Excel (DOMAIN.md §3.1).
      if (a.birthYear === b.birthYear && a.birthMonth === b.birthDay && a.birthDay === b.birthMonth) return 2;
      // Same length, so "one edit" is one substituted digit or two adjacent digits transposed.
      if (withinOneEdit(a.birthDigits, b.birthDigits)) return 3;
      return a.birthYear === b.birthYear ? 4 : 5;
    }
    if (a.birthYear !== b.birthYear) return withinOneEdit(String(a.birthYear), String(b.birthYear)) ? 3 : 5;
    if (a.birthMonth === null || b.birthMonth === null || a.birthMonth === b.birthMonth) return 1;
    return 4;
  },
};

/**
 * Citizen-ID levels. Values are compared whatever their kind (a FEBRL social-security number, an ID typed
 * with a digit missing): kind only decides whether an ID is trusted enough to veto (rules.ts). Two
 * exceptions:
 * - CMND (9 digits) vs CCCD (12 digits) are different identifier systems: one person has both, so
 *   "different" would be a false disagreement. The level is neutral.
 * - An ID whose digits 4–6 contradict a record's birth year is probably a parent's ID typed for a child;
 *   agreeing on it says "same family" as much as "same person", so its weight is capped at 2 bits
 *   whatever the estimator finds (siblings sharing a parent's ID may be too rare in a sample to show).
 */
export const citizenIdComparison: Comparison = {
  name: 'citizen_id',
  levels: [
    { label: 'same ID' },
    { label: "same ID, contradicting a birth year (a parent's ID?)", maxWeight: 2 },
    { label: 'one edit or adjacent transposition apart' },
    { label: 'CMND vs CCCD (different identifier systems)', neutral: true },
    { label: 'different' },
  ],
  compare(a, b) {
    if (a.citizenId === null || b.citizenId === null) return NULL_LEVEL;
    if (
      (a.citizenIdKind === 'cmnd' && b.citizenIdKind === 'cccd') ||
      (a.citizenIdKind === 'cccd' && b.citizenIdKind === 'cmnd')
    ) {
      return 3;
    }
    if (a.citizenId === b.citizenId) return a.idStatus === 'contradicts' || b.idStatus === 'contradicts' ? 1 : 0;
    if (withinOneEdit(a.citizenId, b.citizenId)) return 2;
    return 4;
  },
};

export const sexComparison: Comparison = {
  name: 'sex',
  levels: [{ label: 'same' }, { label: 'different' }],
  compare(a, b) {
    if (a.sex === null || b.sex === null) return NULL_LEVEL;
    return a.sex === b.sex ? 0 : 1;
  },
};

/** Exact only: a phone is a weak, shared signal (a family's one phone; DOMAIN.md §3.2), EM decides how weak. */
export const phoneComparison: Comparison = {
  name: 'phone',
  levels: [{ label: 'same' }, { label: 'different' }],
  compare(a, b) {
    if (a.phone === null || b.phone === null) return NULL_LEVEL;
    return a.phone === b.phone ? 0 : 1;
  },
};

export const communeComparison: Comparison = {
  name: 'commune',
  levels: [{ label: 'same' }, { label: 'different' }],
  compare(a, b) {
    if (a.commune === null || b.commune === null) return NULL_LEVEL;
    return a.commune === b.commune ? 0 : 1;
  },
};

/** Token-set Jaccard: word order and repeated words in free-text addresses do not matter. */
export const addressComparison: Comparison = {
  name: 'address',
  levels: [{ label: 'Jaccard ≥ 0.8' }, { label: 'Jaccard ≥ 0.5' }, { label: 'different' }],
  compare(a, b) {
    if (a.addressTokens.length === 0 || b.addressTokens.length === 0) return NULL_LEVEL;
    const j = sortedJaccard(a.addressTokens, b.addressTokens);
    return j >= 0.8 ? 0 : j >= 0.5 ? 1 : 2;
  },
};

export const DEFAULT_COMPARISONS: readonly Comparison[] = [
  nameComparison,
  birthDateComparison,
  citizenIdComparison,
  sexComparison,
  phoneComparison,
  communeComparison,
  addressComparison,
];

/**
 * Comparisons that agree *together* among non-matches, given a joint u (model.ts). One household shares
 * a phone (parents' phone on children's records, DOMAIN.md §3.2), a commune and an address: for siblings
 * or a parent and child the three agree at once, so their chance agreement is that of "same household",
 * not the product of three chance agreements.
 * The citizen ID is left out on purpose although a parent's ID is shared in families too: in a group a
 * level's weight cap cannot apply, and the parent's-ID level is already capped (citizenIdComparison).
 */
export const DEFAULT_CORRELATED: readonly (readonly string[])[] = [['phone', 'commune', 'address']];
