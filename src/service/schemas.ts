/**
 * The pieces of the API's request and answer shapes that several route groups share, as zod schemas. Each
 * route group keeps its own shapes next to its routes (src/service/routes/<group>.schemas.ts); together they
 * are the one place a shape is defined. Fastify validates every request against them (a mismatch is a 400
 * naming the field), serializes every answer through them (a field not listed there never leaves the
 * service, whatever a query returned), and the OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { CALENDAR_DATE_FORMAT, CALENDAR_DATE_PATTERN, calendarDateProblem } from '../base/calendar-date.js';
import { ERROR_CODES, type ErrorCode } from '../base/errors.js';

/** Every code an answer may carry (src/base/errors.ts): stable, for a client to match on. */
export const ErrorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

export const ErrorBody = z
  .object({ error: z.string(), code: ErrorCodeSchema })
  .describe('What was wrong, naming the field or the problem, and its stable code');

/** The largest integer column value (PostgreSQL's int4): an id past it is a 400, never a database error. */
const INT4_MAX = 2 ** 31 - 1;

/** Ids in paths are positive integers; anything else is a 400, never a database error. */
export const Id = z.coerce.number().int().positive().max(INT4_MAX);
export const BigId = z.string().regex(/^[1-9]\d{0,17}$/, 'must be a positive whole number');

/** A record as `batch:row` (the row as the spreadsheet shows it). */
export const RecordRefText = z
  .string()
  .regex(/^\d{1,10}:\d{1,10}$/, 'must be batch:row, e.g. 12:5')
  .transform((text) => {
    const [batch, row] = text.split(':').map(Number) as [number, number];
    return { batch, row };
  })
  .refine(({ batch, row }) => batch <= INT4_MAX && row <= INT4_MAX, `batch and row must be at most ${INT4_MAX}`);

export const Limit = (fallback: number, max: number) => z.coerce.number().int().positive().max(max).default(fallback);
export const Flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * A calendar date that exists, by the same strict rule as the CLI's `--date` (src/base/calendar-date.ts):
 * 2026-02-30 is refused, not rolled over into March.
 */
export const CalendarDate = z
  .string()
  .regex(CALENDAR_DATE_PATTERN, `must be ${CALENDAR_DATE_FORMAT}`)
  .refine((d) => calendarDateProblem(d) === null, 'is not a calendar date');

/** A row's fix or problem, as the upload's answer and a batch's quality list it. */
export const RowProblem = z.object({
  row: z.number().int().describe('Row of the file as a spreadsheet shows it (for a JSON batch: index + 2, the header being row 1)'),
  index: z.number().int().optional().describe('For a JSON batch: the index of the row in `rows`'),
  recordId: z.string().nullable().describe("The row's record_id (STT) as cleaned"),
  name: z.string().nullable().describe("The row's name as typed, so the station finds the row"),
  field: z.string(),
  fieldLabel: z.string().describe('The field in Vietnamese (Ngày tiêm, Số CCCD/CMND, …)'),
  column: z.string().nullable().describe("The station's own header of the column holding the field"),
  severity: z.enum(['fix', 'warning', 'invalid']).describe('fix: corrected automatically; warning: check it; invalid: unusable, correct it'),
  code: z.string(),
  message: z.string().describe('In English, for logs and operators'),
  messageVi: z.string().describe('In Vietnamese, for the station'),
  value: z.string().nullable().describe('The value as typed'),
});
export type RowProblem = z.output<typeof RowProblem>;

export const Correction = z
  .object({
    row: z.number().int().describe('The row of this file that replaces an earlier one'),
    recordId: z.string(),
    name: z.string().nullable().describe("The row's name as cleaned, so the station finds the row"),
    replaces: z.object({ batchId: z.number().int(), row: z.number().int(), fileName: z.string() }),
    changes: z.array(
      z.object({
        field: z.string(),
        fieldLabel: z.string().describe('The field in Vietnamese'),
        column: z.string().nullable().describe("The station's own header of the column in this file"),
        before: z.string(),
        after: z.string(),
      }),
    ),
    correctedBy: z.string().nullable().describe('Who sent the fix: key:<name> (upload) or cli:<user> (import)'),
    correctedAt: z.string(),
    message: z.string().describe('In Vietnamese, for the station'),
  })
  .describe('An earlier row of the same station (or source) with the same record_id, replaced by a row of this batch; the earlier row is kept as history');
export type Correction = z.output<typeof Correction>;
