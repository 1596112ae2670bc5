/** `vaxsync evaluate --truth T --pred P`: pairwise precision, recall and F1 of a dedupe output against the truth. */
import { EvaluationError, evaluateClusteringFiles, type ClusteringEvaluation, type ClusteringScore } from '../eval/pairwise.js';
import { evaluateBlockingFiles, formatBlockingScore } from '../eval/blocking.js';
import { evaluateStatusFiles, formatStatusEvaluation } from '../eval/statuses.js';

const COLUMNS = ['level', 'predicted pairs', 'correct pairs', 'truth pairs', 'precision', 'recall', 'F1', 'split', 'merged'] as const;

function scoreCells(level: string, s: ClusteringScore): readonly string[] {
  return [
    level,
    String(s.predictedPairs),
    String(s.truePairs),
    String(s.truthPairs),
    s.precision.toFixed(4),
    s.recall.toFixed(4),
    s.f1.toFixed(4),
    String(s.splitTruthClusters),
    String(s.mergedPredictedClusters),
  ];
}

/** The evaluation as a small right-aligned table (level left-aligned) with a legend. */
export function formatEvaluation(evaluation: ClusteringEvaluation): string {
  const rows = [COLUMNS, scoreCells('person', evaluation.person), scoreCells('dose', evaluation.dose)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
  );
  return [
    `${evaluation.records} records`,
    ...lines,
    'correct = predicted pairs that are truth pairs; split = truth clusters spread over several predicted clusters;',
    'merged = predicted clusters holding several truth clusters. Dose level: rows with an empty dose_id are in no pair.',
  ].join('\n');
}

export async function runEvaluate(
  options: { readonly truth: string; readonly pred: string; readonly registryTruth?: string; readonly reconciled?: string; readonly candidates?: string },
  log: (line: string) => void,
): Promise<void> {
  log(formatEvaluation(await evaluateClusteringFiles(options.truth, options.pred)));
  if (options.candidates) log(formatBlockingScore(await evaluateBlockingFiles(options.truth, options.candidates)));
  if (options.registryTruth || options.reconciled) {
    if (!options.registryTruth || !options.reconciled) throw new EvaluationError('--registry-truth and --reconciled go together');
    log(formatStatusEvaluation(evaluateStatusFiles({ ...options, registryTruth: options.registryTruth, reconciled: options.reconciled })));
  }
}
