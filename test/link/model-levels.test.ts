/**
 * A stored model is by level index: after a level is inserted in a comparison, the last run's m and u
 * would fall on the wrong levels. The link refuses the model, relinks in full and says why; `explain`
 * refuses to score with it.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameComparison } from '../../matchers/comparisons.js';
import type { ModelJson } from '../../matchers/model-json.js';
import { importFile } from '../../src/ingest/import.js';
import { explainPair } from '../../src/link/explain.js';
import { linkAll } from '../../src/link/link.js';
import { writeSynthFiles } from '../../src/synth/generate.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { namesWithInsertedLevel } from '../matchers/helpers.js';

const TODAY = '2026-11-01';
const INSERTED = 'same family name and given-name initial';

/** The generated file cut in two: tonight's rows and tomorrow's. */
function splitFile(file: string, firstRows: number): [string, string] {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
  const parts = [lines.slice(0, firstRows), lines.slice(firstRows)].map((rows, i) => {
    const part = file.replace(/\.csv$/, `-${i + 1}.csv`);
    fs.writeFileSync(part, [header, ...rows].join('\n') + '\n');
    return part;
  });
  return [parts[0]!, parts[1]!];
}

describe.each(BACKENDS)('a stored model whose comparison levels differ, on %s', (kind) => {
  let t: TestDatabase;
  const dir = tempDir();
  let files: [string, string];
  beforeAll(async () => {
    t = await openTestDatabase(kind);
    const generated = await writeSynthFiles({ persons: 200, seed: 29, dir });
    files = splitFile(generated.records, Math.round(generated.rows * 0.7));
  });
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const lastModel = async () =>
    (await t.database.db.selectFrom('link_run').select(['id', 'model']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()) as {
      id: number;
      model: ModelJson;
    };
  const aLinkedPair = async () => {
    const link = await t.database.db.selectFrom('match_link').selectAll().where('status', '=', 'accepted').limit(1).executeTakeFirstOrThrow();
    return [{ batch: link.a_batch, row: link.a_row }, { batch: link.b_batch, row: link.b_row }] as const;
  };

  it('relinks in full with a new model, and says why, when a level was inserted since the last run', async () => {
    const first = await importFile(t.database, files[0], { today: TODAY });
    expect((await linkAll(t.database)).mode).toBe('full');
    const stored = await lastModel();
    expect(stored.model.comparisons[0]).toEqual({ name: 'name', levels: nameComparison.levels.map((l) => l.label) });

    // the next version of the code has one more name level, in the middle
    const second = await importFile(t.database, files[1], { today: TODAY });
    const next = await linkAll(t.database, { comparisons: namesWithInsertedLevel() });
    expect(next.mode).toBe('full');
    expect(next.changed).toBe(first.rows + second.rows);
    expect(next.warnings[0]).toBe(
      `the last run's model does not fit the comparisons (comparison "name" has other levels: level "${INSERTED}" is new ` +
        `(level ${nameComparison.level.oneEdit})): everything was relinked and the model re-estimated`,
    );
    const run = await t.database.db.selectFrom('link_run').select('details').where('id', '=', next.runId!).executeTakeFirstOrThrow();
    expect(JSON.stringify(run.details)).toContain(`level \\"${INSERTED}\\" is new`);
    // the new model is fitted on the new levels: one m and u more for the name comparison
    const refitted = await lastModel();
    expect(refitted.model.comparisons[0]!.levels).toHaveLength(nameComparison.levels.length + 1);
    expect(refitted.model.comparisons[0]!.levels[nameComparison.level.oneEdit]).toBe(INSERTED);
    expect(refitted.model.m[0]).toHaveLength(nameComparison.levels.length + 1);

    // with the same levels again, a run reuses that model (nothing new: nothing to do)
    const idle = await linkAll(t.database, { comparisons: namesWithInsertedLevel() });
    expect(idle).toMatchObject({ mode: 'incremental', changed: 0, warnings: [] });
  });

  it('refuses to explain a pair with a model of other levels, and says how to get one', async () => {
    // the stored model has the inserted level; explain scores with the default comparisons
    const [a, b] = await aLinkedPair();
    const { id } = await lastModel();
    await expect(explainPair(t.database, a, b)).rejects.toThrow(
      `the model of link run ${id} does not fit the comparisons (comparison "name" has other levels: level "${INSERTED}" no longer exists); ` +
        'run `vaxsync link --full` to fit a new one',
    );
    const back = await linkAll(t.database, {}, { full: true });
    expect(back.warnings).toEqual([]);
    expect((await explainPair(t.database, a, b)).linkRunId).toBe(back.runId);
  });

  it('relinks in full when the stored model predates level labels', async () => {
    const { id, model } = await lastModel();
    const unlabelled = { ...model, comparisons: model.comparisons.map((c) => c.name) };
    await t.database.db.updateTable('link_run').set({ model: JSON.stringify(unlabelled) }).where('id', '=', id).execute();
    const run = await linkAll(t.database);
    expect(run.mode).toBe('full');
    expect(run.warnings[0]).toContain('it was stored without its level labels, by an earlier version');
  });
});
