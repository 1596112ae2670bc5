/**
 * Commune/ward codes (mã xã/phường) under the two code lists of DOMAIN.md §4.1: QĐ 124/2004/QĐ-TTg (3 levels,
 * until 30 Jun 2025) and QĐ 19/2025/QĐ-TTg (2 levels, 3,321 units, from 1 Jul 2025).
 *
 * Most 2025 units carry the code of one of the communes they absorbed (3,316 of 3,321 codes are in both
 * lists), so a code alone does not say which list it comes from (DOMAIN §4.3.3). The vaccination date
 * decides, and where the two readings name different units the value is flagged. Old codes are mapped to
 * the current unit through the official conversion table when it names exactly one.
 *
 * The reference data is `data/admin-units.json`, built by `scripts/build-admin-units.ts` and shipped with
 * the tool; it is read once, at module load.
 */
import { readFileSync } from 'node:fs';
import { cleaned, finding, isBlank, type Cleaned, type Finding } from './finding.js';
import type { CommuneCode, PartialDate } from './types.js';

type Scheme = CommuneCode['scheme'];
type Member = readonly [code: string, name: string];

/** The layout written by `scripts/build-admin-units.ts`. */
interface AdminUnitsFile {
  readonly communes2004: readonly (readonly [province: string, district: string, communes: readonly Member[]])[];
  readonly communes2025: readonly (readonly [province: string, communes: readonly Member[]])[];
  /** `[newCode, ...oldCodes]`: an old code under several new codes was split among them. */
  readonly conversion: readonly (readonly [newCode: string, ...oldCodes: string[]])[];
}

interface Unit {
  readonly name: string;
  /** 2-digit province code in the same list as the unit. */
  readonly province: string;
}

const ADMIN_UNITS = JSON.parse(
  readFileSync(new URL('../../data/admin-units.json', import.meta.url), 'utf8'),
) as AdminUnitsFile;

function unitMap(groups: readonly (readonly [string, ...unknown[]])[]): ReadonlyMap<string, Unit> {
  const map = new Map<string, Unit>();
  for (const group of groups) {
    const province = group[0];
    for (const [code, name] of group[group.length - 1] as readonly Member[]) map.set(code, { name, province });
  }
  return map;
}

const COMMUNES_2004 = unitMap(ADMIN_UNITS.communes2004);
const COMMUNES_2025 = unitMap(ADMIN_UNITS.communes2025);

/** Old code → the new codes its territory went to (sorted; one for a whole merge, several for a split). */
const SUCCESSORS: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const [newCode, ...oldCodes] of ADMIN_UNITS.conversion) {
    for (const oldCode of oldCodes) {
      const list = map.get(oldCode);
      if (list) list.push(newCode);
      else map.set(oldCode, [newCode]);
    }
  }
  for (const list of map.values()) list.sort();
  return map;
})();

const FIVE_DIGITS = /^\d{5}$/;
/** After trimming: an optional leading apostrophe (Excel's text mark), 1–5 digits, an optional `.0` from a float cell. */
const TYPED_CODE = /^'?(\d{1,5})(\.0+)?$/;

const DECIMAL_REMOVED = finding('commune_code.decimal_removed');
const LEADING_ZERO_RESTORED = finding('commune_code.leading_zero_restored');
const UNREADABLE = finding('commune_code.unreadable');
const UNKNOWN = finding('commune_code.unknown');
const SPLIT = finding('commune_code.split_in_2025');
const NOT_CONVERTED = finding('commune_code.not_in_conversion');
const AMBIGUOUS = finding('commune_code.ambiguous_scheme');

/** 1 Jul 2025, when QĐ 19/2025/QĐ-TTg took effect (DOMAIN §4.1). A year-only 2025 date is not "before". */
function beforeReform(date: PartialDate | null): boolean {
  if (date === null) return false;
  if (date.year !== 2025) return date.year < 2025;
  return date.precision !== 'year' && date.month < 7;
}

function withFindings(value: CommuneCode, findings: readonly Finding[], extra?: Finding): Cleaned<CommuneCode> {
  return cleaned(value, extra ? [...findings, extra] : findings);
}

/** A code of the old list only: its current unit is the single successor in the conversion table. */
function fromOldList(code: string, findings: readonly Finding[]): Cleaned<CommuneCode> {
  const successors = SUCCESSORS.get(code);
  if (successors === undefined) return withFindings({ code, scheme: '2004', current: null }, findings, NOT_CONVERTED);
  if (successors.length > 1) return withFindings({ code, scheme: '2004', current: null }, findings, SPLIT);
  return withFindings({ code, scheme: '2004', current: successors[0]! }, findings);
}

