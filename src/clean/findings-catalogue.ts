/**
 * Every finding code the cleaning emits, declared once: its severity, its English message (for logs and
 * operators; the text stored in `finding_kind` and the quality report) and its Vietnamese message (for the
 * health station that must correct the row). Rules emit findings only through `finding(code)`
 * (finding.ts), so a code that is not declared here is a type error where it is emitted, and a rule cannot
 * give a code another severity than the catalogue's.
 *
 * Codes are stored in the database and shown in reports: never rename one. A code with `variants` has one
 * sentence per situation (the variant is named where the rule emits it) and a general sentence for when only
 * the code is known (a stored finding keeps its code, not its variant).
 *
 * Vietnamese follows the station's own words (DOMAIN.md): Họ và tên, Ngày sinh, Giới tính, số CCCD/CMND,
 * Số điện thoại, Mã xã/phường, Vắc xin, Mũi thứ, Ngày tiêm, mã bản ghi.
 */
import { FIELDS, type FieldName } from '../base/fields.js';
import { MAX_DOSE, MAX_YEAR, MIN_YEAR } from './limits.js';

/**
 * `fix` keeps the meaning (NFC, spacing, a restored leading zero); `warning` flags a doubt the rule cannot
 * resolve but leaves the value usable; `invalid` means the value cannot be used (it is kept as evidence).
 */
export type Severity = 'fix' | 'warning' | 'invalid';

/** One sentence in both languages. Never contains anyone's data: the same text serves every row. */
export interface Message {
  readonly en: string;
  readonly vi: string;
}

export interface FindingSpec extends Message {
  readonly severity: Severity;
  /** Sentences for the situations the rule tells apart; `en`/`vi` then speak of them all. */
  readonly variants?: Readonly<Record<string, Message>>;
}

/** Fields read as dates; their codes are `${field}.…` of DATE_FINDINGS. */
export const DATE_FIELDS = ['birth_date', 'vaccination_date'] as const satisfies readonly FieldName[];
export type DateField = (typeof DATE_FIELDS)[number];

/** Free-text fields (normalizeText); their codes are `${field}.…` of TEXT_FINDINGS. */
export const TEXT_FIELDS = ['record_id', 'address', 'lot_number', 'facility_code', 'adverse_event', 'source', 'screening_result'] as const satisfies readonly FieldName[];
export type TextField = (typeof TEXT_FIELDS)[number];

const NFC: Message = { en: 'Unicode text was normalised (NFC).', vi: 'Đã chuẩn hóa chữ về bảng mã Unicode dựng sẵn.' };
const SPACES: Message = { en: 'Extra spaces were removed.', vi: 'Đã xóa các khoảng trắng thừa.' };

