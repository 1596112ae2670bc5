/** The shapes of /reports and /me. */
import { z } from 'zod';
import type { ReportFormat } from '../../report/format.js';
import { REPORT_KINDS } from '../../report/programme.js';
import { ADMIN_LEVELS, ADMIN_MAPS } from '../../report/units.js';
import { CalendarDate } from '../schemas.js';

/** What GET /reports/:kind can answer: the table as JSON, or a file rendered by src/report/format.ts. */
export const REPORT_ANSWER_FORMATS = ['json', 'csv', 'html', 'xlsx'] as const satisfies readonly ('json' | ReportFormat)[];

export const ReportParams = z.object({ kind: z.enum(REPORT_KINDS) });

export const ReportQuery = z.object({
  commune: z
    .string()
    .regex(/^\d{5}$/, 'must be a 5-digit commune code')
    .optional()
    .describe('One commune (current code); every commune when absent. A station key always gets its own commune.'),
  date: CalendarDate.optional().describe('The report date, yyyy-mm-dd (default: today in the configured time zone)'),
  format: z.enum(REPORT_ANSWER_FORMATS).default('json').describe('json: the table or document; csv, html, xlsx: a file'),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be yyyy-mm').optional().describe("monthly: the month (default: the report date's)"),
  site: z.string().min(1).max(64).optional().describe('daily: one vaccination site (facility code)'),
  level: z.enum(ADMIN_LEVELS).optional().describe('daily, monthly, quality: the level rows are rolled up to (default commune)'),
  map: z.enum(ADMIN_MAPS).optional().describe('daily, monthly, quality: 2025 units or the pre-July-2025 districts (default: the map of the report date)'),
});

const ReportTableAnswer = z.object({
  title: z.string(),
  columns: z.array(z.string()).readonly(),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()])).readonly()).readonly(),
});

/** A table (coverage, due, progress), or a document of several tables with its notes (daily, monthly, quality). */
export const ReportAnswer = z.union([
  ReportTableAnswer,
  z.object({ title: z.string(), notes: z.array(z.string()).readonly(), sections: z.array(ReportTableAnswer).readonly() }),
]);

export const MeAnswer = z.object({
  name: z.string(),
  role: z.enum(['station', 'reviewer', 'operator', 'police']),
  station: z.string().nullable(),
  commune: z.string().nullable().describe("A station key's commune; null for the other roles"),
  today: CalendarDate.describe("Today's date in the service's configured time zone: the reports' default date"),
});
