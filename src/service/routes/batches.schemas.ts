/** The shapes of /batches: a batch, and its quality. */
import { z } from 'zod';
import { Flag, Id, Limit, RowProblem } from '../schemas.js';
import { Correction } from '../schemas.js';

export const BatchParams = z.object({ id: Id });

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

export const CorrectionsAnswer = z.object({ batchId: z.number().int(), corrections: z.array(Correction) });
