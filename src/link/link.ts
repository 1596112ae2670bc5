/**
 * The link stage: cleaned records are matched (matchers/), records of one person get one person id, and
 * within each person the rows reporting the same injection get one dose id.
 *
 * Incremental by default: only the records new since the last run, and those of people a reviewer's
 * pending decision reopened, are compared (against everyone); the people they join are rewritten and every
 * other person is left as it is. The model (m, u, λ) of the last run is reused. A full run (`full`, always
 * the first, and whenever the last run's model no longer fits the comparisons' levels) regroups everything
 * and re-estimates the model.
 *
 * Either way a run is one transaction under an advisory lock: readers see the previous result or the new
 * one, never a mix, and two runs never interleave. Rows are written by COPY in chunks, never as one string
 * per table, so memory stays bounded by the records and the pairs, not by the output.
 */
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_BLOCKING_RULES,
  DEFAULT_SETTINGS,
  groupDoses,
  linkRecords,
  modelFromJson,
  modelToJson,
  type BlockingRule,
  type Link,
  type LinkResult,
  type LinkSettings,
  type Model,
  type ModelJson,
  type UnlabelledModelJson,
} from '../../matchers/index.js';
import { ChunkedCopy, copyLine, textArrayLiteral } from '../base/copy.js';
import { stageClock, type LapListener } from '../base/stage-clock.js';
import type { Database, RawTransaction } from '../db/database.js';
import { analyzeGrown } from '../db/grown-statistics.js';
import { withIndexesRebuilt } from '../db/rebuilt-indexes.js';
import { goldenRecord, type CommuneEvidence } from './golden.js';
import { reserveIds } from './ids.js';
import { doseRowOf, loadRecords, recordAt, type LoadedRecords } from './rows.js';
import { BACKGROUND_KEYS_FROM, startBackgroundKeys, type BackgroundKeys } from './background-keys.js';
import { countBlocks, keysFingerprint, loadChangedScope, rewriteLinkedKeys, vacuumKeys, writeKeysAndBlocks, type ScopedRecords } from './scope.js';
import { PeopleRows } from './people-rows.js';
import { ClaimedIds, keepIds } from './stable-ids.js';

export type { LinkRow, RecordRef } from './rows.js';

export interface LinkOptions {
  /** Relink every record and re-estimate the model, instead of linking what changed. */
  readonly full?: boolean;
  /**
   * Called once with every candidate pair blocking proposed in this run, each record as (batch, row): for
   * measuring blocking (`vaxsync dedupe --candidates`). An incremental run proposes only pairs touching a
   * changed record.
   */
  readonly onCandidates?: (aBatch: number, aRow: number, bBatch: number, bRow: number) => void;
  /**
   * Hears each step of the run as it ends, with its seconds: `keys.write`, `keys.index`, `keys.commit`,
   * `keys.vacuum` and `keys.blocks` (the first nightly run after a full one: link_key written, its index
   * built, committed, vacuumed, then link_block counted and the last run marked keyed; a full run on
   * PostgreSQL writes them beside its matching instead, and `keys.wait` is how long it then waited for them
   * after its write: LinkSummary.keysBeside), `load` (its parts first:
   * `load.changed`, … on a night), the matcher's (`match.blocking`, `match.compare`, …), `new_keys.wait`
   * (a night: how long it waited after matching for its new keys to be in link_key), `clear`, `write`,
   * `finish` (the totals, the decisions marked applied and the written tables' statistics), then `vacuum`
   * (the run's commit and link_key's vacuum after it: a night's, or a full run's whose worker vacuumed while
   * the run was writing, which marks no page). What the nightly job's progress and its log lines show.
   */
  readonly onStep?: LapListener;
  /**
   * Load every record even for an incremental run, as before link_key (src/link/scope.ts): for comparing
   * the two ways, which must give the same people, doses and review queue.
   */
  readonly loadAll?: boolean;
  /**
   * A run that loads every record (a full one) on PostgreSQL writes link_key beside its matching, in a
   * worker thread, from this many matchable records (default BACKGROUND_KEYS_FROM), so that the next night
   * need not (src/link/background-keys.ts). Tests lower it.
   */
  readonly backgroundKeysFrom?: number;
  /**
   * How long a run waits for link_key's worker at least, past its write (default KEYS_WAIT_FLOOR_SECONDS;
   * it waits as long again as the worker has run, if longer), before it stops it. Tests lower it.
   */
  readonly keysWaitFloorSeconds?: number;
}

export interface LinkSummary {
  /** The run's id; with nothing to link, the previous run's (null when no run has linked anything yet). */
  readonly runId: number | null;
  readonly mode: 'full' | 'incremental';
  /** Records of loaded batches, and how many of them this run linked anew. */
  readonly records: number;
  readonly changed: number;
  readonly quarantined: number;
  /** People and doses in the database after the run, and how many people this run (re)wrote. */
  readonly persons: number;
  readonly doses: number;
  readonly personsWritten: number;
  readonly pairsCompared: number;
  readonly accepted: number;
  readonly review: number;
  readonly vetoed: number;
  readonly doseConflicts: number;
  /** People whose move to another commune rests on one station's rows: kept where they were, for review. */
  readonly communeHolds: number;
  readonly warnings: readonly string[];
  readonly seconds: Readonly<Record<string, number>>;
  /**
   * Written beside a run that loaded every record (src/link/background-keys.ts): the seconds of each of the
   * worker's steps (`keys.write`, … `keys.blocks`), which overlap the run's own. Absent: not written so.
   */
  readonly keysBeside?: Readonly<Record<string, number>>;
}

