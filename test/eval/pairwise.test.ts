import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EvaluationError,
  PairwiseCounter,
  evaluateClustering,
  evaluateClusteringFiles,
  type ClusteringScore,
} from '../../src/eval/pairwise.js';

/** record_id → label from `'a:X b:X c:'` (an empty label = no cluster). */
function clusters(spec: string): Map<string, string> {
  return new Map(spec.split(' ').map((item) => item.split(':') as [string, string]));
}

/** The score by enumerating every pair: the definition the counting must agree with. */
function bruteForce(truth: ReadonlyMap<string, string>, predicted: ReadonlyMap<string, string>) {
  const ids = [...truth.keys()];
  let truePairs = 0;
  let predictedPairs = 0;
  let truthPairs = 0;
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const t1 = truth.get(ids[i]!)!;
      const t2 = truth.get(ids[j]!)!;
      const p1 = predicted.get(ids[i]!)!;
      const p2 = predicted.get(ids[j]!)!;
      const inTruth = t1 !== '' && t1 === t2;
      const inPrediction = p1 !== '' && p1 === p2;
      if (inTruth) truthPairs++;
      if (inPrediction) predictedPairs++;
      if (inTruth && inPrediction) truePairs++;
    }
  }
  return { truePairs, predictedPairs, truthPairs };
}

describe('evaluateClustering', () => {
  it('scores a hand-computed person-level example', () => {
    // Truth X{a,b,c} Y{d,e} Z{f}: pairs ab ac bc de = 4. Prediction 1{a,b} 2{c,d,e} 3{f}: pairs ab cd ce de = 4.
    // Common: ab, de = 2. X is split over 1 and 2; cluster 2 merges X and Y.
    const score = evaluateClustering(clusters('a:X b:X c:X d:Y e:Y f:Z'), clusters('a:1 b:1 c:2 d:2 e:2 f:3'));
    expect(score).toEqual<ClusteringScore>({
      truePairs: 2,
      predictedPairs: 4,
      truthPairs: 4,
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
      splitTruthClusters: 1,
      mergedPredictedClusters: 1,
    });
  });

  it('scores an under-merged prediction: precision 1, low recall', () => {
    // Truth P{a,b,c,d}: 6 pairs. Prediction 1{a,b} 2{c} 3{d}: 1 pair, correct. Recall 1/6, F1 2·1·(1/6)/(7/6) = 2/7.
    const score = evaluateClustering(clusters('a:P b:P c:P d:P'), clusters('a:1 b:1 c:2 d:3'));
    expect(score).toMatchObject({ truePairs: 1, predictedPairs: 1, truthPairs: 6, precision: 1, splitTruthClusters: 1, mergedPredictedClusters: 0 });
    expect(score.recall).toBeCloseTo(1 / 6, 12);
    expect(score.f1).toBeCloseTo(2 / 7, 12);
  });

  it('puts records with an empty label in no pair (dose level)', () => {
    // Truth D1{a,b} D2{d,e}, c and f no dose: pairs ab, de = 2. Prediction E1{a,b,c} E2{e}, d and f no dose:
    // pairs ab ac bc = 3. Common: ab = 1. Precision 1/3, recall 1/2, F1 2·(1/6)/(5/6) = 0.4.
    // D2 is split (d has no predicted dose, e is in E2); E1 merges D1 with c, which has no true dose.
    const score = evaluateClustering(clusters('a:D1 b:D1 c: d:D2 e:D2 f:'), clusters('a:E1 b:E1 c:E1 d: e:E2 f:'));
    expect(score).toMatchObject({ truePairs: 1, predictedPairs: 3, truthPairs: 2, splitTruthClusters: 1, mergedPredictedClusters: 1 });
    expect(score.precision).toBeCloseTo(1 / 3, 12);
    expect(score.recall).toBe(0.5);
    expect(score.f1).toBeCloseTo(0.4, 12);
  });

  it('gives precision 1 when nothing is predicted together, recall 1 when the truth has no pair', () => {
    const singletons = clusters('a:1 b:2 c:3 d:4');
    const onePerson = clusters('a:P b:P c:P d:P');
    expect(evaluateClustering(onePerson, singletons)).toMatchObject({ truePairs: 0, predictedPairs: 0, truthPairs: 6, precision: 1, recall: 0, f1: 0, splitTruthClusters: 1, mergedPredictedClusters: 0 });
    expect(evaluateClustering(singletons, onePerson)).toMatchObject({ truePairs: 0, predictedPairs: 6, truthPairs: 0, precision: 0, recall: 1, f1: 0, splitTruthClusters: 0, mergedPredictedClusters: 1 });
    expect(evaluateClustering(singletons, clusters('a:x b:y c:z d:w'))).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(evaluateClustering(new Map(), new Map())).toMatchObject({ truePairs: 0, predictedPairs: 0, truthPairs: 0, precision: 1, recall: 1, f1: 1 });
  });

  it('scores a clustering against itself as perfect, whatever the labels are called', () => {
    const score = evaluateClustering(clusters('a:X b:X c:Y d: e:Y'), clusters('a:7 b:7 c:8 d: e:8'));
    expect(score).toEqual<ClusteringScore>({ truePairs: 2, predictedPairs: 2, truthPairs: 2, precision: 1, recall: 1, f1: 1, splitTruthClusters: 0, mergedPredictedClusters: 0 });
  });

  it('agrees with enumerating every pair on random clusterings', () => {
    let state = 12345;
    const random = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    for (let round = 0; round < 50; round++) {
      const records = 1 + random(40);
      const truth = new Map<string, string>();
      const predicted = new Map<string, string>();
      for (let i = 0; i < records; i++) {
        const t = random(8);
        const p = random(8);
        truth.set(`r${i}`, t === 0 ? '' : `t${t}`);
        predicted.set(`r${i}`, p === 0 ? '' : `p${p}`);
      }
      expect(evaluateClustering(truth, predicted)).toMatchObject(bruteForce(truth, predicted));
    }
  });

  it('names how many records differ, with examples, when the record sets differ', () => {
    const call = () => evaluateClustering(clusters('a:X b:X c:Y'), clusters('a:1 d:1'));
    expect(call).toThrow(EvaluationError);
    expect(call).toThrow(
      'the files hold different records: 2 records of the truth missing from the prediction (e.g. b, c); ' +
        '1 record of the prediction not in the truth (e.g. d)',
    );
  });
});

