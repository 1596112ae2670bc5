import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistryExtract } from '../../connectors/registry/extract.js';
import { toRegistryIdentity } from '../../connectors/registry/identity.js';
import type { RegistryIdentity, RegistryRawRow } from '../../connectors/registry/types.js';
import { runSynth } from '../../src/cli/synth.js';
import { normalizeName } from '../../src/clean/name.js';
import { generatePersons, generateRecords, writeSynthFiles, type SynthPerson, type SynthRow } from '../../src/synth/generate.js';
import {
  RECONCILE_STATUSES,
  REGISTRY_ABSENT_RATE,
  REGISTRY_DECEASED_RATE,
  REGISTRY_OTHER_PERSON_RATE,
  REGISTRY_UNRECORDED_RATE,
  compareBirthDates,
  compareNames,
  compareSex,
  expectedReconcile,
  goldenIdentity,
  type ExpectedReconcile,
  type GoldenIdentity,
  type RegistryLookup,
} from '../../src/synth/registry.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vaxsync-registry-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** registry-truth.csv as person_id → row. */
async function readTruth(path: string): Promise<{ header: string; rows: Map<string, { citizenId: string; status: string; fields: string }> }> {
  const [header, ...lines] = (await readFile(path, 'utf8')).split('\r\n').filter((l) => l !== '');
  const rows = new Map<string, { citizenId: string; status: string; fields: string }>();
  for (const line of lines) {
    const [personId, citizenId, status, fields] = line.split(',') as [string, string, string, string];
    rows.set(personId, { citizenId, status, fields });
  }
  return { header: header!, rows };
}

/** registry.csv read back by the registry file connector's own reader and cleaning. */
async function readRegistry(path: string): Promise<{ raw: RegistryRawRow[]; byId: Map<string, RegistryIdentity> }> {
  const extract = await openRegistryExtract(path);
  const raw: RegistryRawRow[] = [];
  const byId = new Map<string, RegistryIdentity>();
  for await (const row of extract.rows) {
    raw.push(row.raw);
    const identity = toRegistryIdentity(row.raw);
    expect(byId.has(identity.citizenId)).toBe(false);
    byId.set(identity.citizenId, identity);
  }
  return { raw, byId };
}

/** A count is within four binomial standard deviations of `rate` over `n` draws. */
function expectRate(count: number, n: number, rate: number): void {
  const sd = Math.sqrt(n * rate * (1 - rate));
  expect(count).toBeGreaterThan(n * rate - 4 * sd);
  expect(count).toBeLessThan(n * rate + 4 * sd);
}

const nameKey = (full: string): string => normalizeName(full).value!.key;

describe('registry files', () => {
  it('leaves records.csv and truth.csv byte-identical, and is itself deterministic', async () => {
    const plain = await writeSynthFiles({ persons: 1500, seed: 11, dir: join(dir, 'plain') });
    const a = await writeSynthFiles({ persons: 1500, seed: 11, dir: join(dir, 'a'), registry: true });
    await writeSynthFiles({ persons: 1500, seed: 11, dir: join(dir, 'b'), registry: true });
    expect(plain.registry).toBeUndefined();
    expect(a.rows).toBe(plain.rows);
    for (const file of ['records.csv', 'truth.csv']) {
      expect((await readFile(join(dir, 'a', file))).equals(await readFile(join(dir, 'plain', file)))).toBe(true);
    }
    expect(a.registry).toBeDefined();
    for (const file of ['registry.csv', 'registry-truth.csv']) {
      expect((await readFile(join(dir, 'a', file))).equals(await readFile(join(dir, 'b', file)))).toBe(true);
    }
    const other = await writeSynthFiles({ persons: 1500, seed: 12, dir: join(dir, 'c'), registry: true });
    expect((await readFile(other.registry!.registry)).equals(await readFile(a.registry!.registry))).toBe(false);
  });

  it('vaxsync synth --registry writes the two files and reports the statuses', async () => {
    const lines: string[] = [];
    await runSynth({ persons: 300, seed: 3, out: join(dir, 'cli'), registry: true }, (line) => lines.push(line));
    const truth = await readTruth(join(dir, 'cli', 'registry-truth.csv'));
    expect(truth.header).toBe('person_id,citizen_id,status,fields');
    expect(lines.some((l) => l.startsWith('expected statuses: verified '))).toBe(true);
    expect(lines.join('\n')).toContain('registry.csv');
  });
});

