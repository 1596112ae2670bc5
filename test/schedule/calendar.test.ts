import { describe, expect, it } from 'vitest';
import { addMonths, addSpan, dayOf, isoOf, wholeMonths, wholeYears } from '../../src/schedule/calendar.js';

const plusMonths = (iso: string, n: number) => isoOf(addMonths(dayOf(iso)!, n));

describe('calendar months', () => {
  it('is the same day of the month, n months later', () => {
    expect(plusMonths('2026-01-15', 9)).toBe('2026-10-15');
    expect(plusMonths('2026-01-31', 9)).toBe('2026-10-31');
    expect(plusMonths('2025-11-30', 3)).toBe('2026-03-01'); // no 30 February
  });

  it('moves a day the target month lacks to the 1st of the month after (CDSi), never back', () => {
    expect(plusMonths('2026-01-31', 1)).toBe('2026-03-01');
    expect(plusMonths('2026-01-31', 3)).toBe('2026-05-01'); // no 31 April
    expect(plusMonths('2024-02-29', 12)).toBe('2025-03-01');
    expect(plusMonths('2024-01-30', 1)).toBe('2024-03-01'); // 2024 is a leap year: no 30 February either
    expect(plusMonths('2026-12-31', 2)).toBe('2027-03-01');
  });

  it('adds weeks and days after the months', () => {
    expect(isoOf(addSpan(dayOf('2026-01-31')!, { months: 1, weeks: 1, days: 1 }))).toBe('2026-03-09');
  });

  it('counts whole months and years as a clinic does', () => {
    const born = dayOf('2026-01-31')!;
    expect(wholeMonths(born, dayOf('2026-02-28')!)).toBe(0);
    expect(wholeMonths(born, dayOf('2026-03-01')!)).toBe(1);
    expect(wholeMonths(born, dayOf('2026-10-30')!)).toBe(8);
    expect(wholeMonths(born, dayOf('2026-10-31')!)).toBe(9);
    expect(wholeYears(dayOf('2024-02-29')!, dayOf('2025-02-28')!)).toBe(0);
    expect(wholeYears(dayOf('2024-02-29')!, dayOf('2025-03-01')!)).toBe(1);
  });

  it('rejects dates that do not exist', () => {
    expect(dayOf('2026-02-30')).toBeNull();
    expect(dayOf('2026-02')).toBeNull();
    for (const bad of ['2026-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-01', '2026-01-1x', '２０２６-01-01', '2026/01/01', ' 2026-01-01']) {
      expect(dayOf(bad), bad).toBeNull();
    }
    expect(dayOf('2000-02-29')).not.toBeNull();
    expect(dayOf('2024-02-29')).not.toBeNull();
  });

  it('numbers every day of 1900–2100 as the calendar does (Date.UTC as the reference)', () => {
    for (let t = Date.UTC(1900, 0, 1); t <= Date.UTC(2100, 11, 31); t += 86_400_000) {
      const iso = new Date(t).toISOString().slice(0, 10);
      expect(dayOf(iso)).toBe(t / 86_400_000);
    }
  });
});