/** Codes of one field each. */
const FIELD_FINDINGS = {
  // ---- Họ và tên
  'full_name.mojibake_repaired': {
    severity: 'fix',
    en: 'The name was garbled by a wrong text encoding (UTF-8 read as Windows-1252) and has been decoded again.',
    vi: 'Họ và tên bị lỗi phông chữ do đọc sai bảng mã; đã khôi phục lại chữ đúng.',
  },
  'full_name.unicode_normalized': { severity: 'fix', ...NFC },
  'full_name.lookalike_letter': {
    severity: 'fix',
    en: 'The Icelandic letter Ð, which looks like the Vietnamese Đ, was replaced with Đ.',
    vi: 'Đã thay chữ Ð (chữ nước ngoài trông giống chữ Đ) bằng chữ Đ tiếng Việt.',
  },
  'full_name.whitespace': { severity: 'fix', ...SPACES },
  'full_name.not_a_name': {
    severity: 'invalid',
    en: 'The name is not a name: it has no letters, or it has digits or symbols.',
    vi: 'Họ và tên không phải tên người: không có chữ cái, hoặc có chữ số hay ký hiệu.',
    variants: {
      no_letters: { en: 'The name contains no letters.', vi: 'Họ và tên không có chữ cái nào.' },
      digits: {
        en: 'The name contains digits; an ID or phone number may have been typed in the name column.',
        vi: 'Họ và tên có chữ số; có thể số CCCD hoặc số điện thoại đã bị nhập nhầm vào cột họ tên.',
      },
      symbols: {
        en: 'The name contains symbols; a name has only letters, spaces, hyphens and apostrophes.',
        vi: 'Họ và tên có ký hiệu lạ; tên người chỉ gồm chữ cái, dấu cách, dấu gạch nối và dấu nháy đơn.',
      },
    },
  },
  'full_name.abbreviated': {
    severity: 'warning',
    en: 'The name contains an abbreviated word (an initial with a dot); write the name in full.',
    vi: 'Họ và tên có chữ viết tắt (một chữ cái kèm dấu chấm); hãy ghi đầy đủ họ tên.',
  },
  'full_name.punctuation_removed': {
    severity: 'fix',
    en: 'Stray punctuation before or after the name was removed.',
    vi: 'Đã xóa dấu câu thừa ở đầu hoặc cuối họ tên.',
  },
  'full_name.case': {
    severity: 'fix',
    en: 'The name was put in title case (each word starting with a capital letter).',
    vi: 'Đã viết hoa chữ cái đầu của mỗi tiếng trong họ tên.',
  },
  'full_name.tone_mark_convention': {
    severity: 'fix',
    en: 'Tone marks were moved to the vowel the project convention places them on (traditional placement).',
    vi: 'Đã đặt lại dấu thanh theo cách bỏ dấu truyền thống (ví dụ: hoà thành hòa, thuỷ thành thủy).',
  },
  'guardian_name.not_a_name': {
    severity: 'invalid',
    en: "The mother's or guardian's name is not a name: it has no letters, or it has digits or symbols.",
    vi: 'Họ tên mẹ/người giám hộ không phải tên người: không có chữ cái, hoặc có chữ số hay ký hiệu.',
  },
  'guardian_name.from_placeholder': {
    severity: 'fix',
    en: "The mother's or guardian's name was taken from the newborn's temporary name (“Con bà …”).",
    vi: 'Đã lấy họ tên mẹ/người giám hộ từ tên tạm của trẻ sơ sinh (“Con bà …”).',
  },
  'guardian_phone.invalid': {
    severity: 'invalid',
    en: "The mother's or guardian's phone number is not a Vietnamese phone number.",
    vi: 'Số điện thoại của mẹ/người giám hộ không phải số điện thoại Việt Nam hợp lệ.',
  },
  'full_name.placeholder': {
    severity: 'warning',
    en: "The name is a placeholder (such as a newborn recorded as someone's child), not the person's own name; enter the name once it is known.",
    vi: 'Họ và tên chỉ là tên tạm (ví dụ trẻ sơ sinh ghi là “Con bà …”), chưa phải tên thật; hãy nhập tên khi đã có.',
  },
  'full_name.single_word': {
    severity: 'warning',
    en: 'The name has a single word; the family name (họ) or given name (tên) is probably missing.',
    vi: 'Họ và tên chỉ có một tiếng; có thể đã thiếu họ hoặc tên.',
  },
  'full_name.legacy_encoding': {
    severity: 'invalid',
    en: 'The name is not Unicode text: it looks typed in a legacy font encoding (TCVN3 or VNI); convert it to Unicode.',
    vi: 'Họ và tên không phải chữ Unicode: có vẻ được gõ bằng bảng mã cũ (TCVN3 hoặc VNI); hãy chuyển sang Unicode.',
    variants: {
      tcvn3: {
        en: 'The name is not Unicode text: it looks typed in the TCVN3 (ABC) font encoding, such as .VnTime; convert it to Unicode.',
        vi: 'Họ và tên không phải chữ Unicode: có vẻ được gõ bằng bảng mã TCVN3 (ABC), phông .VnTime; hãy chuyển sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey).',
      },
      vni: {
        en: 'The name is not Unicode text: it looks typed in the VNI-Windows font encoding, such as VNI-Times; convert it to Unicode.',
        vi: 'Họ và tên không phải chữ Unicode: có vẻ được gõ bằng bảng mã VNI-Windows, phông VNI-Times; hãy chuyển sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey).',
      },
    },
  },

  // ---- Giới tính
  'sex.spelling': {
    severity: 'fix',
    en: 'The sex was written in another form; write Nam or Nữ.',
    vi: 'Giới tính được ghi theo cách khác; hãy ghi Nam hoặc Nữ.',
  },
  'sex.unknown': { severity: 'invalid', en: 'The sex is not recognised; write Nam or Nữ.', vi: 'Không đọc được giới tính; hãy ghi Nam hoặc Nữ.' },

  // ---- Ngày sinh, Ngày tiêm (checks across fields; the reading of a date is DATE_FINDINGS)
  'birth_date.in_future': { severity: 'invalid', en: 'The birth date is in the future.', vi: 'Ngày sinh ở sau ngày hôm nay.' },
  'vaccination_date.in_future': { severity: 'warning', en: 'The vaccination date is in the future.', vi: 'Ngày tiêm ở sau ngày hôm nay.' },
  'vaccination_date.before_birth': { severity: 'warning', en: 'The vaccination date is before the birth date.', vi: 'Ngày tiêm ở trước ngày sinh.' },

  // ---- Số CCCD/CMND
  'citizen_id.placeholder': {
    severity: 'warning',
    en: 'This is a placeholder, not an ID; leave the cell empty when the person has no ID.',
    vi: 'Đây là giá trị ghi tạm, không phải số CCCD/CMND; nếu người này không có giấy tờ, hãy để trống ô.',
  },
  'citizen_id.formatting_removed': {
    severity: 'fix',
    en: 'Spaces, dots, dashes or quote marks were removed from the ID.',
    vi: 'Đã xóa dấu cách, dấu chấm, dấu gạch ngang hoặc dấu nháy trong số CCCD/CMND.',
  },
  'citizen_id.scientific_notation': {
    severity: 'invalid',
    en: 'Excel showed the ID as a number in scientific notation and lost its digits; format the column as text and type the ID again.',
    vi: 'Excel đã hiện số CCCD/CMND ở dạng số mũ (như 1,23E+11) nên mất chữ số; hãy định dạng cột là kiểu văn bản rồi nhập lại số.',
  },
  'citizen_id.not_digits': {
    severity: 'invalid',
    en: "A citizen ID has only digits; this one has letters (a foreigner's passport is not a citizen ID).",
    vi: 'Số CCCD/CMND chỉ gồm chữ số; số này có chữ cái (hộ chiếu của người nước ngoài không phải CCCD).',
    variants: {
      letters: {
        en: "A citizen ID has only digits (12 for a CCCD, 9 for an old CMND); remove the letters (a foreigner's passport is not a citizen ID).",
        vi: 'Số CCCD/CMND chỉ gồm chữ số (CCCD 12 số, CMND cũ 9 số); hãy bỏ các chữ cái (hộ chiếu của người nước ngoài không phải CCCD).',
      },
      passport: {
        en: "This looks like a passport number: a foreigner's passport is not a citizen ID and cannot be checked against the population database.",
        vi: 'Đây có vẻ là số hộ chiếu: hộ chiếu của người nước ngoài không phải CCCD và không đối chiếu được với Cơ sở dữ liệu quốc gia về dân cư.',
      },
    },
  },
  'citizen_id.phone_number': {
    severity: 'invalid',
    en: 'This is a phone number typed in the ID column; move it to the phone column.',
    vi: 'Đây là số điện thoại bị nhập vào cột CCCD/CMND; hãy chuyển sang cột số điện thoại.',
  },
  'citizen_id.leading_zero_restored': {
    severity: 'fix',
    en: 'The leading zero(s) lost by Excel were restored; format the ID column as text.',
    vi: 'Đã thêm lại số 0 ở đầu bị Excel làm mất; hãy định dạng cột CCCD/CMND là kiểu văn bản.',
  },
  'citizen_id.wrong_length': {
    severity: 'invalid',
    en: 'A citizen ID has 12 digits (CCCD) or 9 digits (old CMND); check the number.',
    vi: 'Số CCCD có 12 chữ số, CMND cũ có 9 chữ số; hãy kiểm tra lại số.',
  },
  'citizen_id.unknown_province': {
    severity: 'invalid',
    en: 'The first 3 digits are not a province code, so this is not a valid CCCD; check the number.',
    vi: '3 chữ số đầu không phải mã tỉnh nên đây không phải số CCCD hợp lệ; hãy kiểm tra lại số.',
  },
  'citizen_id.other_identifier': {
    severity: 'warning',
    en: 'Not a CCCD or CMND: kept as an identifier of unknown kind and matched with other rows as written.',
    vi: 'Không phải CCCD/CMND: được giữ như số giấy tờ không rõ loại và so khớp với các dòng khác đúng như đã ghi.',
    variants: {
      passport: {
        en: 'Not a CCCD or CMND: taken to be a passport number, kept and matched with other rows as written (it cannot be checked against the population database).',
        vi: 'Không phải CCCD/CMND: được coi là số hộ chiếu, vẫn được giữ và so khớp với các dòng khác đúng như đã ghi (không đối chiếu được với Cơ sở dữ liệu quốc gia về dân cư).',
      },
      health_insurance: {
        en: 'Not a CCCD or CMND: taken to be a health-insurance (BHYT) card number, kept and matched with other rows as written.',
        vi: 'Không phải CCCD/CMND: được coi là mã thẻ bảo hiểm y tế (BHYT), vẫn được giữ và so khớp với các dòng khác đúng như đã ghi.',
      },
      unknown: {
        en: 'Not a CCCD or CMND: kept as an identifier of unknown kind (a birth certificate or another document?) and matched with other rows as written.',
        vi: 'Không phải CCCD/CMND: được giữ như số giấy tờ không rõ loại (giấy khai sinh hay giấy tờ khác?) và so khớp với các dòng khác đúng như đã ghi.',
      },
      unusable: {
        en: 'Not used to match rows: its digits were lost, or it is a phone number or too short to tell people apart.',
        vi: 'Không dùng để so khớp các dòng: đã mất chữ số, hoặc đây là số điện thoại, hoặc quá ngắn để phân biệt người.',
      },
    },
  },
  'citizen_id.sex_mismatch': {
    severity: 'warning',
    en: 'Digit 4 of the CCCD (sex and century) disagrees with the sex column; check both.',
    vi: 'Chữ số thứ 4 của CCCD (giới tính và thế kỷ sinh) không khớp với cột giới tính; hãy kiểm tra cả hai.',
  },
  'citizen_id.birth_year_mismatch': {
    severity: 'warning',
    en: "Digits 4–6 of the CCCD (birth year) disagree with the birth date; it may be a typo or a parent's ID.",
    vi: 'Chữ số thứ 4–6 của CCCD (năm sinh) không khớp với ngày sinh; có thể đã gõ nhầm hoặc ghi số CCCD của cha mẹ.',
  },

  // ---- Số điện thoại
  'phone.several_numbers': {
    severity: 'warning',
    en: 'The cell holds several phone numbers; only the first was kept. Put one number per cell.',
    vi: 'Ô có nhiều số điện thoại; chỉ giữ lại số đầu tiên. Mỗi ô chỉ ghi một số.',
  },
  'phone.formatting_removed': {
    severity: 'fix',
    en: 'Spaces, dots, dashes or brackets were removed from the phone number.',
    vi: 'Đã xóa dấu cách, dấu chấm, dấu gạch ngang hoặc dấu ngoặc trong số điện thoại.',
  },
  'phone.country_code_removed': {
    severity: 'fix',
    en: 'The country code +84 was replaced by the leading 0.',
    vi: 'Đã thay mã quốc gia +84 bằng số 0 ở đầu.',
  },
  'phone.leading_zero_restored': {
    severity: 'fix',
    en: 'The leading 0 lost by Excel was restored; format the phone column as text.',
    vi: 'Đã thêm lại số 0 ở đầu bị Excel làm mất; hãy định dạng cột số điện thoại là kiểu văn bản.',
  },
  'phone.old_prefix_converted': {
    severity: 'fix',
    en: 'The pre-2018 11-digit mobile prefix was converted to its current 10-digit form.',
    vi: 'Đã chuyển đầu số di động 11 số cũ (trước năm 2018) sang đầu số 10 số hiện nay.',
  },
  'phone.invalid': {
    severity: 'invalid',
    en: 'This is not a Vietnamese phone number (10-digit mobile or 11-digit fixed line); check it.',
    vi: 'Đây không phải số điện thoại Việt Nam (di động 10 số hoặc cố định 11 số); hãy kiểm tra lại.',
  },

  // ---- Mã xã/phường
  'commune_code.decimal_removed': {
    severity: 'fix',
    en: 'The commune code was stored as a decimal number; the ".0" was removed.',
    vi: 'Mã xã/phường bị lưu ở dạng số thập phân; đã bỏ phần “.0”.',
  },
  'commune_code.leading_zero_restored': {
    severity: 'fix',
    en: 'Leading zeros the spreadsheet dropped were restored (commune codes have 5 digits); format the column as text.',
    vi: 'Đã thêm lại các số 0 ở đầu bị bảng tính làm mất (mã xã/phường có 5 chữ số); hãy định dạng cột là kiểu văn bản.',
  },
  'commune_code.unreadable': {
    severity: 'invalid',
    en: 'A commune code is the 5-digit code of the commune or ward (digits only).',
    vi: 'Mã xã/phường là mã 5 chữ số của xã hoặc phường (chỉ gồm chữ số).',
  },
  'commune_code.unknown': {
    severity: 'invalid',
    en: 'This code is in neither the pre-2025 nor the 2025 list of communes and wards; enter the current (2025) code.',
    vi: 'Mã này không có trong danh mục xã/phường trước năm 2025 lẫn danh mục năm 2025; hãy nhập mã hiện hành (năm 2025).',
  },
  'commune_code.split_in_2025': {
    severity: 'warning',
    en: 'This pre-2025 commune was split among several communes in the July 2025 reform; enter the current (2025) commune code.',
    vi: 'Xã/phường cũ này đã được chia về nhiều xã/phường khi sắp xếp đơn vị hành chính tháng 7/2025; hãy nhập mã xã/phường hiện hành (năm 2025).',
  },
  'commune_code.not_in_conversion': {
    severity: 'warning',
    en: 'This pre-2025 commune code is not in the July 2025 conversion table; enter the current (2025) commune code.',
    vi: 'Mã xã/phường cũ này không có trong bảng chuyển đổi tháng 7/2025; hãy nhập mã xã/phường hiện hành (năm 2025).',
  },
  'commune_code.ambiguous_scheme': {
    severity: 'warning',
    en: 'This code names different communes before and after the July 2025 reform; it was read as a 2025 code; check which list the station used.',
    vi: 'Mã này ứng với hai xã/phường khác nhau trước và sau tháng 7/2025; đã hiểu theo danh mục năm 2025; hãy kiểm tra trạm đã dùng danh mục nào.',
  },
  /** Marked on a station's upload (src/service/upload.ts), not by a rule: the row's commune is not the station's. */
  'commune.outside_station': {
    severity: 'warning',
    en: "The commune is not the station's own; check the code. The row is kept: people are often vaccinated away from home.",
    vi: 'Xã/phường không thuộc địa bàn của trạm; hãy kiểm tra lại mã. Dòng này vẫn được giữ vì nhiều người tiêm ở nơi khác nơi cư trú.',
  },

  // ---- Vắc xin
  'vaccine.unknown': {
    severity: 'invalid',
    en: 'The vaccine name is not in the catalogue; use a catalogue name (e.g. AstraZeneca, Pfizer, Moderna, Vero Cell, BCG, 5 trong 1).',
    vi: 'Tên vắc xin không có trong danh mục; hãy ghi tên theo danh mục (ví dụ AstraZeneca, Pfizer, Moderna, Vero Cell, BCG, 5 trong 1).',
  },
  'vaccine.ambiguous': {
    severity: 'invalid',
    en: 'The vaccine name and the name in brackets are two different vaccines; enter the one that was given.',
    vi: 'Tên vắc xin và tên trong ngoặc là hai loại vắc xin khác nhau; hãy ghi đúng loại đã tiêm.',
  },

  // ---- Mũi thứ
  'dose_number.reformatted': {
    severity: 'fix',
    en: 'The dose number was written as text; write the number alone (1, 2, 3…).',
    vi: 'Mũi thứ được ghi kèm chữ; hãy chỉ ghi số (1, 2, 3…).',
  },
  'dose_number.out_of_range': {
    severity: 'invalid',
    en: `A dose number is between 1 and ${MAX_DOSE}; check it.`,
    vi: `Mũi thứ phải từ 1 đến ${MAX_DOSE}; hãy kiểm tra lại.`,
  },
  'dose_number.unreadable': {
    severity: 'invalid',
    en: 'The dose number could not be read; write the number alone (1, 2, 3…).',
    vi: 'Không đọc được mũi thứ; hãy chỉ ghi số (1, 2, 3…).',
  },
  'dose_number.no_number': {
    severity: 'warning',
    en: 'A booster (nhắc lại) is named without its dose number; write which dose it was (e.g. 3).',
    vi: 'Mũi nhắc lại được ghi mà không có số thứ tự; hãy ghi rõ đó là mũi thứ mấy (ví dụ 3).',
  },

  'full_name.too_long': {
    severity: 'invalid',
    en: 'The name is longer than 200 characters, so it is not a name; check what is in the name column.',
    vi: 'Họ và tên dài hơn 200 ký tự nên không phải tên người; hãy kiểm tra nội dung cột họ tên.',
  },

  // ---- Mức độ phản ứng
  'adverse_event_severity.unknown': {
    severity: 'warning',
    en: 'The severity of a reaction is "thông thường" (common) or "nặng" (serious); this value was not counted.',
    vi: 'Mức độ phản ứng ghi "thông thường" hoặc "nặng"; giá trị này không được tính.',
  },

  // ---- Mã bản ghi
  'record_id.missing': { severity: 'invalid', en: 'The record has no record id (mã bản ghi).', vi: 'Dòng này không có mã bản ghi.' },
  'record_id.duplicate': {
    severity: 'warning',
    en: 'Another row of this file has the same record id; record ids must be unique within a file.',
    vi: 'Một dòng khác trong tệp có cùng mã bản ghi; mỗi mã bản ghi chỉ được dùng một lần trong một tệp.',
  },
} as const satisfies Readonly<Record<string, FindingSpec>>;

