/**
 * Why a pair is in the review queue, in Vietnamese, and which pairs belong together (issue 16 item 5).
 *
 * The reason is built from the comparison levels' outcomes, not from their weights: the agreements first
 * ("Tên gần giống (lệch một ký tự), ngày sinh trùng, cùng CCCD"), then what disagrees ("— nhưng số điện
 * thoại khác"), each level's Vietnamese label as comparisons.ts defines it; weights only order the phrases.
 * A hard rule's reason comes first, in the words of the rules' catalogue (rules.ts RULE_REASONS).
 *
 * A cluster is a connected group of the listed pairs (records joined through shared records): the three
 * rows of one person make three pairs and one cluster, decided at once.
 */
import { ruleReasonVi, scorePair, vetoOf, type LevelScore } from '../../matchers/index.js';
import type { Database } from '../db/database.js';
import { LinkError } from './errors.js';
import { lastModel } from './explain.js';
import { loadRows, toMatchRecord, type RecordRef } from './rows.js';

/** The sentence for one pair's levels (and hard rule, in Vietnamese), or null when nothing is known. */
export function reasonVi(levels: readonly LevelScore[], ruleVi: string | null): string | null {
  const known = levels.filter((l) => l.labelVi !== null);
  const phrases = (list: readonly LevelScore[]) => list.map((l) => l.labelVi!).join(', ');
  const agree = phrases([...known.filter((l) => l.weight > 0)].sort((x, y) => y.weight - x.weight));
  const disagree = phrases([...known.filter((l) => l.weight < 0)].sort((x, y) => x.weight - y.weight));
  const sentence = [agree, disagree && (agree ? `nhưng ${disagree}` : disagree)].filter(Boolean).join(' — ');
  const capital = (text: string) => text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
  const parts = [ruleVi ? `Quy tắc: ${ruleVi}` : null, sentence ? capital(sentence) : null].filter((p): p is string => p !== null);
  return parts.length === 0 ? null : parts.join('. ');
}

const refOf = (text: string): RecordRef => {
  const [batch, row] = text.split(':').map(Number) as [number, number];
  return { batch, row };
};

/** Per pair (`a/b`), its Vietnamese reason; pairs whose records are gone are left out. */
export async function queueReasons(
  database: Database,
  items: readonly { readonly a: string; readonly b: string; readonly reason: string | null }[],
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  if (items.length === 0) return out;
  let model;
  try {
    ({ model } = await lastModel(database));
  } catch (error) {
    // A model that no longer fits (link.stale_model) still leaves the queue readable, without reasons.
    if (error instanceof LinkError) return out;
    throw error;
  }
  const refs = [...new Set(items.flatMap((i) => [i.a, i.b]))].map(refOf);
  const rows = new Map((await loadRows(database, refs)).map((r) => [`${r.batch_id}:${r.row_number}`, r]));
  for (const item of items) {
    const ra = rows.get(item.a);
    const rb = rows.get(item.b);
    if (!ra || !rb) continue;
    const ma = toMatchRecord(ra, 0);
    const mb = toMatchRecord(rb, 1);
    const stored = item.reason === null ? null : ruleReasonVi(item.reason);
    const veto = stored === null ? vetoOf(ma, mb) : null;
    out.set(`${item.a}/${item.b}`, reasonVi(scorePair(ma, mb, model).levels, stored ?? (veto ? ruleReasonVi(veto.reason) : null)));
  }
  return out;
}

/** Each pair's cluster: the index (in the list) of the first pair of its connected group. */
export function clustersOf(items: readonly { readonly a: string; readonly b: string }[]): number[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  for (const { a, b } of items) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  }
  const first = new Map<string, number>();
  return items.map((item, i) => {
    const root = find(item.a);
    if (!first.has(root)) first.set(root, i);
    return first.get(root)!;
  });
}
