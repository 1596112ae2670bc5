/**
 * Configuration, read once from the environment and validated, so a wrong value fails at start-up
 * with a message that names the variable instead of failing later somewhere deep.
 */
import path from 'node:path';
import { z } from 'zod';

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection string')
    .optional(),
  VAXSYNC_DATA_DIR: z.string().min(1).default('.vaxsync'),
  VAXSYNC_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a plain lower-case PostgreSQL schema name')
    .optional(),
});

export interface Config {
  /** PostgreSQL connection string; when absent the embedded database in `dataDir` is used. */
  readonly databaseUrl: string | undefined;
  /** Folder for local state: the embedded database, generated samples. */
  readonly dataDir: string;
  /** PostgreSQL schema to work in (one database, several provinces or test runs); default: the search path. */
  readonly schema: string | undefined;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse({
    DATABASE_URL: env.DATABASE_URL || undefined,
    VAXSYNC_DATA_DIR: env.VAXSYNC_DATA_DIR || undefined,
    VAXSYNC_SCHEMA: env.VAXSYNC_SCHEMA || undefined,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return {
    databaseUrl: parsed.data.DATABASE_URL,
    dataDir: path.resolve(parsed.data.VAXSYNC_DATA_DIR),
    schema: parsed.data.VAXSYNC_SCHEMA,
  };
}
