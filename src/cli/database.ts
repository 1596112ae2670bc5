/** Opens the configured database for one CLI command and always closes it. */
import { loadConfig } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';

export async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, ...(config.schema ? { schema: config.schema } : {}) });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}
