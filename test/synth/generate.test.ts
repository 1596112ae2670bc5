import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BIRTH_DATE_DAY_MONTH_SWAP_RATE,
  BIRTH_DATE_FORMAT_WEIGHTS,
  BIRTH_DATE_MISSING_RATE,
  CCCD_PROVINCE_CODES,
  CHILD_CITIZEN_ID_MISSING_RATE,
  CHILD_CITIZEN_ID_PARENT_RATE,
  CHILD_PROGRAMME_MAX_AGE,
  CITIZEN_ID_CMND_RATE,
  CITIZEN_ID_FORMATTED_RATE,
  CITIZEN_ID_LEADING_ZERO_LOST_RATE,
  CITIZEN_ID_MISSING_RATE,
  CITIZEN_ID_TYPO_RATE,
  COMMUNE_CODE_MISSING_RATE,
  COMMUNES,
  CONTRACT_COLUMNS,
  COVID_FIRST_DAY,
  COVID_LAST_DAY,
  DEFAULT_TODAY,
  DUPLICATE_REPORT_RATE,
  NAME_ALL_CAPS_RATE,
  NAME_EXTRA_SPACES_RATE,
  NAME_LOWERCASE_RATE,
  NAME_MIDDLE_DROPPED_RATE,
  NAME_NFD_RATE,
  NAME_NO_DIACRITICS_RATE,
  NAME_TONE_SWAP_RATE,
  NAME_TYPO_RATE,
  NAME_UNUSABLE_RATE,
  OLD_PHONE_PREFIX,
  PHONE_HOUSEHOLD_SHARED_RATE,
  PHONE_LEADING_ZERO_LOST_RATE,
  PHONE_MISSING_RATE,
  PHONE_OLD_PREFIX_RATE,
  PHONE_PLUS84_RATE,
  PRIMARY_INTERVAL_DAYS,
  REGISTRATION_ROW_EXTRA_RATE,
  SEX_MISSING_RATE,
  THIRD_REPORT_RATE,
  TWIN_RATE,
  VACCINE_ALIASES,
  generatePersons,
  generateRecords,
  writeSynthFiles,
  type SynthOptions,
  type SynthPerson,
  type SynthRow,
  type SynthTruth,
  type VaccineCode,
} from '../../src/synth/generate.js';
import { Random, WeightedTable } from '../../src/base/random.js';
import { foldDiacritics } from '../../src/base/text.js';
import { swapTonePlacement } from '../../src/synth/noise.js';

interface Item {
  row: SynthRow;
  truth: SynthTruth;
}

const collect = (options: SynthOptions): Item[] => Array.from(generateRecords(options));

const DAY_MS = 86_400_000;
const dayOf = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30) / DAY_MS;

/** Parses every written day-precision date format of the generator; null for '', a bare year, or junk. */
function parseWrittenDate(text: string): { y: number; m: number; d: number } | null {
  let m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(text);
  if (m) return { y: Number(m[3]), m: Number(m[2]), d: Number(m[1]) };
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  if (/^\d{5}$/.test(text)) {
    const date = new Date((EXCEL_EPOCH + Number(text)) * DAY_MS);
    return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
  }
  return null;
}

/** Comparison key: no diacritics, lower case, single spaces. */
const fold = (name: string): string => foldDiacritics(name.normalize('NFC')).toLowerCase().trim().replace(/\s+/g, ' ');
const hasNonAscii = (text: string): boolean => /[^ -~]/.test(text);
const ageAt = (birth: string, today: string): number => {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
};

/** Asserts a measured share is near the documented rate: within `relative` of it, plus a small absolute slack. */
function expectRate(label: string, hits: number, total: number, rate: number, relative = 0.3): void {
  expect(total, `${label}: no eligible rows`).toBeGreaterThan(200);
  const measured = hits / total;
  const slack = rate * relative + 0.003;
  expect(Math.abs(measured - rate), `${label}: measured ${measured.toFixed(4)} of ${total}, documented ${rate}`).toBeLessThanOrEqual(slack);
}