/** The reading of a date (parsePartialDate), the same for each of DATE_FIELDS. */
const DATE_FINDINGS = {
  time_removed: { severity: 'fix', en: 'A time of day was removed; only the date is kept.', vi: 'Đã bỏ phần giờ, chỉ giữ lại ngày.' },
  two_digit_year: {
    severity: 'invalid',
    en: 'The year has only two digits; write all four (e.g. 1985, not 85).',
    vi: 'Năm chỉ có hai chữ số; hãy ghi đủ bốn chữ số (ví dụ 1985, không ghi 85).',
  },
  unreadable: {
    severity: 'invalid',
    en: 'The date could not be read; write it as dd/mm/yyyy.',
    vi: 'Không đọc được ngày; hãy ghi theo dạng ngày/tháng/năm (dd/mm/yyyy).',
  },
  out_of_range: {
    severity: 'invalid',
    en: `The year is before ${MIN_YEAR} or after ${MAX_YEAR}; check it.`,
    vi: `Năm trước ${MIN_YEAR} hoặc sau ${MAX_YEAR}; hãy kiểm tra lại.`,
  },
  day_month_swapped: {
    severity: 'warning',
    en: 'Day and month were swapped (month/day order); check the date.',
    vi: 'Ngày và tháng bị ghi đảo chỗ (tháng trước, ngày sau) nên đã được đổi lại; hãy kiểm tra lại ngày.',
  },
  impossible: {
    severity: 'invalid',
    en: 'This date does not exist in the calendar (check day and month).',
    vi: 'Ngày này không có trên lịch (hãy kiểm tra ngày và tháng).',
    variants: {
      day: {
        en: 'This day does not exist in the calendar (check day and month).',
        vi: 'Ngày này không có trên lịch (hãy kiểm tra ngày và tháng).',
      },
      month: { en: 'The month is not between 1 and 12.', vi: 'Tháng không nằm trong khoảng từ 1 đến 12.' },
      excel_leap_day: {
        en: 'Excel serial 60 is 29 February 1900, a day that never existed.',
        vi: 'Số ngày 60 của Excel là ngày 29/02/1900, một ngày không hề có trên lịch.',
      },
    },
  },
  excel_serial: {
    severity: 'fix',
    en: 'An Excel date number was converted to a date; format the column as text dd/mm/yyyy.',
    vi: 'Đã đổi số ngày dạng Excel thành ngày; hãy định dạng cột là kiểu văn bản và ghi theo dạng dd/mm/yyyy.',
  },
  reformatted: {
    severity: 'fix',
    en: 'The date was written without separators; write it as dd/mm/yyyy.',
    vi: 'Ngày được ghi liền không có dấu phân cách; hãy ghi theo dạng dd/mm/yyyy.',
  },
} as const satisfies Readonly<Record<string, FindingSpec>>;

