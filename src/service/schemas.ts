/**
 * The API's request and answer shapes, as zod schemas: the one place a shape is defined. Fastify validates
 * every request against them (a mismatch is a 400 naming the field), serializes every answer through them
 * (a field not listed here never leaves the service, whatever a query returned), and the OpenAPI document
 * is generated from them.
 */
import { z } from 'zod';
import { FIELDS, type FieldName } from '../ingest/fields.js';

// ---------------------------------------------------------------- common

export const ErrorBody = z.object({ error: z.string() }).describe('What was wrong, naming the field or the problem');

/** Ids in paths are positive integers; anything else is a 400, never a database error. */
const Id = z.coerce.number().int().positive().max(2 ** 31 - 1);
const BigId = z.string().regex(/^[1-9]\d{0,17}$/, 'must be a positive whole number');

/** A record as `batch:row` (the row as the spreadsheet shows it). */
export const RecordRefText = z
  .string()
  .regex(/^\d{1,10}:\d{1,10}$/, 'must be batch:row, e.g. 12:5')
  .transform((text) => {
    const [batch, row] = text.split(':').map(Number) as [number, number];
    return { batch, row };
  });

export const BatchParams = z.object({ id: Id });
export const PersonParams = z.object({ id: BigId });
export const PairParams = z
  .object({ a: RecordRefText, b: RecordRefText })
  .refine((p) => p.a.batch !== p.b.batch || p.a.row !== p.b.row, { message: 'a record cannot be paired with itself', path: ['b'] });
export const RecordParams = z.object({ ref: RecordRefText });

const Limit = (fallback: number, max: number) => z.coerce.number().int().positive().max(max).default(fallback);
const Flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

// ---------------------------------------------------------------- uploads

/** A cell as typed; numbers are accepted and read as their decimal text (a dose number, a year). */
const Cell = z.union([z.string().max(1000), z.number().transform(String)]);

export const JsonRow = z
  .object({
    record_id: z.union([z.string().trim().min(1, 'must not be empty').max(100), z.number().int().transform(String)]),
    full_name: z.string().max(300),
    ...(Object.fromEntries(FIELDS.filter((f) => f !== 'record_id' && f !== 'full_name').map((f) => [f, Cell.optional()])) as Record<
      Exclude<FieldName, 'record_id' | 'full_name'>,
      z.ZodOptional<typeof Cell>
    >),
  })
  .strict();
export type JsonRow = z.output<typeof JsonRow>;

export const JsonUploadBody = z
  .object({ rows: z.array(JsonRow).min(1, 'must hold at least one row').max(1_000_000) })
  .strict()
  .describe('A batch as JSON: the contract fields (shared/contract/records.md), one object per row');

/** The multipart form of an upload, for the OpenAPI document (the handler streams the file itself). */
export const UploadForm = z
  .object({ file: z.string().meta({ format: 'binary' }).describe('The CSV (UTF-8) or XLSX file, following the record contract') })
  .describe('A station file');

export const RowProblem = z.object({
  row: z.number().int().describe('Row of the file as a spreadsheet shows it (for a JSON batch: index + 2, the header being row 1)'),
  index: z.number().int().optional().describe('For a JSON batch: the index of the row in `rows`'),
  field: z.string(),
  severity: z.enum(['fix', 'warning', 'invalid']).describe('fix: corrected automatically; warning: check it; invalid: unusable, correct it'),
  code: z.string(),
  message: z.string(),
  value: z.string().nullable().describe('The value as typed'),
});
export type RowProblem = z.output<typeof RowProblem>;

export const UploadAnswer = z.object({
  batchId: z.number().int(),
  rows: z.number().int(),
  quarantined: z.number().int(),
  status: z.enum(['loaded']),
  problems: z.array(RowProblem),
});

export const RefusedUpload = z.object({
  error: z.string(),
  file: z.string(),
  row: z.number().int().nullable(),
  column: z.string().nullable(),
  batchId: z.number().int().nullable().describe('The failed batch keeping the rows that arrived; null when the file could not be opened'),
});

// ---------------------------------------------------------------- batches

