/**
 * Builds `data/admin-units.json`, the administrative-unit reference the commune-code rule ships with
 * (the tool never reads `../shared` at run time):
 *
 *   npx tsx scripts/build-admin-units.ts
 *
 * Inputs (`../shared/datasets/vn_admin_units`, see its README; DOMAIN.md §4):
 * - `pre_2025_07/Xa_2025-01-04.csv`: GSO export of the QĐ 124/2004 communes, 2025-01-04;
 * - `post_2025_07/wards.csv`: the 3,321 communes/wards of QĐ 19/2025/QĐ-TTg (from 1 Jul 2025);
 * - `conversion_2025_07/BangChuyendoiDVHCmoi_cu_khong_merge.csv`: old commune → new commune.
 *
 * Output, compact (arrays grouped by parent unit, not objects; < 600 KB) and sorted, so that a rebuild
 * gives the same bytes:
 * - `communes2004`: [province, district, [[code, name], …]] per district (2, 3 and 5 digits);
 * - `communes2025`: [province, [[code, name], …]] per province (2 and 5 digits);
 * - `conversion`:   [newCode, ...oldCodes] per new commune, as the source table groups it; an old code
 *   under several new codes was split among them ("Nhập một phần").
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

const REPO = path.resolve(import.meta.dirname, '..');
const SOURCE = path.resolve(REPO, '../shared/datasets/vn_admin_units');
const OUTPUT = path.join(REPO, 'data/admin-units.json');

const FILES = {
  pre: 'pre_2025_07/Xa_2025-01-04.csv',
  post: 'post_2025_07/wards.csv',
  conversion: 'conversion_2025_07/BangChuyendoiDVHCmoi_cu_khong_merge.csv',
} as const;

type Commune2004 = [code: string, name: string, province: string, district: string];
type Commune2025 = [code: string, name: string, province: string];

const COMMUNE_CODE = /^\d{5}$/;
/** `Quận Ba Đình (001)` → `001`: the conversion table writes codes in brackets after the name. */
const BRACKETED_CODE = /\((\d+)\)\s*$/;

function readCsv(file: string): string[][] {
  return parse(readFileSync(path.join(SOURCE, file)), { bom: true, relaxColumnCount: true }) as string[][];
}

function cell(row: readonly string[], index: number): string {
  return (row[index] ?? '').trim();
}

function bracketedCode(text: string, file: string): string {
  const match = BRACKETED_CODE.exec(text);
  if (!match?.[1]) throw new Error(`${file}: no bracketed code in "${text}"`);
  return match[1];
}

function byCode<T extends readonly string[]>(a: T, b: T): number {
  return a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0;
}

/** Columns: Tỉnh Thành Phố, Mã TP, Quận Huyện, Mã QH, Phường Xã, Mã PX, Cấp, Tên Tiếng Anh. */
function readCommunes2004(): Commune2004[] {
  const [header, ...rows] = readCsv(FILES.pre);
  if (cell(header!, 5) !== 'Mã PX') throw new Error(`${FILES.pre}: unexpected header ${header!.join(',')}`);
  const out: Commune2004[] = [];
  for (const row of rows) {
    const code = cell(row, 5);
    // The 5 island districts without communes (Cấp = Huyện) have no commune code.
    if (code === '') continue;
    if (!COMMUNE_CODE.test(code)) throw new Error(`${FILES.pre}: bad commune code "${code}"`);
    out.push([code, cell(row, 4), cell(row, 1), cell(row, 3)]);
  }
  return out;
}

/** Columns: ward_code, name, division_type, codename, short_codename, province_code, province_name (unpadded). */
function readCommunes2025(): Commune2025[] {
  const [header, ...rows] = readCsv(FILES.post);
  if (cell(header!, 0) !== 'ward_code') throw new Error(`${FILES.post}: unexpected header ${header!.join(',')}`);
  return rows.map((row) => [cell(row, 0).padStart(5, '0'), cell(row, 1), cell(row, 5).padStart(2, '0')]);
}

interface ConversionRow {
  readonly oldCode: string;
  readonly newCode: string;
  /** From the row itself, for old codes the 2025-01-04 export does not have. */
  readonly old: Commune2004;
}

/**
 * Rows 1–2 are headers. Columns: Tỉnh, thành phố (new, with code) · Tên Xã mới · Mã Xã mới · Tên Xã cũ ·
 * Mã Xã cũ · Ghi chú · Quận/huyện (old, with code) · Tỉnh cũ (with code). Province title rows have only
 * the first column; the special zones made of a whole island district have no old commune code.
 */
function readConversion(): ConversionRow[] {
  const rows = readCsv(FILES.conversion).slice(2);
  const out: ConversionRow[] = [];
  for (const row of rows) {
    const newCode = cell(row, 2);
    const oldCode = cell(row, 4);
    if (newCode === '' || oldCode === '') continue;
    if (!COMMUNE_CODE.test(newCode) || !COMMUNE_CODE.test(oldCode)) {
      throw new Error(`${FILES.conversion}: bad code in row ${row.join(',')}`);
    }
    const district = bracketedCode(cell(row, 6), FILES.conversion);
    const province = bracketedCode(cell(row, 7), FILES.conversion);
    out.push({ oldCode, newCode, old: [oldCode, cell(row, 3), province, district] });
  }
  return out;
}

type Group<K extends readonly string[]> = [...K, [code: string, name: string][]];