/** Tidying of free text (normalizeText), the same for each of TEXT_FIELDS. */
const TEXT_FINDINGS = {
  unicode_normalized: { severity: 'fix', ...NFC },
  whitespace: { severity: 'fix', ...SPACES },
  case: { severity: 'fix', en: 'Converted to upper case.', vi: 'Đã chuyển sang chữ in hoa.' },
} as const satisfies Readonly<Record<string, FindingSpec>>;

/**
 * What any field may get: characters a PostgreSQL text cannot hold (NUL, half a UTF-16 surrogate pair) are
 * removed before the field's rule runs (src/clean/record.ts); the raw row keeps them.
 */
const ANY_FIELD_FINDINGS = {
  unstorable_character: {
    severity: 'fix',
    en: 'Characters that are not text (a NUL byte or half of a UTF-16 pair) were removed; check how the file was exported.',
    vi: 'Đã xóa ký tự không phải chữ (byte NUL hoặc nửa cặp ký tự UTF-16); hãy kiểm tra cách xuất tệp.',
  },
} as const satisfies Readonly<Record<string, FindingSpec>>;

type AnyFieldFindings = typeof ANY_FIELD_FINDINGS;
type FieldFindings = typeof FIELD_FINDINGS;
type DateFindings = typeof DATE_FINDINGS;
type TextFindings = typeof TEXT_FINDINGS;