describe('PairwiseCounter', () => {
  it('counts in one pass, in any order', () => {
    const forward = new PairwiseCounter();
    const backward = new PairwiseCounter();
    const rows: readonly (readonly [string, string])[] = [['X', '1'], ['X', '1'], ['X', '2'], ['Y', '2'], ['Y', '2'], ['Z', '3']];
    for (const [t, p] of rows) forward.add(t, p);
    for (const [t, p] of [...rows].reverse()) backward.add(t, p);
    expect(forward.score()).toEqual(backward.score());
    expect(forward.score()).toMatchObject({ truePairs: 2, predictedPairs: 4, truthPairs: 4 });
  });

  it('handles a million records quickly', () => {
    const counter = new PairwiseCounter();
    const started = performance.now();
    // Truth: people of 4 records. Prediction: the same, except every 10th person is cut in two (2 + 2).
    for (let i = 0; i < 1_000_000; i++) {
      const person = Math.floor(i / 4);
      const cut = person % 10 === 0 && i % 4 >= 2 ? 'b' : '';
      counter.add(`P${person}`, `Q${person}${cut}`);
    }
    const score = counter.score();
    expect(performance.now() - started).toBeLessThan(5_000);
    // 250,000 people × 6 pairs; the 25,000 cut people keep 2 of their 6 pairs.
    expect(score).toMatchObject({ truthPairs: 1_500_000, predictedPairs: 1_400_000, truePairs: 1_400_000, precision: 1 });
    expect(score.splitTruthClusters).toBe(25_000);
  });
});

