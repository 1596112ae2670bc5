/**
 * Reference tables, embedded so the generator needs no data files: how stations type each vaccine, lot
 * prefixes, CCCD province codes, the communes and villages rows are spread over, mobile prefixes (old and
 * new) and the reactions reported.
 */
import { pad2 } from './dates.js';
import type { VaccineCode } from './types.js';

/** How stations type each vaccine: [text, weight]. */
export const VACCINE_ALIASES: Readonly<Record<VaccineCode, readonly (readonly [string, number])[]>> = {
  'COVID-AZ': [
    ['AstraZeneca', 40], ['AZ', 20], ['Vaxzevria', 10], ['Covishield', 8], ['Astra Zeneca', 8], ['ASTRAZENECA', 6],
    ['AstraZeneca (Vaxzevria)', 4], ['ChAdOx1', 4],
  ],
  'COVID-PFIZER': [
    ['Pfizer', 45], ['Comirnaty', 15], ['Pfizer-BioNTech', 15], ['Pfizer BioNTech', 8], ['PFIZER', 8],
    ['Comirnaty (Pfizer)', 5], ['Pfizer/BioNTech', 4],
  ],
  'COVID-MODERNA': [['Moderna', 60], ['Spikevax', 20], ['MODERNA', 10], ['Spikevax (Moderna)', 10]],
  'COVID-VEROCELL': [
    ['Vero Cell', 45], ['Sinopharm', 20], ['Verocell', 12], ['Vero-Cell', 8], ['Vero Cell (Sinopharm)', 10], ['SINOPHARM', 5],
  ],
  BCG: [['BCG', 70], ['Lao (BCG)', 15], ['Vắc xin BCG', 15]],
  'HEPB-BIRTH': [['VGB sơ sinh', 40], ['Viêm gan B sơ sinh', 40], ['Viêm gan B', 10], ['HepB sơ sinh', 10]],
  'DPT-VGB-HIB': [['DPT-VGB-Hib', 45], ['5 trong 1', 30], ['ComBE Five', 10], ['Quinvaxem', 10], ['DPT-VGB-HIB', 5]],
  OPV: [['OPV', 40], ['bOPV', 20], ['Bại liệt uống', 30], ['Bại liệt (uống)', 10]],
  IPV: [['IPV', 60], ['Bại liệt tiêm', 40]],
  MEASLES: [['Sởi', 50], ['Vắc xin Sởi', 30], ['MVVAC', 20]],
  MR: [['MR', 35], ['Sởi - Rubella', 30], ['Vắc xin Sởi - Rubella', 25], ['Sởi-Rubella', 10]],
  DPT: [['DPT', 55], ['Bạch hầu - Ho gà - Uốn ván', 30], ['BH-HG-UV', 15]],
  JE: [['Viêm não Nhật Bản', 50], ['VNNB', 25], ['JEVAX', 15], ['Jevax', 10]],
};

export const LOT_PREFIX: Readonly<Record<VaccineCode, string>> = {
  'COVID-AZ': 'ABV', 'COVID-PFIZER': 'FK', 'COVID-MODERNA': '30', 'COVID-VEROCELL': 'H',
  BCG: 'BCG', 'HEPB-BIRTH': 'HB', 'DPT-VGB-HIB': 'Q', OPV: 'PV', IPV: 'IP', MEASLES: 'MV', MR: 'MR', DPT: 'DT', JE: 'JE',
};

/** The 63 pre-2025 province codes used as CCCD prefixes (DOMAIN §1.2). */
export const CCCD_PROVINCE_CODES: readonly string[] = [
  '001', '002', '004', '006', '008', '010', '011', '012', '014', '015', '017', '019', '020', '022', '024', '025',
  '026', '027', '030', '031', '033', '034', '035', '036', '037', '038', '040', '042', '044', '045', '046', '048',
  '049', '051', '052', '054', '056', '058', '060', '062', '064', '066', '067', '068', '070', '072', '074', '075',
  '077', '079', '080', '082', '083', '084', '086', '087', '089', '091', '092', '093', '094', '095', '096',
];

export interface Province {
  readonly cccd: string;
  /** First two digits of 9-digit CMNDs issued there (third-party, approximate: 01 Hà Nội, 17 Thanh Hóa). */
  readonly cmnd: string;
  /** 2-digit code (same number in the 2004 and 2025 lists for these two). */
  readonly code: string;
  /** Facility codes of hospitals and campaign sites (invented: `BV` + province + 2 digits). */
  readonly hospitals: readonly string[];
}
const hospitals = (code: string): string[] => Array.from({ length: 12 }, (_, i) => `BV${code}${pad2(i + 1)}`);
const HA_NOI: Province = { cccd: '001', cmnd: '01', code: '01', hospitals: hospitals('01') };
const THANH_HOA: Province = { cccd: '038', cmnd: '17', code: '38', hospitals: hospitals('38') };

export interface Commune {
  readonly code: string;
  /** The code as a number would show it (leading zeros lost). */
  readonly unpadded: string;
  /** Facility code of the commune health station (trạm y tế, invented: `TYT` + code). */
  readonly healthStation: string;
  readonly name: string;
  readonly province: Province;
}

/**
 * 50 communes (xã) of the 2025 list (QĐ 19/2025/QĐ-TTg, 5-digit codes), 25 in Hà Nội and 25 in Thanh Hóa,
 * taken from shared/datasets/vn_admin_units/post_2025_07/wards.csv (sunshine-tech/VietnamProvinces, NSO data).
 * Hà Nội codes start with 0, so losing the padding is a visible noise.
 */
