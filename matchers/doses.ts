/**
 * Dose events within one person: the rows that report the same injection, collapsed into one.
 *
 * One injection is often reported two or three times: by the station that gave it, by the campaign that
 * organised it and by the national platform (src/synth/generate.ts models this). The copies name the same
 * vaccine but otherwise drift: a campaign or the platform often records the day before or after, a copy often
 * lacks the dose number or the lot, and a date may arrive as a month or a year only.
 *
 * Method. Reports of one vaccine with day-precision dates form *star* groups: every report of a group lies
 * within one day of one reported date, the group's anchor. Anchors are chosen greedily, the date covering the
 * most still-ungrouped reports first (ties: the earlier date). Why not the alternatives:
 * - single linkage (transitive ±1-day links) lets a chain 20th–21st–22nd–23rd become one injection four days
 *   wide, and a person's two genuine doses could be joined through stray rows between them;
 * - complete linkage (every pair ≤ 1 day) splits the commonest three-copy case: station on the day, campaign
 *   the day after, platform the day before. Each copy is a day from the true date but the outer two are two
 *   days apart, so it would count one injection as two doses.
 * A star group spans at most three consecutive days, far below the shortest interval between two doses of one
 * vaccine in DOMAIN.md §5 (Japanese encephalitis, 1–2 weeks), so it never holds two genuine doses; two reports
 * two days apart with no report between them are still kept apart (and flagged). The result depends only on
 * the sorted reports, never on input order.
 *
 * Reports that fit no star (a coarse date, no vaccine, no date) then join an existing group only when exactly
 * one group fits them; an ambiguous report stays a dose of its own and its gap is flagged for review.
 *
 * Pure and allocation-light: one small object per report and per group, O(n²) per person (n ≤ ~30).
 */

export interface DoseRow {
  /** Caller's index of the row (opaque). */
  readonly row: number;
  /** vaxsync catalogue code (e.g. 'COVID-AZ', 'BCG'), or null if the row named none / an unknown vaccine. */
  readonly vaccine: string | null;
  /** Partial ISO date: 'yyyy' | 'yyyy-mm' | 'yyyy-mm-dd', or null. */
  readonly date: string | null;
  readonly doseNumber: number | null;
  /** Lot number (upper case) or null. */
  readonly lot: string | null;
}

export interface DoseGroup {
  /** The `row` values, ascending. */
  readonly rows: readonly number[];
  /** Agreed value (most frequent non-null; ties → earliest row). */
  readonly vaccine: string | null;
  /** The most precise agreed date (a day-precision date wins over a month/year one). */
  readonly date: string | null;
  /** Agreed value (most frequent non-null; ties → earliest row). */
  readonly doseNumber: number | null;
  /**
   * Human-readable reasons when the rows disagree in a way that needs a person to look (empty when
   * consistent). Each starts with a stable code and a colon: `dose_number_mismatch`, `lot_mismatch`,
   * `date_missing`, `vaccine_missing`, `dose_number_repeated`, `possible_duplicate`.
   */
  readonly conflicts: readonly string[];
}

/** Copies of one injection lie within this many days of their group's anchor date (see the method above). */
const SAME_INJECTION_DAYS = 1;
/**
 * Two groups of one vaccine whose reports come this close were kept apart only because no report lay between
 * them (or a chain was cut): they may be one injection, so the later one is flagged.
 */
const POSSIBLE_DUPLICATE_DAYS = 2;

const MS_PER_DAY = 86_400_000;
const ISO_PARTIAL = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** A dose row with its date read once, as the inclusive span of days (since 1970-01-01) it may stand for. */
interface Report {
  readonly source: DoseRow;
  /** False when the row gives no readable date; `first` and `last` are then meaningless. */
  readonly dated: boolean;
  readonly first: number;
  readonly last: number;
}

/** A group under construction. */
interface Builder {
  /** Every report in a group names this vaccine or none, so the agreed vaccine is this one. */
  readonly vaccine: string | null;
  readonly members: Report[];
  /** The finest-dated report: where the group sits in time, and what later reports are compared with. */
  anchor: Report | null;
}

function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** An unreadable date counts as no date: input is cleaned upstream, so this is a safeguard, not a path. */
function reportOf(source: DoseRow): Report {
  const m = source.date === null ? null : ISO_PARTIAL.exec(source.date);
  if (m) {
    const year = Number(m[1]);
    if (m[2] === undefined) return { source, dated: true, first: dayNumber(year, 1, 1), last: dayNumber(year + 1, 1, 1) - 1 };
    const month = Number(m[2]);
    if (month >= 1 && month <= 12) {
      const monthFirst = dayNumber(year, month, 1);
      const monthLast = dayNumber(year, month + 1, 1) - 1;
      if (m[3] === undefined) return { source, dated: true, first: monthFirst, last: monthLast };
      const day = monthFirst + Number(m[3]) - 1;
      if (day >= monthFirst && day <= monthLast) return { source, dated: true, first: day, last: day };
    }
  }
  return { source, dated: false, first: 0, last: 0 };
}

