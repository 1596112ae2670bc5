/**
 * Hard rules beside the score: facts that make two records different people however similar they look.
 * Each rule returns a reason (for the reviewer and the audit trail) or null. No rule ever forces a match.
 *
 * Reasons name the rule, never the values: they are stored and shown, and must not carry personal data.
 */
import { wordsContained } from './comparisons.js';
import { prepareRecord, type MatchRecord, type PreparedRecord, type RecordList } from './record.js';
import { isFoldedSyllable, osaDistance, sameNameWord, withinOneEdit } from './strings.js';

/**
 * Every reason a rule gives, in English (stored with the link, logs, the CLI) and in Vietnamese (what a
 * reviewer reads): the one catalogue of them. Rules return the English text; `ruleReasonVi` finds its
 * Vietnamese, also for a reason stored by an earlier run.
 */
export const RULE_REASONS = {
  different_citizen_ids: {
    en: 'two different citizen IDs (CCCD), each consistent with its own birth year',
    vi: 'hai số CCCD khác nhau, mỗi số khớp với năm sinh của bản ghi mình',
  },
  same_id_birth_far_apart: {
    en: 'same citizen ID but birth dates 12+ years apart (a child recorded under a parent\'s ID?)',
    vi: 'cùng số CCCD nhưng ngày sinh cách nhau từ 12 năm (trẻ ghi theo số của cha mẹ?)',
  },
  relative_under_same_id: {
    en: "same citizen ID on a man and a woman with different given names (a relative's ID?)",
    vi: 'cùng số CCCD cho một nam và một nữ khác tên (số của người thân?)',
  },
  twins: {
    en: 'same family name and birth date but different given names (twins?)',
    vi: 'cùng họ và ngày sinh nhưng khác tên (sinh đôi?)',
  },
  guardian_and_child: {
    en: "a child's record and one born 14+ years earlier (its mother or guardian?)",
    vi: 'bản ghi của trẻ và một người sinh trước từ 14 năm (mẹ hoặc người giám hộ?)',
  },
  siblings: {
    en: 'same mother or guardian, births 9+ months apart (siblings?)',
    vi: 'cùng mẹ hoặc người giám hộ, sinh cách nhau từ 9 tháng (anh chị em?)',
  },
  twins_pre_naming_sex: {
    en: "a twin's pre-naming row and a row of the twin of the other sex",
    vi: 'dòng chưa đặt tên của một trẻ sinh đôi và dòng của trẻ sinh đôi khác giới',
  },
  twins_pre_naming: {
    en: "a pre-naming row of a mother's twins: which twin it is needs a person",
    vi: 'dòng chưa đặt tên của trẻ sinh đôi: cần người xem là trẻ nào',
  },
} as const satisfies Record<string, { readonly en: string; readonly vi: string }>;

const REASON_VI: ReadonlyMap<string, string> = new Map(Object.values(RULE_REASONS).map((r) => [r.en, r.vi]));

/** A rule's reason in Vietnamese, from its English text; null for a text the catalogue does not hold. */
export const ruleReasonVi = (reason: string): string | null => REASON_VI.get(reason) ?? null;

export interface HardRule {
  readonly name: string;
  readonly check: (a: PreparedRecord, b: PreparedRecord) => string | null;
  /**
   * What a pair the rule holds gets: `veto` (default) keeps the two records apart; `review` leaves the pair
   * to a person (the rule sees a doubt the score cannot settle, such as which twin a newborn's row is), and
   * the engine never merges it on its own either.
   */
  readonly outcome?: 'veto' | 'review';
  /**
   * Cluster-level constraints (engine.ts) look for vetoed pairs inside each cluster and split it. A rule
   * that reads a value one slip can change may hold between two rows of one person whose slips differ
   * (`Phương` typed `Phhơng` on one row and `Phuogn` on another); this says whether the veto still stands
   * given the cluster's other records. Default: it stands.
   */
  readonly standsInCluster?: (a: PreparedRecord, b: PreparedRecord, cluster: readonly PreparedRecord[]) => boolean;
}

/**
 * Rules that need to see every record of the run before they can judge a pair (e.g. whether a mother has
 * twins): built once per run from the prepared records.
 */