export const COMMUNES: readonly Commune[] = [
  ...([
    ['00376', 'Xã Sóc Sơn'], ['00382', 'Xã Kim Anh'], ['00385', 'Xã Trung Giã'], ['00430', 'Xã Đa Phúc'],
    ['00433', 'Xã Nội Bài'], ['00454', 'Xã Đông Anh'], ['00466', 'Xã Phúc Thịnh'], ['00475', 'Xã Thư Lâm'],
    ['00541', 'Xã Phù Đổng'], ['00565', 'Xã Gia Lâm'], ['00577', 'Xã Bát Tràng'], ['00640', 'Xã Thanh Trì'],
    ['00679', 'Xã Ngọc Hồi'], ['08974', 'Xã Quang Minh'], ['09022', 'Xã Mê Linh'], ['09616', 'Xã Đoài Phương'],
    ['09700', 'Xã Ba Vì'], ['09715', 'Xã Phúc Thọ'], ['09784', 'Xã Đan Phượng'], ['09832', 'Xã Hoài Đức'],
    ['09895', 'Xã Quốc Oai'], ['09955', 'Xã Thạch Thất'], ['10114', 'Xã Thanh Oai'], ['10183', 'Xã Thường Tín'],
    ['10273', 'Xã Phú Xuyên'],
  ] as const).map(([code, name]) => ({ code, unpadded: String(Number(code)), healthStation: `TYT${code}`, name, province: HA_NOI })),
  ...([
    ['15061', 'Xã Ngọc Lặc'], ['15127', 'Xã Cẩm Thủy'], ['15229', 'Xã Thành Vinh'], ['15271', 'Xã Hà Trung'],
    ['15349', 'Xã Vĩnh Lộc'], ['15469', 'Xã Yên Định'], ['15499', 'Xã Thọ Xuân'], ['15544', 'Xã Lam Sơn'],
    ['15646', 'Xã Thường Xuân'], ['15664', 'Xã Triệu Sơn'], ['15772', 'Xã Thiệu Hóa'], ['15820', 'Xã Thiệu Toán'],
    ['15865', 'Xã Hoằng Hóa'], ['15889', 'Xã Hoằng Phú'], ['15961', 'Xã Hoằng Lộc'], ['16012', 'Xã Hậu Lộc'],
    ['16093', 'Xã Nga Sơn'], ['16114', 'Xã Nga Thắng'], ['16174', 'Xã Như Xuân'], ['16228', 'Xã Như Thanh'],
    ['16279', 'Xã Nông Cống'], ['16438', 'Xã Lưu Vệ'], ['16480', 'Xã Quảng Yên'], ['16540', 'Xã Quảng Ninh'],
    ['16549', 'Xã Tiên Trang'],
  ] as const).map(([code, name]) => ({ code, unpadded: String(Number(code)), healthStation: `TYT${code}`, name, province: THANH_HOA })),
];

/** Villages and hamlets (thôn, xóm, làng) for the address column. */
export const VILLAGES: readonly string[] = [
  ...Array.from({ length: 12 }, (_, i) => `Thôn ${i + 1}`),
  ...Array.from({ length: 8 }, (_, i) => `Xóm ${i + 1}`),
  'Thôn Đông', 'Thôn Tây', 'Thôn Nam', 'Thôn Bắc', 'Thôn Trung', 'Thôn Đoài', 'Thôn Thượng', 'Thôn Hạ',
  'Xóm Đông', 'Xóm Tây', 'Xóm Chùa', 'Xóm Đình', 'Xóm Mới', 'Làng Vân', 'Thôn Yên Lạc', 'Thôn Phú Mỹ',
  'Thôn An Hòa', 'Thôn Tân Lập', 'Thôn Đồng Tâm', 'Thôn Quyết Thắng', 'Thôn Hòa Bình', 'Xóm Bãi',
];

/** 10-digit mobile prefixes since 2018 and their weights (Viettel, MobiFone, VinaPhone, Vietnamobile, Gmobile). */
export const PHONE_PREFIX_WEIGHTS: readonly (readonly [string, number])[] = [
  ['032', 5], ['033', 5], ['034', 5], ['035', 5], ['036', 5], ['037', 5], ['038', 5], ['039', 5], ['086', 4],
  ['096', 5], ['097', 6], ['098', 6], ['070', 2], ['076', 2], ['077', 2], ['078', 2], ['079', 2], ['089', 2],
  ['090', 4], ['093', 3], ['081', 2], ['082', 2], ['083', 2], ['084', 2], ['085', 2], ['088', 2], ['091', 4],
  ['094', 3], ['056', 1], ['058', 1], ['092', 1], ['059', 0.5], ['099', 0.5],
];
/** The pre-2018 11-digit prefix of each migrated 10-digit prefix (DOMAIN §3.2). */
export const OLD_PHONE_PREFIX: Readonly<Record<string, string>> = {
  '032': '0162', '033': '0163', '034': '0164', '035': '0165', '036': '0166', '037': '0167', '038': '0168', '039': '0169',
  '070': '0120', '079': '0121', '077': '0122', '076': '0126', '078': '0128',
  '083': '0123', '084': '0124', '085': '0125', '081': '0127', '082': '0129',
  '056': '0186', '058': '0188', '059': '0199',
};

export const ADVERSE_EVENTS: readonly (readonly [string, number])[] = [
  ['Sốt nhẹ', 30], ['Đau tại chỗ tiêm', 25], ['Sưng đỏ tại chỗ tiêm', 15], ['Mệt mỏi, đau đầu', 15],
  ['Sốt 38,5 độ', 10], ['Buồn nôn', 5],
];
