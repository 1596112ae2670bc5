/** The shapes of /persons: a person with its sources, doses and registry status; a lookup by citizen ID. */
import { z } from 'zod';
import { BigId, CalendarDate } from '../schemas.js';

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
      vaccineName: z.string().nullable().describe('The vaccine as a station reads it (Vietnamese catalogue name)'),
      date: z.string().nullable(),
      doseNumber: z.number().nullable(),
      conflicts: z.array(z.string()),
      conflictsVi: z.array(z.string()).describe('The same conflicts in Vietnamese'),
      records: z.array(z.string()),
    }),
  ),
  registry: z
    .object({
      status: z.string(),
      fields: z.array(z.string()),
      fieldsVi: z.array(z.string()).describe('The fields as a station names them'),
      checkedAt: z.string(),
      note: z.string().nullable(),
      noteVi: z.string().nullable(),
    })
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

export const PersonScheduleQuery = z.object({
  date: CalendarDate.optional().describe('The day the schedule is read on, yyyy-mm-dd (default: today in the configured time zone)'),
});

/** The person page (src/report/person-page.ts personPageView): each dose valid or not and why, in Vietnamese. */
export const PersonScheduleAnswer = z.object({
  personId: z.string(),
  date: z.string(),
  ageYears: z.number().int().nullable(),
  deceased: z.boolean(),
  doses: z.array(
    z.object({
      id: z.string().nullable(),
      date: z.string().nullable(),
      product: z.string().describe('The product in Vietnamese as the catalogue names it'),
      counted: z.boolean().describe('Counted for at least one programme dose'),
      verdicts: z.array(z.object({ valid: z.boolean(), text: z.string() })).describe('Per programme dose weighed: valid or not, and why'),
    }),
  ),
  childhood: z
    .array(z.object({ vaccine: z.string(), dose: z.number().int(), label: z.string(), state: z.enum(['given', 'not_yet', 'due', 'overdue', 'catch_up', 'missed']), text: z.string() }))
    .nullable()
    .describe('Each childhood programme dose; null when the programme does not apply'),
  covid: z.string().nullable().describe('COVID-19 doses counted and the next one offered; null when the age is unknown'),
});
