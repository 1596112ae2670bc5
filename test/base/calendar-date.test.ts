import { describe, expect, it } from 'vitest';
import { calendarDateProblem, civilDateIn } from '../../src/base/calendar-date.js';

describe('calendarDateProblem', () => {
  it('accepts real calendar dates, leap days of leap years included', () => {
    for (const d of ['2026-01-01', '2026-12-31', '2024-02-29', '2000-02-29', '0048-02-29']) expect(calendarDateProblem(d)).toBeNull();
  });

  it('refuses days that do not exist instead of rolling them over', () => {
    for (const d of ['2026-02-30', '2026-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '0050-02-29']) {
      expect(calendarDateProblem(d), d).toBe('is not a calendar date');
    }
  });

  it('refuses anything but yyyy-mm-dd', () => {
    for (const d of ['1.11.2026', '2026-1-5', '2026-01-05T00:00', ' 2026-01-05', '20260105', '', '01/11/2026']) {
      expect(calendarDateProblem(d), d).toBe('must be yyyy-mm-dd');
    }
  });
});

describe('civilDateIn', () => {
  it('is the date a wall calendar shows in the time zone', () => {
    const instant = new Date('2026-12-01T23:30:00Z');
    expect(civilDateIn('Asia/Ho_Chi_Minh', instant)).toBe('2026-12-02');
    expect(civilDateIn('UTC', instant)).toBe('2026-12-01');
    expect(civilDateIn('America/New_York', instant)).toBe('2026-12-01');
  });
});
