/**
 * An incremental link at the cost of what changed (issue 17 item 2): instead of loading every known record
 * to block the new ones, the run reads from `link_key` (migrations/0018_link_key.ts) only the blocks its
 * changed records fall into, by indexed look-ups, and loads those records, the whole people they belong to,
 * and the records the reviewers' decisions name. The matcher then sees every pair it would have seen with
 * the whole history loaded, in the same order, so the people, doses and review queue come out the same:
 *
 * - a pair is proposed only when it holds a changed record, and every block holding a changed record is
 *   loaded whole, unless it is over its cap, which is decided on its size counted in `link_key` (so also
 *   whether two records share a block of an earlier rule, and on which rules a pair agrees);
 * - records keep their order (batch, row), so blocks, pairs, ties and cluster numbers keep theirs;
 * - a person is loaded whole or not at all, so a person the run touches is rewritten from all its rows, and
 *   a person it does not touch is left as it is;
 * - term frequencies are the last run's counts (in its stored model) plus the values of the new records,
 *   minus those of records a correction replaced;
 * - the twins' rule (matchers/rules.ts, twinsPreNaming) reads the records of one guardian and birth day
 *   together: those of every loaded record's key are read from `link_key` too.
 *
 * `link_key` is kept in step by every run that reads it: added to and removed from by the run itself, after
 * being rewritten whole, a slice of records at a time, when the last run left it stale (a full one, or one
 * that loaded everything: link.ts, keyLastRun); `link_block`, each block's size
 * (migrations/0020_link_block.ts), with it.
 */
import { sql } from 'kysely';
import {
  DEFAULT_RECORD_RULES,
  hashKey,
  tfTableOfCounts,
  tfValue,
  twinsKey,
  type BlockingOptions,
  type BlockingRule,
  type LinkSettings,
  type PreparedRecord,
  type RecordList,
  type TfTables,
} from '../../matchers/index.js';
import { BinaryCopy } from '../base/copy.js';
import { Hash64Table } from '../base/hash64-table.js';
import { HASH64, hash64 } from '../base/string-hash.js';
import type { Database, RawTransaction } from '../db/database.js';
import { withIndexesRebuilt } from '../db/rebuilt-indexes.js';
import { RefDigest } from './ref-digest.js';
import { CURRENT, eachLinkedRecords, loadedBatches, loadRecords, type LoadedRecords, type LoadPaging } from './rows.js';

/**
 * Said by a run whose `link_key` holds its records' keys (link_run.details.keyed): the rules' names, and a
 * version to raise whenever a key's text changes (normalisation, a rule's key function), so that the next
 * run rewrites the table instead of reading stale keys.
 */
const KEYS_VERSION = 1;

export function keysFingerprint(rules: readonly BlockingRule[]): string {
  return `${KEYS_VERSION}:${rules.map((r) => r.name).join(',')}`;
}

/** The `rule` of the twins' key in link_key (blocking rules are 0, 1, …). */
const TWINS_RULE = -1;

/** Bytes a chunk of keys' COPY (some 7,300 rows of link_key, 36 bytes each). */
const COPY_CHUNK = 1 << 18;

/**
 * A key's text as a signed 64-bit integer (decimal text): two 32-bit FNV-1a hashes of its UTF-16 code
 * units with different offsets: what blocking names a block by (matchers/blocking.ts assignBlocks), so a
 * night's blocks are the full run's. Two keys of one rule sharing a hash would be one block (a few in a
 * million for ten million distinct keys of a rule: hash64).
 */
export function keyHash(key: string): string {
  hash64(key);
  return hashText(HASH64[0]!, HASH64[1]!);
}

/**
 * The decimal text of high·2³² + low (a signed 64-bit integer) — the value link_key holds, as the
 * database returns it — without BigInt (eight times slower): high·2³² = high·42949·10⁵ + high·67296,
 * each part exact.
 */
export function hashText(high: number, low: number): string {
  let top = high * 42949;
  let rest = high * 67296 + low;
  const carry = Math.floor(rest / 100_000);
  top += carry;
  rest -= carry * 100_000;
  // value = top·10⁵ + rest, 0 ≤ rest < 10⁵
  if (top >= 0) return top === 0 ? String(rest) : `${top}${String(rest).padStart(5, '0')}`;
  if (rest === 0) return `${top}00000`;
  const t = -top - 1;
  const r = 100_000 - rest;
  return t === 0 ? `-${r}` : `-${t}${String(r).padStart(5, '0')}`;
}

