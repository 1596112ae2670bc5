/**
 * The headers that name each column of a registry extract: the contract's English name or one of its
 * Vietnamese aliases, compared without case, diacritics, punctuation or spaces (`SỐ ĐỊNH DANH`,
 * `so dinh danh`, `SoDinhDanh` and `citizen_id` are the same header).
 */
import { headerMatcher } from '../../src/base/headers.js';
import { compactKey } from '../../src/base/text.js';
import { REQUIRED_REGISTRY_FIELDS, type RegistryField } from './types.js';

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

/** Headers meet without case, diacritics, punctuation or spaces: `Ngày sinh` = `NgàySinh` (compactKey). */
const matchHeaders = headerMatcher(REGISTRY_HEADER_ALIASES, compactKey);

export type RegistryColumnMap = Partial<Record<RegistryField, number>>;

export interface RegistryHeaderMapping {
  /** Field → index of its column. */
  readonly columns: RegistryColumnMap;
  /** Required fields that no header names. */
  readonly missingRequired: readonly RegistryField[];
}

export function mapRegistryHeaders(headers: readonly string[]): RegistryHeaderMapping {
  const { columns } = matchHeaders(headers);
  return { columns, missingRequired: REQUIRED_REGISTRY_FIELDS.filter((f) => columns[f] === undefined) };
}

/** `citizen_id (số định danh)`: how a field is named to a clerk who may know either name. */
export function describeField(field: RegistryField): string {
  return `${field} (${REGISTRY_HEADER_ALIASES[field][1]})`;
}
