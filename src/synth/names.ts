/**
 * Embedded Vietnamese name tables for the synthetic-record generator (data only, no I/O).
 *
 * Source (read once, by a throwaway script, never at run time): the frequency tables in
 * `shared/datasets/vn_names/derived/` (uit_vinames_surname_freq.csv, uit_vinames_middle_name_freq.csv,
 * uit_vinames_given_name_freq.csv), computed from the UIT-ViNames corpus (26,850 full names of university
 * students, quankunshi/Predict_Genders_for_Vietnamese_Names @ 9a0e579, no licence stated). Only counts of
 * single name parts are copied here, never a full name of a real person.
 *
 * Adjustments made by hand:
 * - Surnames: the 14 most common take the national shares of DOMAIN.md §2.2 ("Họ và tên người Việt Nam":
 *   Nguyễn 38.4%, Trần 12.1%, Lê 9.5%, Phạm 7.0%, Hoàng/Huỳnh 5.1%, Phan 4.5%, Vũ/Võ 3.9%, Đặng 2.1%, Bùi 2.0%,
 *   Đỗ 1.4%, Hồ 1.3%, Ngô 1.3%). The UIT sample is skewed to the South, so the combined Hoàng/Huỳnh and Vũ/Võ
 *   shares are split by judgement (Hoàng 2.9 / Huỳnh 2.2, Vũ 2.2 / Võ 1.7). The remaining 11.4% is shared by the
 *   next surnames in proportion to their UIT counts. Weights are per 100,000 people.
 *   Parsing artefacts of the corpus were dropped (`TrỊnh`, `Nguyê`, `PhạmVăn`, `Thị`, `K`, `H`, …), as were
 *   name particles that are not surnames in the Kinh pattern (`Y`, `Ka`, `Nay`, `Ksor`, `Chau`, `Rmah`).
 * - Middle names: per sex, the UIT counts of that sex (top 60 male, top 70 female; `''` = no middle name).
 *   `Thị…` never appears for men and `Văn` never for women, so the sex is consistent with the middle name.
 *   Generation boosts Văn/Thị for older people (see `OLDER_GENERATION_VAN_THI_BOOST` in rates.ts).
 * - Given names: per sex, the top ~160 by the count of that sex, keeping only names where that sex is at least
 *   20% of the uses; `Thuý` dropped in favour of `Thúy` (tone placement is a noise, not a different name).
 */

/** [surname, weight per 100,000 people] */
export const SURNAMES: readonly (readonly [string, number])[] = [
  ['Nguyễn', 38400], ['Trần', 12100], ['Lê', 9500], ['Phạm', 7000], ['Phan', 4500], ['Hoàng', 2900], ['Huỳnh', 2200], ['Vũ', 2200],
  ['Đặng', 2100], ['Bùi', 2000], ['Võ', 1700], ['Đỗ', 1400], ['Trương', 1374], ['Hồ', 1300], ['Ngô', 1300], ['Dương', 901],
  ['Đoàn', 726], ['Đinh', 693], ['Mai', 577], ['Đào', 536], ['Hà', 501], ['Cao', 491], ['Lương', 425], ['Lâm', 392],
  ['Trịnh', 377], ['Lưu', 339], ['Lý', 309], ['Thái', 266], ['Châu', 245], ['Tô', 230], ['Tạ', 202], ['Phùng', 202],
  ['Vương', 139], ['Thạch', 129], ['Chu', 121], ['Quách', 94], ['Nông', 83], ['Đồng', 78], ['Danh', 78], ['Tăng', 78],
  ['Từ', 78], ['Triệu', 73], ['Diệp', 73], ['Lại', 68], ['Tống', 68], ['Đàm', 66], ['Kiều', 63], ['Bạch', 61],
  ['Tôn', 58], ['La', 53], ['Đậu', 51], ['Kim', 51], ['Hứa', 48], ['Vi', 48], ['Thân', 43], ['Chung', 40],
  ['Lư', 40], ['Mã', 38], ['Lã', 35], ['Sơn', 33], ['Đàng', 30], ['Lăng', 30], ['Lục', 30], ['Vòng', 30],
  ['Dư', 28], ['Lữ', 28], ['Trầm', 23], ['Hán', 23], ['Đổng', 23], ['Nghiêm', 23], ['Thiều', 23], ['Âu', 20],
  ['Mạc', 20], ['Liêu', 20], ['Trà', 20], ['Bành', 20], ['Cù', 20], ['Bế', 18], ['Khổng', 18], ['Lò', 18],
  ['Lường', 18], ['Bàn', 15], ['Ôn', 15], ['Biện', 15], ['Tiêu', 15], ['Chiêm', 13], ['Giáp', 13], ['Ông', 13],
  ['Khương', 13], ['Ma', 13], ['Tào', 13], ['Doãn', 13], ['Nhâm', 10], ['Ninh', 10], ['Khưu', 10], ['Đô', 10],
  ['Ung', 10],
];

