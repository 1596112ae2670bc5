/**
 * `vaxsync serve`: the HTTP API on config.host:config.port, the nightly cron job and the daily report timer, in one process, until
 * SIGINT or SIGTERM. Shutdown order: stop accepting and let the requests in flight finish (which also stops
 * a job run started through the API at its next safe point), stop the nightly cron job (same for its run), then
 * close the database that both were using.
 */
import type { Config } from '../config.js';
import { openDatabase } from '../db/database.js';
import { startDailyReportTimer } from '../jobs/daily-report-timer.js';
import { startNightlyCron } from '../jobs/nightly-cron.js';
import { recoverInterruptedImports } from '../ingest/recovery.js';
import { API_PREFIX, startServer } from './server.js';
import { heldDataDirLock } from '../db/data-dir-lock.js';
import { whileStoppable } from '../base/signals.js';

export async function runServe(config: Config, log: (line: string) => void): Promise<void> {
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    ...(config.schema ? { schema: config.schema } : {}),
    command: 'vaxsync serve',
    onNotice: log,
  });
  let server;
  try {
    const recovered = await recoverInterruptedImports(database);
    if (recovered.failedBatches.length > 0) log(`batches ${recovered.failedBatches.join(', ')}: interrupted imports of a stopped process, now failed (raw rows kept)`);
    if (recovered.removedFolders.length > 0) log(`${recovered.removedFolders.length} left-over upload folder(s) removed`);
    server = await startServer(database, config);
  } catch (error) {
    await database.close();
    throw error;
  }
  const nightlyCron = startNightlyCron(database, config, log);
  const dailyReport = startDailyReportTimer(database, config, log);
  // A second process on the embedded folder is refused with this address, told to use the running server.
  if (!config.databaseUrl) heldDataDirLock(config.dataDir)?.announce({ url: server.url });
  log(`vaxsync console on ${server.url}/console/ (sign in with a key from "vaxsync keys create")`);
  log(`vaxsync API on ${server.url}${API_PREFIX} (OpenAPI: ${server.url}/openapi.json), database ${database.description}`);
  log(`nightly job at "${config.nightlyCron}", daily report at ${config.dailyReportAt} into ${config.reportsDir} (${config.timezone})`);

  // The first SIGINT/SIGTERM stops gracefully; a second one, or STOP_DEADLINE_MS, stops at once (src/cli/signals.ts).
  let stopped: () => void = () => {};
  let stopping = false;
  await whileStoppable(
    (signal) => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: finishing the requests in flight, then stopping`);
      void (async () => {
        try {
          await server.close();
          await nightlyCron.stop();
          await dailyReport.stop();
        } finally {
          await database.close();
          stopped();
        }
      })();
    },
    () => new Promise<void>((resolve) => (stopped = resolve)),
    log,
  );
  log('stopped');
}
