/**
 * Stopping a run on request (graceful shutdown) at a point where stopping is safe.
 *
 * The library stages take no AbortSignal, so the stops are placed around them: between inbox files, and
 * inside push at the connector, between bundles. A push stopped there releases its claims and lets the
 * bundles already on the wire record their answers (pushOutbox's handling of a fatal connector error).
 */
import pLimit from 'p-limit';
import { VaxsyncError } from '../base/errors.js';
import type { PlatformConnector } from '../../connectors/platform/types.js';

/** Thrown where a stage stops because the run was asked to stop: the stage and the run end `abandoned`. */
export class JobAbandoned extends VaxsyncError<'job.stopped'> {
  override readonly name = 'JobAbandoned';

  constructor(message: string) {
    super('job.stopped', message);
  }
}

/**
 * The platform connector, refusing to send one more bundle once `signal` is aborted. pushOutbox hands a
 * whole page of bundles to the connector at once; queuing them here, `concurrency` at a time (the
 * connector's own limit), makes the check happen when a bundle is about to go, not when its page began.
 */
export function stoppablePlatform(connector: PlatformConnector, signal: AbortSignal | undefined, concurrency: number): PlatformConnector {
  if (!signal) return connector;
  const limit = pLimit(concurrency);
  return {
    target: connector.target,
    send: (bundle) =>
      limit(() => {
        // Not a PlatformError: pushOutbox treats it as fatal, puts the unsent claims back and rethrows.
        if (signal.aborted) throw new JobAbandoned('stopped between bundles; the people not sent stay queued');
        return connector.send(bundle);
      }),
    close: () => connector.close(),
  };
}
