import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateBlockingFiles, formatBlockingScore } from '../../src/eval/blocking.js';
import { EvaluationError } from '../../src/eval/pairwise.js';
import { tempDir } from '../helpers/database.js';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

describe('evaluateBlockingFiles', () => {
  // persons: P1 = a b c (3 pairs), P2 = d e (1 pair), P3 = f: 4 truth pairs
  const truth = write('truth.csv', '\ufeffrecord_id,person_id,dose_id\na,P1,\nb,P1,\nc,P1,\nd,P2,\ne,P2,\nf,P3,\n');

  it('counts the truth pairs among the candidates, and the candidates per record', async () => {
    const candidates = write('cand.csv', 'record_id_a,record_id_b\na,b\nb,c\nd,e\na,f\nc,d\n');
    const s = await evaluateBlockingFiles(truth, candidates);
    expect(s).toEqual({ records: 6, truthPairs: 4, candidatePairs: 5, trueCandidatePairs: 3, pairsCompleteness: 0.75, pairsPerRecord: 5 / 6 });
    expect(formatBlockingScore(s)).toContain('pairs completeness 0.7500');
  });

  it('refuses candidates naming records the truth does not hold', async () => {
    const candidates = write('bad.csv', 'record_id_a,record_id_b\na,zz\n');
    await expect(evaluateBlockingFiles(truth, candidates)).rejects.toBeInstanceOf(EvaluationError);
    await expect(evaluateBlockingFiles(truth, write('nohead.csv', 'x,y\na,b\n'))).rejects.toThrow(/header must name record_id_a, record_id_b/);
  });
});
