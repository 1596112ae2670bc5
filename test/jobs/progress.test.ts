import { describe, expect, it } from 'vitest';
import { progressLog, progressText } from '../../src/jobs/progress.js';
import { stageClock } from '../../src/base/stage-clock.js';

describe('progressLog: plain progress lines where there is no terminal', () => {
  it('says each stage start, every link step, and other stages\' counts at most every everyMs', () => {
    let t = 0;
    const lines: string[] = [];
    const p = progressLog((line) => lines.push(line), { everyMs: 30_000, now: () => t });
    p.onStage({ runId: 1, stage: 'import', status: 'running', counts: {}, error: null });
    t = 1_000;
    p.onProgress('import', { files: 2, imported: 1, rows: 5000 });
    t = 31_000;
    p.onProgress('import', { files: 2, imported: 1, rows: 9000 });
    t = 32_000;
    p.onProgress('import', { files: 2, imported: 2, rows: 12000 });
    p.onStage({ runId: 1, stage: 'link', status: 'running', counts: {}, error: null });
    t = 40_000;
    p.onProgress('link', { step: 'load', stepSeconds: 8 });
    t = 41_000;
    p.onProgress('link', { step: 'load', stepSeconds: 8 });
    p.onProgress('link', { step: 'match.blocking', stepSeconds: 1.2 });
    // An end event writes nothing: the summary says how each stage ended.
    p.onStage({ runId: 1, stage: 'link', status: 'succeeded', counts: {}, error: null });
    expect(lines).toEqual([
      'import: started',
      'import: [##########..........] 1/2 files, 9,000 rows (00:31)',
      'link: started',
      'link: load done in 8 s (00:08)',
      'link: match.blocking done in 1.2 s (00:09)',
    ]);
  });

  it('has a phrase for the link before its first step', () => {
    expect(progressText('link', {})).toBe('loading the records');
    expect(progressText('report', {})).toBe('');
  });
});

describe('stageClock', () => {
  it('tells a listener of each lap with the seconds it charged', () => {
    const heard: [string, number][] = [];
    const clock = stageClock(['a', 'b'], (stage, seconds) => heard.push([stage, seconds]));
    clock.lap('a');
    clock.lap('b');
    clock.lap('a');
    expect(heard.map(([stage]) => stage)).toEqual(['a', 'b', 'a']);
    expect(heard.reduce((n, [, s]) => n + s, 0)).toBeCloseTo(clock.seconds.a + clock.seconds.b, 9);
  });
});
