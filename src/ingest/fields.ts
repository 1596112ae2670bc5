/**
 * The fields of the input contract (../shared/contract/records.md) and the headers that name them.
 * Headers are matched case- and accent-insensitively; the English name and every Vietnamese alias count.
 */
import { asciiKey } from '../clean/text.js';

export const FIELDS = [
  'record_id',
  'full_name',
  'birth_date',
  'sex',
  'citizen_id',
  'phone',
  'address',
  'commune_code',
  'vaccine',
  'dose_number',
  'vaccination_date',
  'lot_number',
  'facility_code',
  'adverse_event',
  'source',
] as const;

export type FieldName = (typeof FIELDS)[number];

export const REQUIRED_FIELDS: readonly FieldName[] = ['record_id', 'full_name'];

/** Aliases in priority order: when two columns name the same field, the earlier alias wins. */
const HEADER_ALIASES: Record<FieldName, readonly string[]> = {
  record_id: ['record_id', 'mã bản ghi', 'mã', 'stt'],
  full_name: ['full_name', 'họ và tên', 'họ tên', 'tên'],
  birth_date: ['birth_date', 'ngày sinh', 'ngày tháng năm sinh'],
  sex: ['sex', 'giới tính', 'giới'],
  citizen_id: ['citizen_id', 'số cccd', 'cccd', 'cmnd', 'số định danh', 'mã định danh', 'số giấy tờ'],
  phone: ['phone', 'số điện thoại', 'sđt', 'điện thoại'],
  address: ['address', 'địa chỉ', 'thôn/xóm'],
  commune_code: ['commune_code', 'mã xã', 'mã phường', 'mã xã/phường'],
  vaccine: ['vaccine', 'tên vắc xin', 'loại vắc xin', 'vắc xin'],
  dose_number: ['dose_number', 'mũi thứ', 'mũi tiêm', 'mũi'],
  vaccination_date: ['vaccination_date', 'ngày tiêm'],
  lot_number: ['lot_number', 'số lô'],
  facility_code: ['facility_code', 'mã cơ sở tiêm', 'cơ sở tiêm'],
  adverse_event: ['adverse_event', 'phản ứng sau tiêm'],
  source: ['source', 'nguồn'],
};

/** Header key → [field, priority]. `asciiKey` folds case, accents, Đ and punctuation (`sđt` → `sdt`). */
const HEADER_INDEX = new Map<string, readonly [FieldName, number]>();
for (const field of FIELDS) {
  HEADER_ALIASES[field].forEach((alias, priority) => HEADER_INDEX.set(asciiKey(alias), [field, priority]));
}

export type ColumnMap = Partial<Record<FieldName, number>>;

export interface ColumnMapping {
  readonly columns: ColumnMap;
  /** Fields of the contract that no header names, required ones included. */
  readonly missing: readonly FieldName[];
  /** Headers that name no field: kept in the raw rows, otherwise ignored. */
  readonly ignored: readonly string[];
}

export function mapColumns(headers: readonly string[]): ColumnMapping {
  const columns: ColumnMap = {};
  const chosenPriority = new Map<FieldName, number>();
  const ignored: string[] = [];
  headers.forEach((header, index) => {
    const hit = HEADER_INDEX.get(asciiKey(header));
    if (!hit) {
      if (header.trim() !== '') ignored.push(header);
      return;
    }
    const [field, priority] = hit;
    const previous = chosenPriority.get(field);
    if (previous === undefined || priority < previous) {
      columns[field] = index;
      chosenPriority.set(field, priority);
    }
  });
  return { columns, missing: FIELDS.filter((f) => columns[f] === undefined), ignored };
}
