/**
 * Target populations (số đối tượng / chỉ tiêu) per commune, year and group, imported by an operator
 * (`vaxsync targets import FILE.csv`): the denominators of the monthly childhood-programme report. Where
 * none was imported, the report counts the children in the records and says so.
 *
 * The file: CSV (UTF-8, comma or semicolon) or XLSX, header row first, columns
 *   commune_code (mã xã) · year (năm) · group (nhóm đối tượng) · count (số đối tượng)
 * with groups `under1` (trẻ dưới 1 tuổi) and `age18m` (trẻ 18 tháng tuổi). A commune code is of the list in
 * force in its year: the 2004 list up to 2024, the 2025 list from 2026, either in 2025 (the reform was on
 * 1 July). The whole file is checked first; one bad row refuses the file, and every error names its row and
 * field. A figure imported again for the same commune, year and group replaces the old one.
 */
import path from 'node:path';
import { z } from 'zod';
import { openTabularFile } from '../../connectors/sources/tabular.js';
import { communeName } from '../clean/commune.js';
import { asciiKey } from '../base/text.js';
import type { Database } from '../db/database.js';

export const POPULATION_GROUPS = ['under1', 'age18m'] as const;
export type PopulationGroup = (typeof POPULATION_GROUPS)[number];
export const POPULATION_GROUP_NAMES: Readonly<Record<PopulationGroup, string>> = { under1: 'trẻ dưới 1 tuổi', age18m: 'trẻ 18 tháng tuổi' };

const COLUMNS = {
  commune_code: ['commune_code', 'mã xã', 'mã xã/phường', 'mã phường'],
  year: ['year', 'năm'],
  group: ['group', 'nhóm', 'nhóm đối tượng'],
  count: ['count', 'số đối tượng', 'chỉ tiêu', 'số lượng'],
} as const;
type Column = keyof typeof COLUMNS;

const GROUP_ALIASES: ReadonlyMap<string, PopulationGroup> = new Map([
  ...['under1', 'duoi 1 tuoi', 'tre duoi 1 tuoi', 'u1'].map((k) => [k, 'under1'] as const),
  ...['age18m', '18 thang', 'tre 18 thang', 'tre 18 thang tuoi'].map((k) => [k, 'age18m'] as const),
]);

export class TargetImportError extends Error {}

export interface TargetRow {
  readonly commune_code: string;
  readonly year: number;
  readonly population_group: PopulationGroup;
  readonly count: number;
}

const TargetSchema = z
  .object({
    commune_code: z.string().trim().regex(/^\d{1,5}$/, 'must be a commune code of up to 5 digits').transform((c) => c.padStart(5, '0')),
    year: z.string().trim().regex(/^\d{4}$/, 'must be a year such as 2026').transform(Number).pipe(z.number().int().min(2000, 'must be 2000 or later').max(2100, 'must be 2100 or earlier')),
    group: z.string().transform((g, ctx) => {
      const group = GROUP_ALIASES.get(asciiKey(g));
      if (!group) {
        ctx.addIssue({ code: 'custom', message: `must be one of ${POPULATION_GROUPS.join(', ')} (trẻ dưới 1 tuổi, trẻ 18 tháng), got ${JSON.stringify(g)}` });
        return z.NEVER;
      }
      return group;
    }),
    count: z.string().trim().regex(/^\d+$/, 'must be a whole number, 0 or more').transform(Number),
  })
  .superRefine((row, ctx) => {
    const lists = row.year < 2025 ? (['2004'] as const) : row.year > 2025 ? (['2025'] as const) : (['2004', '2025'] as const);
    if (!lists.some((list) => communeName(row.commune_code, list) !== null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['commune_code'],
        message: `${row.commune_code} is not a commune of the ${lists.map((l) => (l === '2004' ? 'pre-July-2025' : '2025')).join(' or ')} list, in force in ${row.year}`,
      });
    }
  });

/** Reads and checks the whole file; throws with every problem (row and field named) if any row is wrong. */
export async function readTargets(file: string): Promise<TargetRow[]> {
  const source = await openTabularFile(file);
  let columns: Partial<Record<Column, number>> | null = null;
  const rows: TargetRow[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for await (const { rowNumber, cells } of source.rows) {
    if (cells.every((c) => c.trim() === '')) continue;
    if (columns === null) {
      const found: Partial<Record<Column, number>> = {};
      cells.forEach((header, i) => {
        const key = asciiKey(header);
        for (const column of Object.keys(COLUMNS) as Column[]) {
          if (found[column] === undefined && COLUMNS[column].some((alias) => asciiKey(alias) === key)) found[column] = i;
        }
      });
      const missing = (Object.keys(COLUMNS) as Column[]).filter((c) => found[c] === undefined);
      if (missing.length > 0) throw new TargetImportError(`${path.basename(file)} row ${rowNumber}: missing column(s) ${missing.join(', ')} (the header must name commune_code, year, group, count)`);
      columns = found;
      continue;
    }
    const raw = Object.fromEntries((Object.keys(COLUMNS) as Column[]).map((c) => [c, cells[columns![c]!] ?? '']));
    const parsed = TargetSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`row ${rowNumber}, ${issue.path.join('.') || 'row'}: ${issue.message}`);
      continue;
    }
    const row = { commune_code: parsed.data.commune_code, year: parsed.data.year, population_group: parsed.data.group, count: parsed.data.count };
    const key = `${row.commune_code}|${row.year}|${row.population_group}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) problems.push(`row ${rowNumber}, commune_code: ${row.commune_code} ${row.year} ${row.population_group} is already given in row ${earlier}`);
    else seen.set(key, rowNumber);
    rows.push(row);
  }
  if (columns === null) throw new TargetImportError(`${path.basename(file)}: the file is empty (expected a header commune_code, year, group, count)`);
  if (problems.length > 0) throw new TargetImportError(`${path.basename(file)}: ${problems.length} problem(s), nothing imported:\n  ${problems.join('\n  ')}`);
  return rows;
}

/** Imports a checked file in one transaction; answers how many figures it stored. */
export async function importTargets(database: Database, file: string): Promise<number> {
  const rows = await readTargets(file);
  const source = path.basename(file);
  await database.withTransaction(async (tx) => {
    for (const r of rows) {
      await tx.query(
        `insert into target_population (commune_code, year, population_group, count, source) values ($1, $2, $3, $4, $5)
         on conflict (commune_code, year, population_group) do update set count = excluded.count, source = excluded.source, imported_at = now()`,
        [r.commune_code, r.year, r.population_group, r.count, source],
      );
    }
  });
  return rows.length;
}
