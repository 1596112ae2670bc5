/** What the route modules share: the database, the configuration, the import queue, the background job. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { LimitFunction } from 'p-limit';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { BackgroundJobs } from './job-runner.js';

/** The Fastify instance with zod schemas as its type provider: request types come from the schemas. */
export type ServiceApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse<IncomingMessage>, FastifyBaseLogger, ZodTypeProvider>;

export interface ServiceContext {
  readonly database: Database;
  readonly config: Config;
  /**
   * Imports waiting for their turn. Each import holds two COPY connections for its whole length; unbounded,
   * fifty concurrent uploads would take every pooled connection and wait on each other for ever.
   */
  readonly importQueue: LimitFunction;
  readonly jobs: BackgroundJobs;
}
