/**
 * The weights that used to be fixed by a sampling floor or borrowed from another table are estimated from
 * the records themselves: the reordered-name level's u from its count over all pairs, EM sessions over all
 * pairs sharing a birth date or the same name words, a one-word name's term frequency among name words.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_COMPARISONS, nameComparison } from '../../matchers/comparisons.js';
import { linkRecords } from '../../matchers/engine.js';
import { estimateU } from '../../matchers/estimate-u.js';
import { scorePair } from '../../matchers/predict.js';
import { prepareRecord, type MatchRecord } from '../../matchers/record.js';
import { buildTfTables, recordTfAdjustment, tfAdjustment } from '../../matchers/term-frequency.js';
import { DEFAULT_TRAINING_KEYS, keyPairs } from '../../matchers/training.js';
import { seededRandom } from '../../src/base/random.js';
import { record } from './helpers.js';

const FAMILIES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ'];
const MIDDLES = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Đức', 'Thu'];
const GIVENS = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hà', 'Hùng', 'Lan', 'Mai', 'Nam', 'Phương', 'Quân', 'Sơn', 'Thảo', 'Tùng', 'Yến'];

/** `people` people with two rows each: the second with one slip (date digit, name order, middle name). */
function population(people: number, seed: number): MatchRecord[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const rows: MatchRecord[] = [];
  for (let p = 0; p < people; p++) {
    const [family, middle, given] = [pick(FAMILIES), pick(MIDDLES), pick(GIVENS)];
    const year = 1950 + Math.floor(random() * 60);
    const birth = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
    const commune = String(10000 + Math.floor(random() * 50));
    rows.push(record(rows.length, { name: `${family} ${middle} ${given}`, birth, commune }));
    const slip = random();
    const name = slip < 0.3 ? `${given} ${family} ${middle}` : `${family} ${middle} ${given}`;
    const other = slip >= 0.3 && slip < 0.6 ? `${year + 1}${birth.slice(4)}` : birth;
    rows.push(record(rows.length, { name, birth: other, commune }));
  }
  return rows;
}

describe('the reordered-name level', () => {
  it('takes its u from the count of such pairs over all pairs, not from a sample that never sees one', () => {
    const names = ['Nguyễn Văn An', 'An Nguyễn Văn', 'Trần Thị Lan', 'Lan Trần Thị', 'Văn An Nguyễn', 'Lê Minh Nam', 'Phạm Thu Hà', 'Hồ Đức Sơn'];
    const records = names.map((name, i) => record(i, { name }));
    const all = (names.length * (names.length - 1)) / 2;
    // Three pairs are at the level: the three orders of Nguyễn Văn An, two by two; Trần Thị Lan's two.
    const atLevel = 3 + 1;
    const c = DEFAULT_COMPARISONS.indexOf(nameComparison);
    const level = nameComparison.level.reordered;
    for (const samplePairs of [1, 5, 1_000]) {
      const u = estimateU(records, DEFAULT_COMPARISONS, { samplePairs, seed: 3 });
      expect(u.u[c]![level]).toBeCloseTo(atLevel / all, 10);
      expect(u.u[c]!.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 10);
    }
    // Another population, another u: the value is counted, not fixed.
    const fewer = ['Nguyễn Văn An', 'An Nguyễn Văn', 'Trần Thị Lan', 'Lê Minh Nam', 'Phạm Thu Hà', 'Hồ Đức Sơn', 'Đỗ Thị Mai', 'Vũ Văn Tùng'];
    const u2 = estimateU(fewer.map((name, i) => record(i, { name })), DEFAULT_COMPARISONS, { samplePairs: 5, seed: 3 });
    expect(u2.u[c]![level]).toBeCloseTo(1 / all, 10);
  });
});