export const BatchAnswer = z.object({
  id: z.number().int(),
  fileName: z.string(),
  format: z.string(),
  source: z.string().nullable(),
  stationCode: z.string().nullable(),
  status: z.enum(['loading', 'loaded', 'failed']),
  rows: z.number().int(),
  quarantined: z.number().int(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const QualityQuery = z.object({
  includeFixes: Flag.default(false),
  limit: Limit(1000, 100_000),
  offset: z.coerce.number().int().min(0).default(0),
});

export const QualityAnswer = z.object({
  batchId: z.number().int(),
  fields: z.array(
    z.object({
      field: z.string(),
      clean: z.number().int(),
      fixed: z.number().int(),
      flagged: z.number().int(),
      invalid: z.number().int(),
      missing: z.number().int(),
    }),
  ),
  counts: z.array(z.object({ field: z.string(), code: z.string(), severity: z.string(), rows: z.number().int() })),
  problems: z.array(RowProblem),
});

// ---------------------------------------------------------------- review

export const ReviewQuery = z.object({ limit: Limit(50, 1000) });

export const ReviewListAnswer = z.object({
  total: z.number().int(),
  items: z.array(
    z.object({
      a: z.string(),
      b: z.string(),
      nameA: z.string().nullable(),
      nameB: z.string().nullable(),
      probability: z.number(),
      reason: z.string().nullable(),
    }),
  ),
});

const ReviewRecord = z.object({
  ref: z.string(),
  fullName: z.string().nullable(),
  birthDate: z.string().nullable(),
  sex: z.string().nullable(),
  citizenId: z.string().nullable().describe('Masked: a reviewer compares IDs, nobody needs them whole'),
  phone: z.string().nullable().describe('Masked'),
  commune: z.string().nullable(),
  address: z.string().nullable(),
  vaccine: z.string().nullable(),
  vaccinationDate: z.string().nullable(),
  doseNumber: z.number().nullable(),
  personId: z.string().nullable(),
});

export const PairAnswer = z.object({
  a: ReviewRecord,
  b: ReviewRecord,
  prior: z.number(),
  weight: z.number(),
  probability: z.number(),
  levels: z.array(z.object({ comparison: z.string(), label: z.string(), weight: z.number(), tfAdjustment: z.number() })),
  veto: z.object({ rule: z.string(), reason: z.string() }).nullable(),
  samePerson: z.boolean(),
  linkRunId: z.number().int(),
});

export const DecisionAnswer = z.object({
  recorded: z.enum(['same', 'different']),
  pairs: z.number().int(),
  note: z.string(),
});

// ---------------------------------------------------------------- persons

const Golden = z.object({
  id: z.string(),
  fullName: z.string().nullable(),
  birthDate: z.string().nullable(),
  sex: z.string().nullable(),
  citizenId: z.string().nullable(),
  phone: z.string().nullable(),
  communeCode: z.string().nullable(),
  address: z.string().nullable(),
});

export const PersonAnswer = Golden.extend({
  sources: z.array(
    z.object({
      ref: z.string(),
      recordId: z.string().nullable(),
      batchId: z.number().int(),
      stationCode: z.string().nullable(),
      fullName: z.string().nullable(),
      birthDate: z.string().nullable(),
      citizenId: z.string().nullable(),
      phone: z.string().nullable(),
      communeCode: z.string().nullable(),
    }),
  ),
  doses: z.array(
    z.object({
      id: z.string(),
      vaccine: z.string().nullable(),
      date: z.string().nullable(),
      doseNumber: z.number().nullable(),
      conflicts: z.array(z.string()),
      records: z.array(z.string()),
    }),
  ),
  registry: z
    .object({ status: z.string(), fields: z.array(z.string()), checkedAt: z.string(), note: z.string().nullable() })
    .nullable()
    .describe('The last check against the population registry; null when never checked'),
});

export const PersonLookupQuery = z.object({
  citizen_id: z
    .string()
    .transform((s) => s.replace(/[\s.\-'’]/g, ''))
    .pipe(z.string().regex(/^(\d{9}|\d{12})$/, 'must be a 9-digit CMND or a 12-digit CCCD')),
});

export const PersonLookupAnswer = z.object({ persons: z.array(Golden) });

// ---------------------------------------------------------------- operations

export const OutboxQuery = z.object({ limit: Limit(100, 10_000) });

export const OutboxAnswer = z.object({
  counts: z.record(z.string(), z.number().int()),
  rejected: z.array(z.object({ personId: z.string(), attempts: z.number().int(), lastError: z.string().nullable() })),
});

export const JobsQuery = z.object({ limit: Limit(20, 500) });

export const JobsAnswer = z.object({
  runs: z.array(
    z.object({
      id: z.number().int(),
      trigger: z.string(),
      instance: z.string(),
      status: z.string(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      error: z.string().nullable(),
      stages: z.array(
        z.object({
          stage: z.string(),
          status: z.string(),
          startedAt: z.string(),
          finishedAt: z.string().nullable(),
          counts: z.unknown(),
          error: z.string().nullable(),
        }),
      ),
    }),
  ),
});

export const JobStartAnswer = z.object({ started: z.boolean(), runId: z.number().int().nullable() });

export const HealthAnswer = z.object({ status: z.enum(['ok']) });
export const ReadyAnswer = z.object({ status: z.enum(['ready', 'not ready']), reason: z.string().optional() });

// ---------------------------------------------------------------- reports and the caller

export const REPORT_KINDS = ['coverage', 'due', 'progress', 'quality'] as const;
export const REPORT_FORMATS = ['json', 'csv', 'html', 'xlsx'] as const;

export const ReportParams = z.object({ kind: z.enum(REPORT_KINDS) });

/** A calendar date that exists: 2026-02-30 is refused, not rolled over into March. */
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be yyyy-mm-dd')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'is not a calendar date');

export const ReportQuery = z.object({
  commune: z
    .string()
    .regex(/^\d{5}$/, 'must be a 5-digit commune code')
    .optional()
    .describe('One commune (current code); every commune when absent. A station key always gets its own commune.'),
  date: IsoDate.optional().describe('The report date, yyyy-mm-dd (default: today in the configured time zone)'),
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
});