export type RecordRules = (records: RecordList) => readonly HardRule[];

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

/**
 * Share of a cluster's rows (of those that carry the compared values) the smaller side must hold for a
 * veto read from slip-prone values to split the cluster: a person with twenty rows can have two that share
 * one odd pair of slips (a wrong birth digit and a mistyped given name), but two people merged by a chain each
 * bring their own rows (twins about half each). Judgement, not fitted.
 */
export const CLUSTER_SPLIT_MIN_SHARE = 0.25;

/**
 * For cluster-level constraints (HardRule.standsInCluster): whether each of a and b is backed, among the
 * cluster's records that carry the compared values, by other records that agree with it and not with the
 * other (`like`): two values each written on two rows or more, and the rarer on at least
 * CLUSTER_SPLIT_MIN_SHARE of the cluster's rows, are two people's; a value on one row only, or one both sides resemble
 * (`Phương` between the slips `Phhơng` and `Phuogn`), may be one row's slip.
 */
function supportedApart(
  cluster: readonly PreparedRecord[],
  a: PreparedRecord,
  b: PreparedRecord,
  like: (r: PreparedRecord, x: PreparedRecord) => boolean,
): boolean {
  let forA = 0;
  let forB = 0;
  let rows = 0;
  for (const r of cluster) {
    if (r.given === null && (a.given !== null || b.given !== null)) continue;
    rows++;
    const likeA = like(r, a);
    const likeB = like(r, b);
    if (likeA && !likeB) forA++;
    else if (likeB && !likeA) forB++;
  }
  return Math.min(forA, forB) >= Math.max(2, CLUSTER_SPLIT_MIN_SHARE * rows);
}

export const differentReliableIds: HardRule = {
  name: 'different_citizen_ids',
  check(a, b) {
    const x = reliableId(a);
    const y = reliableId(b);
    if (x === null || y === null || sameIdModuloTypo(x, y)) return null;
    return RULE_REASONS.different_citizen_ids.en;
  },
};

/** A birth date in years, at its precision (a year-only date is taken as mid-year). */
const yearsOf = (r: PreparedRecord) => r.birthYear! + ((r.birthMonth ?? 6.5) - 1) / 12 + ((r.birthDay ?? 15) - 1) / 365;

/**
 * Years between two partial dates, at the precision both have. (Helpers here live at module level: the
 * loader names every function expression as it is created, which a closure made per pair paid each time.)
 */
function yearsApart(a: PreparedRecord, b: PreparedRecord): number | null {
  if (a.birthYear === null || b.birthYear === null) return null;
  return Math.abs(yearsOf(a) - yearsOf(b));
}

/** Smallest gap in years for `sameIdFarApart`: below it, a wrong birth year is a more likely story than a parent. */
export const PARENT_CHILD_MIN_YEARS = 12;

/**
 * Given names that may be one person's: equal, one typing slip apart, or spelled alike by ear (`Chừ`/`Trừ`,
 * `Dế`/`Giế`: a minority name has no one spelling, strings.ts soundKey).
 */
function sameGivenName(a: PreparedRecord, b: PreparedRecord): boolean {
  return a.given !== null && b.given !== null && sameNameWord(a.given, b.given);
}

/**
 * Given names two slips apart of which exactly one is a Vietnamese syllable (`Phương`/`Hpươgn`,
 * `Tuyền`/`Xuyềb`, `Oan`/`Aoh`): one name typed badly, not a second name. Two real names two letters apart
 * (`Long`/`Lân`, `Vy`/`Vân`) stay different names (`Hùng`/`Dũng` are one slip apart: sameGivenName's).
 */
function mistypedGivenName(a: PreparedRecord, b: PreparedRecord): boolean {
  if (a.given === null || b.given === null) return false;
  // Exactly one a syllable: a Kinh name typed badly. Neither (`Sophal`/`Sophon`, Khmer names) says
  // nothing of a slip, since minority and foreign names fit no syllable at all: the rule holds.
  if (isFoldedSyllable(a.given) === isFoldedSyllable(b.given)) return false;
  return osaDistance(a.given, b.given, 2) <= 2;
}

