import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { communeName, currentProvinceOf, normalizeCommuneCode } from '../../src/clean/commune.js';
import type { PartialDate } from '../../src/clean/types.js';
import { COMMUNES } from '../../src/synth/generate.js';

// Examples are real units from data/admin-units.json (GSO list of 2025-01-04, QĐ 19/2025 list, conversion table).
const day = (year: number, month: number, d: number): PartialDate => ({ precision: 'day', year, month, day: d });
const IN_2021 = day(2021, 8, 20);
const IN_2026 = day(2026, 3, 2);
const codes = (raw: string, date: PartialDate | null = IN_2021) => normalizeCommuneCode(raw, date).findings.map((f) => f.code);

describe('normalizeCommuneCode', () => {
  it('keeps a commune the reform left unchanged (Xã Ngọc Long, Hà Giang → Tuyên Quang)', () => {
    expect(normalizeCommuneCode('00859', IN_2021)).toEqual({ value: { code: '00859', scheme: '2004', current: '00859' }, findings: [] });
    expect(normalizeCommuneCode('00859', IN_2026)).toEqual({ value: { code: '00859', scheme: '2025', current: '00859' }, findings: [] });
    expect(communeName('00859', '2004')).toBe('Xã Ngọc Long');
    expect(communeName('00859', '2025')).toBe('Xã Ngọc Long');
    // The unit stayed, its province did not: old 02 Hà Giang is part of 08 Tuyên Quang (DOMAIN §4.2).
    expect(currentProvinceOf('00859')).toBe('08');
  });

  it('maps an old code merged into a new commune with another code (Phường Quán Thánh → Phường Ba Đình)', () => {
    expect(normalizeCommuneCode('00013', IN_2021)).toEqual({ value: { code: '00013', scheme: '2004', current: '00004' }, findings: [] });
    // A code only the old list has is old whatever the date says.
    expect(normalizeCommuneCode('00013', IN_2026).value).toEqual({ code: '00013', scheme: '2004', current: '00004' });
    expect(normalizeCommuneCode('00013', null).value).toEqual({ code: '00013', scheme: '2004', current: '00004' });
    expect(communeName('00013', '2004')).toBe('Phường Quán Thánh');
    expect(communeName('00013', '2025')).toBeNull();
    expect(communeName('00004', '2025')).toBe('Phường Ba Đình');
    // Xã Ea Huar (Đắk Lắk) went into the new commune 24241.
    expect(normalizeCommuneCode('24238', IN_2021).value).toEqual({ code: '24238', scheme: '2004', current: '24241' });
  });

  it('has no current unit for an old commune split among several new ones', () => {
    // Phường Ngọc Hà (Ba Đình) went partly to Phường Ba Đình (00004), partly to Phường Ngọc Hà (00008), …
    const split = normalizeCommuneCode('00016', IN_2021);
    expect(split.value).toEqual({ code: '00016', scheme: '2004', current: null });
    expect(split.findings).toEqual([expect.objectContaining({ code: 'commune_code.split_in_2025', severity: 'warning' })]);
    // Phường 15, Phú Nhuận: a 2025 code the 2025-01-04 export lacks, known from the conversion table.
    expect(normalizeCommuneCode('27076', IN_2021).value).toEqual({ code: '27076', scheme: '2004', current: null });
    expect(codes('27076')).toEqual(['commune_code.split_in_2025']);
    expect(communeName('27076', '2004')).toBe('Phường 15');
  });

  it('flags an old code the conversion table does not list (Xã Mỹ Hưng, Cao Bằng)', () => {
    expect(normalizeCommuneCode('01651', IN_2021).value).toEqual({ code: '01651', scheme: '2004', current: null });
    expect(codes('01651')).toEqual(['commune_code.not_in_conversion']);
  });

  it('reads a code only the 2025 list has as a 2025 code, whatever the date (Đặc khu Bạch Long Vĩ)', () => {
    for (const date of [IN_2021, IN_2026, null]) {
      expect(normalizeCommuneCode('11948', date)).toEqual({ value: { code: '11948', scheme: '2025', current: '11948' }, findings: [] });
    }
    expect(communeName('11948', '2025')).toBe('Đặc khu Bạch Long Vĩ');
    expect(currentProvinceOf('11948')).toBe('31');
  });

  describe('a code in both lists for the same current unit (Thị trấn Sóc Sơn → Xã Sóc Sơn, 00376)', () => {
    it.each([
      ['before the reform', IN_2021, '2004'],
      ['on the last day before it', day(2025, 6, 30), '2004'],
      ['in June 2025 (month precision)', { precision: 'month', year: 2025, month: 6 } as PartialDate, '2004'],
      ['on the day it took effect', day(2025, 7, 1), '2025'],
      ['in 2025 at year precision (cannot tell)', { precision: 'year', year: 2025 } as PartialDate, '2025'],
      ['with no date', null, '2025'],
    ])('takes the scheme from the date: %s', (_label, date, scheme) => {
      expect(normalizeCommuneCode('00376', date)).toEqual({ value: { code: '00376', scheme, current: '00376' }, findings: [] });
    });

    it('names the unit in each list', () => {
      expect(communeName('00376', '2004')).toBe('Thị trấn Sóc Sơn');
      expect(communeName('00376', '2025')).toBe('Xã Sóc Sơn');
    });
  });

  it('takes a code whose old commune was split, one part keeping the code, as that current unit (00025)', () => {
    expect(communeName('00025', '2004')).toBe('Phường Ngọc Khánh');
    expect(communeName('00025', '2025')).toBe('Phường Giảng Võ');
    expect(normalizeCommuneCode('00025', IN_2021)).toEqual({ value: { code: '00025', scheme: '2004', current: '00025' }, findings: [] });
    expect(normalizeCommuneCode('00025', IN_2026)).toEqual({ value: { code: '00025', scheme: '2025', current: '00025' }, findings: [] });
  });

  it('restores the leading zeros Excel dropped, and the ".0" of a float cell', () => {
    expect(normalizeCommuneCode('376', IN_2021)).toEqual({
      value: { code: '00376', scheme: '2004', current: '00376' },
      findings: [expect.objectContaining({ code: 'commune_code.leading_zero_restored', severity: 'fix' })],
    });
    expect(normalizeCommuneCode('13', IN_2021).value).toEqual({ code: '00013', scheme: '2004', current: '00004' });
    expect(codes('13')).toEqual(['commune_code.leading_zero_restored']);
    expect(normalizeCommuneCode('376.0', IN_2021).value?.code).toBe('00376');
    expect(codes('376.0')).toEqual(['commune_code.decimal_removed', 'commune_code.leading_zero_restored']);
    expect(codes('15061.0')).toEqual(['commune_code.decimal_removed']);
    // Surrounding spaces and Excel's text apostrophe carry no meaning.
    expect(normalizeCommuneCode(" '00376 ", IN_2021)).toEqual({ value: { code: '00376', scheme: '2004', current: '00376' }, findings: [] });
  });

  it('marks codes that are not 1–5 digits unreadable', () => {
    for (const raw of ['003760', '123456', 'Xã Sóc Sơn', '00 376', '003-76', '3.76E+2', '376.5', '-376']) {
      expect(normalizeCommuneCode(raw, IN_2021), raw).toEqual({
        value: null,
        findings: [expect.objectContaining({ code: 'commune_code.unreadable', severity: 'invalid' })],
      });
    }
  });

  it('marks codes in neither list unknown', () => {
    for (const raw of ['99999', '00002', '00000']) {
      expect(normalizeCommuneCode(raw, IN_2021), raw).toEqual({
        value: null,
        findings: [expect.objectContaining({ code: 'commune_code.unknown', severity: 'invalid' })],
      });
    }
    expect(codes('2')).toEqual(['commune_code.leading_zero_restored', 'commune_code.unknown']);
  });

  it('treats a blank cell as missing, with no finding', () => {
    for (const raw of ['', '  ', '\u00a0']) expect(normalizeCommuneCode(raw, IN_2021)).toEqual({ value: null, findings: [] });
  });

  it('never puts the code in a message', () => {
    for (const raw of ['00016', '01651', '376', '376.0', '99999', '003760']) {
      const result = normalizeCommuneCode(raw, IN_2021);
      expect(result.findings.length, raw).toBeGreaterThan(0);
      for (const f of result.findings) {
        expect(f.message, raw).not.toContain(raw);
        expect(f.message, raw).not.toContain(raw.replace('.0', '').padStart(5, '0'));
      }
    }
  });
});