/** [middle name (0–2 words), UIT count], men. */
export const MIDDLE_NAMES_MALE: readonly (readonly [string, number])[] = [
  ['Văn', 1450], ['Minh', 1057], ['Thanh', 681], ['Hoàng', 590], ['Quốc', 563], ['Ngọc', 531], ['Đức', 454], ['Hữu', 416],
  ['Thành', 413], ['Quang', 402], ['Tấn', 325], ['Anh', 311], ['', 308], ['Trung', 291], ['Xuân', 279], ['Duy', 277],
  ['Đình', 277], ['Công', 273], ['Trọng', 219], ['Nhật', 202], ['Tuấn', 192], ['Chí', 176], ['Tiến', 147], ['Hồng', 136],
  ['Thế', 134], ['Gia', 121], ['Đăng', 116], ['Thái', 108], ['Hoài', 104], ['Phước', 103], ['Mạnh', 96], ['Huy', 92],
  ['Hải', 87], ['Việt', 85], ['Bá', 85], ['Trường', 83], ['Phúc', 81], ['Bảo', 75], ['Khánh', 74], ['Phi', 57],
  ['Viết', 56], ['Huỳnh', 54], ['Vĩnh', 50], ['Trí', 49], ['Phú', 49], ['Nhựt', 48], ['Đại', 48], ['Vũ', 47],
  ['Cao', 45], ['Thiện', 42], ['Thiên', 38], ['Khắc', 37], ['Nguyên', 35], ['Nguyễn Minh', 27], ['Sỹ', 26], ['Bình', 25],
  ['Long', 23], ['Lâm', 21], ['Nam', 21], ['Đông', 21],
];

/** [middle name (0–2 words), UIT count], women. */
export const MIDDLE_NAMES_FEMALE: readonly (readonly [string, number])[] = [
  ['Thị', 1289], ['Thị Ngọc', 521], ['Thị Kim', 457], ['Thị Thu', 451], ['Thị Thanh', 444], ['Thị Mỹ', 404], ['Thị Hồng', 306], ['Ngọc', 238],
  ['Thị Bích', 195], ['Thị Thùy', 186], ['Thị Thúy', 176], ['Thị Cẩm', 168], ['Thị Phương', 163], ['Thị Minh', 147], ['Thị Tuyết', 123], ['Thị Như', 120],
  ['Thị Yến', 106], ['Kim', 105], ['Thu', 94], ['Hồng', 93], ['Thị Quỳnh', 86], ['Thị Kiều', 86], ['Phương', 77], ['Thị Thảo', 76],
  ['Thị Xuân', 74], ['Thị Anh', 71], ['Thị Trúc', 68], ['Thị Huyền', 67], ['Thị Diễm', 66], ['Thị Huỳnh', 66], ['Thị Ánh', 64], ['Mỹ', 62],
  ['Thùy', 55], ['Thị Mai', 54], ['Thúy', 52], ['Thị Hoài', 51], ['Thị Lan', 46], ['Quỳnh', 44], ['Như', 43], ['Thị Tú', 43],
  ['Thị Khánh', 42], ['Khánh', 41], ['Thị Lệ', 41], ['Thị Tường', 41], ['Thị Bảo', 40], ['Thảo', 39], ['Bảo', 38], ['Thị Thủy', 38],
  ['Thị Hoàng', 37], ['Kiều', 36], ['Thị Hải', 34], ['Huỳnh', 31], ['Thị Mộng', 31], ['Thị Diệu', 30], ['Yến', 30], ['Thị Vân', 30],
  ['Ngọc Phương', 29], ['Thị Ái', 29], ['Thị Trà', 29], ['Tường', 27], ['Thị Hương', 27], ['Bích', 26], ['Thị Hà', 25], ['Tuyết', 24],
  ['Huyền', 23], ['Ngọc Minh', 21], ['Trúc', 20], ['Mai', 18], ['Ngọc Thanh', 18], ['Ngọc Bảo', 18],
];

