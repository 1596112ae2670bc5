/**
 * The headers that name each column of a registry extract: the contract's English name or one of its
 * Vietnamese aliases, compared without case, diacritics, punctuation or spaces (`SỐ ĐỊNH DANH`,
 * `so dinh danh`, `SoDinhDanh` and `citizen_id` are the same header).
 */
import { asciiKey } from '../../src/clean/text.js';
import { REGISTRY_FIELDS, REQUIRED_REGISTRY_FIELDS, type RegistryField } from './types.js';

/** Aliases in priority order: when two columns name the same field, the earlier alias wins. */
const REGISTRY_HEADER_ALIASES: Record<RegistryField, readonly string[]> = {
  citizen_id: ['citizen_id', 'số định danh', 'cccd', 'số định danh cá nhân', 'mã định danh', 'số cccd'],
  full_name: ['full_name', 'họ và tên', 'họ tên'],
  birth_date: ['birth_date', 'ngày sinh', 'ngày tháng năm sinh'],
  sex: ['sex', 'giới tính'],
  commune_code: ['commune_code', 'mã xã', 'mã xã/phường', 'mã phường'],
  status: ['status', 'trạng thái', 'tình trạng'],
  death_date: ['death_date', 'ngày mất', 'ngày chết', 'ngày tử vong'],
};

/** `asciiKey` folds case, accents and Đ; spaces are then dropped, so `Ngày sinh` and `NgàySinh` meet. */
export function headerKey(header: string): string {
  return asciiKey(header).replace(/ /g, '');
}

const HEADER_INDEX = new Map<string, readonly [RegistryField, number]>();
for (const field of REGISTRY_FIELDS) {
  REGISTRY_HEADER_ALIASES[field].forEach((alias, priority) => HEADER_INDEX.set(headerKey(alias), [field, priority]));
}

export type RegistryColumnMap = Partial<Record<RegistryField, number>>;

export interface RegistryHeaderMapping {
  /** Field → index of its column. */
  readonly columns: RegistryColumnMap;
  /** Required fields that no header names. */
  readonly missingRequired: readonly RegistryField[];
}

export function mapRegistryHeaders(headers: readonly string[]): RegistryHeaderMapping {
  const columns: RegistryColumnMap = {};
  const chosenPriority = new Map<RegistryField, number>();
  headers.forEach((header, index) => {
    const hit = HEADER_INDEX.get(headerKey(header));
    if (!hit) return;
    const [field, priority] = hit;
    const previous = chosenPriority.get(field);
    if (previous === undefined || priority < previous) {
      columns[field] = index;
      chosenPriority.set(field, priority);
    }
  });
  return { columns, missingRequired: REQUIRED_REGISTRY_FIELDS.filter((f) => columns[f] === undefined) };
}

/** `citizen_id (số định danh)`: how a field is named to a clerk who may know either name. */
export function describeField(field: RegistryField): string {
  return `${field} (${REGISTRY_HEADER_ALIASES[field][1]})`;
}
