/** The shapes of /police: the commune's worklist, an officer's answer, the sign-off, the printed list. */
import { z } from 'zod';
import { BigId } from '../schemas.js';

const OUTCOMES = ['id_confirmed', 'corrected', 'not_resident', 'deceased'] as const;

export const PolicePersonParams = z.object({ id: BigId });

export const PoliceAnswerBody = z.object({
  outcome: z.enum(OUTCOMES).describe('id_confirmed: the ID is right; corrected: the right values are given; not_resident; deceased'),
  citizenId: z.string().max(20).nullish().describe('12 digits: required to confirm an ID'),
  fullName: z.string().max(200).nullish(),
  birthDate: z.string().max(20).nullish().describe('dd/mm/yyyy, mm/yyyy, yyyy or ISO'),
  sex: z.enum(['male', 'female']).nullish(),
  deathDate: z.string().max(20).nullish(),
  note: z.string().max(2000).nullish(),
});

const Answer = z.object({
  id: z.string(),
  outcome: z.enum(OUTCOMES),
  citizenId: z.string().nullable(),
  fullName: z.string().nullable(),
  birthDate: z.string().nullable(),
  sex: z.string().nullable(),
  deathDate: z.string().nullable(),
  note: z.string().nullable(),
  officer: z.string().describe("The officer's key name"),
  recordedAt: z.string(),
  signOffId: z.number().int().nullable().describe('The sign-off that covers it; null until the list is signed'),
});

export const SignOffAnswer = z.object({
  id: z.number().int(),
  commune: z.string(),
  officer: z.string(),
  signedAt: z.string(),
  people: z.number().int().describe('People on the list when it was signed'),
  answered: z.number().int().describe('People with an answer in force'),
  outcomes: z.record(z.string(), z.number().int()).describe('Answers in force per outcome'),
});

export const WorklistAnswer = z.object({
  commune: z.string(),
  people: z.number().int(),
  answered: z.number().int(),
  unsigned: z.number().int().describe('Answers given since the last sign-off'),
  items: z.array(
    z.object({
      personId: z.string(),
      fullName: z.string().nullable(),
      birthDate: z.string().nullable(),
      sex: z.string().nullable(),
      citizenId: z.string().nullable().describe('In full: the officer looks it up in the national population database'),
      phone: z.string().nullable(),
      village: z.string().nullable(),
      address: z.string().nullable(),
      guardianName: z.string().nullable(),
      guardianPhone: z.string().nullable(),
      status: z.string().nullable().describe('The registry status now: conflict, not_found, no_id, or what the answer made of it'),
      registry: z
        .object({ citizenId: z.string().nullable(), fullName: z.string().nullable(), birthDate: z.string().nullable(), sex: z.string().nullable(), deceased: z.boolean() })
        .nullable()
        .describe("What the registry holds under the person's ID (a conflict)"),
      answer: Answer.nullable().describe('The answer in force'),
    }),
  ).readonly(),
  signOffs: z.array(SignOffAnswer).readonly().describe('The latest sign-offs, newest first'),
});

export const PoliceAnswerAnswer = Answer;

export const PrintQuery = z.object({ format: z.enum(['html', 'xlsx']).default('html') });
