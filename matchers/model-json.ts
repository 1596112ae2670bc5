/**
 * A fitted model as plain JSON, so the model of a link run can be stored with it and a pair explained
 * later with exactly the weights that decided it. Comparisons are functions: they are stored by name and
 * found again among the comparisons the caller passes (the defaults unless settings changed them).
 */
import { DEFAULT_COMPARISONS, type Comparison, type TfField } from './comparisons.js';
import type { EmReport, Model, TfTable, TfTables } from './model.js';

export interface ModelJson {
  readonly comparisons: readonly string[];
  readonly m: readonly (readonly number[])[];
  readonly u: readonly (readonly number[])[];
  readonly joint: readonly { readonly members: readonly number[]; readonly radix: readonly number[]; readonly u: readonly number[] }[];
  readonly lambda: number;
  readonly tf: Readonly<Record<string, { readonly counts: Readonly<Record<string, number>>; readonly total: number; readonly sumSquares: number }>>;
  readonly em: readonly EmReport[];
}

export function modelToJson(model: Model): ModelJson {
  const tf: Record<string, ModelJson['tf'][string]> = {};
  for (const [field, table] of Object.entries(model.tf) as [TfField, TfTable][]) {
    tf[field] = { counts: Object.fromEntries(table.counts), total: table.total, sumSquares: table.sumSquares };
  }
  return {
    comparisons: model.comparisons.map((c) => c.name),
    m: model.m,
    u: model.u,
    joint: model.joint.map((g) => ({ members: g.members, radix: g.radix, u: Array.from(g.u) })),
    lambda: model.lambda,
    tf,
    em: model.em,
  };
}

export function modelFromJson(json: ModelJson, comparisons: readonly Comparison[] = DEFAULT_COMPARISONS): Model {
  const byName = new Map(comparisons.map((c) => [c.name, c]));
  const found = json.comparisons.map((name) => {
    const comparison = byName.get(name);
    if (!comparison) throw new Error(`The stored model uses a comparison this version does not have: ${name}`);
    return comparison;
  });
  const tf = {} as Record<TfField, TfTable>;
  for (const [field, table] of Object.entries(json.tf)) {
    tf[field as TfField] = { counts: new Map(Object.entries(table.counts)), total: table.total, sumSquares: table.sumSquares };
  }
  return {
    comparisons: found,
    m: json.m,
    u: json.u,
    joint: json.joint.map((g) => ({ members: g.members, radix: g.radix, u: Float64Array.from(g.u) })),
    lambda: json.lambda,
    tf: tf as TfTables,
    em: json.em,
  };
}
