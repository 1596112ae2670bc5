/**
 * "Run the nightly job now" from the API: the pipeline runs in the background of the request, but the
 * request waits until the run either holds the nightly lock (its first stage event, which carries the run
 * id: 202) or found it taken (409), so the caller learns which without polling. The service keeps the run's
 * promise and abort controller, so a graceful shutdown stops it at its next safe point and waits for it.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { runPipeline } from '../jobs/pipeline.js';

export type JobStart = { readonly started: true; readonly runId: number | null } | { readonly started: false; readonly reason: string };

export interface BackgroundJobs {
  start(): Promise<JobStart>;
  /** Asks a running job to stop at its next safe point, and waits for it. */
  stop(): Promise<void>;
}

export function backgroundJobs(database: Database, config: Config, log: FastifyBaseLogger): BackgroundJobs {
  let running: Promise<unknown> | null = null;
  const controller = new AbortController();

  return {
    async start() {
      if (controller.signal.aborted) return { started: false, reason: 'the service is shutting down' };
      if (running) return { started: false, reason: 'a run started by this instance is still going' };
      let announce: (runId: number) => void = () => {};
      const firstStage = new Promise<number>((resolve) => (announce = resolve));
      const run = runPipeline(database, config, { trigger: 'api', signal: controller.signal, onStage: (event) => announce(event.runId) });
      running = run
        .then((outcome) => {
          if ('runId' in outcome) log.info({ runId: outcome.runId, status: outcome.status, seconds: outcome.seconds }, 'job run finished');
        })
        .catch((error: Error) => log.error({ err: error }, 'job run failed'))
        .finally(() => (running = null));
      const first = await Promise.race([
        firstStage.then((runId) => ({ started: true as const, runId })),
        run.then(
          (outcome): JobStart =>
            'skipped' in outcome ? { started: false, reason: 'another run holds the nightly lock' } : { started: true, runId: outcome.runId },
        ),
      ]);
      return first;
    },
    async stop() {
      controller.abort();
      await running;
    },
  };
}
