import { describe, expect, it } from 'vitest';
import { Random } from '../../src/base/random.js';
import { comparePartialDates, isAfterDay, parseIsoPartialDate, parsePartialDate, partialDateToIso } from '../../src/clean/date.js';
import type { PartialDate } from '../../src/clean/types.js';

const day = (year: number, month: number, d: number): PartialDate => ({ precision: 'day', year, month, day: d });
const month = (year: number, m: number): PartialDate => ({ precision: 'month', year, month: m });
const year = (y: number): PartialDate => ({ precision: 'year', year: y });
const birth = (raw: string) => parsePartialDate(raw, 'birth_date');
const codes = (raw: string) => birth(raw).findings.map((f) => f.code);

describe('parsePartialDate', () => {
  it('reads d/m/yyyy and yyyy-mm-dd as it reads them with a time after, every other text too', () => {
    // The two common shapes are read without DATE_SHAPES, a text with a time after them never: the same
    // date and findings (but the time's) from both show the shortcut reads exactly what the shapes do.
    const rng = new Random(11);
    const digits = (n: number) => Array.from({ length: n }, () => String(rng.int(0, 9))).join('');
    const texts = ['12/10/2021', '1/2/2021', '2021-08-15', '2021.8.5', '31/02/2021', '13/25/2021', '29/02/2024', '12/10-2021', '0/0/2021', '2021-13-01'];
    for (let k = 0; k < 5000; k++) {
      const runs = rng.pick([1, 2, 3, 3, 3, 4]);
      let text = '';
      for (let r = 0; r < runs; r++) text += (r > 0 ? rng.pick(['/', '-', '.', '/', '-', '.', ' ', 'x']) : '') + digits(rng.pick([0, 1, 2, 2, 3, 4, 4, 5]));
      texts.push(text);
    }
    let read = 0;
    for (const text of texts) {
      const alone = birth(text);
      const timed = birth(`${text.trim()} 00:00`);
      const withoutTime = { value: timed.value, findings: timed.findings.filter((f) => f.code !== 'birth_date.time_removed') };
      // A text the shapes read, they read with a time after it; one they do not is unreadable alone too.
      if (timed.findings.length === withoutTime.findings.length) expect(alone.findings.map((f) => f.code), text).toEqual(text === '' ? [] : ['birth_date.unreadable']);
      else expect(alone, text).toEqual(withoutTime);
      if (alone.value?.precision === 'day') read++;
    }
    expect(read).toBeGreaterThan(500);
  });

  it('reads the Vietnamese dd/mm/yyyy forms and ISO without a finding', () => {
    for (const raw of ['15/03/1985', '15-03-1985', '15.03.1985', '1985-03-15', '1985/03/15', ' 15/03/1985 ']) {
      expect(birth(raw), raw).toEqual({ value: day(1985, 3, 15), findings: [] });
    }
    expect(birth('5/3/1985')).toEqual({ value: day(1985, 3, 5), findings: [] });
    expect(birth('2021-09-10')).toEqual({ value: day(2021, 9, 10), findings: [] });
    expect(birth('1992-05-07')).toEqual({ value: day(1992, 5, 7), findings: [] });
  });

  it('returns null without findings for a blank cell', () => {
    expect(birth('')).toEqual({ value: null, findings: [] });
    expect(birth('  ')).toEqual({ value: null, findings: [] });
  });

  it('uses the field name in the codes', () => {
    expect(parsePartialDate('31/02/2021', 'vaccination_date').findings.map((f) => f.code)).toEqual(['vaccination_date.impossible']);
  });

  it('drops the time part XLSX readers append, as a fix', () => {
    for (const raw of ['1992-05-07T00:00:00', '1992-05-07T00:00:00.000Z', '1992-05-07 00:00:00', '07/05/1992 00:00', '1992-05-07T00:00:00+07:00']) {
      expect(birth(raw), raw).toEqual({
        value: day(1992, 5, 7),
        findings: [expect.objectContaining({ code: 'birth_date.time_removed', severity: 'fix' })],
      });
    }
  });

  it('keeps a year alone as a year, never 1 January', () => {
    expect(birth('1990')).toEqual({ value: year(1990), findings: [] });
    expect(partialDateToIso(birth('1990').value!)).toBe('1990');
    expect(birth('1880').findings.map((f) => f.code)).toEqual(['birth_date.out_of_range']);
    expect(birth('2100')).toEqual({ value: year(2100), findings: [] });
  });

  it('keeps month and year at month precision', () => {
    for (const raw of ['03/1985', '3/1985', '03-1985', '03.1985', '1985-03']) {
      expect(birth(raw), raw).toEqual({ value: month(1985, 3), findings: [] });
    }
    expect(codes('13/1985')).toEqual(['birth_date.impossible']);
    expect(codes('00/1985')).toEqual(['birth_date.impossible']);
  });

  it('converts Excel serial numbers of the 1900 system, as a fix', () => {
    const serial = (raw: string) => birth(raw);
    expect(serial('31134')).toEqual({ value: day(1985, 3, 28), findings: [expect.objectContaining({ code: 'birth_date.excel_serial', severity: 'fix' })] });
    expect(serial('1').value).toEqual(day(1900, 1, 1));
    expect(serial('59').value).toEqual(day(1900, 2, 28));
    expect(serial('61').value).toEqual(day(1900, 3, 1));
    expect(serial('44197').value).toEqual(day(2021, 1, 1));
    expect(serial('45292').value).toEqual(day(2024, 1, 1)); // 2024 is a leap year
    expect(serial('45351').value).toEqual(day(2024, 2, 29));
    // with the time of day as a fraction
    expect(serial('44197.5')).toEqual({ value: day(2021, 1, 1), findings: [expect.objectContaining({ code: 'birth_date.excel_serial' })] });
  });

  it('rejects serial 60, the fictitious 1900-02-29', () => {
    expect(birth('60')).toEqual({ value: null, findings: [expect.objectContaining({ code: 'birth_date.impossible', severity: 'invalid' })] });
  });

  it('reads every 4-digit number as a year, and 5-digit numbers as serials or nothing', () => {
    expect(birth('1985').value).toEqual(year(1985));
    expect(codes('2101')).toEqual(['birth_date.out_of_range']); // a mistyped year, not the serial of 1905
    expect(codes('1850')).toEqual(['birth_date.out_of_range']);
    expect(birth('10000').value).toEqual(day(1927, 5, 18));
    expect(codes('0')).toEqual(['birth_date.unreadable']);
    expect(codes('73416')).toEqual(['birth_date.unreadable']); // beyond 2100-12-31 (serial 73415)
    expect(birth('73415').value).toEqual(day(2100, 12, 31));
    expect(codes('15.03')).toEqual(['birth_date.unreadable']); // no year: not a serial with a fraction
  });

  it('reads a date typed without separators as yyyymmdd or ddmmyyyy, as a fix', () => {
    expect(birth('19850315')).toEqual({ value: day(1985, 3, 15), findings: [expect.objectContaining({ code: 'birth_date.reformatted', severity: 'fix' })] });
    expect(birth('15031985')).toEqual({ value: day(1985, 3, 15), findings: [expect.objectContaining({ code: 'birth_date.reformatted', severity: 'fix' })] });
    expect(birth('19121990').value).toEqual(day(1990, 12, 19));
    expect(codes('31021990')).toEqual(['birth_date.impossible']);
  });

  it('rejects 2-digit years (Excel would move 1925 to 2025)', () => {
    for (const raw of ['15/03/85', '1/1/25', '15-03-85']) {
      expect(birth(raw), raw).toEqual({ value: null, findings: [expect.objectContaining({ code: 'birth_date.two_digit_year', severity: 'invalid' })] });
    }
  });

  it('rejects impossible dates', () => {
    for (const raw of ['31/02/1990', '29/02/1990', '00/05/1990', '31/04/2021', '1990-02-30', '15/00/1990', '32/01/1990']) {
      expect(birth(raw), raw).toEqual({ value: null, findings: [expect.objectContaining({ code: 'birth_date.impossible', severity: 'invalid' })] });
    }
    expect(birth('29/02/2000').value).toEqual(day(2000, 2, 29)); // divisible by 400
    expect(birth('29/02/1992').value).toEqual(day(1992, 2, 29));
    expect(codes('29/02/1900')).toEqual(['birth_date.impossible']); // divisible by 100
  });

  it('swaps day and month when only the US order makes a date, with a warning', () => {
    expect(birth('03/15/1985')).toEqual({
      value: day(1985, 3, 15),
      findings: [expect.objectContaining({ code: 'birth_date.day_month_swapped', severity: 'warning' })],
    });
    expect(birth('12/31/2021').value).toEqual(day(2021, 12, 31));
    expect(birth('1985-15-03').value).toEqual(day(1985, 3, 15));
    // both orders possible: read as dd/mm, no finding
    expect(birth('03/04/1985')).toEqual({ value: day(1985, 4, 3), findings: [] });
    // neither order works
    expect(codes('02/31/1985')).toEqual(['birth_date.impossible']);
  });

  it('does not flag the common 01/01/yyyy placeholder', () => {
    expect(birth('01/01/1950')).toEqual({ value: day(1950, 1, 1), findings: [] });
  });

  it('rejects years before 1900 and after 2100', () => {
    for (const raw of ['15/03/1885', '1899-12-31', '03/1850', '01/01/2190']) {
      expect(birth(raw), raw).toEqual({ value: null, findings: [expect.objectContaining({ code: 'birth_date.out_of_range', severity: 'invalid' })] });
    }
  });

  it('rejects text it cannot read', () => {
    for (const raw of ['không rõ', 'ngày 15 tháng 3', '15/03/19850', '15/03-1985', '1985-03-15-01', 'x']) {
      expect(birth(raw), raw).toEqual({ value: null, findings: [expect.objectContaining({ code: 'birth_date.unreadable', severity: 'invalid' })] });
    }
  });
});