describe('EM sessions over all pairs sharing a training key', () => {
  it('enumerates every pair sharing the key, and samples uniformly beyond the cap, knowing what the sample stands for', () => {
    const records = population(300, 7).map((r) => prepareRecord(r));
    const date = DEFAULT_TRAINING_KEYS.find((k) => k.uses.includes('birth_date'))!;
    const pairs = keyPairs(records, date.key, 1);
    let expected = 0;
    const counts = new Map<string, number>();
    for (const r of records) if (r.birthDigits !== null) counts.set(r.birthDigits, (counts.get(r.birthDigits) ?? 0) + 1);
    for (const n of counts.values()) expected += (n * (n - 1)) / 2;
    expect(pairs.total).toBe(expected);
    expect(pairs.count).toBe(expected);
    for (let p = 0; p < pairs.count; p++) expect(records[pairs.left[p]!]!.birthDigits).toBe(records[pairs.right[p]!]!.birthDigits);
  });

  it('are sessions of the fitted model, and the m they estimate moves with the data', () => {
    const a = linkRecords(population(400, 11));
    const sessions = a.model.em.map((s) => s.session);
    for (const key of DEFAULT_TRAINING_KEYS) expect(sessions).toContain(key.name);
    const dateSession = a.model.em.find((s) => s.session === DEFAULT_TRAINING_KEYS[0]!.name)!;
    expect(dateSession.estimated).toContain('name');
    expect(dateSession.estimated).not.toContain('birth_date');
    // A population where a third of the second rows have their birth year one off: the level that says
    // so gets its m from EM, larger than in a population of the same people without that slip.
    const b = linkRecords(population(400, 11).map((r, i) => (i % 2 === 1 ? { ...r, birthDate: `${Number(r.birthDate!.slice(0, 4)) + 3}${r.birthDate!.slice(4)}` } : r)));
    const bd = DEFAULT_COMPARISONS.findIndex((c) => c.name === 'birth_date');
    const yearsApart = DEFAULT_COMPARISONS[bd]!.level['yearsApart' as never] as number;
    expect(b.model.m[bd]![yearsApart]!).toBeGreaterThan(a.model.m[bd]![yearsApart]! + 0.1);
  });
});

describe('term frequency at the words-missing name level', () => {
  it("is the shorter name's, the words both hold, whichever record comes first", () => {
    const rows = population(200, 5);
    const more = ['Nguyễn Văn Hùng', 'Hùng', 'Trần Thị Khuê', 'Khuê'].map((name, i) => record(rows.length + i, { name, birth: '1970-01-01' }));
    const all = [...rows, ...more];
    const { model } = linkRecords(all);
    const [long, short, rareLong, rare] = more.map((r) => prepareRecord(r));
    const line = (a: MatchRecord, b: MatchRecord) => scorePair(a, b, model).levels.find((l) => l.comparison === 'name')!;
    expect(line(long!, short!).label).toBe(nameComparison.levels[nameComparison.level.wordsMissing]!.label);
    expect(line(long!, short!).tfAdjustment).toBeCloseTo(recordTfAdjustment(model.tf, 'name', short!)!, 10);
    expect(line(short!, long!).tfAdjustment).toBeCloseTo(line(long!, short!).tfAdjustment, 10);
    // `hung`, a common given name in these rows, weighs less than `khue`, seen twice.
    expect(line(rareLong!, rare!).weight).toBeGreaterThan(line(long!, short!).weight);
  });

  it('gives a shorter name of several words no weight for being rare as a whole name (it is rare because words are missing)', () => {
    const rows = population(200, 5);
    const more = ['Nguyễn Văn Hùng', 'Văn Hùng'].map((name, i) => record(rows.length + i, { name, birth: '1970-01-01' }));
    const { model } = linkRecords([...rows, ...more]);
    const [long, short] = more.map((r) => prepareRecord(r));
    const line = scorePair(long!, short!, model).levels.find((l) => l.comparison === 'name')!;
    expect(line.label).toBe(nameComparison.levels[nameComparison.level.wordsMissing]!.label);
    // `van` and `hung` are among the commonest words here: sharing them is no rare evidence.
    expect(line.tfAdjustment).toBeLessThanOrEqual(0);
  });
});

describe('term frequency of a one-word name', () => {
  it('is the word\'s frequency among all name words, not among whole names', () => {
    const names = ['Nguyễn Văn Hùng', 'Nguyễn Thị Lan', 'Nguyễn Minh Hùng', 'Trần Văn Hùng', 'Hùng', 'Lê Thị Mai', 'Phạm Ngọc Hà', 'Hồ Thu Hùng'];
    const records = names.map((name, i) => prepareRecord(record(i, { name })));
    const tables = buildTfTables(records.map((r, i) => record(i, { name: names[i]! })));
    const lone = records[4]!;
    const asWord = recordTfAdjustment(tables, 'name', lone)!;
    expect(asWord).toBeCloseTo(tfAdjustment(tables.word!, 'hung'), 10);
    // Among whole names `hung` is seen once, a rare name; among words it is the commonest given name.
    expect(asWord).toBeLessThan(tfAdjustment(tables.name, 'hung'));
    // A name of several words keeps the whole-name table.
    expect(recordTfAdjustment(tables, 'name', records[0]!)).toBeCloseTo(tfAdjustment(tables.name, 'nguyen van hung'), 10);
  });
});