describe('the test-data generator communes', () => {
  it('come out with the 2025 code as the current unit, padded or not, for 2021–2023 vaccinations', () => {
    for (const commune of COMMUNES) {
      for (const date of [day(2021, 7, 15), day(2022, 12, 31), day(2023, 5, 2)]) {
        expect(normalizeCommuneCode(commune.code, date).value?.current, commune.code).toBe(commune.code);
        expect(normalizeCommuneCode(commune.unpadded, date).value?.current, commune.unpadded).toBe(commune.code);
      }
      expect(communeName(commune.code, '2025'), commune.code).toBe(commune.name);
      expect(currentProvinceOf(commune.code)).toBe(commune.province.code);
    }
  });

  it('are never flagged as ambiguous: every reading leads to the same current unit', () => {
    expect(COMMUNES.filter((c) => codes(c.code).length > 0).map((c) => c.code)).toEqual([]);
  });
});

describe('data/admin-units.json', () => {
  const file = new URL('../../data/admin-units.json', import.meta.url);
  const data = JSON.parse(readFileSync(file, 'utf8')) as {
    provenance: { licence: string; commit: string };
    communes2004: [string, string, [string, string][]][];
    communes2025: [string, [string, string][]][];
    conversion: string[][];
  };

  it('holds both code lists and the conversion table, compactly', () => {
    expect(data.communes2004.reduce((n, [, , members]) => n + members.length, 0)).toBe(10_051 + 10);
    expect(data.communes2025).toHaveLength(34);
    expect(data.communes2025.reduce((n, [, members]) => n + members.length, 0)).toBe(3_321);
    expect(new Set(data.conversion.flatMap(([, ...olds]) => olds)).size).toBe(10_033);
    expect(statSync(file).size).toBeLessThan(600 * 1024);
  });

  it('says where it comes from and under which licence', () => {
    expect(data.provenance.licence).toMatch(/^GPL-3\.0-or-later/);
    expect(data.provenance.commit).toBe('809e91baefbe3153ccaecc9b2286303a98b9119b');
  });
});