/** [given name, UIT count], men. */
export const GIVEN_NAMES_MALE: readonly (readonly [string, number])[] = [
  ['Huy', 458], ['Tuấn', 312], ['Đạt', 309], ['Duy', 308], ['Hiếu', 307], ['Anh', 284], ['Minh', 268], ['Nam', 268],
  ['Long', 266], ['Bảo', 227], ['Phúc', 219], ['Hoàng', 219], ['Khoa', 205], ['Tiến', 200], ['Đức', 199], ['Trung', 198],
  ['Nhân', 197], ['Thành', 194], ['Sơn', 186], ['Khang', 185], ['Thắng', 185], ['Tài', 180], ['Thịnh', 171], ['Cường', 167],
  ['Quang', 165], ['Trường', 162], ['Nghĩa', 159], ['Vũ', 159], ['Hùng', 157], ['Hưng', 154], ['Quân', 146], ['Tân', 146],
  ['Khánh', 145], ['Nguyên', 143], ['Hải', 143], ['Trí', 143], ['Phong', 143], ['Toàn', 136], ['An', 134], ['Vinh', 133],
  ['Phát', 132], ['Dũng', 128], ['Tú', 126], ['Sang', 124], ['Lộc', 124], ['Linh', 121], ['Phương', 116], ['Tâm', 115],
  ['Tùng', 114], ['Dương', 108], ['Thuận', 107], ['Thái', 107], ['Phú', 106], ['Nhật', 106], ['Lâm', 106], ['Thiện', 106],
  ['Thanh', 101], ['Hậu', 97], ['Bình', 95], ['Phước', 87], ['Tín', 86], ['Kiệt', 81], ['Hào', 78], ['Thông', 77],
  ['Việt', 76], ['Đăng', 73], ['Luân', 73], ['Danh', 71], ['Trọng', 68], ['Khôi', 66], ['Giang', 64], ['Hiệp', 64],
  ['Hòa', 62], ['Lợi', 62], ['Quốc', 61], ['Vương', 58], ['Kha', 57], ['Kiên', 56], ['Khải', 56], ['Ân', 54],
  ['Công', 51], ['Nhựt', 49], ['Thiên', 48], ['Phi', 45], ['Đại', 45], ['Mạnh', 45], ['Chiến', 44], ['Hà', 43],
  ['Hiển', 42], ['Quý', 38], ['Đông', 38], ['Chương', 38], ['Khanh', 37], ['Tấn', 35], ['Mẫn', 34], ['Thọ', 34],
  ['Cảnh', 34], ['Quí', 33], ['Tính', 32], ['Hoài', 31], ['Quyền', 30], ['Triều', 29], ['Tường', 29], ['Khiêm', 29],
  ['Châu', 28], ['Tình', 28], ['Thi', 27], ['Thức', 27], ['Định', 25], ['Điền', 25], ['Vĩ', 24], ['Chung', 23],
  ['Cương', 23], ['Bằng', 23], ['Hoàn', 22], ['Lực', 22], ['Hảo', 21], ['Khương', 21], ['Đô', 21], ['Triết', 21],
  ['Thương', 20], ['Thạch', 20], ['Thoại', 19], ['Sinh', 19], ['Vỹ', 19], ['Đạo', 19], ['Liêm', 18], ['Chí', 18],
  ['Trực', 18], ['Chính', 17], ['Nghị', 17], ['Pháp', 17], ['Lân', 17], ['Tuyên', 16], ['Huân', 16], ['Trình', 16],
  ['Triệu', 15], ['Quyết', 15], ['Kỳ', 15], ['Truyền', 14], ['Bách', 14], ['Ý', 13], ['Tuyến', 13], ['Lương', 13],
  ['Vĩnh', 13], ['Hiệu', 13], ['Đồng', 13], ['Thống', 13], ['Ninh', 12], ['Tịnh', 12], ['Lượng', 12], ['Nhất', 12],
  ['Sỹ', 12], ['Nhàn', 11], ['Nhã', 11], ['Hoan', 11], ['Luận', 11], ['Nhơn', 11], ['Toản', 11], ['Bắc', 11],
];

