import { describe, expect, it } from 'vitest';
import { DEFAULT_COMPARISONS, nameComparison, sexComparison } from '../../matchers/comparisons.js';
import { modelFromJson, modelToJson, type UnlabelledModelJson } from '../../matchers/model-json.js';
import type { Model } from '../../matchers/model.js';
import { buildTfTables } from '../../matchers/term-frequency.js';
import { namesWithInsertedLevel, record } from './helpers.js';

/** A model over the default comparisons whose every m and u is distinct, so a shift would show. */
function model(): Model {
  const table = DEFAULT_COMPARISONS.map((c, ci) => c.levels.map((_, l) => (ci + 1) / 100 + l / 1000));
  return {
    comparisons: DEFAULT_COMPARISONS,
    m: table,
    u: table.map((levels) => levels.map((x) => x / 10)),
    joint: [],
    lambda: 0.001,
    tf: buildTfTables([record(0, { name: 'Nguyễn Văn An' })]),
    em: [],
  };
}

describe('a model stored as JSON', () => {
  it('stores each comparison with its level labels and reads back the same m and u', () => {
    const json = modelToJson(model());
    expect(json.comparisons[0]).toEqual({ name: 'name', levels: nameComparison.levels.map((l) => l.label) });
    const loaded = modelFromJson(JSON.parse(JSON.stringify(json)));
    expect(loaded.ok).toBe(true);
    if (loaded.ok) {
      expect(loaded.model.m).toEqual(json.m);
      expect(loaded.model.u).toEqual(json.u);
      expect(loaded.model.comparisons).toBe(DEFAULT_COMPARISONS);
    }
  });

  it('stores each term frequency table as its values and counts, and reads back the same tables, as stored before too', () => {
    const tf = buildTfTables(['Nguyễn Văn An', 'Nguyễn Văn An', 'Trần Thị Bình', 'Lê An', 'Phạm Hoa'].map((name, i) => record(i, { name })));
    const json = modelToJson({ ...model(), tf });
    const stored = JSON.parse(JSON.stringify(json)) as typeof json;
    expect(stored.tf['name']).toMatchObject({ values: ['nguyen van an', 'tran thi binh', 'le an', 'pham hoa'], valueCounts: [2, 1, 1, 1] });
    const loaded = modelFromJson(stored);
    expect(loaded.ok && loaded.model.tf).toEqual(tf);
    // A run before 2026-12-07 stored each table as an object keyed by value.
    const keyed = Object.fromEntries(Object.entries(tf).map(([field, t]) => [field, { counts: Object.fromEntries(t.counts), total: t.total, sumSquares: t.sumSquares }]));
    const old = modelFromJson(JSON.parse(JSON.stringify({ ...json, tf: keyed })));
    expect(old.ok && old.model.tf).toEqual(tf);
    const cut = { ...stored, tf: { ...stored.tf, name: { ...stored.tf['name']!, valueCounts: [2, 1] } } };
    expect(modelFromJson(cut)).toEqual({ ok: false, reason: 'its term frequencies of "name" are cut short' });
  });

  it('is refused when a level was inserted since, naming the comparison and the level', () => {
    const loaded = modelFromJson(modelToJson(model()), namesWithInsertedLevel());
    expect(loaded).toEqual({
      ok: false,
      reason: `comparison "name" has other levels: level "same family name and given-name initial" is new (level ${nameComparison.level.oneEdit})`,
    });
  });

  it('is refused when a level was removed, moved, or a comparison added, removed or reordered', () => {
    const json = modelToJson(model());
    const withName = (levels: readonly string[]) => ({ ...json, comparisons: json.comparisons.map((c) => (c.name === 'name' ? { ...c, levels } : c)) });
    const labels = json.comparisons[0]!.levels;
    expect(modelFromJson(withName(labels.slice(1)))).toMatchObject({ ok: false, reason: expect.stringContaining('level "same name with diacritics" is new') });
    expect(modelFromJson(withName([...labels, 'spelled backwards']))).toMatchObject({ ok: false, reason: expect.stringContaining('"spelled backwards" no longer exists') });
    expect(modelFromJson(withName([labels[1]!, labels[0]!, ...labels.slice(2)]))).toMatchObject({
      ok: false,
      reason: 'comparison "name" has other levels: the same levels in another order',
    });
    expect(modelFromJson(json, DEFAULT_COMPARISONS.filter((c) => c !== sexComparison))).toMatchObject({ ok: false, reason: 'comparison "sex" no longer exists' });
    expect(modelFromJson(json, [...DEFAULT_COMPARISONS].reverse())).toMatchObject({ ok: false, reason: expect.stringContaining('another order') });
  });

  it('is refused when stored by a version without level labels', () => {
    const json = modelToJson(model());
    const unlabelled: UnlabelledModelJson = { ...json, comparisons: json.comparisons.map((c) => c.name) };
    expect(modelFromJson(unlabelled)).toEqual({ ok: false, reason: 'it was stored without its level labels, by an earlier version' });
  });
});
