/**
 * What a running nightly job shows while it runs: a short phrase per stage of what it counted so far (the
 * terminal's self-redrawing line uses it), and, where there is no terminal (a log file, `serve`'s output, a
 * CI job), plain lines: each stage's start, each step of the link as it ends, and the counts of a long stage
 * at most every `everyMs` — so a night's log says where the time went and that the job is alive.
 */
import type { JobStageName } from '../db/schema.js';
import type { StageCounts } from './history.js';
import type { PipelineOptions } from './pipeline.js';

const BAR_WIDTH = 20;

function number(n: unknown): string {
  return typeof n === 'number' ? n.toLocaleString('en') : String(n);
}

/** The counts worth a glance while a stage runs, as a short phrase ('' when there is nothing to say yet). */
export function progressText(stage: JobStageName, c: Readonly<StageCounts>): string {
  switch (stage) {
    case 'import': {
      // The one stage whose total is known up front (the files waiting): a bar.
      const done = Number(c.imported ?? 0) + Number(c.alreadyLoaded ?? 0) + Number(c.failed ?? 0);
      const total = Number(c.files ?? 0);
      const filled = total > 0 ? Math.round((done / total) * BAR_WIDTH) : 0;
      const current = Number(c.currentFileRows ?? 0) > 0 ? ` (+${number(c.currentFileRows)} in this file)` : '';
      return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${number(done)}/${number(total)} files, ${number(c.rows ?? 0)} rows${current}`;
    }
    case 'link':
      return typeof c.step === 'string' ? `${c.step} done in ${number(c.stepSeconds)} s` : 'loading the records';
    case 'reconcile':
      return `${number(c.checked ?? 0)} people checked`;
    case 'push':
      return `${number(c.sent ?? 0)} sent, ${number(c.rejected ?? 0)} rejected, ${number(c.failed ?? 0)} failed`;
    default:
      return '';
  }
}

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Pipeline callbacks that write plain progress lines through `log`. A link step is always said (there are a
 * dozen in a run); the other stages' counts at most every `everyMs` (default 30 s).
 */
export function progressLog(
  log: (line: string) => void,
  options: { readonly everyMs?: number; readonly now?: () => number } = {},
): Required<Pick<PipelineOptions, 'onStage' | 'onProgress'>> {
  const everyMs = options.everyMs ?? 30_000;
  const now = options.now ?? (() => performance.now());
  let started = 0;
  let lastLine = 0;
  let lastStep: unknown = undefined;
  return {
    onStage(event) {
      if (event.status !== 'running') return;
      started = lastLine = now();
      lastStep = undefined;
      log(`${event.stage}: started`);
    },
    onProgress(stage, counts) {
      const at = now();
      const stepped = stage === 'link' && counts.step !== lastStep;
      if (!stepped && at - lastLine < everyMs) return;
      lastStep = counts.step;
      lastLine = at;
      const text = progressText(stage, counts);
      if (text) log(`${stage}: ${text} (${clock((at - started) / 1000)})`);
    },
  };
}