/** [given name, UIT count], women. */
export const GIVEN_NAMES_FEMALE: readonly (readonly [string, number])[] = [
  ['Linh', 341], ['Thảo', 338], ['Trang', 319], ['Nhi', 319], ['Anh', 307], ['Ngân', 280], ['Ngọc', 229], ['Như', 223],
  ['Thư', 216], ['Vy', 206], ['Duyên', 203], ['Hương', 181], ['Phương', 177], ['Hằng', 171], ['Trinh', 167], ['Hiền', 164],
  ['Trâm', 164], ['Huyền', 162], ['Yến', 159], ['Hà', 155], ['Tiên', 146], ['Quỳnh', 144], ['Nhung', 142], ['Uyên', 140],
  ['Vân', 139], ['Dung', 134], ['My', 127], ['Quyên', 126], ['Mai', 125], ['Trân', 115], ['Hân', 111], ['Hạnh', 110],
  ['Trúc', 110], ['Tuyền', 107], ['Oanh', 107], ['Vi', 100], ['Thanh', 98], ['Nga', 96], ['Ly', 95], ['Thủy', 90],
  ['Nguyên', 89], ['Hồng', 89], ['Thúy', 86], ['Hoa', 84], ['Giang', 82], ['Diễm', 82], ['Tâm', 81], ['Ánh', 81],
  ['Lan', 77], ['Chi', 75], ['Thu', 74], ['Châu', 73], ['Dương', 72], ['Thương', 72], ['Phượng', 72], ['Loan', 71],
  ['Thùy', 70], ['Tú', 65], ['Thi', 65], ['Thắm', 62], ['An', 60], ['Nguyệt', 59], ['Kiều', 54], ['Tuyết', 54],
  ['Diệu', 52], ['Thoa', 52], ['Xuân', 51], ['Liên', 51], ['Huệ', 49], ['Sương', 48], ['Bình', 46], ['Ý', 46],
  ['Phụng', 45], ['Hảo', 42], ['Đào', 39], ['Hường', 35], ['Lệ', 34], ['Hòa', 33], ['Thy', 32], ['Nhàn', 28],
  ['Thơ', 27], ['Lam', 26], ['Bích', 26], ['Khanh', 22], ['Mỹ', 21], ['Na', 20], ['Mi', 20], ['Ân', 19],
  ['Nghi', 19], ['Cúc', 19], ['Tuyến', 18], ['Kim', 18], ['Nhã', 17], ['Trà', 17], ['Hoài', 16], ['Giàu', 16],
  ['Yên', 15], ['Quý', 13], ['Liễu', 13], ['Diệp', 13], ['Mẫn', 12], ['Tình', 12], ['Điệp', 12], ['Lành', 12],
  ['Hạ', 12], ['Phấn', 12], ['Chung', 11], ['Cương', 11], ['Giao', 11], ['Tươi', 11], ['Xuyên', 10], ['Đoan', 10],
  ['Nhiên', 10], ['Sen', 10], ['Ái', 10], ['Lài', 10], ['Xuyến', 10], ['Thơm', 10], ['Cẩm', 10], ['Nương', 10],
  ['Quyền', 9], ['Đan', 9], ['Đài', 9], ['Viên', 9], ['Ngoan', 9], ['Triều', 8], ['Tuyên', 8], ['Lương', 8],
  ['Khuê', 8], ['Ngà', 8], ['Quế', 8], ['Hợp', 7], ['Vui', 7], ['Thoại', 6], ['Hoan', 6], ['Mến', 6],
  ['Băng', 6], ['Mơ', 6], ['Huế', 6], ['Lụa', 6], ['Quy', 5], ['Thao', 5], ['Pha', 5], ['Nhu', 5],
  ['Luyến', 5], ['Huyên', 5], ['Sa', 5], ['Ny', 5], ['Gấm', 5], ['Ni', 5], ['Khuyên', 5], ['Chinh', 4],
  ['Lanh', 4], ['Hướng', 4], ['Dân', 4], ['Nhớ', 4], ['Xinh', 4], ['Thẩm', 4], ['Thuyền', 4],
];

/**
 * Very common full names (family, middle, given) used to plant groups of different people who share a name and
 * a birth year, the hardest case for matching without an ID.
 */
