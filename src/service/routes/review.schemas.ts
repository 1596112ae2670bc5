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
      reason: z.string().nullable().describe("A hard rule's reason, in English (logs, the CLI)"),
      reasonVi: z.string().nullable().describe('Why the pair is queued, in Vietnamese, from its comparison levels and any hard rule'),
      cluster: z.number().int().describe('The index in `items` of the first pair of its connected group: pairs sharing records share it'),
    }),
  ),
});

export const ClusterDecisionBody = z.object({
  pairs: z
    .array(z.string().regex(/^\d{1,10}:\d{1,10}\/\d{1,10}:\d{1,10}$/, 'must be batch:row/batch:row'))
    .min(1)
    .max(200)
    .describe('The pairs of one cluster, each as a/b'),
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
  vaccine: z.string().nullable().describe('The vaccine code'),
  vaccineName: z.string().nullable().describe('The vaccine as people read it (COVID-19 AstraZeneca, Viêm não Nhật Bản)'),
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
  levels: z.array(z.object({ comparison: z.string(), label: z.string(), labelVi: z.string().nullable(), weight: z.number(), tfAdjustment: z.number() })),
  veto: z.object({ rule: z.string(), reason: z.string(), reasonVi: z.string().nullable() }).nullable(),
  reasonVi: z.string().nullable().describe('Why the pair is queued, in Vietnamese (the levels and any hard rule)'),
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
