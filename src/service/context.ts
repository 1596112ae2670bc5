/** What the route modules share: the database, the configuration, the import queue, the background job. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { LimitFunction } from 'p-limit';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { BackgroundJobs } from './job-runner.js';

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

/** What server.ts hands every route group when it registers it. */
export interface RouteGroupOptions {
  readonly context: ServiceContext;
}

/**
 * A route group (src/service/routes/<group>.ts): a Fastify plugin that server.ts registers under the API
 * prefix with the group's own prefix (`/batches`, `/review`, …). Its routes are written relative to that
 * prefix, with the group's own schemas, and call library functions rather than querying tables.
 */
export type RouteGroup = FastifyPluginAsyncZod<RouteGroupOptions>;