/**
 * `a` written given name first (`Nhân Nguyễn` for `Nguyễn Hoàng Nhân`, `Anh Nguyễn Đức`): its first word is
 * b's given name, b's family name is one of its other words, and every other word of it is one of b's family
 * or middle names, each within a slip. Every word must be accounted for: a child often carries the mother's
 * family name as a middle name (`Hồ Lê Minh`, son of `Lê Thị Hà`), and a husband's family name can be one
 * slip from his wife's given name (`Hoàng Vũ Long`, husband of `Vũ Thị Hằng`); their own given name is the
 * word that is not the relative's.
 */
function writtenGivenFirst(a: PreparedRecord, b: PreparedRecord): boolean {
  if (a.tokens.length < 2 || b.given === null || b.family === null || !sameNameWord(a.tokens[0]!, b.given)) return false;
  const rest = a.tokens.slice(1);
  if (!rest.some((word) => sameNameWord(word, b.family!))) return false;
  const others = b.tokens.slice(0, -1); // b's family and middle names
  return rest.every((word) => others.some((other) => sameNameWord(word, other)));
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
    return RULE_REASONS.same_id_birth_far_apart.en;
  },
  standsInCluster: (a, b, cluster) => supportedApart(cluster, a, b, (r, x) => r.birthYear === x.birthYear),
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
    if (a.given === null || b.given === null || sameGivenName(a, b) || mistypedGivenName(a, b)) return null;
    // The same name words in another order (`Lan Nguyễn Thị` beside `Nguyễn Thị Lan`), or the given name
    // written first with words dropped or mistyped (`Nhân Nguyễn`): one person, and a wrong sex on one row; a
    // relative never carries the same three words, nor the given name in the family name's place.
    if (a.sortedKey !== null && a.sortedKey === b.sortedKey) return null;
    if (writtenGivenFirst(a, b) || writtenGivenFirst(b, a)) return null;
    return RULE_REASONS.relative_under_same_id.en;
  },
  // Not a cluster-level constraint: a wrong sex and a reordered or mistyped name on a few rows of one person
  // (retro-entry at its worst) look exactly like it, and the relative's rows have a veto of their own
  // (sameIdFarApart, or their own ID).
  standsInCluster: () => false,
};

/**
 * Twins: same family name (a slip in it allowed), same birth date to the day, different given names. Given
 * names one slip apart (`thuy`/`thuj`), spelled alike by ear (`Chừ`/`Trừ`) or two slips apart with exactly one
 * a Vietnamese syllable (`Phương`/`Hpươgn`) are left to the score: a typo or another spelling is likelier
 * than twins named one letter or one sound apart.
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
    if (a.given === null || b.given === null || sameGivenName(a, b) || mistypedGivenName(a, b)) return null;
    if (a.citizenId !== null && a.citizenId === b.citizenId && a.idStatus !== 'contradicts' && b.idStatus !== 'contradicts') {
      return null;
    }
    return RULE_REASONS.twins.en;
  },
  // Twins each have their own rows: within a cluster, each given name must be on two rows or more (one row's
  // name two slips from another's, with nothing else giving it, is a typo of the same name).
  standsInCluster: (a, b, cluster) => supportedApart(cluster, a, b, (r, x) => sameNameWord(r.given!, x.given!)),
};

// ---- Childhood records: guardians, siblings, twins (issue 14) ---------------------------------------------------

/** Whole days since 1970-01-01 of a birth known to the day. */
function birthDayNumber(r: PreparedRecord): number {
  return Date.UTC(r.birthYear!, r.birthMonth! - 1, r.birthDay!) / 86_400_000;
}

/**
 * Whether `child`'s guardian name (its mother's, or the name its pre-naming placeholder holds) names
 * `person`: the same key, one slip apart, or the words of one contained in the other (middle name dropped;
 * `Con của Lan`, a given name only, against `Nguyễn Thị Lan`).
 */