/** Only one run that regroups or rewrites people (link, reconcile) at a time, on any number of instances. */
export const LINK_LOCK = 0x7661_7831; // "vax1"

/**
 * Characters of COPY text sent per statement while writing. Small enough that a chunk is sent before the
 * young generation is collected: a chunk that survives gets promoted, and the old generation then grows
 * with text that is garbage a moment later.
 */
const COPY_CHUNK = 1 << 18;

/** What a run writes: a full one empties them all first. */
const LINK_TABLES = ['dose_record', 'dose', 'person_record', 'match_link', 'person', 'commune_hold'];

interface StoredDecision {
  readonly a_batch: number;
  readonly a_row: number;
  readonly b_batch: number;
  readonly b_row: number;
  readonly decision: 'same' | 'different';
  readonly applied_run: number | null;
}

export async function linkAll(database: Database, settings: LinkSettings = {}, options: LinkOptions = {}): Promise<LinkSummary> {
  const clock = stageClock<string>([], options.onStep);
  if (options.onStep) {
    const onStep = options.onStep;
    const outer = settings.onStage;
    settings = { ...settings, onStage: (stage, seconds) => (outer?.(stage, seconds), onStep(`match.${stage}`, seconds)) };
  }
  const rules = settings.blockingRules ?? DEFAULT_BLOCKING_RULES;
  // A run that can read only the blocks of what changed first gets link_key in step, when the last run left it
  // stale (a full one does): once, in transactions of their own (see keyLastRun).
  const scoping = options.full !== true && options.loadAll !== true && settings.recordRules === undefined;
  if (scoping) await keyLastRun(database, rules, settings, clock.lap);
  // Whether link_key is to be vacuumed after the run: it added to it, or its keys were written beside it by
  // a worker whose vacuum came while the run was writing (see KeysResult).
  let vacuumAfter = false;
  // link_key being written beside a run that loaded every record, if it is.
  const beside: { keys: BackgroundKeys | null } = { keys: null };
  const summary = await database.withTransaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [LINK_LOCK]);
    const superseded = await supersededLinks(tx);
    const decisions = await tx.query<StoredDecision>('select a_batch, a_row, b_batch, b_row, decision, applied_run from review_decision');
    const previous = await lastRun(tx);

    // The last run's model is reused unless a full run is asked for, or the model no longer fits the
    // comparisons (a level inserted since it was stored): then this run is a full one, and says why.
    const reused = options.full === true || previous === undefined ? null : modelFromJson(previous.model, settings.comparisons);
    const previousModel = reused?.ok ? reused.model : null;
    const refusal = reused?.ok === false ? `the last run's model does not fit the comparisons (${reused.reason}): everything was relinked and the model re-estimated` : null;
    const full = previousModel === null;
    // An incremental run reads only the blocks of what changed when link_key holds the last run's keys
    // for these rules (scope.ts); rules built from all records must be the default ones, whose needs it knows.
    const scope: ScopedRecords | null =
      scoping && previousModel !== null && previous?.keyed === keysFingerprint(rules)
        ? await loadChangedScope(tx, rules, settings.maxBlockSize ?? DEFAULT_SETTINGS.maxBlockSize, previousModel.tf, decisions, superseded.persons, clock.lap)
        : null;
    const records = scope?.records ?? (await loadRecords(tx));
    const counted = scope ?? { total: records.count, quarantined: quarantinedCount(records) };
    clock.lap('load');
    const changed = scope?.changed ?? changedRows(records, decisions, full, superseded.persons);
    let changedCount = 0;
    for (const c of changed) changedCount += c;
    if (changedCount === 0 && superseded.persons.size === 0) {
      await scope?.keysAdded;
      return unchangedSummary(tx, counted, previous, clock.seconds);
    }

    if (scope === null && rules === DEFAULT_BLOCKING_RULES && settings.recordRules === undefined && records.matchable.length >= (options.backgroundKeysFrom ?? BACKGROUND_KEYS_FROM)) {
      beside.keys = startBackgroundKeys(database, records);
    }
    const matchSettings = options.onCandidates ? { ...settings, onCandidates: candidatesByRef(records, options.onCandidates) } : settings;
    const match = matchRecords(records, changed, decisions, previousModel, matchSettings, scope);
    clock.lap('match');
    for (const [stage, s] of Object.entries(match.stats.seconds)) if (stage !== 'total') clock.seconds[`match.${stage}`] = s;
    if (scope !== null) {
      await scope.keysAdded;
      clock.lap('new_keys.wait');
    }

    const [run] = await tx.query<{ id: number }>('insert into link_run default values returning id');
    const runId = run!.id;
    const people = peopleToWrite(records, changed, match.clusters);
    const origins = await communeOrigins(tx, records, people);
    const removed = await clearPrevious(tx, records, changed, people, full, superseded.persons);
    clock.lap('clear');
    const write = async () => {
      const written = await writePeople(tx, runId, records, people, origins, superseded.inherited);
      await writeLinks(tx, runId, records, match);
      return written;
    };
    // A full run writes into emptied tables (clearPrevious truncated them): their indexes are built after.
    const written = full ? await withIndexesRebuilt(tx, LINK_TABLES, write) : await write();
    clock.lap('write');
    // A scoped run has added and removed its records' keys. One that loaded every record has had them written
    // beside it, or leaves them stale and says so (keyed: null): the first nightly run after it writes them
    // then (keyLastRun).
    const besideResult = beside.keys === null ? null : await beside.keys.finish(options.keysWaitFloorSeconds);
    if (besideResult !== null) clock.lap('keys.wait');
    const keyed = scope !== null || besideResult?.written === true;
    vacuumAfter = scope !== null || (besideResult?.written === true && !besideResult.allVisible);

    const totals = await peopleAndDoses(tx, previous, removed, written);
    const summary: Omit<LinkSummary, 'seconds'> = {
      runId,
      mode: full ? 'full' : 'incremental',
      records: counted.total,
      changed: changedCount,
      quarantined: counted.quarantined,
      persons: totals.persons,
      doses: totals.doses,
      personsWritten: people.length,
      pairsCompared: match.stats.pairsCompared,
      accepted: match.accepted,
      review: match.review.length,
      vetoed: match.vetoed.length,
      doseConflicts: written.doseConflicts,
      communeHolds: written.communeHolds,
      warnings: [
        ...(refusal === null ? [] : [refusal]),
        ...match.stats.blockingWarnings,
        ...(besideResult?.written === false ? [`link_key was not written beside the run (${besideResult.reason}): the next night writes it first`] : []),
      ],
      ...(besideResult?.written === true ? { keysBeside: besideResult.seconds } : {}),
    };
    await markDecisionsApplied(tx, runId, decisions);
    // The next stages (reconcile, push, reports) read these tables at once: give the planner their new
    // statistics where they have moved (all of them after a full run, which rewrote them). record too:
    // imports bulk-load it and never analyze it, and the daily report reads the day's rows and the
    // reactions of the day's doses from it. A night's few rows move no table by a tenth (50,000 a night
    // take twenty nights to grow ten million records by a tenth), and the planner scales a table's row
    // estimate by its size meanwhile.
    await analyzeGrown(tx, ['record', 'person', 'person_record', 'dose', 'dose_record', 'match_link'], full);
    clock.lap('finish');
    await tx.query(
      `update link_run set finished_at = now(), records = $2, pairs_compared = $3, persons = $4, doses = $5,
         accepted = $6, review = $7, vetoed = $8, details = $9, model = $10 where id = $1`,
      [
        runId, summary.records, summary.pairsCompared, summary.persons, summary.doses, summary.accepted, summary.review,
        summary.vetoed,
        JSON.stringify({
          mode: summary.mode, changed: changedCount, personsWritten: people.length, communeHolds: written.communeHolds, seconds: clock.seconds,
          loaded: records.count, keyed: keyed ? keysFingerprint(rules) : null, ...(summary.keysBeside ? { keysBeside: summary.keysBeside } : {}),
          perRule: match.stats.perRule, warnings: summary.warnings,
        }),
        JSON.stringify(modelToJson(match.model)),
      ],
    );
    return { ...summary, seconds: clock.seconds };
    // Had the run failed while the keys were written, the worker's transaction is rolled back with its connection.
  }).finally(() => beside.keys?.stop());
  if (!vacuumAfter) return summary;
  // The run has committed: a vacuum that fails (it is only for the next night's speed) is said, not thrown.
  const failed = await vacuumKeys(database).then(
    () => null,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  clock.lap('vacuum');
  return { ...summary, seconds: clock.seconds, warnings: failed === null ? summary.warnings : [...summary.warnings, `link_key was not vacuumed after the run (${failed}): the next night's look-ups may be slower until it is`] };
}