describe('evaluateClusteringFiles', () => {
  let dir = '';
  const file = async (name: string, text: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vaxsync-eval-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('scores both levels; BOM, CRLF, quoting and column order do not matter', async () => {
    // The person example and the dose example above, on the same six records.
    const truth = await file(
      'truth.csv',
      '\uFEFFrecord_id,person_id,dose_id\r\na,X,D1\r\nb,X,D1\r\nc,X,\r\nd,Y,D2\r\ne,Y,D2\r\nf,Z,\r\n',
    );
    const predicted = await file('pred.csv', 'dose_id,record_id,person_id\n,f,3\n"E1",a,1\nE1,b,1\nE1,c,2\n,d,2\nE2,e,2\n');
    const evaluation = await evaluateClusteringFiles(truth, predicted);
    expect(evaluation.records).toBe(6);
    expect(evaluation.person).toMatchObject({ truePairs: 2, predictedPairs: 4, truthPairs: 4, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(evaluation.person).toMatchObject({ splitTruthClusters: 1, mergedPredictedClusters: 1 });
    expect(evaluation.dose).toMatchObject({ truePairs: 1, predictedPairs: 3, truthPairs: 2, recall: 0.5 });
    expect(evaluation.dose).toMatchObject({ splitTruthClusters: 1, mergedPredictedClusters: 1 });
  });

  it('reads a file whose line endings are mixed, as left by a script that rewrote the rows', async () => {
    const truth = await file('crlf.csv', 'record_id,person_id,dose_id\r\na,P,D\r\nb,P,D\r\nc,Q,\r\n');
    const predicted = await file('mixed.csv', 'record_id,person_id,dose_id\r\na,a,\nb,b,\rc,c,\n\n');
    const evaluation = await evaluateClusteringFiles(truth, predicted);
    expect(evaluation.records).toBe(3);
    expect(evaluation.person).toMatchObject({ truePairs: 0, predictedPairs: 0, truthPairs: 1, precision: 1, recall: 0, f1: 0 });
    expect(evaluation.dose).toMatchObject({ truePairs: 0, predictedPairs: 0, truthPairs: 1, precision: 1, recall: 0, f1: 0 });
  });

  it('counts rows right when a CRLF straddles two chunks of the read stream', async () => {
    // The file is read in 64 KiB chunks: the CR of the first data row is the last character of the first chunk.
    const header = 'record_id,person_id,dose_id\r\n';
    const longId = 'x'.repeat(65_536 - 1 - header.length - ',P,'.length);
    const text = `${header}${longId},P,\r\nb,P,\r\nb,Q,\r\n`;
    expect(text.indexOf('\r\n', header.length)).toBe(65_535);
    const duplicated = await file('straddle.csv', text);
    await expect(evaluateClusteringFiles(duplicated, duplicated)).rejects.toThrow(`${duplicated}, row 4: record_id b appears more than once`);
  });

  it('names both files and a few record ids when the records differ', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `R${i}`);
    const truth = await file('truth-8.csv', ['record_id,person_id,dose_id', ...ids.map((id) => `${id},P,`)].join('\n'));
    const predicted = await file('pred-1.csv', 'record_id,person_id,dose_id\nR0,P,\nZ9,P,\n');
    await expect(evaluateClusteringFiles(truth, predicted)).rejects.toThrow(
      `the files hold different records: 7 records of ${truth} missing from ${predicted} (e.g. R1, R2, R3, R4, R5); ` +
        `1 record of ${predicted} not in ${truth} (e.g. Z9)`,
    );
  });

  it('rejects a duplicate record_id, naming the file and row', async () => {
    const good = await file('good.csv', 'record_id,person_id,dose_id\na,P,\nb,P,\n');
    const duplicated = await file('dup.csv', 'record_id,person_id,dose_id\na,P,\nb,P,\na,Q,\n');
    await expect(evaluateClusteringFiles(duplicated, good)).rejects.toThrow(`${duplicated}, row 4: record_id a appears more than once`);
    await expect(evaluateClusteringFiles(good, duplicated)).rejects.toThrow(`${duplicated}, row 4: record_id a appears more than once`);
  });

  it('rejects unreadable or malformed files with an EvaluationError naming the file', async () => {
    const good = await file('ok.csv', 'record_id,person_id,dose_id\na,P,\n');
    const missing = join(dir, 'nope.csv');
    const badHeader = await file('header.csv', 'id,person\na,P\n');
    const ragged = await file('ragged.csv', 'record_id,person_id,dose_id\na,P\n');
    const noPerson = await file('noperson.csv', 'record_id,person_id,dose_id\na,,\n');
    const empty = await file('empty.csv', '');
    await expect(evaluateClusteringFiles(missing, good)).rejects.toThrow(new EvaluationError(`${missing}: no such file`));
    await expect(evaluateClusteringFiles(good, badHeader)).rejects.toThrow(`${badHeader}, row 1: the header must name record_id, person_id, dose_id; found id, person`);
    await expect(evaluateClusteringFiles(good, ragged)).rejects.toThrow(`${ragged}, row 2: 2 fields where the header has 3`);
    await expect(evaluateClusteringFiles(good, noPerson)).rejects.toThrow(`${noPerson}, row 2: empty person_id`);
    await expect(evaluateClusteringFiles(empty, good)).rejects.toThrow(`${empty}: empty file`);
  });
});