function isDay(r: Report): boolean {
  return r.dated && r.first === r.last;
}

/**
 * Whether two dated reports can be copies of one injection: within a day at day precision; otherwise the
 * coarser contains the finer (calendar spans are nested or disjoint, so overlapping means containing).
 */
function datesAgree(a: Report, b: Report): boolean {
  if (isDay(a) && isDay(b)) return Math.abs(a.first - b.first) <= SAME_INJECTION_DAYS;
  return a.first <= b.last && b.first <= a.last;
}

/**
 * The order reports are grouped in, which makes the result independent of input order: dated before undated
 * (undated reports can only join dated groups once those exist); per vaccine, null vaccine last (it joins
 * groups of any vaccine); finer dates first (day reports form the stars, coarser ones then join them); then
 * by date; undated ones with a dose number first (they are the easier to place); then by row.
 */
function processingOrder(a: Report, b: Report): number {
  if (a.dated !== b.dated) return a.dated ? -1 : 1;
  const va = a.source.vaccine;
  const vb = b.source.vaccine;
  if (va !== vb) {
    if (va === null) return 1;
    if (vb === null) return -1;
    return va < vb ? -1 : 1;
  }
  if (a.dated) {
    const finer = a.last - a.first - (b.last - b.first);
    if (finer !== 0) return finer;
    if (a.first !== b.first) return a.first - b.first;
  } else {
    const na = a.source.doseNumber;
    const nb = b.source.doseNumber;
    if (na !== nb) {
      if (na === null) return 1;
      if (nb === null) return -1;
      return na - nb;
    }
  }
  return a.source.row - b.source.row;
}

/** Star groups over `reports[from..to)`: day-dated reports of one vaccine, sorted by day. */
function formStars(reports: readonly Report[], from: number, to: number, vaccine: string, out: Builder[]): void {
  const grouped = new Uint8Array(to - from);
  let left = to - from;
  while (left > 0) {
    let anchor = -1;
    let best = 0;
    for (let i = from; i < to; i++) {
      if (grouped[i - from]) continue;
      const day = reports[i]!.first;
      let covered = 0;
      for (let j = from; j < to; j++) {
        if (!grouped[j - from] && Math.abs(reports[j]!.first - day) <= SAME_INJECTION_DAYS) covered++;
      }
      // Strictly more: sorted by day, so a tie keeps the earlier date.
      if (covered > best) {
        best = covered;
        anchor = i;
      }
    }
    const center = reports[anchor]!;
    const members: Report[] = [];
    for (let j = from; j < to; j++) {
      if (!grouped[j - from] && Math.abs(reports[j]!.first - center.first) <= SAME_INJECTION_DAYS) {
        grouped[j - from] = 1;
        members.push(reports[j]!);
        left--;
      }
    }
    // Dose numbers are not consulted: one vaccine within a day identifies the injection, and a differing
    // number on a copy is a reporting slip (flagged as dose_number_mismatch when the group is finished).
    out.push({ vaccine, members, anchor: center });
  }
}

function carriesDoseNumber(group: Builder, n: number): boolean {
  return group.members.some((r) => r.source.doseNumber === n);
}

/** A report without a dose number fits any group; one with a number fits groups with no number or the same. */
function doseNumberFits(n: number | null, group: Builder): boolean {
  return n === null || group.members.every((r) => r.source.doseNumber === null || r.source.doseNumber === n);
}

/**
 * Whether a report that formed no star may be a copy of the group's injection. A dated report needs the dates
 * to agree and, if it names a vaccine, the same vaccine; an undated report (`wantDated` says which groups it
 * is tried against) needs the same vaccine. Dose numbers must not contradict, since without a day-precise
 * date and a vaccine together nothing else identifies the injection.
 */
function fits(report: Report, group: Builder, wantDated: boolean): boolean {
  const vaccine = report.source.vaccine;
  if (vaccine !== null && group.vaccine !== vaccine) return false;
  if (!doseNumberFits(report.source.doseNumber, group)) return false;
  if (report.dated) return group.anchor !== null && datesAgree(report, group.anchor);
  return (group.anchor !== null) === wantDated;
}

/**
 * The one group the report belongs to, or null when none or several fit. Among several, a single group with
 * the report's own dose number settles it (the undated dose 2 belongs with the dated dose 2).
 */