describe('partialDateToIso and parseIsoPartialDate', () => {
  it('write and read back every precision', () => {
    for (const [d, iso] of [
      [day(1985, 3, 5), '1985-03-05'],
      [month(1985, 11), '1985-11'],
      [year(1950), '1950'],
    ] as const) {
      expect(partialDateToIso(d)).toBe(iso);
      expect(parseIsoPartialDate(iso)).toEqual(d);
    }
  });

  it('read nothing that is not a real date in the stored form', () => {
    for (const s of ['1985-02-30', '1985-13', '15/03/1985', '1985-3-5', '85', '']) expect(parseIsoPartialDate(s), s).toBeNull();
  });
});

describe('comparePartialDates', () => {
  it('orders dates that do not overlap, whatever their precision', () => {
    expect(comparePartialDates(day(1985, 3, 2), day(1985, 3, 3))).toBe(-1);
    expect(comparePartialDates(day(2021, 8, 20), day(1985, 3, 15))).toBe(1);
    expect(comparePartialDates(year(1984), day(1985, 1, 1))).toBe(-1);
    expect(comparePartialDates(month(1985, 4), day(1985, 3, 31))).toBe(1);
    expect(comparePartialDates(year(1985), month(1986, 1))).toBe(-1);
  });

  it('says 0 only for the same day at day precision', () => {
    expect(comparePartialDates(day(1985, 3, 2), day(1985, 3, 2))).toBe(0);
  });

  it('leaves overlapping ranges undecided', () => {
    expect(comparePartialDates(year(1985), day(1985, 3, 2))).toBeNull();
    expect(comparePartialDates(month(1985, 3), day(1985, 3, 2))).toBeNull();
    expect(comparePartialDates(year(1985), year(1985))).toBeNull();
    expect(comparePartialDates(month(1985, 3), month(1985, 3))).toBeNull();
  });
});

describe('isAfterDay', () => {
  const today = '2026-11-01';
  it('is true only when the whole range lies after today', () => {
    expect(isAfterDay(day(2026, 11, 2), today)).toBe(true);
    expect(isAfterDay(day(2026, 11, 1), today)).toBe(false);
    expect(isAfterDay(month(2026, 12), today)).toBe(true);
    expect(isAfterDay(month(2026, 11), today)).toBe(false);
    expect(isAfterDay(year(2027), today)).toBe(true);
    expect(isAfterDay(year(2026), today)).toBe(false);
    expect(isAfterDay(day(1985, 3, 15), today)).toBe(false);
  });
});