/** `[code, name, ...parents]` rows → `[...parents, [[code, name], …]]`, sorted by parents, then by code. */
function groupBy<K extends readonly string[]>(rows: readonly (readonly string[])[], parent: (row: readonly string[]) => K): Group<K>[] {
  const groups = new Map<string, Group<K>>();
  for (const row of [...rows].sort(byCode)) {
    const key = parent(row);
    const id = key.join(' ');
    let group = groups.get(id);
    if (!group) groups.set(id, (group = [...key, []] as Group<K>));
    (group[group.length - 1] as [string, string][]).push([row[0]!, row[1]!]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
}

function build() {
  const exported2004 = readCommunes2004();
  const communes2025 = readCommunes2025();
  const conversionRows = readConversion();

  const known2004 = new Set(exported2004.map((c) => c[0]));
  const known2025 = new Set(communes2025.map((c) => c[0]));
  const predecessors = new Map<string, Set<string>>();
  // Old codes used by the conversion table but absent from the 2025-01-04 export: communes rearranged
  // between that export and the reform (e.g. in Sơn La's Mộc Châu and Hồ Chí Minh City). They were valid
  // pre-reform codes, so they belong to the old list.
  const addedFromConversion = new Map<string, Commune2004>();
  for (const { oldCode, newCode, old } of conversionRows) {
    if (!known2025.has(newCode)) throw new Error(`${FILES.conversion}: new code ${newCode} is not in ${FILES.post}`);
    let set = predecessors.get(newCode);
    if (!set) predecessors.set(newCode, (set = new Set()));
    set.add(oldCode);
    if (!known2004.has(oldCode) && !addedFromConversion.has(oldCode)) addedFromConversion.set(oldCode, old);
  }

  const all2004 = [...exported2004, ...addedFromConversion.values()];
  const conversion = [...predecessors.entries()].map(([newCode, olds]) => [newCode, ...[...olds].sort()]).sort(byCode);
  const oldCodes = new Map<string, number>();
  for (const [, ...olds] of conversion) for (const old of olds) oldCodes.set(old, (oldCodes.get(old) ?? 0) + 1);

  const data = {
    provenance: {
      note: 'Generated by scripts/build-admin-units.ts from the files below; do not edit by hand.',
      repository: 'https://github.com/sunshine-tech/VietnamProvinces',
      commit: '809e91baefbe3153ccaecc9b2286303a98b9119b',
      tag: 'v2026.2.3',
      licence: 'GPL-3.0-or-later (the vietnam-provinces package); the data comes from the National Statistics Office (Cục Thống kê)',
      files: {
        communes2004: `dev/seed-data/Pre-2025-07/Xa_2025-01-04.csv (GSO export 2025-01-04, QĐ 124/2004/QĐ-TTg codes), plus ${addedFromConversion.size} old codes found only in the conversion table`,
        communes2025: 'vietnam_provinces/data/nested-divisions.json (QĐ 19/2025/QĐ-TTg codes, from 1 Jul 2025)',
        conversion: 'dev/seed-data/2025-07/BangChuyendoiĐVHCmoi_cu_khong_merge.csv',
      },
      layout: {
        communes2004: '[province, district, [[code, name], ...]]',
        communes2025: '[province, [[code, name], ...]]',
        conversion: '[newCode, ...oldCodes]',
      },
    },
    communes2004: groupBy(all2004, (c) => [c[2]!, c[3]!] as const),
    communes2025: groupBy(communes2025, (c) => [c[2]!] as const),
    conversion,
  };
  const counts = {
    exported2004: exported2004.length,
    addedFromConversion: addedFromConversion.size,
    communes2004: all2004.length,
    communes2025: communes2025.length,
    inBoth: communes2025.filter((c) => known2004.has(c[0]) || addedFromConversion.has(c[0])).length,
    oldCodes: oldCodes.size,
    split: [...oldCodes.values()].filter((n) => n > 1).length,
  };
  return { data, counts };
}

/** One commune (or conversion group) per line: compact, yet a changed unit shows as a one-line diff. */
function serialize(data: Record<string, unknown>): string {
  const item = (value: unknown): string =>
    Array.isArray(value) && Array.isArray(value.at(-1))
      ? `${JSON.stringify(value.slice(0, -1)).slice(0, -1)},[\n${(value.at(-1) as unknown[]).map((v) => JSON.stringify(v)).join(',\n')}\n]]`
      : JSON.stringify(value);
  const parts = Object.entries(data).map(([key, value]) => {
    const body = Array.isArray(value)
      ? `[\n${value.map(item).join(',\n')}\n]`
      : JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
    return `  ${JSON.stringify(key)}: ${body}`;
  });
  return `{\n${parts.join(',\n')}\n}\n`;
}

const { data, counts } = build();
const text = serialize(data);
writeFileSync(OUTPUT, text);

console.log(`communes2004: ${counts.communes2004} (${counts.exported2004} from the 2025-01-04 export + ${counts.addedFromConversion} from the conversion table)`);
console.log(`communes2025: ${counts.communes2025}`);
console.log(`conversion:   ${counts.oldCodes} old codes into ${data.conversion.length} new communes; ${counts.split} old communes split among several`);
console.log(`codes in both lists: ${counts.inBoth}`);
console.log(`wrote ${path.relative(REPO, OUTPUT)} (${(Buffer.byteLength(text) / 1024).toFixed(0)} KB)`);
