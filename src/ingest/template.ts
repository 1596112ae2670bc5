/**
 * The input template a station fills in: the records contract's columns under the Vietnamese headers the
 * import reads back (src/ingest/fields.ts), each with what may be typed there. XLSX: a sheet to fill in
 * (headers only, each with a note, so an unfilled template can never import a made-up person) and a guide
 * sheet (column, required, what to type, an example). CSV: the header row alone, UTF-8 with a BOM so Excel
 * opens the Vietnamese headers correctly.
 */
import { csvLine } from '../base/csv.js';
import { FIELDS, REQUIRED_FIELDS, type FieldName } from '../base/fields.js';
import { FIELD_LABELS_VI } from '../clean/findings-catalogue.js';
import { xlsxBuffer } from '../base/xlsx-stream.js';

export interface TemplateColumn {
  readonly field: FieldName;
  /** The header written in the template; the import maps it back to `field`. */
  readonly header: string;
  readonly required: boolean;
  /** What may be typed, in Vietnamese, as a station officer reads it. */
  readonly hint: string;
  readonly example: string;
}

/** Per field: what to type and an example. Typed by field, so a new contract field cannot miss its hint. */
const GUIDE: Readonly<Record<FieldName, { readonly hint: string; readonly example: string }>> = {
  record_id: { hint: 'Số thứ tự hoặc mã của dòng, không trùng trong tệp.', example: '1' },
  full_name: { hint: 'Họ và tên đầy đủ, có dấu. Trẻ chưa đặt tên: "Con bà <họ tên mẹ>".', example: 'Nguyễn Thị Lan' },
  birth_date: { hint: 'dd/mm/yyyy (ví dụ 05/03/2024); chỉ biết năm thì ghi năm.', example: '05/03/2024' },
  sex: { hint: 'Nam hoặc Nữ.', example: 'Nữ' },
  citizen_id: { hint: 'Số CCCD/định danh 12 chữ số, hoặc CMND 9 chữ số; để trống nếu không có. Nhập dạng văn bản để giữ số 0 ở đầu.', example: '' },
  phone: { hint: 'Số điện thoại di động 10 chữ số, bắt đầu bằng 0.', example: '0912345678' },
  address: { hint: 'Thôn/xóm/tổ dân phố nơi ở.', example: 'Thôn 5' },
  commune_code: { hint: 'Mã xã/phường (mã đơn vị hành chính, 5 chữ số).', example: '' },
  vaccine: { hint: 'Tên vắc xin như trên lọ (ví dụ Hexaxim, BCG, Comirnaty).', example: 'BCG' },
  dose_number: { hint: 'Mũi thứ mấy của vắc xin đó: 1, 2, 3…', example: '1' },
  vaccination_date: { hint: 'Ngày tiêm, dd/mm/yyyy.', example: '06/03/2024' },
  lot_number: { hint: 'Số lô vắc xin.', example: '' },
  facility_code: { hint: 'Mã cơ sở tiêm chủng.', example: '' },
  adverse_event: { hint: 'Phản ứng sau tiêm, nếu có (ghi tự do).', example: '' },
  source: { hint: 'Nguồn của dòng (ví dụ: trạm y tế, nhập bổ sung).', example: '' },
  screening_result: { hint: 'Kết quả khám sàng lọc: đủ điều kiện tiêm / tạm hoãn / chống chỉ định.', example: 'đủ điều kiện tiêm' },
  adverse_event_severity: { hint: 'Mức độ phản ứng: thông thường hoặc nặng; để trống nếu không có.', example: '' },
  guardian_name: { hint: 'Họ và tên mẹ (hoặc người giám hộ) của trẻ, có dấu; cần ghi cả khi trẻ chưa đặt tên.', example: 'Trần Thị Hoa' },
  guardian_phone: { hint: 'Số điện thoại của mẹ hoặc người giám hộ, 10 chữ số.', example: '' },
};

export const TEMPLATE_COLUMNS: readonly TemplateColumn[] = FIELDS.map((field) => ({
  field,
  header: FIELD_LABELS_VI[field],
  required: REQUIRED_FIELDS.includes(field),
  ...GUIDE[field],
}));

export const TEMPLATE_FORMATS = ['xlsx', 'csv'] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

export async function inputTemplate(format: TemplateFormat): Promise<Buffer> {
  if (format === 'csv') return Buffer.from('\uFEFF' + csvLine(TEMPLATE_COLUMNS.map((c) => c.header)) + '\r\n', 'utf8');
  // A few rows: built whole in memory, with the writer every workbook of vaxsync uses (src/base/xlsx-stream.ts).
  return xlsxBuffer(async (workbook) => {
    const sheet = workbook.addWorksheet('Mẫu nhập', { views: [{ state: 'frozen', ySplit: 1 }] });
    TEMPLATE_COLUMNS.forEach((column, i) => {
      const sheetColumn = sheet.getColumn(i + 1);
      sheetColumn.width = Math.max(12, column.header.length + 4);
      // Text, not numbers: Excel would drop a CCCD's or a phone's leading zero and turn 05/03 into a date of its own.
      sheetColumn.numFmt = '@';
    });
    const header = sheet.addRow(TEMPLATE_COLUMNS.map((c) => c.header));
    header.font = { bold: true };
    TEMPLATE_COLUMNS.forEach((column, i) => (header.getCell(i + 1).note = `${column.required ? 'Bắt buộc. ' : ''}${column.hint}`));
    sheet.commit();

    const guide = workbook.addWorksheet('Hướng dẫn');
    guide.columns = [
      { header: 'Cột', width: 24 },
      { header: 'Bắt buộc', width: 10 },
      { header: 'Cách ghi', width: 80 },
      { header: 'Ví dụ', width: 22 },
    ];
    guide.getRow(1).font = { bold: true };
    guide.getColumn(3).alignment = { wrapText: true, vertical: 'top' };
    for (const column of TEMPLATE_COLUMNS) guide.addRow([column.header, column.required ? 'Có' : '', column.hint, column.example]);
    guide.commit();
  });
}
