/**
 * Administrative units for the reports' roll-ups (DOMAIN.md §4): commune → district → province on the
 * pre-July-2025 map (QĐ 124/2004, three levels), commune → province on the 2025 map (QĐ 19/2025, two
 * levels: there is no district to roll up to).
 *
 * Reports count per commune in SQL and hand those few rows here; summing them up the tree is plain
 * arithmetic, so percentages are always recomputed from summed counts, never averaged.
 *
 * Which commune a row belongs to on each map: on the 2025 map the current code (the record's
 * `commune_current`, the person's golden `commune_code`); on the 2024 map the old code the record carried
 * (a record cleaned under the 2004 list keeps it), else the one old commune the 2025 unit was formed from
 * when there was only one. Otherwise the old commune is not known and the row goes to "không rõ".
 */
import { readFileSync } from 'node:fs';
import { communeName, currentProvinceOf, oldCommuneParents, predecessorsOf } from '../clean/commune.js';

export type AdminLevel = 'commune' | 'district' | 'province';
export type AdminMap = '2025' | '2024';
export const ADMIN_LEVELS = ['commune', 'district', 'province'] as const satisfies readonly AdminLevel[];
export const ADMIN_MAPS = ['2025', '2024'] as const satisfies readonly AdminMap[];

export class UnitError extends Error {}

export interface UnitChoice {
  readonly level: AdminLevel;
  readonly map: AdminMap;
}

export const UNKNOWN_UNIT = 'không rõ';

const LEVEL_LABEL: Record<AdminLevel, string> = { commune: 'Xã/phường', district: 'Huyện', province: 'Tỉnh' };

export function checkUnitChoice(choice: UnitChoice): void {
  if (choice.level === 'district' && choice.map === '2025') {
    throw new UnitError('the 2025 map has no districts (QĐ 19/2025/QĐ-TTg: province and commune only); use --map 2024 for districts');
  }
}

/** The commune a row counts for on the chosen map, from its current code and the old code it carried. */
export function communeOnMap(map: AdminMap, current: string | null, old: string | null): string | null {
  if (map === '2025') return current;
  if (old !== null) return old;
  if (current === null) return null;
  const before = predecessorsOf(current);
  return before.length === 1 ? before[0]! : null;
}

/** The unit of a commune (of the chosen map) at the chosen level: its code, or null when not known. */
export function unitOf(commune: string | null, choice: UnitChoice): string | null {
  if (commune === null) return null;
  if (choice.level === 'commune') return commune;
  if (choice.map === '2025') return currentProvinceOf(commune);
  const parents = oldCommuneParents(commune);
  if (parents === null) return null;
  return choice.level === 'district' ? `${parents.province}-${parents.district}` : parents.province;
}

/** Province and district names (data/admin-unit-names.json, built by scripts/build-admin-unit-names.ts). */
const NAMES = JSON.parse(readFileSync(new URL('../../data/admin-unit-names.json', import.meta.url), 'utf8')) as {
  readonly provinces2004: Readonly<Record<string, string>>;
  readonly districts2004: Readonly<Record<string, string>>;
  readonly provinces2025: Readonly<Record<string, string>>;
};

/** The name of a unit of the chosen level and map, or null when the reference data does not have it. */
export function unitName(unit: string, choice: UnitChoice): string | null {
  switch (choice.level) {
    case 'commune':
      return communeName(unit, choice.map === '2025' ? '2025' : '2004');
    case 'district':
      return NAMES.districts2004[unit] ?? null;
    case 'province':
      return (choice.map === '2025' ? NAMES.provinces2025 : NAMES.provinces2004)[unit] ?? null;
  }
}

/** `00004 Phường Trúc Bạch`, `01-001 Quận Ba Đình` (province-district), `01 Thành phố Hà Nội`; the code alone where no name is known. */
export function unitLabel(unit: string | null, choice: UnitChoice): string {
  if (unit === null) return UNKNOWN_UNIT;
  const name = unitName(unit, choice);
  return name ? `${unit} ${name}` : unit;
}

export function levelHeader(choice: UnitChoice): string {
  return `${LEVEL_LABEL[choice.level]} (bản đồ ${choice.map === '2025' ? 'từ 01/7/2025' : 'trước 01/7/2025'})`;
}

/** The scope a report states on its face. */
export function describeScope(choice: UnitChoice, commune: string | undefined): string {
  const map = choice.map === '2025' ? 'đơn vị hành chính từ 01/7/2025 (QĐ 19/2025/QĐ-TTg)' : 'đơn vị hành chính trước 01/7/2025 (QĐ 124/2004/QĐ-TTg)';
  const where = commune ? `xã/phường ${unitLabel(commune, { level: 'commune', map: choice.map })}` : 'toàn bộ dữ liệu';
  return `Phạm vi: ${where}; theo ${LEVEL_LABEL[choice.level].toLowerCase()}, ${map}`;
}

/**
 * Sums count rows per unit: `rows` are (commune of the chosen map, counts); the answer is one row per unit
 * of the chosen level, sorted by code (unknown last), and the total of all.
 */
export function rollUp<K extends string>(
  rows: readonly { readonly commune: string | null; readonly counts: Readonly<Record<K, number>> }[],
  keys: readonly K[],
  choice: UnitChoice,
): { readonly units: { readonly unit: string | null; readonly counts: Record<K, number> }[]; readonly total: Record<K, number> } {
  const zero = () => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  const byUnit = new Map<string | null, Record<K, number>>();
  const total = zero();
  for (const row of rows) {
    const unit = unitOf(row.commune, choice);
    const counts = byUnit.get(unit) ?? zero();
    for (const k of keys) {
      counts[k] += row.counts[k];
      total[k] += row.counts[k];
    }
    byUnit.set(unit, counts);
  }
  const units = [...byUnit].map(([unit, counts]) => ({ unit, counts }));
  units.sort((a, b) => (a.unit === null ? 1 : b.unit === null ? -1 : a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
  return { units, total };
}

export const percent = (n: number, of: number): number | null => (of === 0 ? null : Math.round((1000 * n) / of) / 10);