/**
 * Writes the keys of the records the last run linked into link_key when that run left it stale (a full run, or
 * one that loaded every record) or a crash emptied it (it is unlogged), and marks the run keyed, so that this
 * run can read only the blocks of what changed: a province's first night after a full link then holds a slice
 * of records at a time, where loading them all to block the new ones took 3 GB at ten million rows.
 *
 * Two transactions of its own, with link_key's vacuum between them (VACUUM cannot run in one): the keys and
 * their index, then link_block counted from that index alone (countBlocks) and the run marked keyed. Until
 * then the run is marked stale, so that no run reads keys whose blocks are not counted; written keys stay
 * written if the run then fails. Nothing is written when the last run's model no longer fits the
 * comparisons: this run will be a full one.
 *
 * Between the two the link's lock is free, and another process's full link may take it and have its keys
 * written beside it (src/link/background-keys.ts), then fail: link_key then holds that run's records, not
 * the last run's. So the first transaction leaves a token of its own on the run (`details.keying`), which
 * a worker writing keys removes, and the second marks the run keyed only if its token is still there.
 */
async function keyLastRun(database: Database, rules: readonly BlockingRule[], settings: LinkSettings, lap: (step: string) => void): Promise<void> {
  const fingerprint = keysFingerprint(rules);
  const token = randomUUID();
  await writeKeysAndBlocks(
    database,
    async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [LINK_LOCK]);
      const last = await lastRun(tx);
      if (last === undefined || !modelFromJson(last.model, settings.comparisons).ok) return undefined;
      // link_key is unlogged (migrations/0021): a crash empties it, whatever the last run said.
      if (last.keyed === fingerprint && (await tx.query('select 1 from link_key limit 1')).length > 0) return undefined;
      await tx.query(`update link_run set details = jsonb_set(details - 'keyed', '{keying}', to_jsonb($2::text)) where id = $1`, [last.id, token]);
      await rewriteLinkedKeys(tx, rules, lap);
      return last.id;
    },
    async (tx, keyedRun) => {
      await tx.query('select pg_advisory_xact_lock($1)', [LINK_LOCK]);
      await countBlocks(tx);
      // A run that came between the two transactions (a full one) left keys stale again, or rewrote them (its
      // token gone): the run is not marked.
      if ((await lastRun(tx))?.id !== keyedRun) return;
      await tx.query(
        `update link_run set details = jsonb_set(details - 'keying', '{keyed}', to_jsonb($2::text)) where id = $1 and details->>'keying' = $3`,
        [keyedRun, fingerprint, token],
      );
    },
    lap,
  );
}

