/**
 * The headers that name the fields of the records contract (src/base/fields.ts) in a station file. Headers
 * are matched case- and accent-insensitively; the English name and every Vietnamese alias count.
 */
import { FIELDS, type FieldName } from '../base/fields.js';
import { headerMatcher } from '../base/headers.js';
import { asciiKey } from '../base/text.js';

/** Aliases in priority order: when two columns name the same field, the earlier alias wins. */
export const HEADER_ALIASES: Readonly<Record<FieldName, readonly string[]>> = {
  record_id: ['record_id', 'mã bản ghi', 'mã', 'stt'],
  full_name: ['full_name', 'họ và tên', 'họ tên', 'tên'],
  birth_date: ['birth_date', 'ngày sinh', 'ngày tháng năm sinh'],
  sex: ['sex', 'giới tính', 'giới'],
  citizen_id: ['citizen_id', 'số cccd', 'số cccd/cmnd', 'cccd', 'cmnd', 'số định danh', 'mã định danh', 'số giấy tờ'],
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
  screening_result: ['screening_result', 'kết quả khám sàng lọc', 'khám sàng lọc'],
  adverse_event_severity: ['adverse_event_severity', 'mức độ phản ứng'],
  guardian_name: ['guardian_name', 'họ tên mẹ', 'tên mẹ', 'họ tên người giám hộ', 'họ tên bố/mẹ', 'người chăm sóc'],
  guardian_phone: ['guardian_phone', 'sđt mẹ', 'số điện thoại người giám hộ'],
};

/** `asciiKey` folds case, accents, Đ and punctuation (`sđt` → `sdt`); spaces between words stay. */
const matchHeaders = headerMatcher(HEADER_ALIASES, asciiKey);

export type ColumnMap = Partial<Record<FieldName, number>>;

export interface ColumnMapping {
  readonly columns: ColumnMap;
  /** Fields of the contract that no header names, required ones included. */
  readonly missing: readonly FieldName[];
  /** Headers that name no field: kept in the raw rows, otherwise ignored. */
  readonly ignored: readonly string[];
}

export function mapColumns(headers: readonly string[]): ColumnMapping {
  const { columns, unmatched } = matchHeaders(headers);
  const ignored = unmatched.map((column) => headers[column]!).filter((header) => header.trim() !== '');
  return { columns, missing: FIELDS.filter((f) => columns[f] === undefined), ignored };
}