/** Every finding code; a string that is not one is a type error where a finding is made. */
export type FindingCode =
  | keyof FieldFindings
  | `${DateField}.${keyof DateFindings}`
  | `${TextField}.${keyof TextFindings}`
  | `${FieldName}.${keyof AnyFieldFindings}`;

type SpecOf<C extends FindingCode> = C extends keyof FieldFindings
  ? FieldFindings[C]
  : C extends `${string}.${infer K extends keyof DateFindings}`
    ? DateFindings[K]
    : C extends `${string}.${infer K extends keyof TextFindings}`
      ? TextFindings[K]
      : C extends `${string}.${infer K extends keyof AnyFieldFindings}`
        ? AnyFieldFindings[K]
        : never;

/** The variants of a code (never when it has one sentence). */
export type VariantOf<C extends FindingCode> = SpecOf<C> extends { readonly variants: infer V } ? keyof V & string : never;

/** Every code with its spec, in a stable order (the field findings, then each date field's, each text field's). */
export const FINDING_CATALOGUE: ReadonlyMap<FindingCode, FindingSpec> = new Map<FindingCode, FindingSpec>([
  ...(Object.entries(FIELD_FINDINGS) as [keyof FieldFindings, FindingSpec][]),
  ...DATE_FIELDS.flatMap((field) =>
    (Object.entries(DATE_FINDINGS) as [keyof DateFindings, FindingSpec][]).map(([what, spec]) => [`${field}.${what}` as FindingCode, spec] as const),
  ),
  ...TEXT_FIELDS.flatMap((field) =>
    (Object.entries(TEXT_FINDINGS) as [keyof TextFindings, FindingSpec][]).map(([what, spec]) => [`${field}.${what}` as FindingCode, spec] as const),
  ),
  ...FIELDS.flatMap((field) =>
    (Object.entries(ANY_FIELD_FINDINGS) as [keyof AnyFieldFindings, FindingSpec][]).map(([what, spec]) => [`${field}.${what}` as FindingCode, spec] as const),
  ),
]);

