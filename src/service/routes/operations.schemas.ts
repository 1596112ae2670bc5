/** The shapes of /outbox and /jobs: the operator's view. */
import { z } from 'zod';
import { Limit } from '../schemas.js';

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
