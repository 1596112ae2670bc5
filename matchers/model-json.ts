/**
 * A fitted model as plain JSON, so the model of a link run can be stored with it and a pair explained
 * later with exactly the weights that decided it. Comparisons are functions: they are stored by name with
 * their level labels, and found again among the comparisons the caller passes (the defaults unless
 * settings changed them).
 *
 * m and u are arrays by level index, so they only mean something next to the levels they were fitted
 * on. A model whose comparisons or levels differ from the caller's (a level inserted, removed, renamed or
 * moved since it was stored) is refused with the reason, never read onto other levels: the link then
 * fits a new model, and `explain` says to.
 */
import { DEFAULT_COMPARISONS, type Comparison, type TfField } from './comparisons.js';
import type { EmReport, Model } from './model.js';
import type { TfTable, TfTables } from './term-frequency.js';

export interface ComparisonJson {
  readonly name: string;
  /** The label of each level, in order: m[c][l] and u[c][l] belong to levels[l]. */
  readonly levels: readonly string[];
}

export interface ModelJson {
  readonly comparisons: readonly ComparisonJson[];
  readonly m: readonly (readonly number[])[];
  readonly u: readonly (readonly number[])[];
  readonly joint: readonly { readonly members: readonly number[]; readonly radix: readonly number[]; readonly u: readonly number[] }[];
  readonly lambda: number;
  readonly tf: Readonly<Record<string, TfJson | KeyedTfJson>>;
  readonly em: readonly EmReport[];
}

/**
 * A field's term frequencies: its distinct values and their counts, index by index. A province's half
 * million distinct names parse, and make their Map, in a quarter of the time of an object keyed by value
 * (~0.4 s rather than ~1.5 s at ten million rows, every night), and are written in a seventh of it. The
 * counts are not named `counts` as the keyed form's are: an earlier version given a model written by this
 * one then fails at once, where it would have read the array's indexes as the values.
 */
export interface TfJson {
  readonly values: readonly string[];
  readonly valueCounts: readonly number[];
  readonly total: number;
  readonly sumSquares: number;
}

/** How runs before 2026-12-07 stored a field's term frequencies: an object keyed by value. Still read. */
export interface KeyedTfJson {
  readonly counts: Readonly<Record<string, number>>;
  readonly total: number;
  readonly sumSquares: number;
}

/** What versions before the level labels stored: comparison names only. Still found in link_run rows. */
export interface UnlabelledModelJson extends Omit<ModelJson, 'comparisons'> {
  readonly comparisons: readonly string[];
}

/** A stored model that fits the comparisons, or why it does not (for the user: names and labels only). */
export type LoadedModel = { readonly ok: true; readonly model: Model } | { readonly ok: false; readonly reason: string };

export function modelToJson(model: Model): ModelJson {
  const tf: Record<string, TfJson> = {};
  for (const [field, table] of Object.entries(model.tf) as [TfField, TfTable][]) {
    tf[field] = { values: [...table.counts.keys()], valueCounts: [...table.counts.values()], total: table.total, sumSquares: table.sumSquares };
  }
  return {
    comparisons: model.comparisons.map((c) => ({ name: c.name, levels: c.levels.map((l) => l.label) })),
    m: model.m,
    u: model.u,
    joint: model.joint.map((g) => ({ members: g.members, radix: g.radix, u: Array.from(g.u) })),
    lambda: model.lambda,
    tf,
    em: model.em,
  };
}

export function modelFromJson(json: ModelJson | UnlabelledModelJson, comparisons: readonly Comparison[] = DEFAULT_COMPARISONS): LoadedModel {
  const mismatch = modelMismatch(json, comparisons);
  if (mismatch !== null) return { ok: false, reason: mismatch };
  const tf = {} as Record<TfField, TfTable>;
  for (const [field, table] of Object.entries(json.tf)) {
    tf[field as TfField] = { counts: countsOf(table), total: table.total, sumSquares: table.sumSquares };
  }
  return {
    ok: true,
    model: {
      comparisons,
      m: json.m,
      u: json.u,
      joint: json.joint.map((g) => ({ members: g.members, radix: g.radix, u: Float64Array.from(g.u) })),
      lambda: json.lambda,
      tf: tf as TfTables,
      em: json.em,
    },
  };
}

function countsOf(table: TfJson | KeyedTfJson): Map<string, number> {
  if (!('values' in table)) return new Map(Object.entries(table.counts));
  const counts = new Map<string, number>();
  for (let i = 0; i < table.values.length; i++) counts.set(table.values[i]!, table.valueCounts[i]!);
  return counts;
}

/**
 * Why the stored model cannot be used with `comparisons`, or null when it can: the same comparisons in the
 * same order (the engine's comparison vectors are by position), each with the same level labels in the
 * same order, and an m and a u for every level.
 */
function modelMismatch(json: ModelJson | UnlabelledModelJson, comparisons: readonly Comparison[]): string | null {
  const stored = json.comparisons;
  if (stored.some((c) => typeof c === 'string')) return 'it was stored without its level labels, by an earlier version';
  const labelled = stored as readonly ComparisonJson[];
  const storedNames = labelled.map((c) => c.name);
  const names = comparisons.map((c) => c.name);
  const added = names.filter((n) => !storedNames.includes(n));
  const removed = storedNames.filter((n) => !names.includes(n));
  if (added.length > 0 || removed.length > 0) {
    return [
      ...(added.length ? [`comparison ${added.map(quoted).join(', ')} is new`] : []),
      ...(removed.length ? [`comparison ${removed.map(quoted).join(', ')} no longer exists`] : []),
    ].join('; ');
  }
  for (const [field, table] of Object.entries(json.tf)) {
    if ('values' in table && table.values.length !== table.valueCounts.length) return `its term frequencies of ${quoted(field)} are cut short`;
  }
  if (storedNames.join('\n') !== names.join('\n')) return `the comparisons are in another order (${storedNames.join(', ')} then; ${names.join(', ')} now)`;
  for (let c = 0; c < comparisons.length; c++) {
    const difference = levelDifference(labelled[c]!.levels, comparisons[c]!.levels.map((l) => l.label));
    if (difference !== null) return `comparison ${quoted(names[c]!)} has other levels: ${difference}`;
    const width = comparisons[c]!.levels.length;
    if (json.m[c]?.length !== width || json.u[c]?.length !== width) return `comparison ${quoted(names[c]!)} lacks an m or u for some level`;
  }
  return null;
}

/** What changed between two lists of level labels, or null when they are the same list. */
function levelDifference(then: readonly string[], now: readonly string[]): string | null {
  if (then.length === now.length && then.every((label, l) => label === now[l])) return null;
  const added = now.filter((label) => !then.includes(label));
  const removed = then.filter((label) => !now.includes(label));
  const parts = [
    ...added.map((label) => `level ${quoted(label)} is new (level ${now.indexOf(label)})`),
    ...removed.map((label) => `level ${quoted(label)} no longer exists`),
  ];
  return parts.length > 0 ? parts.join('; ') : 'the same levels in another order';
}

const quoted = (text: string) => JSON.stringify(text);
