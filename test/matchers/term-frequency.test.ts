import { describe, expect, it } from 'vitest';
import { tfValue } from '../../matchers/comparisons.js';
import { prepareRecord, RecordTableBuilder, type MatchRecord } from '../../matchers/record.js';
import { buildTfTables, type TfTable } from '../../matchers/term-frequency.js';
import { seededRandom } from '../../src/base/random.js';
import { record } from './helpers.js';

const NAMES = ['Nguyễn Văn An', 'Trần Thị Lan', 'An', 'Lê Hữu Nam', 'Nguyễn Thị An', 'Lan', 'Phạm Văn Nam Anh', 'Trần Lan'];

/** Names drawn with repeats, some missing, some of one word, some a newborn's placeholder (no name of its own). */
function records(n: number, seed: number): MatchRecord[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const r = record(i, { name: random() < 0.1 ? null : NAMES[Math.floor(random() * NAMES.length)]! });
    const draw = random();
    if (draw < 0.05) return { ...r, nameKey: null, nameFull: null, preNaming: true, guardianKey: 'nguyen thi lan' };
    // Keys as a file may hold them: spaced apart (one name, two parts of the table), or empty.
    if (draw < 0.1 && r.nameKey !== null) return { ...r, nameKey: r.nameKey.replace(' ', '  ') };
    if (draw < 0.13) return { ...r, nameKey: draw < 0.115 ? '' : ' ' };
    return r;
  });
}

/** The tables counted record by record, every word of every name, as they were before names were grouped. */
function countedByRecord(list: readonly MatchRecord[]) {
  const count = (values: (string | null)[]) => {
    const counts = new Map<string, number>();
    for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    return counts;
  };
  const prepared = list.map((r) => prepareRecord(r));
  return {
    name: count(prepared.map((r) => tfValue('name', r))),
    given: count(prepared.map((r) => tfValue('given', r))),
    word: count(prepared.flatMap((r) => r.tokens)),
  };
}

const entries = (table: TfTable) => [...table.counts.entries()];

describe('buildTfTables', () => {
  for (const maxShared of [undefined, 2]) {
    it(`counts a table's names as counting record by record does, in the order first met${maxShared ? ' (a name with several parts)' : ''}`, () => {
      const list = records(500, 9);
      const builder = new RecordTableBuilder(list.length, maxShared);
      for (const r of list) builder.add(r);
      const tables = buildTfTables(builder.finish());
      const expected = countedByRecord(list);
      for (const field of ['name', 'given', 'word'] as const) {
        const table = field === 'word' ? tables.word! : tables[field];
        expect(entries(table)).toEqual([...expected[field].entries()]);
        const total = [...expected[field].values()].reduce((s, c) => s + c, 0);
        expect(table.total).toBe(total);
        expect(table.sumSquares).toBe([...expected[field].values()].reduce((s, c) => s + c * c, 0) / (total * total));
      }
      // Every name was seen, under one key however spaced, and the placeholders, missing and empty names are in no table.
      expect(tables.name.counts.size).toBe(NAMES.length);
      expect(tables.name.total).toBe(list.filter((r) => r.nameKey !== null && r.nameKey.trim() !== '').length);
    });
  }
});
