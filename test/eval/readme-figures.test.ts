/**
 * Every accuracy figure of the README's matching table, as a test: the same command (`vaxsync dedupe` on
 * the file, then `vaxsync evaluate` with `--candidates`) on the same data, against a floor just below the
 * figure measured, so that a change that lowers one fails here. The dedupe command's own function runs
 * in-process on a fresh PostgreSQL schema (the README runs it on the embedded database: same code).
 *
 * Every set runs in npm test: measured on 2 busy cores (load ~9), FEBRL 1–4 take 4–16 s each, fake_1000
 * 2 s, fake_20000 7 s, historical 50k 13 s, the generator's 86,418 rows 33 s; the file ~100 s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDedupe } from '../../src/cli/dedupe.js';
import { evaluateBlockingFiles } from '../../src/eval/blocking.js';
import { evaluateClusteringFiles } from '../../src/eval/pairwise.js';
import { writeSynthFiles } from '../../src/synth/generate.js';
import { writePublicSet, type PublicSet } from '../../scripts/public-sets.js';
import { openTestDatabase, tempDir } from '../helpers/database.js';

const TODAY = '2026-11-01';

interface Floors {
  /** Person level, pairwise. */
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Share of the truth pairs blocking proposed. */
  readonly pairsCompleteness: number;
  /** Candidate pairs per record: a ceiling, not a floor. */
  readonly maxPairsPerRecord: number;
}

async function dedupeAndEvaluate(dir: string) {
  const t = await openTestDatabase('postgres');
  try {
    const files = { records: path.join(dir, 'records.csv'), truth: path.join(dir, 'truth.csv'), pred: path.join(dir, 'pred.csv'), candidates: path.join(dir, 'candidates.csv') };
    await runDedupe(t.database, files.records, { out: files.pred, today: TODAY, candidates: files.candidates }, () => undefined);
    const clustering = await evaluateClusteringFiles(files.truth, files.pred);
    const blocking = await evaluateBlockingFiles(files.truth, files.candidates);
    return { clustering, blocking };
  } finally {
    await t.dispose();
  }
}

function expectAtLeast(measured: Awaited<ReturnType<typeof dedupeAndEvaluate>>, floors: Floors): void {
  const { person } = measured.clustering;
  expect(person.precision, 'precision').toBeGreaterThanOrEqual(floors.precision);
  expect(person.recall, 'recall').toBeGreaterThanOrEqual(floors.recall);
  expect(person.f1, 'F1').toBeGreaterThanOrEqual(floors.f1);
  expect(measured.blocking.pairsCompleteness, 'pairs completeness').toBeGreaterThanOrEqual(floors.pairsCompleteness);
  expect(measured.blocking.pairsPerRecord, 'candidate pairs per record').toBeLessThanOrEqual(floors.maxPairsPerRecord);
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * The README's figures (README, Matching), each as a floor a little below it: precision 0.002, recall and
 * F1 0.005, pairs completeness 0.003 below; candidate pairs per record at most 15% above.
 */
const PUBLIC: readonly [PublicSet, Floors][] = [
  ['febrl1', { precision: 0.9980, recall: 0.9710, f1: 0.9829, pairsCompleteness: 0.9970, maxPairsPerRecord: 3.58 }],
  ['febrl2', { precision: 0.9980, recall: 0.9862, f1: 0.9906, pairsCompleteness: 0.9913, maxPairsPerRecord: 5.13 }],
  ['febrl3', { precision: 0.9971, recall: 0.9780, f1: 0.9860, pairsCompleteness: 0.9910, maxPairsPerRecord: 5.06 }],
  ['febrl4', { precision: 0.9980, recall: 0.9768, f1: 0.9858, pairsCompleteness: 0.9956, maxPairsPerRecord: 5.75 }],
  ['fake1000', { precision: 0.9980, recall: 0.3446, f1: 0.5131, pairsCompleteness: 0.7769, maxPairsPerRecord: 4.23 }],
  ['fake20000', { precision: 0.9942, recall: 0.2915, f1: 0.4519, pairsCompleteness: 0.6428, maxPairsPerRecord: 6.47 }],
  ['hist50k', { precision: 0.9973, recall: 0.2503, f1: 0.4016, pairsCompleteness: 0.6159, maxPairsPerRecord: 6.74 }],
];

describe('the README matching figures, through vaxsync dedupe and evaluate', () => {
  for (const [set, floors] of PUBLIC) {
    it(`${set}: at or above its README figures`, { timeout: 300_000 }, async () => {
      const dir = tempDir();
      dirs.push(dir);
      writePublicSet(set, dir);
      expectAtLeast(await dedupeAndEvaluate(dir), floors);
    });
  }

  it('the generator, 20,000 people (seed 20): at or above its README figures, person and dose', { timeout: 300_000 }, async () => {
    const dir = tempDir();
    dirs.push(dir);
    await writeSynthFiles({ persons: 20_000, seed: 20, dir });
    const measured = await dedupeAndEvaluate(dir);
    expectAtLeast(measured, { precision: 0.9974, recall: 0.9874, f1: 0.9909, pairsCompleteness: 0.9894, maxPairsPerRecord: 9.81 });
    expect(measured.clustering.dose.precision).toBeGreaterThanOrEqual(0.998);
    expect(measured.clustering.dose.recall).toBeGreaterThanOrEqual(0.9874);
    expect(measured.clustering.dose.f1).toBeGreaterThanOrEqual(0.9912);
  });
});
