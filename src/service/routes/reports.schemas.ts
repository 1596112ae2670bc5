/** The shapes of /reports and /me. */
import { z } from 'zod';
import type { ReportFormat } from '../../report/format.js';
import { REPORT_KINDS } from '../../report/programme.js';
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
  format: z.enum(REPORT_ANSWER_FORMATS).default('json').describe('json: the table; csv, html, xlsx: a file'),
});

export const ReportAnswer = z.object({
  title: z.string(),
  columns: z.array(z.string()).readonly(),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()])).readonly()).readonly(),
});

export const MeAnswer = z.object({
  name: z.string(),
  role: z.enum(['station', 'reviewer', 'operator']),
  station: z.string().nullable(),
  commune: z.string().nullable().describe("A station key's commune; null for the other roles"),
  today: CalendarDate.describe("Today's date in the service's configured time zone: the reports' default date"),
});