function guardianNames(child: PreparedRecord, person: PreparedRecord): boolean {
  const g = child.guardianKey;
  if (g === null || person.nameKey === null) return false;
  if (g === person.nameKey || withinOneEdit(g, person.nameKey)) return true;
  if (child.guardianGiven !== person.given) return false;
  return child.guardianTokens.length < person.tokens.length
    ? wordsContained(child.guardianTokens, person.tokens)
    : wordsContained(person.tokens, child.guardianTokens);
}

/** Smallest gap in years between a child's record and a record born so much earlier that it is a parent's. */
export const GUARDIAN_CHILD_MIN_YEARS = 14;

/**
 * A child is never merged with its own guardian: one record names the other as its mother or guardian
 * (`guardian_name`, or the name in a pre-naming placeholder), or one of them is a child's record (it has a
 * guardian, or a placeholder for a name) and they were born 14+ years apart (a mother, as for
 * `sameIdFarApart`, unless the two dates are one mistyped digit apart). A baby entered under its mother's
 * CCCD and phone agrees with her on the strongest fields; this is what keeps them apart.
 */
export const guardianAndChild: HardRule = {
  name: 'guardian_and_child',
  check(a, b) {
    if (guardianNames(a, b) || guardianNames(b, a)) return "one record names the other as its mother or guardian";
    if (a.guardianKey === null && b.guardianKey === null && !a.preNaming && !b.preNaming) return null;
    const gap = yearsApart(a, b);
    if (gap === null || gap < GUARDIAN_CHILD_MIN_YEARS) return null;
    if (a.birthDigits !== null && b.birthDigits !== null ? withinOneEdit(a.birthDigits, b.birthDigits) : withinOneEdit(String(a.birthYear), String(b.birthYear))) {
      return null;
    }
    return RULE_REASONS.guardian_and_child.en;
  },
};

/** Two guardian names that may be one person's: equal, one slip apart, or one's words within the other's. */
function sameGuardian(a: PreparedRecord, b: PreparedRecord): boolean {
  const x = a.guardianKey;
  const y = b.guardianKey;
  if (x === null || y === null) return false;
  if (x === y || withinOneEdit(x, y)) return true;
  if (a.guardianGiven !== b.guardianGiven) return false;
  return a.guardianTokens.length < b.guardianTokens.length ? wordsContained(a.guardianTokens, b.guardianTokens) : wordsContained(b.guardianTokens, a.guardianTokens);
}

/** A mother's births other than twins are at least this far apart (a pregnancy; the generator uses 10+ months). */
export const SIBLING_MIN_DAYS = 270;

/**
 * Siblings: the same mother or guardian and births 9+ months apart are two children, whether their rows carry
 * a name or a pre-naming placeholder (two siblings' `Con bà Nguyễn Thị Lan` rows are the same text). Not when
 * both rows give the child the same given name (a mistyped birth date is then the likelier story), nor when
 * the dates are one mistyped digit or a day/month swap apart.
 */
export const siblingsApart: HardRule = {
  name: 'siblings',
  check(a, b) {
    if (a.birthDigits === null || b.birthDigits === null || a.birthDigits === b.birthDigits) return null;
    if (!sameGuardian(a, b) || sameGivenName(a, b)) return null;
    if (withinOneEdit(a.birthDigits, b.birthDigits)) return null;
    if (a.birthYear === b.birthYear && a.birthMonth === b.birthDay && a.birthDay === b.birthMonth) return null;
    if (Math.abs(birthDayNumber(a) - birthDayNumber(b)) < SIBLING_MIN_DAYS) return null;
    return RULE_REASONS.siblings.en;
  },
};

/**
 * Twins' pre-naming rows. When a mother has two named children born on one day (twins: two given names not one
 * slip apart), a `Con bà …` row of that day could be either child's: it goes to review rather than being
 * attached to one of them, unless sex separates them (a `Bé trai` row, or a row with its sex, against a
 * named twin of the other sex is that twin's sibling: vetoed; of the same sex, when the twins differ in sex,
 * it is left to the score).
 */
/**
 * What twinsPreNaming groups records by (the guardian's given name and the birth day): its rules for a pair
 * depend only on the records sharing the pair's key, so an incremental link that loads those has them whole.
 */
export const twinsKey = (r: PreparedRecord): string | null => (r.guardianGiven !== null && r.birthDigits !== null ? `${r.guardianGiven}|${r.birthDigits}` : null);