export function findingSpec(code: FindingCode): FindingSpec {
  const spec = FINDING_CATALOGUE.get(code);
  if (!spec) throw new Error(`finding code ${code} is not in the catalogue`);
  return spec;
}

/** The sentence for a code in `language`: its variant's when given, the code's general one otherwise. */
export function findingMessage(code: FindingCode, language: keyof Message, variant?: string): string {
  const spec = findingSpec(code);
  return (variant === undefined ? spec : (spec.variants?.[variant] ?? spec))[language];
}

/** The Vietnamese name of each contract field, as a station's column header says it. */
export const FIELD_LABELS_VI = {
  record_id: 'Mã bản ghi',
  full_name: 'Họ và tên',
  birth_date: 'Ngày sinh',
  sex: 'Giới tính',
  citizen_id: 'Số CCCD/CMND',
  phone: 'Số điện thoại',
  address: 'Địa chỉ',
  commune_code: 'Mã xã/phường',
  vaccine: 'Tên vắc xin',
  dose_number: 'Mũi thứ',
  vaccination_date: 'Ngày tiêm',
  lot_number: 'Số lô',
  facility_code: 'Mã cơ sở tiêm',
  adverse_event: 'Phản ứng sau tiêm',
  source: 'Nguồn',
  screening_result: 'Kết quả khám sàng lọc',
  adverse_event_severity: 'Mức độ phản ứng',
  guardian_name: 'Họ tên người giám hộ',
  guardian_phone: 'Số điện thoại người giám hộ',
} as const satisfies Readonly<Record<FieldName, string>>;