/** The last finished run: its model, the fingerprint of the keys it left in link_key (null: stale), and the people and doses it left. */
interface LastRun {
  readonly id: number;
  readonly model: ModelJson | UnlabelledModelJson;
  readonly keyed: string | null;
  readonly persons: number | null;
  readonly doses: number | null;
}

async function lastRun(tx: RawTransaction): Promise<LastRun | undefined> {
  const [last] = await tx.query<LastRun>(
    `select id, model, details->>'keyed' as keyed, persons, doses from link_run where finished_at is not null and model is not null order by id desc limit 1`,
  );
  return last;
}

interface Counts {
  readonly persons: number;
  readonly doses: number;
}

/** The people and doses a run removed: all of them (a full run's TRUNCATE), or so many. */
type Removed = { readonly all: true } | ({ readonly all: false } & Counts);

/**
 * The people and doses after this run: those the last run left, less those this run removed, plus those it
 * wrote (nothing but the link writes or removes either). Counting the tables instead read both whole every
 * night (1 s at ten million rows, growing with the history). Counted when the last run left no figures. A
 * figure made wrong outside the link (rows deleted by hand) would be carried until the next full run.
 */
async function peopleAndDoses(tx: RawTransaction, previous: LastRun | undefined, removed: Removed, written: Counts): Promise<Counts> {
  if (removed.all) return written;
  if (previous !== undefined && previous.persons !== null && previous.doses !== null) {
    return { persons: previous.persons - removed.persons + written.persons, doses: previous.doses - removed.doses + written.doses };
  }
  const [totals] = await tx.query<{ persons: string; doses: string }>('select (select count(*) from person) as persons, (select count(*) from dose) as doses');
  return { persons: Number(totals!.persons), doses: Number(totals!.doses) };
}

/**
 * What corrections (src/ingest/corrections.ts) replaced since the last run: the people that still hold a
 * superseded record (each is rebuilt without it, as if the record had been removed), and, per correcting row
 * (`batch:row`), the person and dose its predecessor was in, so the corrected person keeps its id (the
 * platform and the working groups know it by that id) and the outbox sees it as changed, not as someone new.
 */
interface SupersededLinks {
  readonly persons: ReadonlySet<number>;
  readonly inherited: ReadonlyMap<string, { readonly person: number; readonly dose: number | null }>;
}

async function supersededLinks(tx: RawTransaction): Promise<SupersededLinks> {
  const rows = await tx.query<{ person_id: string; dose_id: string | null; new_batch: number; new_row: number }>(
    `select pr.person_id::text as person_id, dr.dose_id::text as dose_id, c.new_batch, c.new_row
     from record_correction c
     join person_record pr on pr.batch_id = c.old_batch and pr.row_number = c.old_row
     left join dose_record dr on dr.batch_id = c.old_batch and dr.row_number = c.old_row
     order by c.old_batch, c.old_row`,
  );
  const persons = new Set<number>();
  const inherited = new Map<string, { person: number; dose: number | null }>();
  for (const r of rows) {
    persons.add(Number(r.person_id));
    inherited.set(`${r.new_batch}:${r.new_row}`, { person: Number(r.person_id), dose: r.dose_id === null ? null : Number(r.dose_id) });
  }
  return { persons, inherited };
}

/**
 * 1 for each row this run links anew: every row in a full run; otherwise the rows no run has linked yet,
 * every row of a person one of whose records a pending decision names (the person is reopened whole:
 * an unmerge or a "different people" can only be honoured by regrouping its rows), and every remaining row
 * of a person one of whose records a correction replaced.
 */
function changedRows(records: LoadedRecords, decisions: readonly StoredDecision[], full: boolean, correctedPersons: ReadonlySet<number>): Uint8Array {
  const changed = new Uint8Array(records.count);
  if (full) return changed.fill(1);
  const pending = new Set<string>();
  for (const d of decisions) {
    if (d.applied_run !== null) continue;
    pending.add(`${d.a_batch}:${d.a_row}`);
    pending.add(`${d.b_batch}:${d.b_row}`);
  }
  const reopened = new Set<number>(correctedPersons);
  if (pending.size > 0) {
    for (let r = 0; r < records.count; r++) {
      if (!Number.isNaN(records.personId[r]!) && pending.has(`${records.batch[r]}:${records.row[r]}`)) reopened.add(records.personId[r]!);
    }
  }
  for (let r = 0; r < records.count; r++) {
    const person = records.personId[r]!;
    if (Number.isNaN(person) || reopened.has(person)) changed[r] = 1;
  }
  return changed;
}

function quarantinedCount(records: LoadedRecords): number {
  let n = 0;
  for (const q of records.quarantined) n += q;
  return n;
}

interface MatchOutcome {
  /** Cluster per matchable record (by matcher id; records.rowOf gives its row). */
  readonly clusters: Int32Array;
  readonly accepted: number;
  readonly joined: LinkResult['joined'];
  readonly review: LinkResult['review'];
  readonly vetoed: LinkResult['vetoed'];
  readonly model: LinkResult['model'];
  readonly stats: LinkResult['stats'];
}

