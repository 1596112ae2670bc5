/**
 * Hard rules beside the score: facts that make two records different people however similar they look.
 * Each rule returns a reason (for the reviewer and the audit trail) or null. No rule ever forces a match.
 *
 * Reasons name the rule, never the values: they are stored and shown, and must not carry personal data.
 */
import { prepareRecord, type MatchRecord, type PreparedRecord } from './record.js';
import { withinOneEdit } from './strings.js';

export interface HardRule {
  readonly name: string;
  readonly check: (a: PreparedRecord, b: PreparedRecord) => string | null;
}

/**
 * The ID a record can be trusted to carry as its own: a CCCD whose digits 4–6 agree with the record's
 * birth year. A CMND, an invalid text, an unchecked or contradicting CCCD never vetoes anything.
 */
export function reliableId(r: PreparedRecord): string | null {
  return r.idStatus === 'reliable' ? r.citizenId : null;
}

/**
 * Two IDs that may be one person's: equal, or one typing slip apart (a digit changed, two adjacent digits
 * swapped) — a slip can keep digits 4–6 intact, so consistency alone does not prove two IDs are two people.
 */
export function sameIdModuloTypo(x: string, y: string): boolean {
  return withinOneEdit(x, y);
}

export const differentReliableIds: HardRule = {
  name: 'different_citizen_ids',
  check(a, b) {
    const x = reliableId(a);
    const y = reliableId(b);
    if (x === null || y === null || sameIdModuloTypo(x, y)) return null;
    return 'two different citizen IDs (CCCD), each consistent with its own birth year';
  },
};

/** Years between two partial dates, at the precision both have (a year-only date is taken as mid-year). */
function yearsApart(a: PreparedRecord, b: PreparedRecord): number | null {
  if (a.birthYear === null || b.birthYear === null) return null;
  const t = (r: PreparedRecord) => r.birthYear! + ((r.birthMonth ?? 6.5) - 1) / 12 + ((r.birthDay ?? 15) - 1) / 365;
  return Math.abs(t(a) - t(b));
}

/** Smallest gap in years for `sameIdFarApart`: below it, a wrong birth year is a more likely story than a parent. */
export const PARENT_CHILD_MIN_YEARS = 12;

/** Given names that may be one person's: equal, or one typing slip apart. */
function sameGivenName(a: PreparedRecord, b: PreparedRecord): boolean {
  return a.given !== null && b.given !== null && withinOneEdit(a.given, b.given);
}

/**
 * The same ID on two records born 12+ years apart: a child recorded under a parent's ID (DOMAIN.md §2.4).
 * Not when the given names agree: a parent and a child practically never share a given name (Vietnamese
 * custom avoids giving a child a parent's name), so the same name under the same ID is one person with a
 * wrong birth date. Not either when the dates are one mistyped digit apart (1985 → 1965).
 */
export const sameIdFarApart: HardRule = {
  name: 'same_id_birth_far_apart',
  check(a, b) {
    if (a.citizenId === null || a.citizenId !== b.citizenId) return null;
    const gap = yearsApart(a, b);
    if (gap === null || gap < PARENT_CHILD_MIN_YEARS) return null;
    if (sameGivenName(a, b)) return null;
    if (a.birthDigits !== null && b.birthDigits !== null) {
      if (withinOneEdit(a.birthDigits, b.birthDigits)) return null;
    } else if (withinOneEdit(String(a.birthYear), String(b.birthYear))) return null;
    return `same citizen ID but birth dates ${PARENT_CHILD_MIN_YEARS}+ years apart (a child recorded under a parent's ID?)`;
  },
};

/** Family names that may be one family's: equal, one typing slip apart, or the regional Hoàng/Huỳnh, Vũ/Võ. */
function sameFamilyName(a: PreparedRecord, b: PreparedRecord): boolean {
  return a.family !== null && b.family !== null && (withinOneEdit(a.family, b.family) || a.familyGroup === b.familyGroup);
}

/**
 * The same ID on a man and a woman with different given names: a relative's ID (a parent's, a spouse's)
 * typed on the form (DOMAIN.md §2.4). One person's record with both the given name and the sex wrong is
 * far less likely, while a wrong name alone is common (the 2022 clean-up found millions of right IDs with
 * wrong names, DOMAIN.md §0), so a name difference alone is left to the score. Without a birth date on one
 * side `sameIdFarApart` cannot see a parent, and the household's agreeing ID, phone and commune would
 * outweigh the names.
 */
export const relativeUnderSameId: HardRule = {
  name: 'relative_under_same_id',
  check(a, b) {
    if (a.citizenId === null || a.citizenId !== b.citizenId) return null;
    if (a.sex === null || b.sex === null || a.sex === b.sex) return null;
    if (a.given === null || b.given === null || sameGivenName(a, b)) return null;
    return "same citizen ID on a man and a woman with different given names (a relative's ID?)";
  },
};

/**
 * Twins: same family name (a slip in it allowed), same birth date to the day, different given names. Given
 * names one slip apart (`thuy`/`thuj`) are left to the score: a typo is likelier than twins named one
 * letter apart.
 *
 * The rule stands aside when both records carry the *same* ID and neither record's birth year
 * contradicts it: twins have two IDs, and one consistent ID on both records is stronger evidence of one
 * person (with a wrongly entered given name) than the name difference is of two. The score then decides.
 * Known cost: a twin recorded under the other twin's ID can merge (a parent's ID on both twins
 * contradicts their birth year, so the rule still holds there).
 */
export const twins: HardRule = {
  name: 'twins',
  check(a, b) {
    if (!sameFamilyName(a, b)) return null;
    if (a.birthDigits === null || a.birthDigits !== b.birthDigits) return null;
    if (a.given === null || b.given === null || sameGivenName(a, b)) return null;
    if (a.citizenId !== null && a.citizenId === b.citizenId && a.idStatus !== 'contradicts' && b.idStatus !== 'contradicts') {
      return null;
    }
    return 'same family name and birth date but different given names (twins?)';
  },
};

export const DEFAULT_HARD_RULES: readonly HardRule[] = [differentReliableIds, sameIdFarApart, relativeUnderSameId, twins];

export interface Veto {
  readonly rule: string;
  readonly reason: string;
}

/** The first rule that forbids linking a and b, or null. */
export function vetoOf(a: MatchRecord, b: MatchRecord, rules: readonly HardRule[] = DEFAULT_HARD_RULES): Veto | null {
  const pa = prepareRecord(a);
  const pb = prepareRecord(b);
  for (const rule of rules) {
    const reason = rule.check(pa, pb);
    if (reason !== null) return { rule: rule.name, reason };
  }
  return null;
}