/** Each key of a prepared record hashed (rule, and the hash's words as in HASH64); the twins' key last. */
function keysOf(record: PreparedRecord, rules: readonly BlockingRule[], out: (rule: number, high: number, low: number) => void): void {
  for (let k = 0; k < rules.length; k++) {
    if (hashKey(rules[k]!, record)) out(k, HASH64[0]!, HASH64[1]!);
  }
  const twins = twinsKey(record);
  if (twins !== null) {
    hash64(twins);
    out(TWINS_RULE, HASH64[0]!, HASH64[1]!);
  }
}

/**
 * A writer of key rows in COPY's binary format: a hash goes as its two 32-bit words, where text cost Node a
 * decimal string a key (hashText) and the server parsing it back.
 */
function keyCopy(tx: RawTransaction, table: string, columns: readonly string[] = ['rule', 'key', 'batch_id', 'row_number']): BinaryCopy {
  // Overlapped: the keys of the next chunk are hashed while the database takes this one (nothing else uses
  // the transaction's connection meanwhile).
  return new BinaryCopy((data, sent) => tx.copy(table, columns, data, sent), { maxBytes: COPY_CHUNK, overlap: true });
}

/** Writes each key of `record`, at (batch, row), to `out`. */
function writeKeys(out: BinaryCopy, record: PreparedRecord, rules: readonly BlockingRule[], batch: number, row: number): void {
  keysOf(record, rules, (rule, high, low) => out.row(4).int16(rule).int64(high, low).int32(batch).int32(row));
}

async function copyKeys(tx: RawTransaction, table: string, records: LoadedRecords, rules: readonly BlockingRule[], only?: (r: number) => boolean): Promise<void> {
  const out = keyCopy(tx, table);
  const { rowOf, matchable, batch, row } = records;
  for (let k = 0; k < matchable.length; k++) {
    const r = rowOf[k]!;
    if (only && !only(r)) continue;
    writeKeys(out, matchable.at(k)!, rules, batch[r]!, row[r]!);
    if (out.full) await out.flush();
  }
  await out.end();
}

/**
 * Rewrites link_key from the records the last run linked (what the last run would have left there, had it
 * written them: a full run does not), or from those of the run under way (`running`: its batches; see
 * eachLinkedRecords), read a slice at a time, its index built after its rows, and empties link_block:
 * countBlocks fills it again, best once link_key has been vacuumed. Resolves to the digest of the records
 * whose keys were written.
 */
export async function rewriteLinkedKeys(
  tx: RawTransaction,
  rules: readonly BlockingRule[],
  lap: (step: string) => void = () => {},
  paging?: LoadPaging,
  running?: readonly number[],
): Promise<RefDigest> {
  await tx.query('truncate link_key, link_block');
  const digest = new RefDigest();
  await withIndexesRebuilt(tx, ['link_key'], async () => {
    const out = keyCopy(tx, 'link_key');
    await eachLinkedRecords(
      tx,
      async (records, batch, row) => {
        for (let k = 0; k < records.length; k++) {
          writeKeys(out, records.at(k)!, rules, batch[k]!, row[k]!);
          digest.add(batch[k]!, row[k]!);
          if (out.full) await out.flush();
        }
      },
      paging,
      running,
    );
    await out.end();
    lap('keys.write');
  });
  lap('keys.index');
  return digest;
}

/**
 * The next run reads its blocks' members from link_key's index alone only where the visibility map says the
 * table's pages hold no row a transaction might not see: a table just filled has none so marked, and every
 * index entry then costs a visit to its row (the 50,000-row night against 10M rows read its blocks in 43.0 s
 * before a vacuum, 4.2 s after). Outside a transaction (VACUUM cannot run in one); after a night's few
 * hundred thousand keys it visits only their pages.
 */
export async function vacuumKeys(database: Database): Promise<void> {
  await sql`vacuum link_key`.execute(database.db);
}

/**
 * Writes link_block anew from link_key. Counted in block order from link_key's index alone, once a vacuum
 * has marked the table's pages all-visible: no hash table of every block, which at work_mem's size spilled
 * to disk, and link_block's rows arrive in its primary key's order (at a million rows, 16.4 million keys:
 * 3.3 s and 0.6 s for its index, where a hash aggregate of the table took 7–8.5 s and its index 1.1–1.4).
 * Without the vacuum (rows written in the same transaction) the index-only scan visits the heap for every
 * entry, and the hash aggregate is the faster: the planner sees which from the statistics taken here.
 */
