/** The shapes of the probes /health and /ready. */
import { z } from 'zod';

export const HealthAnswer = z.object({ status: z.enum(['ok']) });
export const ReadyAnswer = z.object({ status: z.enum(['ready', 'not ready']), reason: z.string().optional() });