/** Runs the matcher over the records that can identify a person, with the reviewers' decisions. */
function matchRecords(
  records: LoadedRecords,
  changed: Uint8Array,
  stored: readonly StoredDecision[],
  previousModel: Model | null,
  settings: LinkSettings,
  scope: ScopedRecords | null,
): MatchOutcome {
  const { rowOf, matchable } = records;
  // Decisions by matcher id. One about a record that cannot be matched (quarantined, batch failed) waits.
  const wanted = new Map<string, number>();
  for (const d of stored) {
    wanted.set(`${d.a_batch}:${d.a_row}`, -1);
    wanted.set(`${d.b_batch}:${d.b_row}`, -1);
  }
  if (wanted.size > 0) {
    rowOf.forEach((r, k) => {
      const key = `${records.batch[r]}:${records.row[r]}`;
      if (wanted.has(key)) wanted.set(key, k);
    });
  }
  const decisions: { same: [number, number][]; different: [number, number][] } = { same: [], different: [] };
  for (const d of stored) {
    const a = wanted.get(`${d.a_batch}:${d.a_row}`)!;
    const b = wanted.get(`${d.b_batch}:${d.b_row}`)!;
    if (a >= 0 && b >= 0) decisions[d.decision].push([a, b]);
  }

  let incremental: LinkSettings['incremental'];
  if (previousModel) {
    // Each unchanged record starts in its person, numbered densely; changed ones start alone.
    const groupOf = new Map<number, number>();
    const groups = new Int32Array(matchable.length).fill(-1);
    const changedRecords = new Uint8Array(matchable.length);
    rowOf.forEach((r, k) => {
      if (changed[r] === 1) {
        changedRecords[k] = 1;
        return;
      }
      const person = records.personId[r]!;
      let group = groupOf.get(person);
      if (group === undefined) groupOf.set(person, (group = groupOf.size));
      groups[k] = group;
    });
    incremental = { model: previousModel, changed: changedRecords, groups, ...(scope ? { tf: scope.tf, blockSize: scope.blockSize } : {}) };
  }
  const linkSettings: LinkSettings = {
    ...settings,
    decisions,
    ...(incremental ? { incremental } : {}),
    ...(scope ? { recordRules: scope.recordRules } : {}),
  };
  const result = records.parkedWhile(() => linkRecords(matchable, linkSettings));
  return {
    clusters: result.clusters,
    accepted: result.accepted,
    joined: result.joined,
    review: result.review,
    vetoed: result.vetoed,
    model: result.model,
    stats: result.stats,
  };
}

/**
 * The matcher's candidate pairs told as (batch, row) refs. Heard while the rows' columns are parked
 * (LoadedRecords.parkedWhile): the two it reads are held apart meanwhile, and only when someone listens.
 */
function candidatesByRef(records: LoadedRecords, onCandidates: NonNullable<LinkOptions['onCandidates']>): LinkSettings['onCandidates'] {
  const { batch, row, rowOf } = records;
  return (pairs) => {
    for (let p = 0; p < pairs.count; p++) {
      const a = rowOf[pairs.left[p]!]!;
      const b = rowOf[pairs.right[p]!]!;
      onCandidates(batch[a]!, row[a]!, batch[b]!, row[b]!);
    }
  };
}

/**
 * The people this run writes, each as its rows (indexes into the loaded rows): every cluster holding a
 * changed record (with the unchanged people it absorbed, whole), and each changed quarantined row alone
 * (it cannot be matched, but it is someone and appears in every output).
 */
function peopleToWrite(records: LoadedRecords, changed: Uint8Array, clusters: Int32Array): PeopleRows {
  const { rowOf } = records;
  let clusterCount = 0;
  for (const c of clusters) if (c >= clusterCount) clusterCount = c + 1;
  const touched = new Uint8Array(clusterCount);
  rowOf.forEach((r, k) => {
    if (changed[r] === 1) touched[clusters[k]!] = 1;
  });
  // People numbered in the order their first row comes, each its rows in that order, then each changed
  // quarantined row alone: counted, laid out, then filled.
  const slot = new Int32Array(clusterCount).fill(-1);
  const sizes: number[] = [];
  rowOf.forEach((_, k) => {
    const c = clusters[k]!;
    if (touched[c] !== 1) return;
    if (slot[c] === -1) slot[c] = sizes.push(0) - 1;
    sizes[slot[c]!]!++;
  });
  for (let r = 0; r < records.count; r++) if (records.quarantined[r] === 1 && changed[r] === 1) sizes.push(1);
  const start = new Int32Array(sizes.length + 1);
  sizes.forEach((size, p) => (start[p + 1] = start[p]! + size));
  const rows = new Int32Array(start[sizes.length]!);
  const fill = start.slice(0, sizes.length);
  rowOf.forEach((r, k) => {
    const c = clusters[k]!;
    if (touched[c] === 1) rows[fill[slot[c]!]!++] = r;
  });
  let p = sizes.length;
  for (let r = records.count - 1; r >= 0; r--) if (records.quarantined[r] === 1 && changed[r] === 1) rows[fill[--p]!] = r;
  return new PeopleRows(start, rows);
}

/**
 * Removes what this run replaces: everything in a full run; otherwise the people being rewritten (with
 * their records' memberships and doses) and the links of the changed records, which are scored again.
 */