export async function countBlocks(tx: RawTransaction): Promise<void> {
  await tx.query('truncate link_block');
  await tx.query('analyze link_key');
  await withIndexesRebuilt(tx, ['link_block'], () => tx.query('insert into link_block select rule, key, count(*)::int from link_key group by rule, key'));
  await tx.query('analyze link_block');
}

/**
 * link_key written anew and link_block counted from it, as both writers do it (a night's keyLastRun,
 * src/link/link.ts, and the worker beside a full link, src/link/background-keys-worker.ts): `write` writes
 * the keys in a first transaction (undefined: nothing to write, and nothing more is done); link_key is then
 * vacuumed (VACUUM runs in no transaction) so that countBlocks can read its index alone, and `count` counts
 * link_block in a second transaction (countBlocks, with what the caller must do in the same transaction).
 * `allVisible`: whether the vacuum marked every page of link_key all-visible (it cannot while an older
 * snapshot may still need its rows unseen).
 */
export async function writeKeysAndBlocks<T>(
  database: Database,
  write: (tx: RawTransaction) => Promise<T | undefined>,
  count: (tx: RawTransaction, written: T) => Promise<void>,
  lap: (step: string) => void,
): Promise<{ readonly written: T; readonly allVisible: boolean } | undefined> {
  const written = await database.withTransaction(write);
  if (written === undefined) return undefined;
  lap('keys.commit');
  await vacuumKeys(database);
  lap('keys.vacuum');
  // Read before countBlocks, whose ANALYZE would set relallvisible again.
  const allVisible = await database.withTransaction(async (tx) => {
    const [pages] = await tx.query<{ all_visible: boolean }>(`select relallvisible >= relpages as all_visible from pg_class where oid = 'link_key'::regclass`);
    await count(tx, written);
    return pages!.all_visible;
  });
  lap('keys.blocks');
  return { written, allVisible };
}

/** What a stored decision names. */
interface DecisionRefs {
  readonly a_batch: number;
  readonly a_row: number;
  readonly b_batch: number;
  readonly b_row: number;
  readonly applied_run: number | null;
}

export interface ScopedRecords {
  /** The records this run reads, in (batch, row) order, as if they were all there are. */
  readonly records: LoadedRecords;
  /** 1 for each loaded row this run links anew (changedRows in link.ts, over the whole history). */
  readonly changed: Uint8Array;
  /** Records and quarantined ones of the loaded batches, all of them (for the summary). */
  readonly total: number;
  readonly quarantined: number;
  /** Term frequencies over all current records. */
  readonly tf: TfTables;
  /** Each block's size over all records, for the blocks of the changed records. */
  readonly blockSize: NonNullable<BlockingOptions['blockSize']>;
  /** The record rules, built from the records they need (every loaded record's twins' key, whole). */
  readonly recordRules: NonNullable<LinkSettings['recordRules']>;
  /**
   * The new records' keys (link_new_key) being added to link_key on the server while the run goes on: to be awaited
   * before the run ends (its error is the run's), best after matching, which it overlaps.
   */
  readonly keysAdded: Promise<void>;
}

const refKey = (batch: number, row: number) => batch * 0x1_0000_0000 + row;

/**
 * Loads what an incremental run needs, and brings link_key in step (new records' keys added, replaced
 * records' keys removed): see the top of this file. `previousTf`: the term frequencies of the last run's model.
 */