export const twinsPreNaming: RecordRules = (records) => {
  const keyOf = twinsKey;
  // Named children per (guardian's given name, birth day), told apart by given name: how many rows give each
  // name, the guardian names written on them (the most frequent is the guardian's), and the sexes.
  interface Child {
    readonly given: string;
    rows: number;
    readonly guardians: Map<string, { count: number; record: PreparedRecord }>;
    readonly sexes: Set<string>;
  }
  const named = new Map<string, Child[]>();
  for (const r of records) {
    if (r.preNaming || r.given === null) continue;
    const key = keyOf(r);
    if (key === null) continue;
    let children = named.get(key);
    if (!children) named.set(key, (children = []));
    let child = children.find((c) => sameNameWord(c.given, r.given!));
    if (!child) children.push((child = { given: r.given, rows: 0, guardians: new Map(), sexes: new Set() }));
    child.rows++;
    const seen = child.guardians.get(r.guardianKey!);
    if (seen) seen.count++;
    else child.guardians.set(r.guardianKey!, { count: 1, record: r });
    if (r.sex !== null) child.sexes.add(r.sex);
  }
  const guardianOf = (c: Child) => [...c.guardians.values()].reduce((x, y) => (y.count > x.count ? y : x)).record;
  // Twins: two children born the same day to one guardian (their most written guardian names equal or one
  // slip apart: not merely contained, since `Nguyễn Trang` is contained in two mothers' names), each named on
  // two rows or more (a name seen once may be a slip of the other). Kept as the guardian and both sexes.
  const twinsByKey = new Map<string, { guardian: PreparedRecord; sexes: Set<string> }[]>();
  for (const [key, children] of named) {
    const sure = children.filter((c) => c.rows >= 2);
    for (let i = 0; i < sure.length; i++) {
      for (let j = i + 1; j < sure.length; j++) {
        const gi = guardianOf(sure[i]!);
        const gj = guardianOf(sure[j]!);
        if (!withinOneEdit(gi.guardianKey!, gj.guardianKey!)) continue;
        const list = twinsByKey.get(key) ?? [];
        list.push({ guardian: gi, sexes: new Set([...sure[i]!.sexes, ...sure[j]!.sexes]) });
        twinsByKey.set(key, list);
      }
    }
  }
  if (twinsByKey.size === 0) return [];
  /** The twins a pair with a pre-naming row may belong to: same guardian and birth day as a mother's twins. */
  const twinsOf = (a: PreparedRecord, b: PreparedRecord): Set<string> | null => {
    if (!a.preNaming && !b.preNaming) return null;
    const key = keyOf(a);
    if (key === null || key !== keyOf(b)) return null;
    const twins = twinsByKey.get(key)?.find((t) => sameGuardian(t.guardian, a) && sameGuardian(t.guardian, b));
    return twins?.sexes ?? null;
  };
  const sexSeparates: HardRule = {
    name: 'twins_pre_naming_sex',
    check(a, b) {
      if (twinsOf(a, b) === null) return null;
      if (a.sex === null || b.sex === null || a.sex === b.sex) return null;
      return RULE_REASONS.twins_pre_naming_sex.en;
    },
  };
  const ambiguous: HardRule = {
    name: 'twins_pre_naming',
    outcome: 'review',
    check(a, b) {
      const sexes = twinsOf(a, b);
      if (sexes === null) return null;
      const [p, other] = a.preNaming ? [a, b] : [b, a];
      if (!other.preNaming && p.sex !== null && p.sex === other.sex && sexes.size === 2) return null;
      return RULE_REASONS.twins_pre_naming.en;
    },
  };
  return [sexSeparates, ambiguous];
};

export const DEFAULT_HARD_RULES: readonly HardRule[] = [
  differentReliableIds,
  sameIdFarApart,
  relativeUnderSameId,
  twins,
  guardianAndChild,
  siblingsApart,
];

/** Rules built per run from all records (DEFAULT_HARD_RULES judge a pair alone). */
export const DEFAULT_RECORD_RULES: readonly RecordRules[] = [twinsPreNaming];

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