describe('Random', () => {
  it('is deterministic per seed and stream, and different across them', () => {
    const a = new Random(123);
    const b = new Random(123);
    const c = new Random(124);
    const d = new Random(123, 1);
    const seqA = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.nextUint32())).not.toEqual(seqA);
    expect(Array.from({ length: 20 }, () => d.nextUint32())).not.toEqual(seqA);
  });

  it('keeps int() within bounds and hits both ends; next() is in [0, 1)', () => {
    const r = new Random(5);
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const x = r.int(3, 7);
      expect(x).toBeGreaterThanOrEqual(3);
      expect(x).toBeLessThanOrEqual(7);
      seen.add(x);
      const f = r.next();
      expect(f >= 0 && f < 1).toBe(true);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('picks from a weighted table in proportion to the weights', () => {
    const table = new WeightedTable([['a', 1], ['b', 3], ['zero', 0], ['c', 6]] as const);
    const r = new Random(9);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0, zero: 0 };
    for (let i = 0; i < 50_000; i++) counts[table.pick(r)]! += 1;
    expect(counts.zero).toBe(0);
    expect(counts.a! / 50_000).toBeCloseTo(0.1, 1);
    expect(counts.b! / 50_000).toBeCloseTo(0.3, 1);
    expect(counts.c! / 50_000).toBeCloseTo(0.6, 1);
    expect(table.probability('b')).toBeCloseTo(0.3, 10);
  });
});

describe('text helpers', () => {
  it('moves tone marks between old and new placement, both ways, and leaves other syllables alone', () => {
    expect(swapTonePlacement('Hòa')).toBe('Hoà');
    expect(swapTonePlacement('Hoà')).toBe('Hòa');
    expect(swapTonePlacement('Nguyễn Thị Thủy')).toBe('Nguyễn Thị Thuỷ');
    expect(swapTonePlacement('Nguyễn Thị Thuỷ')).toBe('Nguyễn Thị Thủy');
    expect(swapTonePlacement('Lê Thúy Khỏe')).toBe('Lê Thuý Khoẻ');
    expect(swapTonePlacement('HÒA')).toBe('HOÀ');
    for (const unchanged of ['Quý', 'Hoàng', 'Nguyễn', 'Thuyền', 'Khoa', 'Huy', 'Toàn']) {
      expect(swapTonePlacement(unchanged)).toBe(unchanged);
    }
  });
});

describe('generateRecords: determinism and laziness', () => {
  it('gives identical output for the same seed and different output for another seed', () => {
    const a = collect({ persons: 1500, seed: 42 });
    const b = collect({ persons: 1500, seed: 42 });
    const c = collect({ persons: 1500, seed: 43 });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    const sameNames = a.slice(0, 500).filter((item, i) => c[i]?.row.full_name === item.row.full_name).length;
    expect(sameNames).toBeLessThan(50);
  });

  it('streams: the first rows of a 10-million-person run come without generating the rest', () => {
    const started = performance.now();
    const it = generateRecords({ persons: 10_000_000, seed: 1 });
    const first = [it.next(), it.next(), it.next()];
    expect(first.every((r) => !r.done)).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
    it.return(undefined);
  });

  it('validates options and yields nothing for zero persons', () => {
    expect(collect({ persons: 0, seed: 1 })).toEqual([]);
    expect(() => collect({ persons: -1, seed: 1 })).toThrow(RangeError);
    expect(() => collect({ persons: 10, seed: 1, today: '2026-02-30' })).toThrow(RangeError);
    expect(() => collect({ persons: 10, seed: Number.NaN })).toThrow(RangeError);
  });

  it('never dates an injection after `today`', () => {
    const today = '2022-01-15';
    const people = Array.from(generatePersons({ persons: 3000, seed: 3, today }));
    const doses = people.flatMap((p) => p.doses);
    expect(doses.length).toBeGreaterThan(1000);
    expect(doses.every((d) => d.date <= today)).toBe(true);
    // Under-6s at that `today` get childhood doses, and only up to it.
    expect(doses.some((d) => d.vaccine === 'BCG')).toBe(true);
  });
});