function chooseGroup(report: Report, groups: readonly Builder[], wantDated: boolean): Builder | null {
  const n = report.source.doseNumber;
  let fitting = 0;
  let onlyFitting: Builder | null = null;
  let sameNumber = 0;
  let onlySameNumber: Builder | null = null;
  for (const group of groups) {
    if (!fits(report, group, wantDated)) continue;
    fitting++;
    onlyFitting = group;
    if (n !== null && carriesDoseNumber(group, n)) {
      sameNumber++;
      onlySameNumber = group;
    }
  }
  if (sameNumber === 1) return onlySameNumber;
  return fitting === 1 ? onlyFitting : null;
}

function join(group: Builder, report: Report): void {
  group.members.push(report);
  if (report.dated && (group.anchor === null || report.last - report.first < group.anchor.last - group.anchor.first)) {
    group.anchor = report;
  }
}

/** Joins the one fitting group, or starts a group of its own (which later reports may join). */
function place(report: Report, groups: Builder[]): void {
  const group =
    chooseGroup(report, groups, true) ?? (report.dated ? null : chooseGroup(report, groups, false));
  if (group) join(group, report);
  else groups.push({ vaccine: report.source.vaccine, members: [report], anchor: report.dated ? report : null });
}

/** Most frequent non-null value; ties → the earliest row (members are sorted by row). */
function mostFrequent<T>(members: readonly Report[], valueOf: (r: DoseRow) => T | null): T | null {
  let best: T | null = null;
  let bestCount = 0;
  for (let i = 0; i < members.length; i++) {
    const value = valueOf(members[i]!.source);
    if (value === null) continue;
    let count = 0;
    for (let j = i; j < members.length; j++) if (valueOf(members[j]!.source) === value) count++;
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

/**
 * The group's date: a day date if any report gives one, the one within a day of the most day reports (the
 * centre of a day-before/day-after spread), then the most reported, then the earliest row's; otherwise the
 * narrowest coarse date. Members are sorted by row.
 */
function agreedDate(members: readonly Report[]): Report | null {
  let best: Report | null = null;
  let bestCoverage = -1;
  let bestCount = -1;
  for (const a of members) {
    if (!isDay(a)) continue;
    let coverage = 0;
    let count = 0;
    for (const b of members) {
      if (!isDay(b)) continue;
      if (Math.abs(a.first - b.first) <= SAME_INJECTION_DAYS) coverage++;
      if (a.first === b.first) count++;
    }
    if (coverage > bestCoverage || (coverage === bestCoverage && count > bestCount)) {
      best = a;
      bestCoverage = coverage;
      bestCount = count;
    }
  }
  if (best) return best;
  for (const a of members) {
    if (a.dated && (best === null || a.last - a.first < best.last - best.first)) best = a;
  }
  return best;
}

/** Distinct non-null values in row order. */
function distinct<T>(members: readonly Report[], valueOf: (r: DoseRow) => T | null): T[] {
  const values: T[] = [];
  for (const r of members) {
    const value = valueOf(r.source);
    if (value !== null && !values.includes(value)) values.push(value);
  }
  return values;
}

interface Finished {
  readonly group: Builder;
  readonly date: Report | null;
  readonly doseNumber: number | null;
  readonly conflicts: string[];
}

/**
 * A dose's conflicts as stored (`dose.conflicts`): a code, then the English for operators. Each kind is made
 * and read back here, so a person's page can show it in Vietnamese (`doseConflictVi`).
 */
export const DOSE_CONFLICTS = {
  dose_number_mismatch: { en: 'the reports give doses ', vi: 'các báo cáo ghi mũi số khác nhau: ' },
  lot_mismatch: { en: 'the reports give lots ', vi: 'các báo cáo ghi số lô khác nhau: ' },
  date_missing: { en: 'no report gives a date and it fits no single dated dose', vi: 'không báo cáo nào ghi ngày tiêm, và không khớp với riêng một mũi đã có ngày' },
  vaccine_missing: { en: 'no report names a known vaccine and it fits no single dose', vi: 'không báo cáo nào ghi vắc xin đã biết, và không khớp với riêng một mũi nào' },
} as const;
type DoseConflictCode = keyof typeof DOSE_CONFLICTS;

const doseConflict = (code: DoseConflictCode, values = '') => `${code}: ${DOSE_CONFLICTS[code].en}${values}`;

/** A stored conflict in Vietnamese (the values it lists kept); one no code matches stays as written. */
export function doseConflictVi(stored: string): string {
  const colon = stored.indexOf(': ');
  const code = stored.slice(0, colon) as DoseConflictCode;
  const spec = colon > 0 && Object.hasOwn(DOSE_CONFLICTS, code) ? DOSE_CONFLICTS[code] : null;
  const rest = colon > 0 ? stored.slice(colon + 2) : '';
  if (!spec || !rest.startsWith(spec.en)) return stored;
  return `${spec.vi}${rest.slice(spec.en.length)}`;
}

/** Disagreements inside one group. */
function finish(group: Builder): Finished {
  const members = group.members.sort((a, b) => a.source.row - b.source.row);
  const conflicts: string[] = [];
  const numbers = distinct(members, (r) => r.doseNumber);
  if (numbers.length > 1) conflicts.push(doseConflict('dose_number_mismatch', numbers.join(', ')));
  const lots = distinct(members, (r) => r.lot);
  if (lots.length > 1) conflicts.push(doseConflict('lot_mismatch', lots.join(', ')));
  const date = agreedDate(members);
  if (date === null) conflicts.push(doseConflict('date_missing'));
  if (group.vaccine === null) conflicts.push(doseConflict('vaccine_missing'));
  return { group, date, doseNumber: mostFrequent(members, (r) => r.doseNumber), conflicts };
}

/** Closest distance in days between day-dated reports of two groups (Infinity when either has none). */
function closestDays(a: Builder, b: Builder): number {
  let closest = Infinity;
  for (const x of a.members) {
    if (!isDay(x)) continue;
    for (const y of b.members) if (isDay(y)) closest = Math.min(closest, Math.abs(x.first - y.first));
  }
  return closest;
}

/** Whether two dated groups might be one injection split by the rules: close day dates, or nested spans. */
function closeInTime(a: Finished, b: Finished): boolean {
  if (a.date === null || b.date === null) return false;
  if (isDay(a.date) && isDay(b.date)) return closestDays(a.group, b.group) <= POSSIBLE_DUPLICATE_DAYS;
  return a.date.first <= b.date.last && b.date.first <= a.date.last;
}

/** Where a group ends in time: coarse groups sort after the day groups they contain; undated ones last. */
function timeOrder(a: Finished, b: Finished): number {
  if (a.date === null || b.date === null) {
    if (a.date !== b.date) return a.date === null ? 1 : -1;
  } else if (a.date.last !== b.date.last) return a.date.last - b.date.last;
  return a.group.members[0]!.source.row - b.group.members[0]!.source.row;
}

/**
 * Disagreements between groups of one vaccine, noted on the later group so a reviewer sees the pair once:
 * the same dose number twice is a data error (a dose is given once), and two groups close enough to be one
 * injection were kept apart only because the rules refuse to guess.
 */
function noteAcrossGroups(finished: Finished[]): void {
  const inTime = [...finished].sort(timeOrder);
  for (let j = 1; j < inTime.length; j++) {
    const later = inTime[j]!;
    const vaccine = later.group.vaccine;
    if (vaccine === null) continue;
    for (let i = 0; i < j; i++) {
      const earlier = inTime[i]!;
      if (earlier.group.vaccine !== vaccine) continue;
      const when = earlier.date ? `on ${earlier.date.source.date}` : 'with no date';
      if (later.doseNumber !== null && later.doseNumber === earlier.doseNumber) {
        later.conflicts.push(`dose_number_repeated: dose ${later.doseNumber} of ${vaccine} is also reported ${when}`);
      } else if (
        (later.doseNumber === null || earlier.doseNumber === null) &&
        closeInTime(earlier, later)
      ) {
        later.conflicts.push(`possible_duplicate: another ${vaccine} dose ${when} may be the same injection`);
      }
    }
  }
}

/**
 * The dose events of one person's rows. Rows with neither vaccine nor date register the person and belong
 * to no dose. Groups are ordered by their first row.
 */
export function groupDoses(rows: readonly DoseRow[]): DoseGroup[] {
  const reports: Report[] = [];
  for (const row of rows) {
    const report = reportOf(row);
    // Checked after reading the date: an unreadable date is no date, and such a row without a vaccine
    // registers the person like any other.
    if (report.dated || row.vaccine !== null) reports.push(report);
  }
  reports.sort(processingOrder);

  const groups: Builder[] = [];
  let i = 0;
  while (i < reports.length && reports[i]!.dated) {
    const vaccine = reports[i]!.source.vaccine;
    let end = i;
    while (end < reports.length && reports[end]!.dated && reports[end]!.source.vaccine === vaccine) end++;
    let coarse = i;
    if (vaccine !== null) {
      while (coarse < end && isDay(reports[coarse]!)) coarse++;
      formStars(reports, i, coarse, vaccine, groups);
    }
    for (let k = coarse; k < end; k++) place(reports[k]!, groups);
    i = end;
  }
  for (; i < reports.length; i++) place(reports[i]!, groups);

  const finished = groups.map(finish);
  noteAcrossGroups(finished);
  return finished
    .sort((a, b) => a.group.members[0]!.source.row - b.group.members[0]!.source.row)
    .map(({ group, date, doseNumber, conflicts }) => ({
      rows: group.members.map((r) => r.source.row),
      vaccine: group.vaccine,
      date: date === null ? null : date.source.date,
      doseNumber,
      conflicts,
    }));
}
