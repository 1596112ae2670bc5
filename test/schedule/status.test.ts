import { describe, expect, it } from 'vitest';
import { scheduleStatus } from '../../src/schedule/status.js';

const epiSeries = (s: ReturnType<typeof scheduleStatus>, series: string) => s.epi!.find((x) => x.series === series)!;

describe('scheduleStatus: childhood programme (TT 38/2017)', () => {
  it('has a newborn due the hepatitis B birth dose and BCG, and the 5-in-1 not yet', () => {
    const s = scheduleStatus('2026-11-01', [], '2026-11-01');
    expect(epiSeries(s, 'HEPB-BIRTH').next).toMatchObject({ state: 'due', dueDate: '2026-11-01' });
    expect(epiSeries(s, 'BCG').next?.state).toBe('due');
    expect(epiSeries(s, 'DPT-VGB-HIB').next).toMatchObject({ state: 'not_yet', dueDate: '2026-12-31' });
  });

  it('spaces the 5-in-1 doses at least 28 days apart, and calls a late one overdue after a month', () => {
    const doses = [
      { vaccine: 'HEPB-BIRTH', date: '2026-01-01' },
      { vaccine: 'BCG', date: '2026-01-10' },
      { vaccine: 'DPT-VGB-HIB', date: '2026-03-25' }, // given late, at almost 3 months
      { vaccine: 'OPV', date: '2026-03-25' },
    ];
    const s = scheduleStatus('2026-01-01', doses, '2026-04-10');
    // due at 3 months (2026-04-01) but not before 28 days after dose 1 (2026-04-22)
    expect(epiSeries(s, 'DPT-VGB-HIB')).toMatchObject({ doses: 1, next: { dueDate: '2026-04-22', state: 'not_yet' } });
    expect(epiSeries(s, 'HEPB-BIRTH').complete).toBe(true);
    const late = scheduleStatus('2026-01-01', doses, '2026-06-01');
    expect(epiSeries(late, 'DPT-VGB-HIB').next?.state).toBe('overdue');
  });

  it('follows a child to 24 months only, and needs a birth date known to the day', () => {
    expect(scheduleStatus('2023-01-01', [], '2026-11-01').epi).toBeNull();
    expect(scheduleStatus('2026', [], '2026-11-01').epi).toBeNull();
  });

  it('counts MR at 9 months for measles and still asks MR at 18 months', () => {
    const s = scheduleStatus('2025-01-15', [{ vaccine: 'MR', date: '2025-10-20' }], '2026-08-01');
    expect(epiSeries(s, 'MEASLES').complete).toBe(true);
    expect(epiSeries(s, 'MR').next).toMatchObject({ dueDate: '2026-07-09', state: 'due' }); // 18 months = 540 days
  });
});

describe('scheduleStatus: COVID-19 by age group', () => {
  it('asks an adult for a third dose 3 months after the second, and a fourth only from 50', () => {
    const two = [
      { vaccine: 'COVID-AZ', date: '2021-08-01' },
      { vaccine: 'COVID-PFIZER', date: '2021-10-01' },
    ];
    expect(scheduleStatus('1990-05-05', two, '2022-03-01').covid).toMatchObject({ doses: 2, next: { dueDate: '2021-12-30', state: 'due' } });
    const three = [...two, { vaccine: 'COVID-MODERNA', date: '2022-01-15' }];
    expect(scheduleStatus('1990-05-05', three, '2022-08-01').covid).toMatchObject({ doses: 3, complete: true });
    expect(scheduleStatus('1960', three, '2022-08-01').covid).toMatchObject({ doses: 3, next: { dueDate: '2022-05-15', state: 'due' } });
  });

  it('waits 5 months for a teenager\'s third dose, and gives children 5–11 two doses only', () => {
    const two = [
      { vaccine: 'COVID-PFIZER', date: '2022-01-10' },
      { vaccine: 'COVID-PFIZER', date: '2022-02-01' },
    ];
    expect(scheduleStatus('2008-03-03', two, '2022-05-01').covid).toMatchObject({ next: { dueDate: '2022-07-01', state: 'not_yet' } });
    expect(scheduleStatus('2015-03-03', two, '2022-05-01').covid).toMatchObject({ doses: 2, complete: true });
    expect(scheduleStatus('2019-03-03', [], '2022-05-01').covid).toBeNull(); // under 5
  });

  it('counts one Janssen dose as the whole primary series', () => {
    expect(scheduleStatus('1980', [{ vaccine: 'COVID-JANSSEN', date: '2021-09-01' }], '2022-03-01').covid).toMatchObject({
      doses: 2,
      next: { rule: { dose: 3 } },
    });
  });
});