export const COMMON_FULL_NAMES_MALE: readonly (readonly [string, string, string])[] = [
  ['Nguyễn', 'Văn', 'Hùng'], ['Nguyễn', 'Văn', 'Nam'], ['Nguyễn', 'Văn', 'Dũng'], ['Nguyễn', 'Văn', 'Tuấn'],
  ['Trần', 'Văn', 'Hùng'], ['Lê', 'Văn', 'Hải'], ['Nguyễn', 'Văn', 'Thắng'], ['Nguyễn', 'Đức', 'Anh'],
];
export const COMMON_FULL_NAMES_FEMALE: readonly (readonly [string, string, string])[] = [
  ['Nguyễn', 'Thị', 'Lan'], ['Nguyễn', 'Thị', 'Hương'], ['Nguyễn', 'Thị', 'Mai'], ['Nguyễn', 'Thị', 'Hoa'],
  ['Trần', 'Thị', 'Lan'], ['Lê', 'Thị', 'Hằng'], ['Nguyễn', 'Thị', 'Thủy'], ['Phạm', 'Thị', 'Hà'],
];

/**
 * Ethnic-minority names for the childhood mode (judgement, from the naming patterns of DOMAIN.md §2.1:
 * H'Mông clan names with the A/Seo/Mí markers, Hà Nhì names, Thái names with Lò/Cầm/Quàng, Dao with
 * Triệu/Bàn/Đặng). Each word may be written several ways by different clerks (`SPELLINGS`): the syllable
 * has no fixed Vietnamese spelling, so `Giàng`/`Dàng`, `Thào`/`Thao`, `Páo`/`Pao`, `Mí`/`Mý` all occur.
 */
export interface MinorityGroup {
  /** The group's name as the civil register writes it, then other spellings seen in files. */
  readonly ethnicity: readonly string[];
  readonly families: readonly string[];
  readonly middle: { readonly male: readonly string[]; readonly female: readonly string[] };
  readonly given: { readonly male: readonly string[]; readonly female: readonly string[] };
  readonly weight: number;
}

export const MINORITY_GROUPS: readonly MinorityGroup[] = [
  {
    ethnicity: ["H'Mông", 'Hmông', 'Mông', 'HMong', "H'mong"],
    families: ['Giàng', 'Thào', 'Vàng', 'Sùng', 'Lầu', 'Mùa', 'Hạng', 'Lý', 'Ly', 'Vừ', 'Cứ', 'Tráng'],
    middle: { male: ['A', 'Seo', 'Mí', 'Văn'], female: ['Thị', 'Mí', 'Thị', 'Thị'] },
    given: { male: ['Páo', 'Sử', 'Chứ', 'Dế', 'Lử', 'Chính', 'Tủa', 'Pàng', 'Sình', 'Cở', 'Dính', 'Súa'], female: ['Mai', 'Dợ', 'Mỷ', 'Pà', 'Xúa', 'Chá', 'Dở', 'Sua', 'Lia', 'Sy', 'Dua', 'Máy'] },
    weight: 0.4,
  },
  {
    ethnicity: ['Hà Nhì', 'Ha Nhi', 'Hà nhì', 'Hànhì'],
    families: ['Lò', 'Ly', 'Lý', 'Chu', 'Pờ', 'Phìn', 'Sừ', 'Hù', 'Lỳ', 'Chào', 'Ly Xé', 'Cáo'],
    middle: { male: ['A', 'Gạ', 'Xá', 'Văn'], female: ['Mỹ', 'Thị', 'Gố', 'Mó'] },
    given: { male: ['Xá', 'Chừ', 'Dơ', 'Hừ', 'Gạ', 'Phứ', 'Chè', 'Tư', 'Lỳ', 'Pa'], female: ['Da', 'Sú', 'Xe', 'Chừ', 'Mé', 'Pa', 'Ngọc', 'Chà', 'Lan', 'Hà'] },
    weight: 0.2,
  },
  {
    ethnicity: ['Thái', 'Thai', 'Tày Thái'],
    families: ['Lò', 'Cầm', 'Quàng', 'Lường', 'Tòng', 'Điêu', 'Vi', 'Hà', 'Lự', 'Mè'],
    middle: { male: ['Văn', 'Văn', 'Minh'], female: ['Thị', 'Thị', 'Ngọc'] },
    given: { male: ['Khăm', 'Panh', 'Ún', 'Xiêng', 'Inh', 'Pọm', 'Thoong', 'Hặc', 'Bun', 'Khay'], female: ['Ún', 'Ỏi', 'Xuân', 'Mai', 'Biêng', 'Ọn', 'Pọm', 'Lả', 'Hoa', 'Phăn'] },
    weight: 0.25,
  },
  {
    ethnicity: ['Dao', 'Dao đỏ', 'Mán'],
    families: ['Triệu', 'Bàn', 'Đặng', 'Lý', 'Chảo', 'Phùn', 'Tẩn', 'Sầm'],
    middle: { male: ['Tài', 'Văn', 'Phúc', 'Tòn'], female: ['Thị', 'Mùi', 'Thị', 'Tả'] },
    given: { male: ['Vần', 'Quẩy', 'Chòi', 'Sinh', 'Phẩu', 'Kiềm', 'Lở', 'Dào'], female: ['Mẩy', 'Xiêm', 'Nái', 'Mây', 'Chạn', 'Kiều', 'Pham', 'Hiền'] },
    weight: 0.15,
  },
];

