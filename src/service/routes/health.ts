/**
 * Probes, without a key: /health says the process answers; /ready says it can do its work, i.e. the
 * database answers and holds every migration this build knows (an instance started against a schema that
 * another, older build migrated must not take traffic).
 */
import type { Database } from '../../db/database.js';
import { pendingMigrations } from '../../db/pending-migrations.js';
import type { RouteGroup } from '../context.js';
import { HealthAnswer, ReadyAnswer } from './health.schemas.js';

/** Registered without a prefix of its own: the probes sit at the API's root. */
export const healthRoutes: RouteGroup = async (app, { context: { database } }) => {
  app.get('/health', { schema: { summary: 'The process is alive', response: { 200: HealthAnswer } } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/ready',
    { schema: { summary: 'The database is reachable and fully migrated', response: { 200: ReadyAnswer, 503: ReadyAnswer } } },
    async (_request, reply) => {
      const reason = await notReadyReason(database);
      if (reason === null) return { status: 'ready' as const };
      return reply.code(503).send({ status: 'not ready' as const, reason });
    },
  );
};

/** A probe must answer quickly even when the database hangs (a network partition, a full pool). */
const READY_TIMEOUT_MS = 3000;

export async function notReadyReason(database: Database): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS)));
  try {
    const missing = await Promise.race([pendingMigrations(database), timeout]);
    return missing.length === 0 ? null : `migrations not applied: ${missing.join(', ')}`;
  } catch {
    return 'the database does not answer';
  } finally {
    clearTimeout(timer);
  }
}