async function clearPrevious(
  tx: RawTransaction,
  records: LoadedRecords,
  changed: Uint8Array,
  people: PeopleRows,
  full: boolean,
  correctedPersons: ReadonlySet<number>,
): Promise<Removed> {
  if (full) {
    // TRUNCATE, not DELETE: a full run replaces every row, and deleting millions of rows each time would
    // leave as many dead ones for vacuum. Readers wait for the run to commit instead of reading the old
    // result meanwhile; full runs are rare (the nightly job is incremental).
    await tx.query(`truncate ${LINK_TABLES.join(', ')}`);
    return { all: true };
  }
  // A person whose only record was replaced has no row left to name it: it goes by its id.
  const oldPersons = new Set<number>(correctedPersons);
  let scope = '';
  for (const person of people) {
    for (const r of person) {
      if (Number.isNaN(records.personId[r]!)) continue;
      oldPersons.add(records.personId[r]!);
      scope += copyLine([records.batch[r]!, records.row[r]!]);
    }
  }
  let changedText = '';
  for (let r = 0; r < records.count; r++) {
    if (changed[r] === 1 && !Number.isNaN(records.personId[r]!)) changedText += copyLine([records.batch[r]!, records.row[r]!]);
  }
  if (oldPersons.size === 0) return { all: false, persons: 0, doses: 0 }; // only new records: nothing of theirs is stored yet

  await tx.query('create temporary table link_scope (batch_id integer, row_number integer) on commit drop');
  await tx.query('create temporary table link_reopened (batch_id integer, row_number integer) on commit drop');
  await tx.copy('link_scope', ['batch_id', 'row_number'], scope);
  await tx.copy('link_reopened', ['batch_id', 'row_number'], changedText);
  const ids = [...oldPersons];
  const doses = await deleted(tx, 'delete from dose where person_id = any($1::bigint[])', [ids]);
  await tx.query('delete from dose_record d using link_scope s where d.batch_id = s.batch_id and d.row_number = s.row_number');
  await tx.query('delete from person_record p using link_scope s where p.batch_id = s.batch_id and p.row_number = s.row_number');
  const persons = await deleted(tx, 'delete from person where id = any($1::bigint[])', [ids]);
  await tx.query('delete from commune_hold where person_id = any($1::bigint[])', [ids]);
  await tx.query('delete from match_link l using link_reopened c where l.a_batch = c.batch_id and l.a_row = c.row_number');
  await tx.query('delete from match_link l using link_reopened c where l.b_batch = c.batch_id and l.b_row = c.row_number');
  if (correctedPersons.size > 0) {
    // Superseded records leave their person, their dose and the review queue (their links are never rescored).
    await tx.query('delete from dose_record d using record_correction c where d.batch_id = c.old_batch and d.row_number = c.old_row');
    await tx.query('delete from person_record p using record_correction c where p.batch_id = c.old_batch and p.row_number = c.old_row');
    await tx.query('delete from match_link l using record_correction c where l.a_batch = c.old_batch and l.a_row = c.old_row');
    await tx.query('delete from match_link l using record_correction c where l.b_batch = c.old_batch and l.b_row = c.old_row');
  }
  return { all: false, persons, doses };
}

/** Runs a DELETE; the rows it deleted. */
async function deleted(tx: RawTransaction, statement: string, params: unknown[]): Promise<number> {
  const [gone] = await tx.query<{ n: number }>(`with gone as (${statement} returning 1) select count(*)::int as n from gone`, params);
  return gone!.n;
}

/** Where each row came from, for the golden record's commune (golden.ts, CommuneEvidence). */
interface CommuneOrigins {
  /** The uploading station of each loaded batch that has one. */
  readonly stationOf: ReadonlyMap<number, string>;
  /** The commune of each person (by its id before this run) that a person to write held rows of. */
  readonly communeOf: ReadonlyMap<number, string>;
}

/**
 * Read before the people are cleared. Only people with a station's row need their earlier commune: the
 * rule is about stations, and files imported without one (the bench, the CLI) skip the lookup.
 */
async function communeOrigins(tx: RawTransaction, records: LoadedRecords, people: PeopleRows): Promise<CommuneOrigins> {
  const stationOf = new Map<number, string>();
  for (const b of await tx.query<{ id: number; station_code: string }>(`select id, station_code from batch where status = 'loaded' and station_code is not null`)) {
    stationOf.set(b.id, b.station_code);
  }
  const communeOf = new Map<number, string>();
  if (stationOf.size === 0) return { stationOf, communeOf };
  const earlier = new Set<number>();
  for (const members of people) {
    if (!members.some((r) => stationOf.has(records.batch[r]!))) continue;
    for (const r of members) if (!Number.isNaN(records.personId[r]!)) earlier.add(records.personId[r]!);
  }
  if (earlier.size === 0) return { stationOf, communeOf };
  const rows = await tx.query<{ id: string; commune_code: string }>(
    'select id::text as id, commune_code from person where id = any($1::bigint[]) and commune_code is not null',
    [[...earlier]],
  );
  for (const p of rows) communeOf.set(Number(p.id), p.commune_code);
  return { stationOf, communeOf };
}