/**
 * A code in both lists. When the old commune went whole into the new one with the same code, both readings
 * name the same current unit and only the scheme depends on the date. Otherwise the readings differ: the
 * old reading is taken only when the vaccination was before the reform AND it names exactly one current
 * unit. In the data every such conflict is an old commune split among several new ones, one of which kept
 * its code; the 2025 reading is then one of the old reading's possible successors and the only definite
 * one (and files uploaded since the reform use the new list), so it is taken, and the value is flagged.
 */
function fromBothLists(code: string, findings: readonly Finding[], vaccinated: PartialDate | null): Cleaned<CommuneCode> {
  if (SUCCESSORS.get(code)?.includes(code)) {
    // Unchanged, or split with this 2025 unit keeping the old code: both readings lead to the same current
    // unit, so the date only tells which list the station most likely used. (All 3,316 codes in both lists
    // of the July 2025 tables are of this kind.)
    return withFindings({ code, scheme: beforeReform(vaccinated) ? '2004' : '2025', current: code }, findings);
  }
  return withFindings({ code, scheme: '2025', current: code }, findings, AMBIGUOUS);
}

function resolve(code: string, findings: readonly Finding[], vaccinated: PartialDate | null): Cleaned<CommuneCode> {
  const inOld = COMMUNES_2004.has(code);
  const inNew = COMMUNES_2025.has(code);
  if (inOld && inNew) return fromBothLists(code, findings, vaccinated);
  if (inNew) return withFindings({ code, scheme: '2025', current: code }, findings);
  if (inOld) return fromOldList(code, findings);
  return cleaned(null, [...findings, UNKNOWN]);
}

/**
 * Cleans one commune code; `vaccinated` (the row's cleaned vaccination date) tells which code list a code
 * found in both lists most likely comes from.
 */
export function normalizeCommuneCode(raw: string, vaccinated: PartialDate | null): Cleaned<CommuneCode> {
  if (FIVE_DIGITS.test(raw)) return resolve(raw, [], vaccinated);
  if (isBlank(raw)) return cleaned(null);
  const typed = TYPED_CODE.exec(raw.trim());
  if (typed === null) return cleaned(null, [UNREADABLE]);
  const digits = typed[1]!;
  const findings: Finding[] = [];
  if (typed[2] !== undefined) findings.push(DECIMAL_REMOVED);
  // Excel turned the code into a number: `00376` became `376` (DOMAIN §0, the same trap as for CCCDs).
  if (digits.length < 5) findings.push(LEADING_ZERO_RESTORED);
  return resolve(digits.padStart(5, '0'), findings, vaccinated);
}

/** The unit's name in the given list (`Xã Sóc Sơn`), for reports; null when the code is not in that list. */
export function communeName(code: string, scheme: Scheme): string | null {
  return (scheme === '2004' ? COMMUNES_2004 : COMMUNES_2025).get(code)?.name ?? null;
}

/** The 2-digit 2025 province of a current (2025) commune code, e.g. `CommuneCode.current`; null if unknown. */
export function currentProvinceOf(code: string): string | null {
  return COMMUNES_2025.get(code)?.province ?? null;
}

/** The district and province (both of the old list) of a pre-2025 commune code; null when not in that list. */
export function oldCommuneParents(code: string): { readonly district: string; readonly province: string } | null {
  return OLD_PARENTS.get(code) ?? null;
}

/** The pre-2025 communes a 2025 unit was formed from (the conversion table); empty when not in it. */
export function predecessorsOf(currentCode: string): readonly string[] {
  return PREDECESSORS.get(currentCode) ?? [];
}

const OLD_PARENTS: ReadonlyMap<string, { readonly district: string; readonly province: string }> = new Map(
  ADMIN_UNITS.communes2004.flatMap(([province, district, communes]) => communes.map(([code]) => [code, { district, province }] as const)),
);

const PREDECESSORS: ReadonlyMap<string, readonly string[]> = new Map(ADMIN_UNITS.conversion.map(([newCode, ...oldCodes]) => [newCode, oldCodes]));

/** The 2025 communes a pre-2025 commune's territory went to (one for a whole merge, several for a split). */
export function successorsOf(oldCode: string): readonly string[] {
  return SUCCESSORS.get(oldCode) ?? [];
}