describe('a 20,000-person population', () => {
  const options: SynthOptions = { persons: 20_000, seed: 2026 };
  let items: Item[] = [];
  let people: SynthPerson[] = [];
  const byId = new Map<string, SynthPerson>();
  const doseOwner = new Map<string, { person: SynthPerson; vaccine: VaccineCode; date: string }>();

  beforeAll(() => {
    people = Array.from(generatePersons(options));
    for (const p of people) {
      byId.set(p.person_id, p);
      for (const d of p.doses) doseOwner.set(d.dose_id, { person: p, vaccine: d.vaccine, date: d.date });
    }
    items = collect(options);
  });

  const rowsOf = (filter: (item: Item, person: SynthPerson) => boolean): Item[] =>
    items.filter((item) => filter(item, byId.get(item.truth.person_id) as SynthPerson));
  const usableName = (item: Item): boolean => item.row.full_name.trim() !== '' && !/^\d+$/.test(item.row.full_name);

  it('has exactly the requested people, numbered, each with at least one row', () => {
    expect(people).toHaveLength(20_000);
    expect(people[0]?.person_id).toBe('P0000001');
    expect(new Set(people.map((p) => p.person_id)).size).toBe(20_000);
    const withRows = new Set(items.map((i) => i.truth.person_id));
    expect(withRows.size).toBe(20_000);
  });

  it('keeps row ids unique and sequential, with the contract columns in order', () => {
    const bad = items.filter((item, i) => item.row.record_id !== `R${String(i + 1).padStart(7, '0')}` || item.truth.record_id !== item.row.record_id);
    expect(bad).toEqual([]);
    expect(Object.keys(items[0]!.row)).toEqual([...CONTRACT_COLUMNS]);
    const perPerson = items.length / people.length;
    expect(perPerson).toBeGreaterThan(3);
    expect(perPerson).toBeLessThan(6);
  });

  it('has a consistent truth: known person, dose_id empty exactly when vaccine and date are empty, dose of that person', () => {
    const spellings = new Map<string, Set<string>>(
      Object.entries(VACCINE_ALIASES).map(([code, aliases]) => [code, new Set(aliases.flatMap(([a]) => [a, a.toLowerCase()]))]),
    );
    const problems: string[] = [];
    for (const { row, truth } of items) {
      const say = (what: string) => problems.push(`${row.record_id}: ${what}`);
      if (!byId.has(truth.person_id)) say(`unknown person ${truth.person_id}`);
      const empty = row.vaccine === '' && row.vaccination_date === '';
      if ((truth.dose_id === '') !== empty) say(`dose_id '${truth.dose_id}' with vaccine '${row.vaccine}' date '${row.vaccination_date}'`);
      if ((row.vaccine === '') !== (row.vaccination_date === '')) say('vaccine without date or date without vaccine');
      if (truth.dose_id !== '') {
        const owner = doseOwner.get(truth.dose_id);
        if (owner?.person.person_id !== truth.person_id) say(`dose ${truth.dose_id} is not ${truth.person_id}'s`);
        else if (!spellings.get(owner.vaccine)?.has(row.vaccine)) say(`'${row.vaccine}' is not an alias of ${owner.vaccine}`);
      } else if (row.dose_number + row.lot_number + row.facility_code + row.adverse_event !== '') {
        say('dose details on a registration row');
      }
      if (!['station', 'campaign', 'platform'].includes(row.source)) say(`source ${row.source}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    // Every true injection is reported at least once, and people without a dose are registered.
    const reported = new Set(items.map((i) => i.truth.dose_id));
    expect([...doseOwner.keys()].every((id) => reported.has(id))).toBe(true);
    const registered = new Set(items.filter((i) => i.truth.dose_id === '').map((i) => i.truth.person_id));
    const unvaccinated = people.filter((p) => p.doses.length === 0);
    expect(unvaccinated.length).toBeGreaterThan(500);
    expect(unvaccinated.every((p) => registered.has(p.person_id))).toBe(true);
    const vaccinated = people.filter((p) => p.doses.length > 0);
    expectRate('extra registration rows', vaccinated.filter((p) => registered.has(p.person_id)).length, vaccinated.length, REGISTRATION_ROW_EXTRA_RATE);
  });

  it('gives every person a valid CCCD that decodes to their birth year and sex, unique across people', () => {
    const provinces = new Set(CCCD_PROVINCE_CODES);
    expect(provinces.size).toBe(63);
    const bad = people.filter((p) => {
      const digit = Number(p.citizen_id[3]);
      const decodedYear = 1900 + 100 * Math.floor(digit / 2) + Number(p.citizen_id.slice(4, 6));
      const decodedSex = digit % 2 === 0 ? 'male' : 'female';
      return (
        !/^\d{12}$/.test(p.citizen_id) ||
        !provinces.has(p.citizen_id.slice(0, 3)) ||
        decodedYear !== Number(p.birth_date.slice(0, 4)) ||
        decodedSex !== p.sex ||
        (p.cmnd !== '' && !/^\d{9}$/.test(p.cmnd))
      );
    });
    expect(bad.slice(0, 5)).toEqual([]);
    expect(new Set(people.map((p) => p.citizen_id)).size).toBe(people.length);
    const cmnds = people.filter((p) => p.cmnd !== '').map((p) => p.cmnd);
    expect(new Set(cmnds).size).toBe(cmnds.length);
    // Mostly the two home provinces (Hà Nội 001, Thanh Hóa 038), some from elsewhere.
    const local = people.filter((p) => ['001', '038'].includes(p.citizen_id.slice(0, 3))).length / people.length;
    expect(local).toBeGreaterThan(0.8);
    expect(local).toBeLessThan(0.98);
  });

  it('gives clean identities: tone-marked names, sex-consistent middle names, valid phones and communes', () => {
    const communeCodes = new Set(COMMUNES.map((c) => c.code));
    const prefixes = /^0(3[2-9]|5[689]|7[06789]|8[1-689]|9[0-46-9])\d{7}$/;
    const bad = people.filter(
      (p) =>
        p.full_name !== p.full_name.normalize('NFC') ||
        p.full_name !== [p.family_name, p.middle_name, p.given_name].filter(Boolean).join(' ') ||
        (p.sex === 'male' ? p.middle_name.startsWith('Thị') : p.middle_name.split(' ').includes('Văn')) ||
        (p.phone !== '' && !prefixes.test(p.phone)) ||
        !communeCodes.has(p.commune_code) ||
        !/^\d{5}$/.test(p.commune_code) ||
        !/^(Thôn|Xóm|Làng) /.test(p.address),
    );
    expect(bad.slice(0, 5)).toEqual([]);
    expect(people.filter((p) => hasNonAscii(p.full_name)).length / people.length).toBeGreaterThan(0.95);
    const nguyen = people.filter((p) => p.family_name === 'Nguyễn').length / people.length;
    expect(nguyen).toBeGreaterThan(0.3);
    expect(nguyen).toBeLessThan(0.48);
    expect(people.some((p) => p.middle_name === '')).toBe(true);
    expect(people.some((p) => p.middle_name.includes(' '))).toBe(true);
  });

  it('spreads ages over 0–90 with children, and gives childhood doses only to under-6s', () => {
    const ages = people.map((p) => ageAt(p.birth_date, DEFAULT_TODAY));
    expect(Math.min(...ages)).toBe(0);
    expect(Math.max(...ages)).toBeLessThanOrEqual(90);
    const share = (f: (a: number) => boolean) => ages.filter(f).length / ages.length;
    expect(share((a) => a < 6)).toBeGreaterThan(0.05);
    expect(share((a) => a < 6)).toBeLessThan(0.12);
    expect(share((a) => a < 18)).toBeGreaterThan(0.18);
    expect(share((a) => a >= 60)).toBeGreaterThan(0.06);
    expect(share((a) => a >= 80)).toBeGreaterThan(0.005);
    const childhood = new Set<VaccineCode>(['BCG', 'HEPB-BIRTH', 'DPT-VGB-HIB', 'OPV', 'IPV', 'MEASLES', 'MR', 'DPT', 'JE']);
    const seen = new Set<VaccineCode>();
    const bad: string[] = [];
    for (const p of people) {
      for (const d of p.doses) {
        if (d.date < p.birth_date || d.date > DEFAULT_TODAY) bad.push(`${d.dose_id} on ${d.date}`);
        if (childhood.has(d.vaccine)) {
          seen.add(d.vaccine);
          if (ageAt(p.birth_date, DEFAULT_TODAY) >= CHILD_PROGRAMME_MAX_AGE) bad.push(`${d.dose_id}: ${d.vaccine} for ${p.birth_date}`);
        }
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(seen).toEqual(childhood);
  });

  it('models COVID-19 series: window, products, primary intervals, booster spacing', () => {
    let az = 0;
    const bad: string[] = [];
    for (const p of people) {
      const covid = p.doses.filter((d) => d.vaccine.startsWith('COVID-')).sort((a, b) => a.dose_number - b.dose_number);
      const say = (what: string) => bad.push(`${p.person_id}: ${what}`);
      covid.forEach((d, i) => {
        if (d.dose_number !== i + 1) say(`dose numbers ${covid.map((c) => c.dose_number)}`);
        if (d.date < COVID_FIRST_DAY || d.date > COVID_LAST_DAY) say(`COVID dose on ${d.date}`);
      });
      if (covid.length > 0 && ageAt(p.birth_date, covid[0]!.date) < 5) say(`first dose at age ${ageAt(p.birth_date, covid[0]!.date)}`);
      const [d1, d2, d3, d4] = covid;
      if (d1 && d2) {
        const [lo, hi] = PRIMARY_INTERVAL_DAYS[d1.vaccine as keyof typeof PRIMARY_INTERVAL_DAYS];
        const gap = dayOf(d2.date) - dayOf(d1.date);
        if (gap < lo || gap > hi) say(`${d1.vaccine} dose 2 after ${gap} days`);
        if (d1.vaccine === 'COVID-AZ') az++;
        const allowed = d1.vaccine === 'COVID-AZ' ? ['COVID-AZ', 'COVID-PFIZER'] : [d1.vaccine];
        if (!allowed.includes(d2.vaccine)) say(`${d1.vaccine} then ${d2.vaccine}`);
      }
      if (d2 && d3 && dayOf(d3.date) - dayOf(d2.date) < 90) say('booster too early');
      if (d3 && d4 && dayOf(d4.date) - dayOf(d3.date) < 120) say('second booster too early');
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(az).toBeGreaterThan(1000);
    const counts = [0, 0, 0, 0, 0];
    for (const p of people) counts[p.doses.filter((d) => d.vaccine.startsWith('COVID-')).length]! += 1;
    expect(counts[3]! + counts[4]!).toBeGreaterThan(counts[1]!);
  });

  it('reports some injections two or three times, never adjacent, at the documented rates', () => {
    const rowsPerDose = new Map<string, number>();
    for (const { truth } of items) if (truth.dose_id) rowsPerDose.set(truth.dose_id, (rowsPerDose.get(truth.dose_id) ?? 0) + 1);
    const counts = [...rowsPerDose.values()];
    expect(Math.max(...counts)).toBe(3);
    expectRate('duplicated injections', counts.filter((c) => c >= 2).length, counts.length, DUPLICATE_REPORT_RATE, 0.15);
    expectRate('triplicated injections', counts.filter((c) => c === 3).length, counts.length, DUPLICATE_REPORT_RATE * THIRD_REPORT_RATE);
    let adjacent = 0;
    for (let i = 1; i < items.length; i++) {
      const id = items[i]!.truth.dose_id;
      if (id !== '' && id === items[i - 1]!.truth.dose_id) adjacent++;
    }
    expect(adjacent / counts.filter((c) => c >= 2).length).toBeLessThan(0.01);
    // Duplicate reports come from different sources.
    const sources = new Map<string, Set<string>>();
    for (const { row, truth } of items) {
      if (!truth.dose_id) continue;
      const set = sources.get(truth.dose_id) ?? new Set<string>();
      set.add(row.source);
      sources.set(truth.dose_id, set);
    }
    expect([...sources].filter(([id, set]) => set.size !== rowsPerDose.get(id))).toEqual([]);
  });

  it('writes names with the documented noise rates', () => {
    const usable = items.filter(usableName);
    expectRate('unusable names', items.length - usable.length, items.length, NAME_UNUSABLE_RATE, 0.35);
    const named = usable.map((item) => ({ item, person: byId.get(item.truth.person_id) as SynthPerson }));

    const withMarks = named.filter(({ person }) => hasNonAscii(person.full_name));
    expectRate('no diacritics', withMarks.filter(({ item }) => !hasNonAscii(item.row.full_name)).length, withMarks.length, NAME_NO_DIACRITICS_RATE);

    const letters = (s: string) => s.toUpperCase() !== s.toLowerCase();
    expectRate('ALL CAPS', named.filter(({ item: { row } }) => letters(row.full_name) && row.full_name === row.full_name.toUpperCase()).length, named.length, NAME_ALL_CAPS_RATE);
    expectRate('lower case', named.filter(({ item: { row } }) => letters(row.full_name) && row.full_name === row.full_name.toLowerCase()).length, named.length, NAME_LOWERCASE_RATE);

    const nonAsciiRows = named.filter(({ item }) => hasNonAscii(item.row.full_name));
    expectRate('NFD', nonAsciiRows.filter(({ item }) => item.row.full_name !== item.row.full_name.normalize('NFC')).length, nonAsciiRows.length, NAME_NFD_RATE);

    const spaced = (s: string) => s !== s.trim() || s.includes('  ');
    expectRate('extra spaces', named.filter(({ item }) => spaced(item.row.full_name)).length, named.length, NAME_EXTRA_SPACES_RATE);

    const withMiddle = named.filter(({ person }) => person.middle_name !== '');
    const dropped = withMiddle.filter(({ item, person }) => fold(item.row.full_name) === fold(`${person.family_name} ${person.given_name}`));
    expectRate('middle name dropped', dropped.length, withMiddle.length, NAME_MIDDLE_DROPPED_RATE);

    const typos = named.filter(
      ({ item, person }) =>
        fold(item.row.full_name) !== fold(person.full_name) &&
        fold(item.row.full_name) !== fold(`${person.family_name} ${person.given_name}`),
    );
    expectRate('typo', typos.length, named.length, NAME_TYPO_RATE);

    // Tone placement: rows of people whose name has a movable tone, still written with marks.
    const movable = named.filter(({ item, person }) => swapTonePlacement(person.full_name) !== person.full_name && hasNonAscii(item.row.full_name));
    const swapped = movable.filter(({ item, person }) => {
      const written = item.row.full_name.normalize('NFC').toLowerCase().trim().replace(/\s+/g, ' ');
      const full = swapTonePlacement(person.full_name).toLowerCase();
      const short = swapTonePlacement(`${person.family_name} ${person.given_name}`).toLowerCase();
      return written === full || written === short;
    });
    expectRate('tone placement swapped', swapped.length, movable.length, NAME_TONE_SWAP_RATE, 0.45);
  });

  it('writes birth dates and sex with the documented noise', () => {
    const full = rowsOf((_, p) => !p.birth_year_only);
    expectRate('birth date missing', full.filter((i) => i.row.birth_date === '').length, full.length, BIRTH_DATE_MISSING_RATE);
    const written = full.filter((i) => i.row.birth_date !== '');
    const excelShare = BIRTH_DATE_FORMAT_WEIGHTS.find(([f]) => f === 'excel')![1];
    expectRate('Excel serial birth dates', written.filter((i) => /^\d{5}$/.test(i.row.birth_date)).length, written.length, excelShare);
    let swaps = 0;
    let eligible = 0;
    const bad: string[] = [];
    for (const item of written) {
      const person = byId.get(item.truth.person_id)!;
      const [y, m, d] = person.birth_date.split('-').map(Number) as [number, number, number];
      const parsed = parseWrittenDate(item.row.birth_date);
      const exact = parsed !== null && parsed.y === y && parsed.m === m && parsed.d === d;
      const swapped = parsed !== null && parsed.y === y && parsed.m === d && parsed.d === m && d <= 12 && d !== m;
      if (!exact && !swapped) bad.push(`${item.row.birth_date} for ${person.birth_date}`);
      if (d <= 12 && d !== m) {
        eligible++;
        if (swapped) swaps++;
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expectRate('day/month swapped', swaps, eligible, BIRTH_DATE_DAY_MONTH_SWAP_RATE, 0.4);
    const yearOnly = rowsOf((_, p) => p.birth_year_only);
    expect(yearOnly.length).toBeGreaterThan(100);
    const badYears = yearOnly.filter(({ row, truth }) => {
      const birth = byId.get(truth.person_id)!.birth_date;
      const year = birth.slice(0, 4);
      return (row.birth_date !== year && row.birth_date !== `01/01/${year}`) || ageAt(birth, DEFAULT_TODAY) < 60;
    });
    expect(badYears).toEqual([]);

    const male = new Set(['Nam', 'nam', 'NAM', 'M', '1', 'male']);
    const female = new Set(['Nữ', 'nữ', 'NỮ', 'Nu', 'F', '0', 'female']);
    expectRate('sex missing', items.filter((i) => i.row.sex === '').length, items.length, SEX_MISSING_RATE);
    const wrongSex = items.filter(({ row, truth }) => row.sex !== '' && !(byId.get(truth.person_id)!.sex === 'male' ? male : female).has(row.sex));
    expect(wrongSex.slice(0, 5)).toEqual([]);
  });

  it('writes citizen IDs with the documented noise, and parents’ IDs for some children', () => {
    const adults = rowsOf((_, p) => ageAt(p.birth_date, DEFAULT_TODAY) >= 14);
    const kinds = { missing: 0, typo: 0, formatted: 0, zeroLost: 0, cmnd: 0, clean: 0, other: 0 };
    let cmndHolders = 0;
    for (const { row, truth } of adults) {
      const p = byId.get(truth.person_id)!;
      const v = row.citizen_id;
      if (p.cmnd !== '') cmndHolders++;
      if (v === '') kinds.missing++;
      else if (v === p.citizen_id) kinds.clean++;
      else if (v === p.citizen_id.slice(1)) kinds.zeroLost++;
      else if (v === p.cmnd) kinds.cmnd++;
      else if (/[ .']/.test(v) && v.replace(/[ .']/g, '') === p.citizen_id) kinds.formatted++;
      else if (/^\d{12}$/.test(v) && [...v].filter((c, i) => c !== p.citizen_id[i]).length === 1) kinds.typo++;
      else kinds.other++;
    }
    expect(kinds.other).toBe(0);
    expectRate('ID missing', kinds.missing, adults.length, CITIZEN_ID_MISSING_RATE);
    expectRate('ID typo', kinds.typo, adults.length, CITIZEN_ID_TYPO_RATE);
    expectRate('ID formatted', kinds.formatted, adults.length, CITIZEN_ID_FORMATTED_RATE);
    expectRate('ID leading zero lost', kinds.zeroLost, adults.length, CITIZEN_ID_LEADING_ZERO_LOST_RATE);
    expectRate('CMND instead of CCCD', kinds.cmnd, cmndHolders, CITIZEN_ID_CMND_RATE);

    const kids = rowsOf((_, p) => ageAt(p.birth_date, DEFAULT_TODAY) < 14 && p.parent_citizen_id !== '');
    expectRate('child ID missing', kids.filter((i) => i.row.citizen_id === '').length, kids.length, CHILD_CITIZEN_ID_MISSING_RATE, 0.15);
    const parentId = kids.filter((i) => i.row.citizen_id === byId.get(i.truth.person_id)!.parent_citizen_id);
    expectRate('parent’s ID for a child', parentId.length, kids.length, CHILD_CITIZEN_ID_PARENT_RATE, 0.2);
  });

  it('writes phones with the documented noise, and shares phones within households', () => {
    const withPhone = rowsOf((_, p) => p.phone !== '');
    expectRate('phone missing', withPhone.filter((i) => i.row.phone === '').length, withPhone.length, PHONE_MISSING_RATE);
    expectRate('+84', withPhone.filter((i) => i.row.phone.startsWith('+84')).length, withPhone.length, PHONE_PLUS84_RATE);
    const lostZero = withPhone.filter((i) => i.row.phone === byId.get(i.truth.person_id)!.phone.slice(1));
    expectRate('phone leading zero lost', lostZero.length, withPhone.length, PHONE_LEADING_ZERO_LOST_RATE);
    const migrated = withPhone.filter((i) => OLD_PHONE_PREFIX[byId.get(i.truth.person_id)!.phone.slice(0, 3)] !== undefined);
    const oldForm = migrated.filter((i) => {
      const phone = byId.get(i.truth.person_id)!.phone;
      return i.row.phone === OLD_PHONE_PREFIX[phone.slice(0, 3)] + phone.slice(3);
    });
    expectRate('old 11-digit prefix', oldForm.length, migrated.length, PHONE_OLD_PREFIX_RATE);
    const sharers = withPhone.filter((i) => byId.get(i.truth.person_id)!.household_phone !== '');
    const shared = sharers.filter((i) => i.row.phone === byId.get(i.truth.person_id)!.household_phone);
    expectRate('household member’s phone', shared.length, sharers.length, PHONE_HOUSEHOLD_SHARED_RATE, 0.4);

    // Children carry a parent's phone; some phones are shared by several people.
    const households = new Map<string, SynthPerson[]>();
    for (const p of people) households.set(p.household_id, [...(households.get(p.household_id) ?? []), p]);
    const children = people.filter((p) => ageAt(p.birth_date, DEFAULT_TODAY) < 15 && p.phone !== '');
    const orphanPhones = children.filter((p) => {
      const adults = households.get(p.household_id)!.filter((m) => ageAt(m.birth_date, DEFAULT_TODAY) >= 18);
      return !adults.some((a) => a.phone === p.phone);
    });
    expect(orphanPhones).toEqual([]);
    const childrenWithPhone = children.length;
    expect(childrenWithPhone).toBeGreaterThan(1000);
    expectRate('commune code missing', items.filter((i) => i.row.commune_code === '').length, items.length, COMMUNE_CODE_MISSING_RATE);
  });

  it('includes twins and groups of different people sharing a very common name and birth year', () => {
    const households = new Map<string, SynthPerson[]>();
    for (const p of people) households.set(p.household_id, [...(households.get(p.household_id) ?? []), p]);
    let twins = 0;
    let children = 0;
    for (const members of households.values()) {
      const kids = members.filter((m) => ageAt(m.birth_date, DEFAULT_TODAY) < 18);
      children += kids.length;
      for (let i = 0; i < kids.length; i++) {
        for (let j = i + 1; j < kids.length; j++) {
          const [a, b] = [kids[i]!, kids[j]!];
          if (a.birth_date === b.birth_date) {
            twins++;
            expect(a.family_name).toBe(b.family_name);
            expect(a.given_name).not.toBe(b.given_name);
            expect(a.citizen_id).not.toBe(b.citizen_id);
          }
        }
      }
    }
    expect(twins / children).toBeGreaterThan(TWIN_RATE * 0.4);
    expect(twins / children).toBeLessThan(TWIN_RATE * 2);

    const groups = new Map<string, Set<string>>();
    for (const p of people) {
      const key = `${p.full_name}|${p.birth_date.slice(0, 4)}`;
      groups.set(key, (groups.get(key) ?? new Set()).add(p.person_id));
    }
    const crowded = [...groups.entries()].filter(([, ids]) => ids.size >= 3);
    expect(crowded.length).toBeGreaterThanOrEqual(5);
    expect(crowded.some(([key]) => key.startsWith('Nguyễn Văn ') || key.startsWith('Nguyễn Thị '))).toBe(true);
    for (const [, ids] of crowded) {
      const group = [...ids].map((id) => byId.get(id)!);
      expect(new Set(group.map((p) => p.citizen_id)).size).toBe(group.length);
      expect(new Set(group.map((p) => p.household_id)).size).toBeGreaterThan(1);
    }
  });

  it('spells vaccines with several aliases', () => {
    const spellings = new Map<VaccineCode, Set<string>>();
    for (const { row, truth } of items) {
      if (!truth.dose_id) continue;
      const code = doseOwner.get(truth.dose_id)!.vaccine;
      spellings.set(code, (spellings.get(code) ?? new Set()).add(row.vaccine));
    }
    expect(spellings.get('COVID-AZ')!.size).toBeGreaterThanOrEqual(6);
    expect(spellings.get('COVID-PFIZER')!.has('Comirnaty')).toBe(true);
    expect(spellings.get('COVID-VEROCELL')!.has('Sinopharm')).toBe(true);
    expect(spellings.get('DPT-VGB-HIB')!.has('5 trong 1')).toBe(true);
    expect(spellings.get('MR')!.has('Vắc xin Sởi - Rubella')).toBe(true);
  });
});

describe('writeSynthFiles', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vaxsync-synth-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes records.csv (BOM, comma) and truth.csv that parse back to exactly the generated rows', async () => {
    const options = { persons: 3000, seed: 11 };
    const result = await writeSynthFiles({ ...options, dir: join(dir, 'a') });
    const expected = collect(options);
    expect(result.rows).toBe(expected.length);

    const recordsBytes = await readFile(result.records);
    expect([...recordsBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(recordsBytes.toString('utf8'), { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual([...CONTRACT_COLUMNS]);
    expect(records).toEqual(expected.map((e) => ({ ...e.row })));
    // Fields that need quoting really occur, so the quoting path is exercised.
    expect(expected.some((e) => e.row.address.includes(',') || e.row.adverse_event.includes(','))).toBe(true);

    const truth = parse(await readFile(result.truth, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(truth).toEqual(expected.map((e) => ({ ...e.truth })));

    const again = await writeSynthFiles({ ...options, dir: join(dir, 'b') });
    expect((await readFile(again.records)).equals(recordsBytes)).toBe(true);
    expect(await readFile(again.truth, 'utf8')).toBe(await readFile(result.truth, 'utf8'));
  });
});