/** The evidence of one person's rows: their stations, and the commune most of them had their person in. */
function communeEvidence(records: LoadedRecords, members: readonly number[], origins: CommuneOrigins): CommuneEvidence | undefined {
  const stations = members.map((r) => origins.stationOf.get(records.batch[r]!) ?? null);
  if (stations.every((s) => s === null)) return undefined;
  const votes = new Map<string, number>();
  let previous: string | null = null;
  for (const r of members) {
    const commune = origins.communeOf.get(records.personId[r]!);
    if (commune === undefined) continue;
    const n = (votes.get(commune) ?? 0) + 1;
    votes.set(commune, n);
    if (previous === null || n > votes.get(previous)!) previous = commune;
  }
  return { stations, previous };
}

/**
 * The COPY writers of one write step, each sending a table's rows a chunk of COPY_CHUNK characters at a
 * time. Overlapped: the next chunk is built while the database takes this one (the writers' chunks queue on
 * the transaction's one connection, each writer with at most one in flight), so the golden records are
 * chosen on one core while the server stores and indexes on the other.
 */
class CopyWriters {
  readonly #tx: RawTransaction;
  readonly #copies: ChunkedCopy[] = [];
  /** The first chunk that failed: the error to report, since every statement after it fails only with "transaction aborted". */
  #failed: { readonly error: unknown } | null = null;

  constructor(tx: RawTransaction) {
    this.#tx = tx;
  }

