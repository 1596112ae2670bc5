/** The shapes of /persons: a person with its sources, doses and registry status; a lookup by citizen ID. */
import { z } from 'zod';
import { BigId } from '../schemas.js';

export const PersonParams = z.object({ id: BigId });

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
