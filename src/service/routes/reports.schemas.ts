/** The shapes of /reports and /me. */
import { z } from 'zod';
import { CalendarDate } from '../schemas.js';

export const REPORT_KINDS = ['coverage', 'due', 'progress', 'quality'] as const;
export const REPORT_FORMATS = ['json', 'csv', 'html', 'xlsx'] as const;

export const ReportParams = z.object({ kind: z.enum(REPORT_KINDS) });

export const ReportQuery = z.object({
  commune: z
    .string()
    .regex(/^\d{5}$/, 'must be a 5-digit commune code')
    .optional()
    .describe('One commune (current code); every commune when absent. A station key always gets its own commune.'),
  date: CalendarDate.optional().describe('The report date, yyyy-mm-dd (default: today in the configured time zone)'),
  format: z.enum(REPORT_FORMATS).default('json').describe('json: the table; csv, html, xlsx: a file'),
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
