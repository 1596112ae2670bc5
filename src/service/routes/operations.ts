/**
 * The operator's view: the outbox (registered under /outbox), the job history and "run the nightly job
 * now" (under /jobs).
 */
import { VaxsyncError } from '../../base/errors.js';
import { recentRuns } from '../../jobs/history.js';
import { outboxSummary } from '../../push/outbox-report.js';
import type { RouteGroup } from '../context.js';
import { ErrorBody } from '../schemas.js';
import { JobsAnswer, JobsQuery, JobStartAnswer, OutboxAnswer, OutboxQuery } from './operations.schemas.js';

const OPERATOR = ['operator'] as const;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

export const outboxRoutes: RouteGroup = async (app, { context: { database } }) => {
  app.get(
    '',
    {
      config: { access: { roles: OPERATOR, action: 'read.outbox' } },
      schema: { summary: 'People waiting to be pushed, per state, and those the platform rejected, with why', querystring: OutboxQuery, response: { 200: OutboxAnswer, ...errors } },
    },
    async (request) => {
      const summary = await outboxSummary(database, { states: ['rejected'], limit: request.query.limit });
      return {
        counts: summary.counts,
        rejected: summary.items.map((i) => ({ personId: i.personId, attempts: i.attempts, lastError: i.lastError })),
      };
    },
  );
};

export const jobRoutes: RouteGroup = async (app, { context: { database, jobs } }) => {
  app.get(
    '',
    {
      config: { access: { roles: OPERATOR, action: 'read.jobs' } },
      schema: { summary: 'Recent runs of the nightly job, with their stages', querystring: JobsQuery, response: { 200: JobsAnswer, ...errors } },
    },
    async (request) => {
      const runs = await recentRuns(database, request.query.limit);
      return {
        runs: runs.map((r) => ({
          id: r.id,
          trigger: r.trigger,
          instance: r.instance,
          status: r.status,
          startedAt: r.started_at.toISOString(),
          finishedAt: r.finished_at?.toISOString() ?? null,
          error: r.error,
          stages: r.stages.map((s) => ({
            stage: s.stage,
            status: s.status,
            startedAt: s.started_at.toISOString(),
            finishedAt: s.finished_at?.toISOString() ?? null,
            counts: s.counts,
            error: s.error,
          })),
        })),
      };
    },
  );

  app.post(
    '/run',
    {
      config: { access: { roles: OPERATOR, action: 'jobs.run' } },
      schema: {
        summary: 'Start the nightly job now, in the background (202), unless a run holds the nightly lock (409)',
        response: { 202: JobStartAnswer, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const start = await jobs.start();
      if (!start.started) throw new VaxsyncError('job.busy', start.reason);
      request.auditResource = start.runId === null ? null : `job_run:${start.runId}`;
      return reply.code(202).send({ started: true, runId: start.runId });
    },
  );
};
