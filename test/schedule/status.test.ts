/** The schedule engine on histories built by hand, one rule each (issue 13). */
import { describe, expect, it } from 'vitest';
import { scheduleStatus, type GivenDose } from '../../src/schedule/status.js';

const at = (vaccine: string, date: string | null): GivenDose => ({ vaccine, date });
const state = (s: ReturnType<typeof scheduleStatus>, vaccine: string, dose: number) =>
  s.childhood!.find((d) => d.vaccine === vaccine && d.dose === dose)!;
const next = (s: ReturnType<typeof scheduleStatus>, vaccine: string) => s.next.find((d) => d.vaccine === vaccine);

describe('childhood programme: counted by antigen', () => {
  it('a 6-in-1 given privately at 2, 3 and 4 months is the 5-in-1, the polio series and IPV', () => {
    const doses = [at('HEPB-BIRTH', '2025-03-01'), at('BCG', '2025-03-05'), at('HEXA', '2025-05-01'), at('HEXA', '2025-06-01'), at('HEXA', '2025-07-01')];
    const s = scheduleStatus('2025-03-01', doses, '2025-12-10');
    for (const [v, n] of [['penta', 1], ['penta', 2], ['penta', 3], ['opv', 1], ['opv', 2], ['opv', 3], ['ipv', 1]] as const) {
      expect(state(s, v, n).state, `${v} ${n}`).toBe('given');
    }
    // IPV counts from 14 weeks: the third 6-in-1 (at 4 months), not the first (at 2 months)
    expect(state(s, 'ipv', 1).givenOn).toBe('2025-07-01');
    expect(s.next.map((d) => `${d.vaccine}${d.dose}:${d.state}`)).toEqual(['measles1:due', 'je1:not_yet', 'dpt4:not_yet', 'mr1:not_yet']);
    expect(s.doses[2]!.verdicts.filter((v) => v.valid).map((v) => `${v.vaccine}${v.dose}`)).toEqual(['penta1', 'opv1']);
  });

  it('Pentaxim has no hepatitis B: the 5-in-1 stays due until a hepatitis B dose is given', () => {
    const doses = [at('HEPB-BIRTH', '2025-03-01'), at('DTAP-IPV-HIB', '2025-05-01')];
    expect(next(scheduleStatus('2025-03-01', doses, '2025-05-10'), 'penta')).toMatchObject({ dose: 1, state: 'due', dueFrom: '2025-05-01' });
    const withEngerix = [...doses, at('HEPB-MONO', '2025-05-01')];
    expect(next(scheduleStatus('2025-03-01', withEngerix, '2025-05-10'), 'penta')).toMatchObject({ dose: 2, state: 'not_yet', dueFrom: '2025-06-01' });
  });

  it('measles at 6 months is recorded, flagged and not counted; the child is still due at 9 calendar months', () => {
    const s = scheduleStatus('2025-01-31', [at('MEASLES', '2025-07-31')], '2025-11-05');
    expect(s.doses[0]!.verdicts).toEqual([expect.objectContaining({ vaccine: 'measles', dose: 1, valid: false, reason: 'before_min_age' })]);
    expect(s.doses[0]!.verdicts[0]!.text).toContain('tuổi tối thiểu 9 tháng');
    expect(next(s, 'measles')).toMatchObject({ dose: 1, dueFrom: '2025-10-31', state: 'due' });
  });

  it('a child born on the 31st: months are calendar months, a missing day moves to the 1st of the next month', () => {
    const s = scheduleStatus('2026-01-31', [], '2026-03-01');
    expect(next(s, 'penta')).toMatchObject({ dose: 1, dueFrom: '2026-03-31', state: 'not_yet' });
    expect(next(scheduleStatus('2026-01-31', [], '2026-10-30'), 'measles')).toMatchObject({ dueFrom: '2026-10-31', state: 'not_yet' });
    expect(next(scheduleStatus('2026-01-31', [], '2026-10-31'), 'measles')).toMatchObject({ dueFrom: '2026-10-31', state: 'due' });
    // 5-in-1 dose 2 at 3 months: 31 April does not exist → 1 May
    const one = [at('DPT-VGB-HIB', '2026-03-31'), at('OPV', '2026-03-31')];
    expect(next(scheduleStatus('2026-01-31', one, '2026-04-30'), 'penta')).toMatchObject({ dose: 2, dueFrom: '2026-05-01', state: 'not_yet' });
  });

  it('a missed birth dose is missed, not overdue: after 7 days it is no longer listed', () => {
    expect(next(scheduleStatus('2026-01-01', [], '2026-01-02'), 'hepb0')).toMatchObject({ state: 'due' });
    expect(next(scheduleStatus('2026-01-01', [], '2026-01-05'), 'hepb0')).toMatchObject({ state: 'overdue', dueFrom: '2026-01-01' });
    const tenMonths = scheduleStatus('2025-01-01', [], '2025-11-01');
    expect(next(tenMonths, 'hepb0')).toMatchObject({ state: 'missed' });
    expect(next(tenMonths, 'penta')).toMatchObject({ dose: 1, state: 'overdue' });
    // a hepatitis B dose at 10 days is no birth dose, and too young for the 5-in-1's hepatitis B
    const late = scheduleStatus('2025-01-01', [at('HEPB-BIRTH', '2025-01-11')], '2025-02-01');
    expect(late.doses[0]!.verdicts).toEqual([expect.objectContaining({ vaccine: 'penta', valid: false, reason: 'before_min_age' })]);
  });

  it('JE 1-2-3: dose 2 one to two weeks after dose 1, dose 3 one year after dose 2', () => {
    const born = '2024-03-10';
    expect(next(scheduleStatus(born, [], '2025-03-12'), 'je')).toMatchObject({ dose: 1, dueFrom: '2025-03-10', state: 'due' });
    const one = [at('JE', '2025-03-12')];
    expect(next(scheduleStatus(born, one, '2025-03-20'), 'je')).toMatchObject({ dose: 2, dueFrom: '2025-03-19', state: 'due' });
    expect(next(scheduleStatus(born, one, '2025-04-01'), 'je')).toMatchObject({ dose: 2, state: 'overdue' });
    const two = [...one, at('JE', '2025-03-19')];
    expect(next(scheduleStatus(born, two, '2026-03-01'), 'je')).toMatchObject({ dose: 3, dueFrom: '2026-03-19', state: 'not_yet' });
    expect(next(scheduleStatus(born, two, '2026-03-20'), 'je')).toMatchObject({ dose: 3, state: 'due' });
    expect(next(scheduleStatus(born, two, '2027-06-01'), 'je')).toMatchObject({ dose: 3, state: 'catch_up' });
    const three = [...two, at('JE', '2026-03-25')];
    expect(next(scheduleStatus(born, three, '2026-04-01'), 'je')).toBeUndefined();
    // dose 2 two days after dose 1 does not count (7 days less the 4-day grace)
    const early = scheduleStatus(born, [at('JE', '2025-03-12'), at('JE', '2025-03-14')], '2025-03-20');
    expect(early.doses[1]!.verdicts[0]).toMatchObject({ valid: false, reason: 'before_min_interval' });
  });

  it('Imojev (JE-LIVE) is a 2-dose series: from 9 months, dose 2 a year later, then complete (no dose 3)', () => {
    const born = '2024-03-10';
    // at 9 months: counts (the inactivated vaccine's minimum of 12 months does not apply to it)
    const one = [at('JE-LIVE', '2024-12-10')];
    const s1 = scheduleStatus(born, one, '2025-03-20');
    expect(s1.doses[0]!.verdicts).toEqual([expect.objectContaining({ vaccine: 'je', dose: 1, valid: true })]);
    // dose 2 is due a year after dose 1, not one week (a week later it is still due, not overdue); past 2 years of age, catch-up
    expect(next(s1, 'je')).toMatchObject({ dose: 2, dueFrom: '2025-12-10', state: 'not_yet' });
    expect(next(scheduleStatus(born, one, '2026-01-05'), 'je')).toMatchObject({ dose: 2, dueFrom: '2025-12-10', state: 'due' });
    expect(next(scheduleStatus(born, one, '2027-01-01'), 'je')).toMatchObject({ dose: 2, state: 'catch_up' });
    // a second Imojev dose a week after the first does not count
    const early = scheduleStatus(born, [...one, at('JE-LIVE', '2024-12-20')], '2025-03-20');
    expect(early.doses[1]!.verdicts[0]).toMatchObject({ valid: false, reason: 'before_min_interval' });
    // two doses a year apart: the series is complete, JE 3 is given, nothing is due
    const two = [...one, at('JE-LIVE', '2025-12-15')];
    const done = scheduleStatus(born, two, '2027-01-01');
    expect(next(done, 'je')).toBeUndefined();
    expect(state(done, 'je', 3)).toMatchObject({ state: 'given', givenOn: '2025-12-15' });
    expect(state(done, 'je', 3).source).toContain('Imojev');
    // begun with the inactivated vaccine, the programme's three doses stay due whatever came later
    const mixed = scheduleStatus(born, [at('JE', '2025-03-12'), at('JE-LIVE', '2025-03-20')], '2026-03-20');
    expect(next(mixed, 'je')).toMatchObject({ dose: 3, state: 'due' });
    // Imojev before 9 months does not count (a dose at 6 months)
    expect(scheduleStatus(born, [at('JE-LIVE', '2024-09-10')], '2025-03-20').doses[0]!.verdicts[0]).toMatchObject({ valid: false, reason: 'before_min_age' });
  });

  it('catch-up: past the programme age a missing dose is catch_up until 5 years, then nothing', () => {
    expect(next(scheduleStatus('2024-01-01', [], '2025-06-01'), 'measles')).toMatchObject({ state: 'catch_up' });
    expect(next(scheduleStatus('2024-01-01', [], '2025-06-01'), 'bcg')).toMatchObject({ state: 'missed' });
    expect(scheduleStatus('2020-01-01', [], '2025-06-01').childhood).toBeNull();
  });

  it('does not offer the DPT booster beside a missing 5-in-1 dose 3, which brings the fourth DTP dose itself', () => {
    const doses = [at('DPT-VGB-HIB', '2023-08-20'), at('OPV', '2023-08-20'), at('DPT-VGB-HIB', '2023-09-20'), at('OPV', '2023-09-20'), at('OPV', '2023-10-20'), at('DPT', '2024-12-28')];
    const s = scheduleStatus('2023-06-14', doses, '2026-01-10');
    expect(next(s, 'penta')).toMatchObject({ dose: 3, state: 'catch_up' });
    expect(next(s, 'dpt')).toMatchObject({ dose: 4, state: 'not_yet' });
    // the DPT counts for three of the 5-in-1's antigens, and says which two dose 3 still needs
    expect(s.doses[5]!.verdicts.map((v) => v.text)).toEqual([
      'hợp lệ: DPT-VGB-Hib (5 trong 1) mũi 3 (bạch hầu, uốn ván, ho gà); DPT-VGB-Hib (5 trong 1) mũi 3 vẫn chưa đủ: còn cần mũi Hib thứ 3, mũi viêm gan B thứ 3',
    ]);
  });

  it('MR at 9 months is the measles dose; the 18-month MR comes a month after at the earliest', () => {
    const s = scheduleStatus('2025-01-15', [at('MR', '2025-10-20')], '2026-08-01');
    expect(state(s, 'measles', 1).state).toBe('given');
    expect(next(s, 'mr')).toMatchObject({ dose: 1, dueFrom: '2026-07-15', state: 'due' });
    // a child with no measles dose at 20 months is offered the first; MR waits for it
    const none = scheduleStatus('2025-01-15', [], '2026-09-20');
    expect(next(none, 'measles')).toMatchObject({ state: 'catch_up' });
    expect(next(none, 'mr')).toMatchObject({ state: 'not_yet' });
  });

  it('MR as the first measles dose after 12 months: valid for rubella, and says the 18-month MR still waits for a second measles dose', () => {
    const s = scheduleStatus('2025-01-15', [at('MR', '2026-02-20')], '2026-08-01');
    expect(state(s, 'measles', 1).state).toBe('given');
    expect(next(s, 'mr')).toMatchObject({ dose: 1, state: 'due' });
    const texts = s.doses[0]!.verdicts.map((v) => v.text);
    expect(texts).toEqual(['hợp lệ: Sởi mũi 1 (sởi)', 'hợp lệ: Sởi - Rubella (18 tháng) mũi 1 (rubella); Sởi - Rubella (18 tháng) mũi 1 vẫn chưa đủ: còn cần mũi sởi thứ 2']);
    // once the second measles-containing dose is given, nothing is left to say
    const done = scheduleStatus('2025-01-15', [at('MR', '2026-02-20'), at('MR', '2026-07-20')], '2026-08-01');
    expect(state(done, 'mr', 1).state).toBe('given');
    expect(done.doses[0]!.verdicts.map((v) => v.text).join(' ')).not.toContain('vẫn chưa đủ');
  });
});