  to(table: string, columns: readonly string[]): ChunkedCopy {
    const send = (text: string, sent: () => void) =>
      this.#tx.copy(table, columns, text, sent).catch((error: unknown) => {
        this.#failed ??= { error };
        throw error;
      });
    const copy = new ChunkedCopy(send, { maxChars: COPY_CHUNK, overlap: true });
    this.#copies.push(copy);
    return copy;
  }

  /** Runs `write`, then sends every writer's rest; after a failure, waits for the chunks in flight and rethrows the first. */
  async run<T>(write: () => Promise<T>): Promise<T> {
    try {
      const result = await write();
      for (const copy of this.#copies) await copy.end();
      return result;
    } catch (error) {
      await Promise.all(this.#copies.map((copy) => copy.settled()));
      throw this.#failed?.error ?? error;
    }
  }
}

const PERSON_COLUMNS = ['id', 'link_run_id', 'full_name', 'birth_date', 'sex', 'citizen_id', 'phone', 'commune_code', 'address', 'sources'];
const DOSE_COLUMNS = ['id', 'person_id', 'vaccine_code', 'vaccination_date', 'dose_number', 'conflicts', 'commune_current', 'commune_old', 'facility_code'];

/**
 * The least value (in code-unit order) of `value` over a dose's rows, nulls aside: where the dose was given
 * when its rows disagree, one choice the reports apply everywhere.
 */
function least(rows: readonly number[], value: (row: number) => string | null): string | null {
  let found: string | null = null;
  for (const r of rows) {
    const v = value(r);
    if (v !== null && (found === null || v < found)) found = v;
  }
  return found;
}

/** Fresh ids from a table's sequence, reserved a range at a time. */
function idSource(tx: RawTransaction, table: 'person' | 'dose') {
  let next = 0;
  let left = 0;
  return async (count: number): Promise<number> => {
    if (count > left) {
      const size = Math.max(count, 10_000);
      next = await reserveIds(tx, table, size);
      left = size;
    }
    const first = next;
    next += count;
    left -= count;
    return first;
  };
}

/**
 * Writes each person (golden record), its records, its doses and their rows. Ids survive the run where
 * the same rows, or most of them, come out together (stable-ids.ts).
 */
async function writePeople(
  tx: RawTransaction,
  runId: number,
  records: LoadedRecords,
  people: PeopleRows,
  origins: CommuneOrigins,
  inherited: SupersededLinks['inherited'],
): Promise<Counts & { doseConflicts: number; communeHolds: number }> {
  // A correcting row claims the ids its predecessor had (it has none of its own yet).
  const previousPerson = (r: number) =>
    Number.isNaN(records.personId[r]!) ? (inherited.size === 0 ? null : (inherited.get(`${records.batch[r]}:${records.row[r]}`)?.person ?? null)) : records.personId[r]!;
  const previousDose = (r: number) =>
    Number.isNaN(records.doseId[r]!) ? (inherited.size === 0 ? null : (inherited.get(`${records.batch[r]}:${records.row[r]}`)?.dose ?? null)) : records.doseId[r]!;
  const inheritedIds = [...inherited.values()];
  const personIds = keepIds(people, previousPerson, ClaimedIds.spanning(records.personId, inheritedIds.map((i) => i.person)));
  const freshPerson = idSource(tx, 'person');
  const freshDose = idSource(tx, 'dose');
  const takenDoses = ClaimedIds.spanning(records.doseId, inheritedIds.map((i) => i.dose));
  const writers = new CopyWriters(tx);
  const persons = writers.to('person', PERSON_COLUMNS);
  const personRecords = writers.to('person_record', ['batch_id', 'row_number', 'person_id']);
  const doses = writers.to('dose', DOSE_COLUMNS);
  const doseRecords = writers.to('dose_record', ['batch_id', 'row_number', 'dose_id']);
  const holds = writers.to('commune_hold', ['person_id', 'link_run_id', 'kept', 'proposed', 'station_code', 'rows']);
  let doseConflicts = 0;
  let communeHolds = 0;
  let dosesWritten = 0;

  await writers.run(async () => {
    for (let p = 0; p < people.length; p++) {
      const members = people.members(p);
      const personId = personIds[p] ?? (await freshPerson(1));
      const person = personLine(personId, runId, records, members, communeEvidence(records, members, origins));
      if (persons.add(person.line)) await persons.flush();
      if (person.hold !== null) {
        communeHolds++;
        if (holds.add(person.hold)) await holds.flush();
      }
      for (const r of members) personRecords.add(copyLine([records.batch[r]!, records.row[r]!, personId]));
      if (personRecords.full) await personRecords.flush();

      const groups = groupDoses(members.map((r, i) => doseRowOf(records, r, i)));
      const kept = keepIds(groups.map((g) => g.rows.map((i) => members[i]!)), previousDose, takenDoses);
      let fresh = await freshDose(kept.filter((id) => id === null).length);
      for (let d = 0; d < groups.length; d++) {
        const group = groups[d]!;
        const doseId = kept[d] ?? fresh++;
        dosesWritten++;
        if (group.conflicts.length > 0) doseConflicts++;
        const rows = group.rows.map((i) => members[i]!);
        const place = [least(rows, (r) => recordAt(records, r).commune), least(rows, (r) => records.communeOld.at(r)), least(rows, (r) => records.facility.at(r))];
        if (doses.add(copyLine([doseId, personId, group.vaccine, group.date, group.doseNumber, textArrayLiteral(group.conflicts), ...place]))) await doses.flush();
        for (const i of group.rows) doseRecords.add(copyLine([records.batch[members[i]!]!, records.row[members[i]!]!, doseId]));
      }
      if (doseRecords.full) await doseRecords.flush();
    }
  });
  return { persons: people.length, doses: dosesWritten, doseConflicts, communeHolds };
}

/** A person's row (its golden record, with the rows behind each value), and its held commune move if any. */
function personLine(
  id: number,
  runId: number,
  records: LoadedRecords,
  members: readonly number[],
  evidence: CommuneEvidence | undefined,
): { line: string; hold: string | null } {
  const golden = goldenRecord(members.map((r) => recordAt(records, r)), evidence);
  const v = golden.values;
  const ref = (i: number) => `${records.batch[members[i]!]}:${records.row[members[i]!]}`;
  const sources: Record<string, string[]> = {};
  for (const [field, indexes] of Object.entries(golden.sources)) sources[field] = indexes.map(ref);
  const line = copyLine([id, runId, v.full_name, v.birth_date, v.sex, v.citizen_id, v.phone, v.commune, v.address, JSON.stringify(sources)]);
  const h = golden.communeHold;
  return { line, hold: h === null ? null : copyLine([id, runId, h.kept, h.proposed, h.station, textArrayLiteral(h.rows.map(ref))]) };
}

const MATCH_LINK_COLUMNS = ['link_run_id', 'a_batch', 'a_row', 'b_batch', 'b_row', 'weight', 'probability', 'status', 'reason'];

/**
 * The run's links. Of the accepted ones only those that joined two clusters are kept: they explain every
 * merge, and the rest (several times as many on real data) would only repeat them. Every link touches a
 * changed record (the others were scored by an earlier run and are still stored).
 */
async function writeLinks(tx: RawTransaction, runId: number, records: LoadedRecords, match: MatchOutcome): Promise<void> {
  const writers = new CopyWriters(tx);
  const out = writers.to('match_link', MATCH_LINK_COLUMNS);
  const { batch, row, rowOf } = records;
  const add = async (status: 'accepted' | 'review' | 'vetoed', links: Iterable<Link>) => {
    for (const link of links) {
      const a = rowOf[link.a]!;
      const b = rowOf[link.b]!;
      const line = copyLine([runId, batch[a]!, row[a]!, batch[b]!, row[b]!, link.weight, link.probability, status, link.reason ?? null]);
      if (out.add(line)) {
        await out.flush();
      }
    }
  };
  await writers.run(async () => {
    await add('accepted', match.joined);
    await add('review', match.review);
    await add('vetoed', match.vetoed);
  });
}

/** Pending decisions the run read are applied now (one changed since it read them stays pending). */
async function markDecisionsApplied(tx: RawTransaction, runId: number, decisions: readonly StoredDecision[]): Promise<void> {
  const pending = decisions.filter((d) => d.applied_run === null);
  if (pending.length === 0) return;
  await tx.query(
    `update review_decision d set applied_run = $1
       from unnest($2::int[], $3::int[], $4::int[], $5::int[], $6::text[]) as p(a_batch, a_row, b_batch, b_row, decision)
       where d.applied_run is null and (d.a_batch, d.a_row, d.b_batch, d.b_row, d.decision) = (p.a_batch, p.a_row, p.b_batch, p.b_row, p.decision)`,
    [
      runId,
      pending.map((d) => d.a_batch),
      pending.map((d) => d.a_row),
      pending.map((d) => d.b_batch),
      pending.map((d) => d.b_row),
      pending.map((d) => d.decision),
    ],
  );
}

async function unchangedSummary(
  tx: RawTransaction,
  records: { readonly total: number; readonly quarantined: number },
  previous: LastRun | undefined,
  seconds: Record<string, number>,
): Promise<LinkSummary> {
  const totals = await peopleAndDoses(tx, previous, { all: false, persons: 0, doses: 0 }, { persons: 0, doses: 0 });
  return {
    runId: previous?.id ?? null,
    mode: 'incremental',
    records: records.total,
    changed: 0,
    quarantined: records.quarantined,
    persons: totals.persons,
    doses: totals.doses,
    personsWritten: 0,
    pairsCompared: 0,
    accepted: 0,
    review: 0,
    vetoed: 0,
    doseConflicts: 0,
    communeHolds: 0,
    warnings: [],
    seconds,
  };
}
