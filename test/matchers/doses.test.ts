import { describe, expect, it } from 'vitest';
import { groupDoses, type DoseGroup, type DoseRow } from '../../matchers/doses.js';

/** A dose row; unspecified fields are null. */
function dose(row: number, vaccine: string | null, date: string | null, doseNumber: number | null = null, lot: string | null = null): DoseRow {
  return { row, vaccine, date, doseNumber, lot };
}

/** A registration row: neither vaccine nor date. */
function registration(row: number): DoseRow {
  return dose(row, null, null);
}

function rowsOf(groups: readonly DoseGroup[]): number[][] {
  return groups.map((g) => [...g.rows]);
}

/** The stable codes of a group's conflicts (the text before the colon). */
function codes(group: DoseGroup | undefined): string[] {
  return (group?.conflicts ?? []).map((c) => c.slice(0, c.indexOf(':')));
}

/** Deterministic permutations (a small LCG), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('groupDoses: copies of one injection', () => {
  it('merges a station and a platform reporting the same AZ dose 1 on the same day', () => {
    const groups = groupDoses([dose(0, 'COVID-AZ', '2021-08-20', 1, 'A1234'), dose(1, 'COVID-AZ', '2021-08-20', 1, 'A1234')]);
    expect(groups).toEqual([{ rows: [0, 1], vaccine: 'COVID-AZ', date: '2021-08-20', doseNumber: 1, conflicts: [] }]);
  });

  it('adds a campaign copy a day later without a dose number, keeping the date most reports give', () => {
    const groups = groupDoses([
      dose(4, 'COVID-AZ', '2021-08-21', null),
      dose(2, 'COVID-AZ', '2021-08-20', 1),
      dose(3, 'COVID-AZ', '2021-08-20', 1),
    ]);
    expect(groups).toEqual([{ rows: [2, 3, 4], vaccine: 'COVID-AZ', date: '2021-08-20', doseNumber: 1, conflicts: [] }]);
  });

  it('merges a three-report chain (day before, day, day after) and dates it on the middle day', () => {
    // Station on the day, platform the day before, campaign the day after: the outer two are two days apart
    // but both are copies of the station's report.
    const groups = groupDoses([
      dose(0, 'COVID-PFIZER', '2021-10-05', 2),
      dose(1, 'COVID-PFIZER', '2021-10-06', 2),
      dose(2, 'COVID-PFIZER', '2021-10-07', null),
    ]);
    expect(groups).toEqual([{ rows: [0, 1, 2], vaccine: 'COVID-PFIZER', date: '2021-10-06', doseNumber: 2, conflicts: [] }]);
  });

  it('breaks a tie between two adjacent days by the earliest row', () => {
    expect(groupDoses([dose(7, 'BCG', '2020-03-02'), dose(3, 'BCG', '2020-03-03')])[0]?.date).toBe('2020-03-03');
    expect(groupDoses([dose(3, 'BCG', '2020-03-02'), dose(7, 'BCG', '2020-03-03')])[0]?.date).toBe('2020-03-02');
  });

  it('merges across a month end', () => {
    expect(rowsOf(groupDoses([dose(0, 'COVID-AZ', '2021-08-31'), dose(1, 'COVID-AZ', '2021-09-01')]))).toEqual([[0, 1]]);
    expect(rowsOf(groupDoses([dose(0, 'COVID-AZ', '2020-12-31'), dose(1, 'COVID-AZ', '2021-01-01')]))).toEqual([[0, 1]]);
  });
});

describe('groupDoses: different injections', () => {
  it('keeps two Pfizer doses 21 days apart separate', () => {
    const groups = groupDoses([
      dose(0, 'COVID-PFIZER', '2021-09-01', 1),
      dose(1, 'COVID-PFIZER', '2021-09-22', 2),
      dose(2, 'COVID-PFIZER', '2021-09-22', null),
    ]);
    expect(groups).toEqual([
      { rows: [0], vaccine: 'COVID-PFIZER', date: '2021-09-01', doseNumber: 1, conflicts: [] },
      { rows: [1, 2], vaccine: 'COVID-PFIZER', date: '2021-09-22', doseNumber: 2, conflicts: [] },
    ]);
  });

  it('keeps vaccines given on the same day apart (BCG + HepB at birth, DPT-VGB-Hib + OPV at 2 months)', () => {
    const groups = groupDoses([
      dose(0, 'BCG', '2022-01-10'),
      dose(1, 'HEPB-BIRTH', '2022-01-10'),
      dose(2, 'DPT-VGB-HIB', '2022-03-10', 1),
      dose(3, 'OPV', '2022-03-10', 1),
      dose(4, 'OPV', '2022-03-11', 1),
    ]);
    expect(groups.map((g) => [g.vaccine, [...g.rows]])).toEqual([
      ['BCG', [0]],
      ['HEPB-BIRTH', [1]],
      ['DPT-VGB-HIB', [2]],
      ['OPV', [3, 4]],
    ]);
    expect(groups.every((g) => g.conflicts.length === 0)).toBe(true);
  });

  it('does not collapse a ±1-day chain of four reports into one, and flags the cut', () => {
    const chain = [
      dose(0, 'COVID-AZ', '2021-08-20'),
      dose(1, 'COVID-AZ', '2021-08-21'),
      dose(2, 'COVID-AZ', '2021-08-22'),
      dose(3, 'COVID-AZ', '2021-08-23'),
    ];
    const groups = groupDoses(chain);
    expect(rowsOf(groups)).toEqual([[0, 1, 2], [3]]);
    expect(groups[0]?.date).toBe('2021-08-21');
    expect(codes(groups[0])).toEqual([]);
    expect(codes(groups[1])).toEqual(['possible_duplicate']);
    expect(groups[1]?.conflicts[0]).toContain('2021-08-21');
  });

  it('keeps reports two days apart with nothing between them separate, flagging the later; three days apart is not flagged', () => {
    const twoDays = groupDoses([dose(0, 'OPV', '2022-03-12'), dose(1, 'OPV', '2022-03-10')]);
    expect(rowsOf(twoDays)).toEqual([[0], [1]]);
    expect(codes(twoDays[0])).toEqual(['possible_duplicate']);
    expect(codes(twoDays[1])).toEqual([]);
    const threeDays = groupDoses([dose(0, 'OPV', '2022-03-13'), dose(1, 'OPV', '2022-03-10')]);
    expect(rowsOf(threeDays)).toEqual([[0], [1]]);
    expect(threeDays.every((g) => g.conflicts.length === 0)).toBe(true);
  });

  it('keeps the same dose two days apart separate and flags only the later one as repeated', () => {
    const groups = groupDoses([dose(0, 'COVID-AZ', '2021-08-22', 1), dose(1, 'COVID-AZ', '2021-08-20', 1)]);
    expect(rowsOf(groups)).toEqual([[0], [1]]);
    expect(codes(groups[1])).toEqual([]);
    expect(codes(groups[0])).toEqual(['dose_number_repeated']);
    expect(groups[0]?.conflicts[0]).toContain('2021-08-20');
  });

  it('flags a dose number given twice months apart', () => {
    const groups = groupDoses([dose(0, 'COVID-VEROCELL', '2021-07-01', 1), dose(1, 'COVID-VEROCELL', '2021-12-01', 1)]);
    expect(codes(groups[0])).toEqual([]);
    expect(codes(groups[1])).toEqual(['dose_number_repeated']);
  });
});

describe('groupDoses: coarse dates', () => {
  it('lets a month or year date join the day-dated injection it contains, and keeps the day date', () => {
    const groups = groupDoses([
      dose(0, 'COVID-AZ', '2021-08'),
      dose(1, 'COVID-AZ', '2021-08-20', 1),
      dose(2, 'COVID-AZ', '2021'),
    ]);
    expect(groups).toEqual([{ rows: [0, 1, 2], vaccine: 'COVID-AZ', date: '2021-08-20', doseNumber: 1, conflicts: [] }]);
  });

  it('does not let a month date join a day outside it', () => {
    const groups = groupDoses([dose(0, 'COVID-AZ', '2021-09'), dose(1, 'COVID-AZ', '2021-08-20')]);
    expect(rowsOf(groups)).toEqual([[0], [1]]);
  });

  it('keeps a coarse date with a different dose number apart (a month can hold two Pfizer doses)', () => {
    const groups = groupDoses([dose(0, 'COVID-PFIZER', '2021-08-01', 1), dose(1, 'COVID-PFIZER', '2021-08', 2)]);
    expect(rowsOf(groups)).toEqual([[0], [1]]);
    expect(groups.every((g) => g.conflicts.length === 0)).toBe(true);
  });

  it('keeps a year date that fits two doses on its own and flags it', () => {
    const groups = groupDoses([
      dose(0, 'COVID-AZ', '2021-06-01', 1),
      dose(1, 'COVID-AZ', '2021-08-20', 2),
      dose(2, 'COVID-AZ', '2021'),
    ]);
    expect(rowsOf(groups)).toEqual([[0], [1], [2]]);
    expect(groups[2]?.date).toBe('2021');
    expect(codes(groups[2])).toEqual(['possible_duplicate', 'possible_duplicate']);
  });

  it('merges two coarse reports when one contains the other, dated by the finer', () => {
    const groups = groupDoses([dose(0, 'JE', '2019'), dose(1, 'JE', '2019-05', 3)]);
    expect(groups).toEqual([{ rows: [0, 1], vaccine: 'JE', date: '2019-05', doseNumber: 3, conflicts: [] }]);
  });
});

describe('groupDoses: disagreements', () => {
  it('merges the same vaccine on the same day with different dose numbers and flags it', () => {
    const groups = groupDoses([dose(5, 'COVID-MODERNA', '2021-10-01', 2), dose(6, 'COVID-MODERNA', '2021-10-02', 3)]);
    expect(rowsOf(groups)).toEqual([[5, 6]]);
    expect(groups[0]?.doseNumber).toBe(2);
    expect(codes(groups[0])).toEqual(['dose_number_mismatch']);
  });

  it('takes the most frequent dose number over the earliest row', () => {
    const groups = groupDoses([
      dose(0, 'COVID-MODERNA', '2021-10-01', 3),
      dose(1, 'COVID-MODERNA', '2021-10-01', 2),
      dose(2, 'COVID-MODERNA', '2021-10-01', 2),
    ]);
    expect(groups[0]?.doseNumber).toBe(2);
  });

  it('does not merge different dose numbers when a row names no vaccine (nothing else identifies the injection)', () => {
    const groups = groupDoses([dose(0, 'COVID-AZ', '2021-10-01', 1), dose(1, null, '2021-10-01', 2)]);
    expect(rowsOf(groups)).toEqual([[0], [1]]);
    expect(codes(groups[1])).toEqual(['vaccine_missing']);
  });

  it('flags different lot numbers in one injection, but not a missing one', () => {
    const mismatch = groupDoses([dose(0, 'COVID-AZ', '2021-08-20', 1, 'A1234'), dose(1, 'COVID-AZ', '2021-08-20', 1, 'B9876')]);
    expect(rowsOf(mismatch)).toEqual([[0, 1]]);
    expect(codes(mismatch[0])).toEqual(['lot_mismatch']);
    expect(mismatch[0]?.conflicts[0]).toContain('A1234');
    expect(mismatch[0]?.conflicts[0]).toContain('B9876');
    const missing = groupDoses([dose(0, 'COVID-AZ', '2021-08-20', 1, 'A1234'), dose(1, 'COVID-AZ', '2021-08-20', 1, null)]);
    expect(codes(missing[0])).toEqual([]);
  });
});

describe('groupDoses: missing vaccine or date', () => {
  it('gives registration rows no dose', () => {
    expect(groupDoses([registration(0), registration(1)])).toEqual([]);
    const groups = groupDoses([registration(0), dose(1, 'BCG', '2020-01-02'), registration(2)]);
    expect(rowsOf(groups)).toEqual([[1]]);
  });

  it('treats an unreadable date as no date', () => {
    expect(groupDoses([dose(0, null, '2021-13-01'), dose(1, null, '20/08/2021')])).toEqual([]);
    const groups = groupDoses([dose(0, 'BCG', '2020-02-30'), dose(1, 'BCG', '2020-01-02')]);
    expect(rowsOf(groups)).toEqual([[0, 1]]);
    expect(groups[0]?.date).toBe('2020-01-02');
  });

  it('joins an undated row to the only group of its vaccine', () => {
    const groups = groupDoses([dose(0, 'MEASLES', '2020-09-15', 1), dose(1, 'MEASLES', null), dose(2, 'BCG', '2020-01-02')]);
    expect(groups).toEqual([
      { rows: [0, 1], vaccine: 'MEASLES', date: '2020-09-15', doseNumber: 1, conflicts: [] },
      { rows: [2], vaccine: 'BCG', date: '2020-01-02', doseNumber: null, conflicts: [] },
    ]);
  });

  it('joins an undated row to the group with its dose number when there are several', () => {
    // Both groups fit (the first has no dose number), but only the second carries dose 2.
    const groups = groupDoses([
      dose(0, 'COVID-AZ', '2021-06-01', null),
      dose(1, 'COVID-AZ', '2021-08-20', 2),
      dose(2, 'COVID-AZ', null, 2),
    ]);
    expect(rowsOf(groups)).toEqual([[0], [1, 2]]);
    expect(groups.every((g) => g.conflicts.length === 0)).toBe(true);
  });

  it('keeps an ambiguous undated row apart with date_missing, and undated copies together', () => {
    const groups = groupDoses([
      dose(0, 'COVID-AZ', '2021-06-01', 1),
      dose(1, 'COVID-AZ', '2021-08-20', 2),
      dose(2, 'COVID-AZ', null),
      dose(3, 'COVID-AZ', null),
    ]);
    expect(rowsOf(groups)).toEqual([[0], [1], [2, 3]]);
    expect(groups[2]?.date).toBeNull();
    expect(codes(groups[2])).toEqual(['date_missing']);
  });

  it('does not join an undated dose to a group with a different dose number', () => {
    const groups = groupDoses([dose(0, 'COVID-AZ', '2021-06-01', 1), dose(1, 'COVID-AZ', null, 2)]);
    expect(rowsOf(groups)).toEqual([[0], [1]]);
    expect(codes(groups[1])).toEqual(['date_missing']);
  });

  it('gives a lone undated dose date_missing', () => {
    expect(groupDoses([dose(0, 'IPV', null)])).toEqual([
      { rows: [0], vaccine: 'IPV', date: null, doseNumber: null, conflicts: [expect.stringMatching(/^date_missing: /)] },
    ]);
  });

  it('joins a row with no vaccine to the only injection on that day', () => {
    const groups = groupDoses([dose(0, 'COVID-AZ', '2021-08-20', 1), dose(1, null, '2021-08-21', 1, 'A1')]);
    expect(groups).toEqual([{ rows: [0, 1], vaccine: 'COVID-AZ', date: '2021-08-20', doseNumber: 1, conflicts: [] }]);
  });

  it('keeps a row with no vaccine apart when two vaccines were given that day', () => {
    const groups = groupDoses([dose(0, 'BCG', '2022-01-10'), dose(1, 'HEPB-BIRTH', '2022-01-10'), dose(2, null, '2022-01-10')]);
    expect(rowsOf(groups)).toEqual([[0], [1], [2]]);
    expect(codes(groups[2])).toEqual(['vaccine_missing']);
  });
});

describe('groupDoses: order independence', () => {
  // One child's and one adult's history mixed: copies, co-administration, coarse and missing fields, a chain.
  const history: readonly DoseRow[] = [
    registration(0),
    dose(1, 'BCG', '2022-01-10'),
    dose(2, 'HEPB-BIRTH', '2022-01-10', 1),
    dose(3, 'HEPB-BIRTH', '2022-01-11', null),
    dose(4, 'DPT-VGB-HIB', '2022-03-10', 1),
    dose(5, 'OPV', '2022-03-10', 1),
    dose(6, 'DPT-VGB-HIB', '2022-04-12', 2),
    dose(7, 'DPT-VGB-HIB', '2022-04', null),
    dose(8, 'OPV', null, 2),
    dose(9, 'OPV', '2022-04-12', 2),
    dose(10, 'COVID-AZ', '2021-08-20', 1, 'A1'),
    dose(11, 'COVID-AZ', '2021-08-21', 1, 'A2'),
    dose(12, 'COVID-AZ', '2021-08-19', null),
    dose(13, 'COVID-AZ', '2021-08-22', null),
    dose(14, null, '2021-11-15', 2),
    dose(15, 'COVID-PFIZER', '2021-11-15', 2),
    dose(16, 'COVID-PFIZER', null),
    // Dose 2 in 2021: dose 1 rules out the first AZ group, so it joins the only other one (row 13).
    dose(17, 'COVID-AZ', '2021', 2),
  ];

  it('groups the history as expected', () => {
    expect(rowsOf(groupDoses(history))).toEqual([
      [1], [2, 3], [4], [5], [6, 7], [8, 9], [10, 11, 12], [13, 17], [14, 15, 16],
    ]);
  });

  it('gives the same groups for every order of the input', () => {
    const expected = groupDoses(history);
    for (let seed = 1; seed <= 50; seed++) expect(groupDoses(shuffled(history, seed))).toEqual(expected);
    expect(groupDoses([...history].reverse())).toEqual(expected);
  });
});