/** Other spellings of minority name words (each list includes the register's spelling first). */
export const MINORITY_SPELLINGS: ReadonlyMap<string, readonly string[]> = new Map(
  [
    ['Giàng', 'Dàng', 'Giang', 'Zàng'], ['Thào', 'Thao', 'Tháo'], ['Vàng', 'Vang', 'Vầng'], ['Sùng', 'Xùng', 'Sung'],
    ['Lầu', 'Lâu', 'Lù'], ['Mùa', 'Mua'], ['Hạng', 'Hang'], ['Vừ', 'Vư', 'Vù'], ['Cứ', 'Cư', 'Kứ'], ['Tráng', 'Chang', 'Trang'],
    ['Páo', 'Pao', 'Pháo'], ['Sử', 'Sư', 'Xử'], ['Chứ', 'Chư', 'Trứ'], ['Dế', 'Dê', 'Giế'], ['Lử', 'Lư'], ['Tủa', 'Tua'],
    ['Pàng', 'Pang'], ['Sình', 'Xình', 'Sinh'], ['Cở', 'Cơ'], ['Súa', 'Xúa', 'Sua'], ['Dợ', 'Dơ', 'Zợ'], ['Mỷ', 'Mỹ', 'Mi'],
    ['Pà', 'Pa'], ['Xúa', 'Súa'], ['Chá', 'Cha', 'Trá'], ['Dở', 'Dơ', 'Giở'], ['Máy', 'May'], ['Mí', 'Mý', 'Mi'], ['Seo', 'Sèo', 'Sếu'],
    ['Pờ', 'Pơ', 'Phờ'], ['Phìn', 'Phin', 'Phình'], ['Sừ', 'Sư', 'Xừ'], ['Hù', 'Hu', 'Hừ'], ['Lỳ', 'Ly', 'Lì'], ['Chào', 'Chao', 'Trào'],
    ['Xá', 'Sá', 'Xa'], ['Chừ', 'Chư', 'Trừ'], ['Hừ', 'Hư'], ['Gạ', 'Ga'], ['Phứ', 'Phư', 'Phừ'], ['Chè', 'Che'], ['Gố', 'Gô'],
    ['Mó', 'Mo'], ['Sú', 'Xú', 'Su'], ['Mé', 'Me'], ['Chà', 'Cha', 'Trà'], ['Cầm', 'Cằm', 'Kầm'], ['Quàng', 'Quang', 'Hoàng'],
    ['Tòng', 'Tong'], ['Lự', 'Lư'], ['Mè', 'Me'], ['Khăm', 'Khằm', 'Kham'], ['Panh', 'Pănh'], ['Ún', 'Un'], ['Xiêng', 'Siêng', 'Xieng'],
    ['Pọm', 'Pom'], ['Thoong', 'Thông', 'Thong'], ['Hặc', 'Hắc'], ['Ỏi', 'Oi'], ['Biêng', 'Biên'], ['Ọn', 'On'], ['Lả', 'La'],
    ['Phăn', 'Phằn'], ['Chảo', 'Chao', 'Trảo'], ['Phùn', 'Phun'], ['Tẩn', 'Tân', 'Tẫn'], ['Tòn', 'Ton'], ['Tả', 'Ta'],
    ['Vần', 'Vân', 'Vằn'], ['Quẩy', 'Quây', 'Quấy'], ['Chòi', 'Choi', 'Tròi'], ['Phẩu', 'Phâu'], ['Lở', 'Lơ'], ['Dào', 'Dao', 'Giào'],
    ['Mẩy', 'Mây', 'Mầy'], ['Nái', 'Nai'], ['Chạn', 'Chan', 'Trạn'], ['Pham', 'Phàm'], ['Mùi', 'Mui'],
  ].map(([word, ...others]) => [word!, [word!, ...others]] as const),
);
