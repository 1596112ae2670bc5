/** The configuration of one CLI command, and the configured database opened for it and always closed. */
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';

let loaded: Config | undefined;

/**
 * The configuration (src/config.ts), read once per process; a setting read under an old name is named
 * on stderr. Read when a command needs it, not before: `vaxsync synth` works whatever the configuration.
 */
export function cliConfig(): Config {
  if (!loaded) {
    loaded = loadConfig();
    for (const line of loaded.deprecations) process.stderr.write(`vaxsync: warning: ${line}\n`);
  }
  return loaded;
}

export async function withDatabase<T>(fn: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = cliConfig();
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    ...(config.schema ? { schema: config.schema } : {}),
    onNotice: (line) => process.stderr.write(`vaxsync: ${line}\n`),
  });
  try {
    return await fn(database, config);
  } finally {
    await database.close();
  }
}
