import { describe, expect, it } from 'vitest';
import { normalizeDoseNumber } from '../../src/clean/dose-number.js';

const REFORMATTED = [expect.objectContaining({ code: 'dose_number.reformatted', severity: 'fix' })];

describe('normalizeDoseNumber', () => {
  it('accepts a plain integer from 1 to 10 with no finding', () => {
    for (let n = 1; n <= 10; n++) expect(normalizeDoseNumber(String(n))).toEqual({ value: n, findings: [] });
  });

  it('returns null without findings for a blank cell', () => {
    expect(normalizeDoseNumber('')).toEqual({ value: null, findings: [] });
    expect(normalizeDoseNumber(' ')).toEqual({ value: null, findings: [] });
  });

  it('reads a number written otherwise as a fix', () => {
    for (const [raw, n] of [['2.0', 2], ['2,0', 2], ['02', 2], [' 3 ', 3], ['+1', 1]] as const) {
      expect(normalizeDoseNumber(raw), raw).toEqual({ value: n, findings: REFORMATTED });
    }
  });

  it('extracts the number from Vietnamese text, with or without diacritics, NFD too', () => {
    const cases: readonly (readonly [string, number])[] = [
      ['Mũi 2', 2], ['mũi thứ 3', 3], ['MŨI 1', 1], ['Mui 2', 2], ['M2', 2], ['m 3', 3], ['Mũi 1 (cơ bản)', 1],
      ['Mũi 3 (nhắc lại)', 3], ['Mũi thứ hai', 2], ['mũi thứ nhất', 1], ['Mũi thứ tư', 4], ['Liều 2', 2], ['lần 1', 1],
      ['Dose 2', 2], ['mũi thứ 3'.normalize('NFD'), 3], ['Mũi số 2', 2],
    ];
    for (const [raw, n] of cases) expect(normalizeDoseNumber(raw), raw).toEqual({ value: n, findings: REFORMATTED });
  });

  it('flags a booster named without its dose number', () => {
    for (const raw of ['nhắc lại', 'Mũi nhắc lại', 'Nhắc lại lần 1', 'mũi bổ sung', 'Tăng cường']) {
      expect(normalizeDoseNumber(raw), raw).toEqual({
        value: null,
        findings: [expect.objectContaining({ code: 'dose_number.no_number', severity: 'warning' })],
      });
    }
  });

  it('rejects 0, negative numbers and numbers above 10', () => {
    for (const raw of ['0', '-1', '11', '2021', 'Mũi 0', 'mũi 15', '0.0']) {
      expect(normalizeDoseNumber(raw), raw).toEqual({
        value: null,
        findings: [expect.objectContaining({ code: 'dose_number.out_of_range', severity: 'invalid' })],
      });
    }
  });

  it('rejects fractions and text it cannot read', () => {
    for (const raw of ['2.5', '1,5', 'Mũi 1/2', 'mũi 2 - 2021', 'Pfizer', 'x', 'không rõ', 'mũi']) {
      expect(normalizeDoseNumber(raw), raw).toEqual({
        value: null,
        findings: [expect.objectContaining({ code: 'dose_number.unreadable', severity: 'invalid' })],
      });
    }
  });
});
