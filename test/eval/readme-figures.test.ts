/**
 * Every accuracy figure of the README's matching table, as a test: the same command (`vaxsync dedupe` on
 * the file, then `vaxsync evaluate` with `--candidates`) on the same data, against a floor just below the
 * figure measured, so that a change that lowers one fails here. The dedupe command's own function runs
 * in-process on a fresh PostgreSQL schema (the README runs it on the embedded database: same code).
 *
 * Timed on 2 shared cores (load 3–9): FEBRL 1–4 take 1–16 s each, fake_1000 2 s, fake_20000 3–7 s,
 * historical 50k 7–13 s, the generator's default and retro-worst modes (86,418 rows) 15–33 s each. The
 * childhood mode (200,760 rows) takes ~60 s: it runs only with VAXSYNC_BIG_FIGURES=1, which .ci/run sets.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDedupe } from '../../src/cli/dedupe.js';
import { evaluateBlockingFiles } from '../../src/eval/blocking.js';
import { evaluateClusteringFiles } from '../../src/eval/pairwise.js';
import { writeSynthFiles } from '../../src/synth/generate.js';
import type { SynthMode } from '../../src/synth/types.js';
import { writePublicSet, type PublicSet } from '../../scripts/public-sets.js';
import { openTestDatabase, tempDir } from '../helpers/database.js';

const TODAY = '2026-11-01';
/** The generator's childhood mode (200,760 rows, ~60 s) runs only when this is set; .ci/run sets it. */
const BIG = process.env.VAXSYNC_BIG_FIGURES === '1';

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
  ['febrl1', { precision: 0.9980, recall: 0.9730, f1: 0.9839, pairsCompleteness: 0.9970, maxPairsPerRecord: 3.58 }],
  ['febrl2', { precision: 0.9980, recall: 0.9862, f1: 0.9906, pairsCompleteness: 0.9913, maxPairsPerRecord: 5.13 }],
  ['febrl3', { precision: 0.9971, recall: 0.9786, f1: 0.9863, pairsCompleteness: 0.9910, maxPairsPerRecord: 5.06 }],
  ['febrl4', { precision: 0.9980, recall: 0.9770, f1: 0.9859, pairsCompleteness: 0.9956, maxPairsPerRecord: 5.75 }],
  ['fake1000', { precision: 0.9980, recall: 0.5080, f1: 0.6732, pairsCompleteness: 0.7769, maxPairsPerRecord: 4.23 }],
  ['fake20000', { precision: 0.9951, recall: 0.3934, f1: 0.5644, pairsCompleteness: 0.6428, maxPairsPerRecord: 6.47 }],
  ['hist50k', { precision: 0.9966, recall: 0.2758, f1: 0.4333, pairsCompleteness: 0.6159, maxPairsPerRecord: 6.74 }],
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

  /** Person floors, then dose precision / recall / F1 floors; measured figures in the README. */
  const GENERATOR: readonly [SynthMode, Floors, readonly [number, number, number], boolean][] = [
    ['default', { precision: 0.9975, recall: 0.9914, f1: 0.993, pairsCompleteness: 0.9933, maxPairsPerRecord: 9.64 }, [0.998, 0.9926, 0.9938], false],
    ['retro-worst', { precision: 0.9964, recall: 0.9793, f1: 0.9863, pairsCompleteness: 0.9726, maxPairsPerRecord: 10.41 }, [0.9979, 0.9796, 0.9872], false],
    ['childhood', { precision: 0.9973, recall: 0.9859, f1: 0.9901, pairsCompleteness: 0.9923, maxPairsPerRecord: 17.33 }, [0.9975, 0.9879, 0.9912], true],
  ];
  for (const [mode, floors, [doseP, doseR, doseF1], big] of GENERATOR) {
    it.skipIf(big && !BIG)(`the generator, ${mode} mode, 20,000 people (seed 20): at or above its README figures, person and dose`, { timeout: 300_000 }, async () => {
      const dir = tempDir();
      dirs.push(dir);
      await writeSynthFiles({ persons: 20_000, seed: 20, dir, mode });
      const measured = await dedupeAndEvaluate(dir);
      expectAtLeast(measured, floors);
      expect(measured.clustering.dose.precision).toBeGreaterThanOrEqual(doseP);
      expect(measured.clustering.dose.recall).toBeGreaterThanOrEqual(doseR);
      expect(measured.clustering.dose.f1).toBeGreaterThanOrEqual(doseF1);
    });
  }
});