describe('scenarios on 5,000 people', () => {
  const persons = 5000;
  const seed = 7;
  let people: SynthPerson[];
  let rowsOf: Map<string, SynthRow[]>;
  let registry: { raw: RegistryRawRow[]; byId: Map<string, RegistryIdentity> };
  let truth: Awaited<ReturnType<typeof readTruth>>;
  let files: Awaited<ReturnType<typeof writeSynthFiles>>;

  beforeAll(async () => {
    files = await writeSynthFiles({ persons, seed, dir: join(dir, 'rates'), registry: true });
    people = Array.from(generatePersons({ persons, seed }));
    rowsOf = new Map();
    for (const { row, truth: t } of generateRecords({ persons, seed })) {
      const list = rowsOf.get(t.person_id);
      if (list) list.push(row);
      else rowsOf.set(t.person_id, [row]);
    }
    registry = await readRegistry(files.registry!.registry);
    truth = await readTruth(files.registry!.truth);
  });

  /** What the registry holds under each true person's CCCD. */
  function classify(p: SynthPerson): 'absent' | 'deceased' | 'otherPerson' | 'present' {
    const entry = registry.byId.get(p.citizen_id);
    if (entry === undefined) return 'absent';
    if (entry.nameKey !== nameKey(p.full_name)) return 'otherPerson';
    return entry.status === 'deceased' ? 'deceased' : 'present';
  }

  it('draws every scenario at about its rate', () => {
    const counts = { absent: 0, deceased: 0, otherPerson: 0, present: 0 };
    for (const p of people) counts[classify(p)]++;
    expectRate(counts.absent, persons, REGISTRY_ABSENT_RATE);
    expectRate(counts.deceased, persons, REGISTRY_DECEASED_RATE);
    expectRate(counts.otherPerson, persons, REGISTRY_OTHER_PERSON_RATE);
    const trueIds = new Set(people.map((p) => p.citizen_id));
    const unrecorded = [...registry.byId.keys()].filter((id) => !trueIds.has(id)).length;
    expectRate(unrecorded, persons, REGISTRY_UNRECORDED_RATE);
    expect(files.registry!.scenarios).toEqual({ ...counts, unrecorded });
    expect(files.registry!.rows).toBe(registry.byId.size);
  });

  it('writes the true identity of present people, in the contract format', () => {
    const dmy = registry.raw.filter((r) => /^\d{2}\/\d{2}\/\d{4}$/.test(r.birth_date ?? '')).length;
    const iso = registry.raw.filter((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.birth_date ?? '')).length;
    expect(dmy + iso).toBe(registry.raw.length);
    expect(dmy).toBeGreaterThan(0);
    expect(new Set(registry.raw.map((r) => r.sex))).toEqual(new Set(['Nam', 'Nữ']));
    expect(new Set(registry.raw.map((r) => r.status))).toEqual(new Set(['alive', 'deceased']));
    for (const p of people) {
      const kind = classify(p);
      if (kind !== 'present' && kind !== 'deceased') continue;
      const entry = registry.byId.get(p.citizen_id)!;
      expect(entry.fullName).toBe(p.full_name);
      expect(entry.birthDate).toBe(p.birth_date);
      expect(entry.sex).toBe(p.sex);
      expect(entry.communeCode).toBe(p.commune_code);
      expect(entry.deathDate === null).toBe(kind === 'present');
    }
  });

  it('dates deaths after the last vaccination, and makes the other person really someone else', () => {
    for (const p of people) {
      const kind = classify(p);
      const entry = registry.byId.get(p.citizen_id);
      if (kind === 'deceased') {
        const last = p.doses.map((d) => d.date).sort().at(-1) ?? p.birth_date;
        expect(entry!.deathDate! > last).toBe(true);
      } else if (kind === 'otherPerson') {
        expect(compareNames({ full: p.full_name, key: nameKey(p.full_name) }, { full: entry!.fullName, key: entry!.nameKey })).toBe('different');
        expect(Math.abs(Number(entry!.birthDate!.slice(0, 4)) - Number(p.birth_date.slice(0, 4)))).toBeGreaterThanOrEqual(15);
        expect(compareBirthDates(p.birth_date, entry!.birthDate)).toBe('different');
        expect(entry!.status).toBe('alive');
      }
    }
  });

  it('has one truth row per person with a usable row, every status, and statuses that follow the scenario', () => {
    const tally = Object.fromEntries(RECONCILE_STATUSES.map((s) => [s, 0]));
    for (const p of people) {
      const row = truth.rows.get(p.person_id);
      const golden = goldenIdentity(rowsOf.get(p.person_id)!);
      expect(row === undefined).toBe(golden === null);
      if (row === undefined || golden === null) continue;
      tally[row.status]!++;
      if (golden.citizenId !== p.citizen_id) continue;
      // The golden CCCD is the person's own: the scenario decides (a stray golden ID may hit anyone)…
      const kind = classify(p);
      const expected = { absent: ['not_found'], deceased: ['deceased'], otherPerson: ['conflict'], present: ['verified', 'corrected'] }[kind];
      expect(row.citizenId).toBe(p.citizen_id);
      if (kind === 'present' && row.status === 'conflict') {
        // …except that a person whose rows all damage the name (a typo on top of a dropped middle name,
        // winning a tie) has a golden name the registry's cannot pass for: a conflict by definition.
        expect(compareNames({ full: golden.fullName, key: golden.nameKey }, { full: p.full_name, key: nameKey(p.full_name) })).toBe('different');
        continue;
      }
      expect(expected).toContain(row.status);
    }
    for (const status of RECONCILE_STATUSES) expect(tally[status], status).toBeGreaterThan(0);
    expect(tally).toEqual(files.registry!.statuses);
    expect(truth.rows.size).toBe(Object.values(tally).reduce((a, b) => a + b, 0));
    // Person order, as truth.csv.
    const ids = [...truth.rows.keys()];
    expect(ids).toEqual([...ids].sort());
  });

  it('finds people without a CCCD by name and full birth date', () => {
    let found = 0;
    for (const p of people) {
      const row = truth.rows.get(p.person_id);
      const golden = goldenIdentity(rowsOf.get(p.person_id)!);
      if (!row || !golden || (golden.citizenId !== null && /^\d{12}$/.test(golden.citizenId))) continue;
      if (row.status === 'no_id') {
        expect(row.citizenId).toBe('');
      } else {
        found++;
        expect(golden.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(registry.byId.get(row.citizenId)!.nameKey).toBe(golden.nameKey);
      }
    }
    expect(found).toBeGreaterThan(0);
  });
});

// ---- Hand-built scenarios ---------------------------------------------------------------------------

/** A registry lookup over hand-written rows, read the way the connectors read them. */
function lookup(rows: readonly RegistryRawRow[]): RegistryLookup {
  const identities = rows.map((r) => toRegistryIdentity(r));
  return {
    byId: (id) => identities.find((i) => i.citizenId === id),
    byNameAndBirthDate: (key, birth) => identities.filter((i) => i.nameKey === key && i.birthDate === birth).map((i) => i.citizenId),
  };
}

const LAN = '001185012345';
const LAN_ROW: RegistryRawRow = {
  citizen_id: LAN,
  full_name: 'Nguyễn Thị Lan',
  birth_date: '1985-03-15',
  sex: 'Nữ',
  commune_code: '00376',
  status: 'alive',
  death_date: '',
};

/** Rows of one person (only the identity columns matter here). */
function rows(...cells: (readonly [name: string, birth: string, sex: string, id: string])[]): Partial<SynthRow>[] {
  return cells.map(([full_name, birth_date, sex, citizen_id], i) => ({ record_id: `R${i + 1}`, full_name, birth_date, sex, citizen_id }));
}

function expected(personRows: Partial<SynthRow>[], registryRows: readonly RegistryRawRow[]): ExpectedReconcile {
  const golden = goldenIdentity(personRows);
  expect(golden).not.toBeNull();
  return expectedReconcile(golden!, lookup(registryRows));
}

describe('expected status of hand-built people', () => {
  it('verified: the same identity, however it was typed', () => {
    const person = rows(['NGUYỄN THỊ LAN', '15/03/1985', 'nữ', `'${LAN}`], ['Nguyễn Thị Lan', '1985-03-15', 'F', LAN]);
    expect(expected(person, [LAN_ROW])).toEqual({ status: 'verified', citizenId: LAN, fields: [] });
  });

  it('corrected full_name: every row without diacritics, the registry with them', () => {
    const person = rows(['Nguyen Thi Lan', '15/03/1985', 'Nu', LAN], ['NGUYEN THI LAN', '15/03/1985', '', LAN]);
    expect(expected(person, [LAN_ROW])).toEqual({ status: 'corrected', citizenId: LAN, fields: ['full_name'] });
  });

  it('corrected birth_date: only the year was ever recorded', () => {
    const person = rows(['Nguyễn Thị Lan', '1985', 'Nữ', LAN], ['Nguyễn Thị Lan', '1985', '', LAN]);
    expect(expected(person, [LAN_ROW])).toEqual({ status: 'corrected', citizenId: LAN, fields: ['birth_date'] });
  });

  it('corrected: a typo, a missing middle name, a day-month swap, a sex typed wrong', () => {
    expect(expected(rows(['Nguyễn Thị Lam', '15/03/1985', 'Nữ', LAN]), [LAN_ROW]).fields).toEqual(['full_name']);
    expect(expected(rows(['Nguyễn Lan', '15/03/1985', 'Nữ', LAN]), [LAN_ROW]).status).toBe('corrected');
    const fifthOfMarch = { ...LAN_ROW, birth_date: '05/03/1985' };
    expect(expected(rows(['Nguyễn Thị Lan', '03/05/1985', 'Nữ', LAN]), [fifthOfMarch])).toEqual({ status: 'corrected', citizenId: LAN, fields: ['birth_date'] });
    expect(expected(rows(['Nguyễn Thị Lan', '15/03/1985', 'Nam', LAN]), [LAN_ROW])).toEqual({ status: 'corrected', citizenId: LAN, fields: ['sex'] });
  });

  it('not_found: a valid CCCD the registry does not hold', () => {
    expect(expected(rows(['Nguyễn Thị Lan', '15/03/1985', 'Nữ', LAN]), [])).toEqual({ status: 'not_found', citizenId: LAN, fields: [] });
  });

  it('conflict: someone else under the same CCCD', () => {
    const other = { ...LAN_ROW, full_name: 'Trần Văn Hùng', birth_date: '1962-08-02', sex: 'Nam' };
    expect(expected(rows(['Nguyễn Thị Lan', '15/03/1985', 'Nữ', LAN]), [other])).toEqual({
      status: 'conflict',
      citizenId: LAN,
      fields: ['full_name', 'birth_date', 'sex'],
    });
    // The name alone, or the birth year alone, is enough.
    expect(expected(rows(['Nguyễn Thị Lan', '15/03/1985', 'Nữ', LAN]), [{ ...LAN_ROW, full_name: 'Phạm Thị Hà' }]).status).toBe('conflict');
    expect(expected(rows(['Nguyễn Thị Lan', '15/03/1985', 'Nữ', LAN]), [{ ...LAN_ROW, birth_date: '1962-03-15' }]).status).toBe('conflict');
  });

  it('deceased: whatever the comparison, with the fields still listed', () => {
    const dead = { ...LAN_ROW, status: 'deceased', death_date: '2024-01-02' };
    expect(expected(rows(['Nguyễn Thị Lan', '15/03/1985', 'Nữ', LAN]), [dead])).toEqual({ status: 'deceased', citizenId: LAN, fields: [] });
    expect(expected(rows(['Nguyen Thi Lan', '1985', 'Nữ', LAN]), [dead])).toEqual({
      status: 'deceased',
      citizenId: LAN,
      fields: ['full_name', 'birth_date'],
    });
  });

  it('without a CCCD: one registry match by name and full birth date, else no_id', () => {
    const cmnd = '012345678';
    expect(expected(rows(['Nguyen Thi Lan', '15/03/1985', 'Nữ', cmnd]), [LAN_ROW])).toEqual({ status: 'corrected', citizenId: LAN, fields: ['full_name'] });
    expect(expected(rows(['Nguyễn Thị Lan', '15/03/1985', 'Nữ', '']), [LAN_ROW])).toEqual({ status: 'verified', citizenId: LAN, fields: [] });
    const twin = { ...LAN_ROW, citizen_id: '001185099999' };
    expect(expected(rows(['Nguyễn Thị Lan', '15/03/1985', 'Nữ', '']), [LAN_ROW, twin])).toEqual({ status: 'no_id', citizenId: '', fields: [] });
    // A year cannot search, nor can a name without a birth date.
    expect(expected(rows(['Nguyễn Thị Lan', '1985', 'Nữ', '']), [LAN_ROW]).status).toBe('no_id');
    expect(expected(rows(['Nguyễn Thị Lan', '', 'Nữ', '']), [LAN_ROW]).status).toBe('no_id');
    expect(expected(rows(['Nguyễn Thị Lan', '16/03/1985', 'Nữ', '']), [LAN_ROW]).status).toBe('no_id');
  });

  it("a child typed with a parent's CCCD and no birth date is a conflict", () => {
    const child = rows(['Nguyễn Minh Anh', '', 'Nam', LAN]);
    expect(expected(child, [LAN_ROW])).toEqual({ status: 'conflict', citizenId: LAN, fields: ['full_name', 'sex'] });
  });

  it('quarantined rows do not count; a person with only those has no golden identity', () => {
    // No usable name, and no CCCD or no birth date to link the row on instead: quarantined.
    expect(goldenIdentity(rows(['0912345678', '15/03/1985', 'Nữ', '']))).toBeNull();
    expect(goldenIdentity(rows(['0912345678', '', 'Nữ', LAN]))).toBeNull();
    const person = rows(['0912345678', '', 'Nam', '001099000001'], ['Nguyễn Thị Lan', '15/03/1985', 'Nữ', LAN]);
    expect(expected(person, [LAN_ROW]).status).toBe('verified');
  });

  it('a row with no usable name but a CCCD and a birth date counts, without a name', () => {
    const golden = goldenIdentity(rows(['0912345678', '15/03/1985', 'Nữ', LAN]));
    expect(golden).toMatchObject({ fullName: null, birthDate: '1985-03-15', citizenId: LAN });
    const person = rows(['0912345678', '15/03/1985', 'Nữ', LAN], ['Nguyễn Thị Lan', '15/03/1985', 'Nữ', LAN]);
    expect(expected(person, [LAN_ROW]).status).toBe('verified');
  });
});

describe('the comparison rules', () => {
  const name = (full: string) => ({ full, key: nameKey(full) });
  const names = (a: string, b: string) => compareNames(name(a), name(b));

  it('names', () => {
    expect(names('Nguyễn Thị Lan', 'NGUYỄN THỊ LAN')).toBe('same');
    expect(names('Nguyen Thi Lan', 'Nguyễn Thị Lan')).toBe('correctable');
    expect(names('Nguyễn Thị Lna', 'Nguyễn Thị Lan')).toBe('correctable');
    expect(names('Nguyễn Thị Thu Hương', 'Nguyễn Thu Thị Hươgn')).toBe('correctable'); // swapped words and a typo
    expect(names('Lan Nguyễn Thị', 'Nguyễn Thị Lan')).toBe('correctable');
    expect(names('Nguyễn Lan', 'Nguyễn Thị Ngọc Lan')).toBe('correctable');
    expect(names('Hoàng Văn Nam', 'Huỳnh Văn Nam')).toBe('correctable');
    expect(names('Vũ Đức Anh', 'Võ Minh Anh')).toBe('correctable');
    expect(names('Thị Ngọc Lan', 'Nguyễn Thị Ngọc Lan')).toBe('correctable');
    expect(names('Nguyễn Thị Lan', 'Nguyễn Thị Hương')).toBe('different');
    expect(names('Trần Văn Hùng', 'Nguyễn Thị Lan')).toBe('different');
  });

  it('birth dates', () => {
    expect(compareBirthDates('1985-03-15', '1985-03-15')).toBe('same');
    expect(compareBirthDates('1985-03-15', '1985')).toBe('same'); // never degrade ours
    expect(compareBirthDates(null, '1985-03-15')).toBe('same');
    expect(compareBirthDates('1985', '1985-03-15')).toBe('correctable');
    expect(compareBirthDates('1985-03', '1985-03-15')).toBe('correctable');
    expect(compareBirthDates('1985-01-01', '1985-03-15')).toBe('correctable'); // same year
    expect(compareBirthDates('1985-05-03', '1985-03-05')).toBe('correctable'); // swapped
    expect(compareBirthDates('1958-03-15', '1985-03-15')).toBe('correctable'); // transposed digits
    expect(compareBirthDates('1986-03-15', '1985-03-15')).toBe('correctable'); // one digit
    expect(compareBirthDates('1986', '1985-03-15')).toBe('correctable');
    expect(compareBirthDates('1986-04-15', '1985-03-15')).toBe('different');
    expect(compareBirthDates('1965-03-15', '1985-03-16')).toBe('different');
    expect(compareBirthDates('1962', '1985-03-15')).toBe('different');
  });

  it('sex', () => {
    expect(compareSex(null, 'male')).toBe('same');
    expect(compareSex('male', 'male')).toBe('same');
    expect(compareSex('female', 'male')).toBe('correctable');
  });

  it('statuses need no more than the golden identity', () => {
    const golden: GoldenIdentity = { fullName: 'Nguyễn Thị Lan', nameKey: 'nguyen thi lan', birthDate: null, sex: null, citizenId: LAN };
    expect(expectedReconcile(golden, lookup([LAN_ROW]))).toEqual({ status: 'verified', citizenId: LAN, fields: [] });
  });
});