export async function loadChangedScope(
  tx: RawTransaction,
  rules: readonly BlockingRule[],
  maxBlockSize: number,
  previousTf: TfTables,
  decisions: readonly DecisionRefs[],
  correctedPersons: ReadonlySet<number>,
  lap: (step: string) => void = () => {},
): Promise<ScopedRecords> {
  const q = tx.query;
  const batches = await loadedBatches(q);
  for (const table of ['link_changed', 'link_reach', 'link_twins', 'link_gone']) {
    await q(`create temporary table ${table} (batch_id integer, row_number integer, primary key (batch_id, row_number)) on commit drop`);
  }
  // What the run loads, each record with its person (null: none yet), found on the way (see load.people).
  await q('create temporary table link_load (batch_id integer, row_number integer, person_id bigint, primary key (batch_id, row_number)) on commit drop');
  await q('create temporary table link_probe (rule smallint, key bigint, primary key (rule, key)) on commit drop');
  for (const table of ['link_gone_key', 'link_new_key']) {
    await q(`create temporary table ${table} (rule smallint, key bigint, batch_id integer, row_number integer) on commit drop`);
  }

  // Changed: the records of batches no run has linked yet (a run links every row of the batches it reads),
  // and every current row of a person a pending decision or a correction reopened. The new batches are
  // listed first, so that their rows are read by the record index alone: as one query, the planner scanned
  // every record of the history to find them (2 s at ten million rows).
  const unlinked = (
    await q<{ id: number }>(
      `select b.id from batch b where b.id = any($1::int[]) and not exists (select 1 from person_record p where p.batch_id = b.id)`,
      [batches],
    )
  ).map((b) => b.id);
  await q(
    `insert into link_changed
     select r.batch_id, r.row_number from record r
     where r.batch_id = any($1::int[])
       and ${CURRENT}
       and not exists (select 1 from person_record p where p.batch_id = r.batch_id and p.row_number = r.row_number)`,
    [unlinked],
  );
  const pending = decisions.filter((d) => d.applied_run === null);
  const reopened = new Set<number>(correctedPersons);
  if (pending.length > 0) {
    const persons = await q<{ person_id: string }>(
      `select distinct p.person_id::text as person_id from person_record p
       join unnest($1::int[], $2::int[]) as d(batch_id, row_number) on p.batch_id = d.batch_id and p.row_number = d.row_number`,
      [pending.flatMap((d) => [d.a_batch, d.b_batch]), pending.flatMap((d) => [d.a_row, d.b_row])],
    );
    for (const p of persons) reopened.add(Number(p.person_id));
  }
  if (reopened.size > 0) {
    await q(
      `insert into link_changed
       select p.batch_id, p.row_number from person_record p join record r on r.batch_id = p.batch_id and r.row_number = p.row_number
       where p.person_id = any($1::bigint[]) and r.batch_id = any($2::int[]) and ${CURRENT}
       on conflict do nothing`,
      [[...reopened], batches],
    );
  }
  await q('analyze link_changed');
  const changedRecords = await loadRecords(tx, { table: 'link_changed' });
  lap('load.changed');

  // Records a correction replaced since the last run leave link_key and the term frequencies (the last run
  // linked them: they still have their person, which this run removes).
  await q(
    `insert into link_gone
     select c.old_batch, c.old_row from record_correction c
     join person_record p on p.batch_id = c.old_batch and p.row_number = c.old_row
     on conflict do nothing`,
  );
  const gone = await loadRecords(tx, { table: 'link_gone', superseded: true });
  await copyKeys(tx, 'link_gone_key', gone, rules);
  await q('analyze link_gone_key');
  // link_block follows link_key: each block loses the rows deleted from it and gains the rows added.
  await q(
    `with gone as (
       delete from link_key l using link_gone_key g
       where l.rule = g.rule and l.key = g.key and l.batch_id = g.batch_id and l.row_number = g.row_number
       returning l.rule, l.key
     ),
     counted as (select rule, key, count(*)::int as n from gone group by rule, key),
     emptied as (
       delete from link_block b using counted c where b.rule = c.rule and b.key = c.key and b.size <= c.n returning b.rule
     )
     update link_block b set size = b.size - c.n from counted c where b.rule = c.rule and b.key = c.key and b.size > c.n`,
  );
  // New records' keys are counted into their blocks' sizes now, and added to link_key once the blocks'
  // members are read (the end of this function): the new records are loaded anyway, and rows added by this
  // transaction would cost each index-only read of their blocks a visit to the table.
  await copyKeys(tx, 'link_new_key', changedRecords, rules, (r) => Number.isNaN(changedRecords.personId[r]!));
  // In key order, as link_block's rows and index lie (countBlocks wrote them so): its pages are visited
  // in turn, not at random (at ten million rows 1.8 s instead of 2.4–3.8, 101,000 pages read instead of
  // 163,000). The sizes' look-ups below go in key order for the same reason.
  await q(
    `insert into link_block select rule, key, count(*)::int from link_new_key group by rule, key order by rule, key
     on conflict (rule, key) do update set size = link_block.size + excluded.size`,
  );
  lap('load.keys');

  const counts = {
    name: new Map(previousTf.name.counts),
    given: new Map(previousTf.given.counts),
  };
  const count = (records: LoadedRecords, delta: 1 | -1, only: (r: number) => boolean) => {
    for (let k = 0; k < records.matchable.length; k++) {
      if (!only(records.rowOf[k]!)) continue;
      const record = records.matchable.at(k)!;
      for (const field of ['name', 'given'] as const) {
        const value = tfValue(field, record);
        if (value === null) continue;
        const n = (counts[field].get(value) ?? 0) + delta;
        if (n === 0) counts[field].delete(value);
        else counts[field].set(value, n);
      }
    }
  };
  count(changedRecords, 1, (r) => Number.isNaN(changedRecords.personId[r]!));
  count(gone, -1, () => true);
  const tf: TfTables = { name: tfTableOfCounts(counts.name), given: tfTableOfCounts(counts.given) };

  // The blocks of the changed records: their sizes, and the members of those within their cap.
  const probes = keyCopy(tx, 'link_probe', ['rule', 'key']);
  // A night's blocks by rule, each with its size over all records once known: looked up for every block of
  // a million records' keys, so held by their hashes' words, never as texts.
  const sizes = rules.map(() => new Hash64Table());
  for (const record of changedRecords.matchable) {
    for (let k = 0; k < rules.length; k++) {
      if (!hashKey(rules[k]!, record) || !sizes[k]!.add(HASH64[0]!, HASH64[1]!)) continue;
      probes.row(2).int16(k).int64(HASH64[0]!, HASH64[1]!);
      if (probes.full) await probes.flush();
    }
  }
  await probes.end();
  await q('analyze link_probe');
  // One look-up per block (link_block), not a count of its entries: the commonest blocks would cost more
  // every night as the history grew. A scalar subquery per probe is an index look-up whatever the planner
  // estimates: as a join it chose to scan the whole of link_block (4 s at ten million rows). The key comes
  // as its two words too (the low one unsigned), as the blocks are named in Node.
  const capOf = (k: number) => Math.min(maxBlockSize, rules[k]!.maxBlockSize ?? Number.POSITIVE_INFINITY);
  const over: { rule: number[]; key: string[] } = { rule: [], key: [] };
  for (const b of await q<{ rule: number; key: string; high: number; low: number; n: number | null }>(
    `select p.rule, p.key::text as key, (p.key >> 32)::int4 as high, (p.key & 4294967295)::float8 as low,
       (select b.size from link_block b where b.rule = p.rule and b.key = p.key) as n
     from link_probe p order by p.rule, p.key`,
  )) {
    if (b.n === null) continue;
    sizes[b.rule]!.set(b.high, b.low, b.n);
    if (b.n < 2 || b.n > capOf(b.rule)) {
      over.rule.push(b.rule);
      over.key.push(b.key);
    }
  }
  if (over.rule.length > 0) {
    await q(`delete from link_probe p using unnest($1::smallint[], $2::bigint[]) as o(rule, key) where p.rule = o.rule and p.key = o.key`, [
      over.rule,
      over.key,
    ]);
  }
  lap('load.sizes');
  // The records the run reaches first: the changed ones, the members of their blocks and those the
  // reviewers' decisions name (their pairs are decided whatever the blocks).
  await q('insert into link_reach select batch_id, row_number from link_changed');
  // The probes in key order, and the members added in (batch, row) order, as link_load is filled below:
  // link_key's index was built in key order, and record, person_record and dose_record lie in (batch, row)
  // order, so every look-up from here on (the people, the records' COPY) goes through those tables front to
  // back instead of at random. At ten million rows the blocks' look-ups took 1.6 s instead of 4, the
  // people's 2 s instead of 4.6–6.2 (82,000 pages read instead of 940,000), and the COPY's walk of
  // link_load itself 0.4 s instead of 1.5.
  await q(
    `insert into link_reach select distinct l.batch_id, l.row_number
     from (select rule, key from link_probe order by rule, key) p
     join link_key l on l.rule = p.rule and l.key = p.key
     order by 1, 2
     on conflict do nothing`,
  );
  if (decisions.length > 0) {
    await q(
      `insert into link_reach select distinct * from unnest($1::int[], $2::int[]) on conflict do nothing`,
      [decisions.flatMap((d) => [d.a_batch, d.b_batch]), decisions.flatMap((d) => [d.a_row, d.b_row])],
    );
  }
  await q('analyze link_reach');
  lap('load.blocks');
  // Every person of those records, whole, each row with its person: their ids gathered by one look-up per
  // record, then their rows by the person index (an array of ids is looked up, never joined: joined, the
  // planner scanned the whole of person_record twice, 10 s at ten million rows); and the records reached
  // that have no person yet. The two are apart (a row has one person), so no row is looked up in link_load
  // to leave it out, and the records' COPY reads each row's person here instead of looking it up again.
  await q(
    `with reached as materialized (
       select s.batch_id, s.row_number, p1.person_id
       from (select batch_id, row_number from link_reach order by batch_id, row_number) s
       left join lateral (select p1.person_id from person_record p1
                          where p1.batch_id = s.batch_id and p1.row_number = s.row_number limit 1) p1 on true
     )
     insert into link_load
     select * from (
       select p2.batch_id, p2.row_number, p2.person_id from person_record p2
       where p2.person_id = any((select array_agg(distinct person_id) from reached where person_id is not null)::bigint[])
       union all
       select batch_id, row_number, null from reached where person_id is null
     ) l order by 1, 2`,
  );
  lap('load.people');
  const records = await loadRecords(tx, { table: 'link_load', persons: true });
  lap('load.records');

  const changedRefs = new Set<number>();
  for (let r = 0; r < changedRecords.count; r++) changedRefs.add(refKey(changedRecords.batch[r]!, changedRecords.row[r]!));
  const changed = new Uint8Array(records.count);
  for (let r = 0; r < records.count; r++) if (changedRefs.has(refKey(records.batch[r]!, records.row[r]!))) changed[r] = 1;

  // The twins' rule reads every record of a guardian and birth day that any loaded record has.
  const twins = new Set<string>();
  for (const record of records.matchable) {
    const key = twinsKey(record);
    if (key !== null) twins.add(keyHash(key));
  }
  let context: RecordList = records.matchable;
  if (twins.size > 0) {
    await q(
      `insert into link_twins
       select distinct l.batch_id, l.row_number from link_key l
       where l.rule = $1 and l.key = any($2::bigint[])
         and not exists (select 1 from link_load s where s.batch_id = l.batch_id and s.row_number = l.row_number)`,
      [TWINS_RULE, [...twins]],
    );
    const extra = await loadRecords(tx, { table: 'link_twins' });
    if (extra.matchable.length > 0) context = mergeByRef(records, extra);
  }

  lap('load.twins');
  // The loaded batches' records and quarantined ones as their imports counted them (a loaded batch never
  // changes), less the rows corrections have replaced since: counting the records themselves read the whole
  // record table every night (2.3 s at ten million rows).
  const [totals] = await q<{ n: string; q: string }>(
    `select (select coalesce(sum(b.row_count), 0) from batch b where b.id = any($1::int[]))
              - (select count(*) from record_correction c where c.old_batch = any($1::int[])) as n,
            (select coalesce(sum(b.quarantined_count), 0) from batch b where b.id = any($1::int[]))
              - (select count(*) from record_correction c
                 join record r on r.batch_id = c.old_batch and r.row_number = c.old_row
                 where c.old_batch = any($1::int[]) and r.quarantine_reason is not null) as q`,
    [batches],
  );
  lap('load.count');
  // Added in the index's order: each index page is visited once, in turn, instead of at random (a few
  // hundred thousand keys into an index of tens of millions). Not awaited here: PostgreSQL adds them while
  // Node matches (nothing reads link_key after this, and the transaction's next statement waits its turn),
  // where the two took turns (at a million rows 2.2-3.0 s each, a fifth of a night). PGlite, in Node's own
  // thread, runs it before or after matching instead: the same work, in turn.
  const keysAdded = q('insert into link_key select * from link_new_key order by rule, key, batch_id, row_number').then(() => {});
  keysAdded.catch(() => {}); // awaited by the caller; not unhandled meanwhile
  return {
    records,
    changed,
    total: Number(totals!.n),
    quarantined: Number(totals!.q),
    tf,
    blockSize: (rule, high, low, local) => sizes[rule]!.get(high, low, local),
    recordRules: DEFAULT_RECORD_RULES.map((build) => () => build(context)),
    keysAdded,
  };
}

/** The matchable records of both, in (batch, row) order. */
function mergeByRef(a: LoadedRecords, b: LoadedRecords): PreparedRecord[] {
  const out: PreparedRecord[] = [];
  let i = 0;
  let j = 0;
  const refOf = (x: LoadedRecords, k: number) => refKey(x.batch[x.rowOf[k]!]!, x.row[x.rowOf[k]!]!);
  while (i < a.matchable.length || j < b.matchable.length) {
    if (j >= b.matchable.length || (i < a.matchable.length && refOf(a, i) < refOf(b, j))) out.push(a.matchable.at(i++)!);
    else out.push(b.matchable.at(j++)!);
  }
  return out;
}
