/**
 * `vaxsync explain A B`: why two records were (or were not) linked, as a waterfall of the comparisons
 * of the last link run's model: the prior, each comparison's level and weight, the total, the match
 * probability, and any hard rule that forbids the link.
 */
import { modelFromJson, scorePair, vetoOf, type Model, type PairScore, type Veto } from '../../matchers/index.js';
import { maskCitizenId } from '../clean/citizen-id.js';
import type { Database } from '../db/database.js';
import { LinkError } from './errors.js';
import { loadRows, toMatchRecord, type LinkRow, type RecordRef } from './rows.js';

export interface Explanation {
  readonly records: readonly [LinkRow, LinkRow];
  readonly refs: readonly [RecordRef, RecordRef];
  readonly score: PairScore;
  readonly veto: Veto | null;
  /** The two records' person ids in the last link run (equal when they were linked). */
  readonly persons: readonly [string | null, string | null];
  readonly linkRunId: number;
}

/**
 * A record reference as a user types it: `batch:row` (row as the spreadsheet shows it), or a record_id,
 * which must name exactly one row among the loaded batches.
 */
export async function resolveRecord(database: Database, text: string): Promise<RecordRef> {
  const key = /^(\d+):(\d+)$/.exec(text);
  if (key) return { batch: Number(key[1]), row: Number(key[2]) };
  const rows = await database.db
    .selectFrom('record as r')
    .innerJoin('batch as b', 'b.id', 'r.batch_id')
    .where('b.status', '=', 'loaded')
    .where('r.record_id', '=', text)
    .select(['r.batch_id', 'r.row_number'])
    .limit(6)
    .execute();
  if (rows.length === 0) throw new LinkError('link.unknown_record', `no loaded record has the record id ${JSON.stringify(text)}`);
  if (rows.length > 1) {
    const places = rows.slice(0, 5).map((r) => `${r.batch_id}:${r.row_number}`).join(', ');
    throw new LinkError('link.ambiguous_record', `the record id ${JSON.stringify(text)} is on several rows (${places}…); give one as batch:row`);
  }
  return { batch: rows[0]!.batch_id, row: rows[0]!.row_number };
}

/** The last finished link run's model, refused when it does not fit the comparisons. */
export async function lastModel(database: Database): Promise<{ readonly runId: number; readonly model: Model }> {
  const run = await database.db
    .selectFrom('link_run')
    .select(['id', 'model'])
    .where('finished_at', 'is not', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!run?.model) throw new LinkError('link.no_run', 'no finished link run yet: run `vaxsync link` (or `vaxsync dedupe`) first');
  // Its m and u are by level: with other levels they would be read onto the wrong ones, so no waterfall.
  const model = modelFromJson(run.model);
  if (!model.ok) {
    throw new LinkError('link.stale_model', `the model of link run ${run.id} does not fit the comparisons (${model.reason}); run \`vaxsync link --full\` to fit a new one`);
  }
  return { runId: run.id, model: model.model };
}

export async function explainPair(database: Database, a: RecordRef, b: RecordRef): Promise<Explanation> {
  const { runId, model } = await lastModel(database);
  const rows = await loadRows(database, [a, b]);
  const find = (ref: RecordRef) => {
    const row = rows.find((r) => r.batch_id === ref.batch && r.row_number === ref.row);
    if (!row) throw new LinkError('link.unknown_record', `no loaded record at batch ${ref.batch}, row ${ref.row}`);
    return row;
  };
  const ra = find(a);
  const rb = find(b);
  const ma = toMatchRecord(ra, 0);
  const mb = toMatchRecord(rb, 1);
  const persons = await Promise.all(
    [a, b].map(async (ref) =>
      (
        await database.db
          .selectFrom('person_record')
          .select('person_id')
          .where('batch_id', '=', ref.batch)
          .where('row_number', '=', ref.row)
          .executeTakeFirst()
      )?.person_id ?? null,
    ),
  );
  return {
    records: [ra, rb],
    refs: [a, b],
    score: scorePair(ma, mb, model),
    veto: vetoOf(ma, mb),
    persons: [persons[0]!, persons[1]!],
    linkRunId: runId,
  };
}

/** The waterfall as text. IDs and phones are masked: a reviewer compares them, nobody needs them whole. */
export function formatExplanation(e: Explanation): string {
  const [ra, rb] = e.records;
  const masked = (id: string | null) => (id ? maskCitizenId(id) : '—');
  const side = (r: LinkRow) =>
    [r.full_name ?? '—', r.birth_date ?? '—', r.sex ?? '—', `ID ${masked(r.citizen_id)}`, `phone ${masked(r.phone)}`, `commune ${r.commune_current ?? '—'}`].join(' | ');
  const width = Math.max(22, ...e.score.levels.map((l) => l.label.length));
  const lines = [
    `A ${e.refs[0].batch}:${e.refs[0].row}  ${side(ra)}`,
    `B ${e.refs[1].batch}:${e.refs[1].row}  ${side(rb)}`,
    '',
    `${'prior (λ)'.padEnd(12)} ${''.padEnd(width)} ${e.score.prior.toFixed(2).padStart(7)}`,
  ];
  let running = e.score.prior;
  for (const l of e.score.levels) {
    running += l.weight;
    const tf = l.tfAdjustment !== 0 ? ` (term frequency ${l.tfAdjustment >= 0 ? '+' : ''}${l.tfAdjustment.toFixed(2)})` : '';
    const weight = (l.weight >= 0 ? '+' : '') + l.weight.toFixed(2);
    lines.push(`${l.comparison.padEnd(12)} ${l.label.padEnd(width)} ${weight.padStart(7)}  → ${running.toFixed(2)}${tf}`);
  }
  lines.push(`${'total'.padEnd(12)} ${''.padEnd(width)} ${e.score.weight.toFixed(2).padStart(7)}  probability ${e.score.probability.toFixed(4)}`);
  lines.push(e.veto ? `hard rule ${e.veto.rule}: ${e.veto.reason}` : 'no hard rule forbids this link');
  const [pa, pb] = e.persons;
  lines.push(
    pa !== null && pa === pb
      ? `link run ${e.linkRunId}: the same person (P${pa})`
      : `link run ${e.linkRunId}: different people (${pa ? 'P' + pa : '—'}, ${pb ? 'P' + pb : '—'})`,
  );
  return lines.join('\n');
}
