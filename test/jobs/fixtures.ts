/** Shared set-up of the job tests: a folder per test, a configuration pointing into it, the job history. */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import type { JobStageName } from '../../src/db/schema.js';
import { STAGES } from '../../src/jobs/history.js';
import { tempDir } from '../helpers/database.js';

/** A configuration whose data, inbox and reports folders live in `dir`, plus `env`. */
export function jobConfig(dir: string, env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({ VAXSYNC_DATA_DIR: dir, ...env });
}

export function freshDir(): string {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'inbox'), { recursive: true });
  return dir;
}

export function schemaOf(database: Database): string {
  return database.description.match(/\(schema (\w+)\)/)![1]!;
}

export function filesIn(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => fs.statSync(path.join(dir, n)).isFile()).sort() : [];
}

export interface StageRow {
  stage: JobStageName;
  status: string;
  counts: Record<string, unknown> | null;
  error: string | null;
}

/** Every run, oldest first, with its stages in pipeline order. */
export async function jobHistory(database: Database) {
  const runs = await database.db.selectFrom('job_run').selectAll().orderBy('id').execute();
  const stages = await database.db.selectFrom('job_stage').selectAll().execute();
  stages.sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
  return runs.map((run) => ({
    ...run,
    stages: stages
      .filter((s) => s.run_id === run.id)
      .map((s): StageRow => ({ stage: s.stage, status: s.status, counts: s.counts, error: s.error })),
  }));
}

/** `stage status` for each stage of a run, e.g. ['import succeeded', 'link skipped']. */
export function outline(stages: readonly { stage: string; status: string }[]): string[] {
  return stages.map((s) => `${s.stage} ${s.status}`);
}

export async function loadedBatches(database: Database): Promise<{ id: number; file_sha256: string }[]> {
  return database.db.selectFrom('batch').select(['id', 'file_sha256']).where('status', '=', 'loaded').orderBy('id').execute();
}
