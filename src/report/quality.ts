/**
 * The data-quality report: per field, how many values came out clean, fixed, flagged, invalid or
 * missing; and the row-level problems a station must correct (file, row, field, raw value, problem).
 */
import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { FIELDS, type FieldName } from '../base/fields.js';
import { rawCellSql } from '../base/raw-cells.js';
import { spreadsheetSafeSql } from '../base/csv.js';
import { FIELD_LABELS_VI, FINDING_CATALOGUE, findingMessage, type FindingCode } from '../clean/findings-catalogue.js';

export interface FieldQuality {
  readonly field: FieldName;
  readonly clean: number;
  readonly fixed: number;
  readonly flagged: number;
  readonly invalid: number;
  readonly missing: number;
}

export interface QualityScope {
  /** One batch; by default every loaded batch. */
  readonly batchId?: number | undefined;
}

export async function fieldQuality(database: Database, scope: QualityScope = {}): Promise<FieldQuality[]> {
  let query = database.db
    .selectFrom('field_stat as s')
    .innerJoin('batch as b', 'b.id', 's.batch_id')
    .where('b.status', '=', 'loaded')
    .select([
      's.field',
      sql<number>`sum(s.clean)::int`.as('clean'),
      sql<number>`sum(s.fixed)::int`.as('fixed'),
      sql<number>`sum(s.flagged)::int`.as('flagged'),
      sql<number>`sum(s.invalid)::int`.as('invalid'),
      sql<number>`sum(s.missing)::int`.as('missing'),
    ])
    .groupBy('s.field');
  if (scope.batchId !== undefined) query = query.where('b.id', '=', scope.batchId);
  const rows = new Map((await query.execute()).map((r) => [r.field, r]));
  return FIELDS.map((field) => {
    const r = rows.get(field);
    return { field, clean: r?.clean ?? 0, fixed: r?.fixed ?? 0, flagged: r?.flagged ?? 0, invalid: r?.invalid ?? 0, missing: r?.missing ?? 0 };
  });
}

export interface ProblemCount {
  readonly field: string;
  readonly code: string;
  readonly severity: string;
  readonly rows: number;
}

/** How often each kind of finding occurred, most frequent first. */
export async function problemCounts(database: Database, scope: QualityScope = {}): Promise<ProblemCount[]> {
  const batch = scope.batchId === undefined ? sql`` : sql`and b.id = ${scope.batchId}`;
  const result = await sql<ProblemCount>`
    select k.field, k.code, k.severity, count(*)::int as rows
    from record r
    join batch b on b.id = r.batch_id
    cross join unnest(r.findings) as c(code)
    join finding_kind k on k.code = c.code
    where b.status = 'loaded' ${batch}
    group by k.field, k.code, k.severity
    order by rows desc, k.code`.execute(database.db);
  return result.rows;
}

/**
 * The SELECT behind the row-level problem list. The raw value is read from the raw row through the
 * batch's column map, so it is exactly what the station typed. Fixes are left out unless asked for:
 * they need no action. Unordered: each caller orders what it selects from it (sorting here too cost a second
 * sort of every problem).
 */
export function problemsQuery(scope: QualityScope & { readonly includeFixes?: boolean } = {}): string {
  const conditions = ["b.status = 'loaded'"];
  if (!scope.includeFixes) conditions.push("k.severity <> 'fix'");
  if (scope.batchId !== undefined) {
    if (!Number.isSafeInteger(scope.batchId)) throw new Error(`Not a batch id: ${scope.batchId}`);
    conditions.push(`b.id = ${scope.batchId}`);
  }
  return `
    select b.id as batch_id, b.file_name as file, r.row_number as row, k.field,
           ${rawCellSql('w.cells', "(b.column_map ->> k.field)::int")} as raw_value,
           k.severity, k.code, k.message as problem,
           r.record_id, ${rawCellSql('w.cells', "(b.column_map ->> 'full_name')::int")} as row_name,
           b.headers[(b.column_map ->> k.field)::int + 1] as column_header
    from record r
    join batch b on b.id = r.batch_id
    cross join unnest(r.findings) as c(code)
    join finding_kind k on k.code = c.code
    join raw_row w on w.batch_id = r.batch_id and w.row_number = r.row_number
    where ${conditions.join(' and ')}`;
}

/** The severities as a station reads them. */
export const SEVERITY_VI = { invalid: 'Lỗi, cần sửa', warning: 'Cần kiểm tra', fix: 'Đã tự sửa' } as const;
/** When a finding's code is not (or no longer) in the catalogue: still Vietnamese, never the stored English. */
const UNKNOWN_VI = 'Giá trị này cần kiểm tra lại.';

/** A finding's Vietnamese sentence (the code's general one), for a station's problem lists. */
export function problemTextVi(code: string): string {
  return FINDING_CATALOGUE.has(code as FindingCode) ? findingMessage(code as FindingCode, 'vi') : UNKNOWN_VI;
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * Writes the problem list as CSV for a station to correct, in Vietnamese: the file and row, the row's STT
 * (record_id) and name, the station's own column header, the value as typed, the severity and the sentence
 * (the finding's code kept for tools). UTF-8 with a BOM so that Excel shows Vietnamese text correctly.
 */
export async function writeProblemsCsv(
  database: Database,
  output: NodeJS.WritableStream,
  scope: QualityScope & { readonly includeFixes?: boolean } = {},
): Promise<void> {
  output.write('\ufeff');
  const texts = [...FINDING_CATALOGUE.keys()].map((code) => `(${literal(code)}, ${literal(problemTextVi(code))})`).join(', ');
  const labels = Object.entries(FIELD_LABELS_VI).map(([field, label]) => `(${literal(field)}, ${literal(label)})`).join(', ');
  const severities = Object.entries(SEVERITY_VI).map(([severity, label]) => `(${literal(severity)}, ${literal(label)})`).join(', ');
  // For people (a clerk opens it in Excel): the text a station typed is neutralised (src/base/csv.ts).
  const columns = [
    [spreadsheetSafeSql('p.file'), 'Tệp'],
    ['p.row', 'Dòng'],
    [spreadsheetSafeSql('p.record_id'), 'STT/Mã bản ghi'],
    [spreadsheetSafeSql('p.row_name'), 'Họ và tên'],
    [spreadsheetSafeSql('coalesce(p.column_header, l.label, p.field)'), 'Cột'],
    [spreadsheetSafeSql('p.raw_value'), 'Giá trị đã nhập'],
    ['coalesce(s.label, p.severity)', 'Mức độ'],
    ['p.code', 'Mã lỗi'],
    [`coalesce(t.text, ${literal(UNKNOWN_VI)})`, 'Vấn đề'],
  ].map(([expr, name]) => `${expr} as "${name}"`);
  await database.copyOutCsv(
    `select ${columns.join(', ')}
     from (${problemsQuery(scope)}) p
     left join (values ${texts}) as t(code, text) on t.code = p.code
     left join (values ${labels}) as l(field, label) on l.field = p.field
     left join (values ${severities}) as s(severity, label) on s.severity = p.severity
     order by p.batch_id, p.row, p.field, p.code`,
    output,
  );
}

export function formatFieldQuality(rows: readonly FieldQuality[]): string {
  const header = ['field', 'clean', 'fixed', 'flagged', 'invalid', 'missing'];
  const table = rows.map((r) => [r.field, r.clean, r.fixed, r.flagged, r.invalid, r.missing].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...table.map(line)].join('\n');
}
