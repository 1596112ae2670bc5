/** The shapes of POST /uploads: a JSON batch or a multipart file in, the batch and its rows' problems out. */
import { z } from 'zod';
import { FIELDS, type FieldName } from '../../base/fields.js';
import { TEMPLATE_FORMATS } from '../../ingest/template.js';
import { Correction, ErrorCodeSchema, RowProblem } from '../schemas.js';

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

export const UploadAnswer = z.object({
  batchId: z.number().int(),
  rows: z.number().int(),
  quarantined: z.number().int(),
  status: z.enum(['loaded']),
  problems: z.array(RowProblem),
  otherCommune: z
    .object({ rows: z.array(z.number().int()).readonly(), message: z.string() })
    .nullable()
    .describe("A station's rows whose citizen ID is that of a person of another commune (rows only: the person stays hidden); null when none"),
  repeated: z
    .object({
      sameFileBatchId: z.number().int().nullable().describe('An earlier loaded batch of the very same file from this station'),
      repeatedRows: z.number().int().describe('Rows equal, cell for cell, to a row of an earlier batch of this station'),
      earlierBatches: z.array(z.number().int()).readonly(),
      message: z.string(),
    })
    .nullable()
    .describe('What this upload repeats of what the station sent before; null when nothing'),
  corrections: z.array(Correction).describe("Earlier rows of this station replaced by this upload's rows (same record_id, something changed)"),
});

export const RefusedUpload = z.object({
  error: z.string(),
  code: ErrorCodeSchema,
  file: z.string(),
  row: z.number().int().nullable(),
  column: z.string().nullable(),
  batchId: z.number().int().nullable().describe('The failed batch keeping the rows that arrived; null when the file could not be opened'),
});

export const TemplateQuery = z.object({
  format: z.enum(TEMPLATE_FORMATS).default('xlsx').describe('xlsx: a sheet to fill in and a guide to each column; csv: the header row'),
});