describe('COVID-19', () => {
  it('AstraZeneca dose 2 at 3 weeks does not count (minimum 4 weeks); the person is still due dose 2', () => {
    const doses = [at('COVID-AZ', '2021-08-01'), at('COVID-AZ', '2021-08-22')];
    const s = scheduleStatus('1990-05-05', doses, '2021-10-01');
    expect(s.covid).toMatchObject({ given: 1 });
    expect(s.doses[1]!.verdicts[0]).toMatchObject({ valid: false, reason: 'before_min_interval' });
    expect(s.covid!.next).toMatchObject({ dose: 2, dueFrom: '2021-09-26', state: 'due' }); // 8 weeks after dose 1
    // Pfizer at 3 weeks does count
    expect(scheduleStatus('1990-05-05', [at('COVID-PFIZER', '2021-08-01'), at('COVID-PFIZER', '2021-08-22')], '2021-09-01').covid!.given).toBe(2);
  });

  it('a 30-year-old with four doses has four, and nothing is due', () => {
    const doses = [at('COVID-VEROCELL', '2021-07-01'), at('COVID-VEROCELL', '2021-07-29'), at('COVID-PFIZER', '2022-01-10'), at('COVID-MODERNA', '2022-06-10')];
    const s = scheduleStatus('1992-03-03', doses, '2022-08-01');
    expect(s.covid).toMatchObject({ given: 4, counted: 4, next: null });
  });

  it('dose 4 for people of 50 and over, 4 months after dose 3, from May 2022', () => {
    const three = [at('COVID-AZ', '2021-07-01'), at('COVID-AZ', '2021-09-01'), at('COVID-PFIZER', '2021-12-20')];
    expect(scheduleStatus('1960-01-01', three, '2022-05-10').covid!.next).toMatchObject({ dose: 4, dueFrom: '2022-05-01', state: 'due' });
    expect(scheduleStatus('1990-01-01', three, '2022-05-10').covid!.next).toBeNull();
  });

  it('Abdala has a three-dose primary series; its third dose is not a booster', () => {
    const two = [at('COVID-ABDALA', '2021-10-01'), at('COVID-ABDALA', '2021-10-15')];
    expect(scheduleStatus('1980', two, '2021-10-20').covid!.next).toMatchObject({ dose: 3, dueFrom: '2021-10-29' });
    const three = [...two, at('COVID-ABDALA', '2021-10-29')];
    expect(scheduleStatus('1980', three, '2022-03-01').covid!.next).toMatchObject({ dose: 4, dueFrom: '2022-01-29' });
  });

  it('one Janssen dose is a primary series; the next dose is the first booster', () => {
    expect(scheduleStatus('1980', [at('COVID-JANSSEN', '2021-09-01')], '2022-03-01').covid).toMatchObject({ given: 1, counted: 2, next: { dose: 3, dueFrom: '2021-12-01' } });
  });

  it('teenagers wait 5 months for dose 3; children 5–11 get two doses; under 5 nothing', () => {
    const two = [at('COVID-PFIZER', '2022-01-10'), at('COVID-PFIZER', '2022-02-01')];
    expect(scheduleStatus('2008-03-03', two, '2022-08-10').covid!.next).toMatchObject({ dose: 3, dueFrom: '2022-08-01', state: 'due' });
    expect(scheduleStatus('2015-03-03', two, '2022-05-01').covid).toMatchObject({ given: 2, next: null });
    expect(scheduleStatus('2019-03-03', [], '2022-05-01').covid!.next).toBeNull();
  });

  it('nothing is due from the end of the campaign (a setting), and the doses still count', () => {
    const s = scheduleStatus('2019-01-01', [], '2026-12-02');
    expect(s.covid!.next).toBeNull();
    expect(scheduleStatus('1990-01-01', [at('COVID-AZ', '2021-08-01')], '2023-10-20').covid).toMatchObject({ given: 1, next: null });
    expect(scheduleStatus('1990-01-01', [at('COVID-AZ', '2021-08-01')], '2023-10-20', { covidCampaignEnd: '2024-01-01' }).covid!.next).toMatchObject({ dose: 2, state: 'overdue' });
  });
});
