/** The shapes of /review and /records: the queue, one pair with its explanation, decisions. */
import { z } from 'zod';
import { Limit, RecordRefText } from '../schemas.js';

export const PairParams = z
  .object({ a: RecordRefText, b: RecordRefText })
  .refine((p) => p.a.batch !== p.b.batch || p.a.row !== p.b.row, { message: 'a record cannot be paired with itself', path: ['b'] });
export const RecordParams = z.object({ ref: RecordRefText });

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
  citizenId: z.string().nullable().describe('Masked: a reviewer compares IDs, nobody needs them whole; digits where the two records differ are shown'),
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

export const CommuneHoldsAnswer = z.object({
  total: z.number().int(),
  items: z.array(
    z.object({
      personId: z.string(),
      kept: z.string().describe('The commune the person keeps'),
      proposed: z.string().describe("The commune one station's rows asked for"),
      station: z.string(),
      rows: z.array(z.string()).readonly().describe('The rows (batch:row) that asked for the move'),
      reason: z.string(),
    }),
  ),
});

export const DecisionAnswer = z.object({
  recorded: z.enum(['same', 'different']),
  pairs: z.number().int(),
  note: z.string(),
});
