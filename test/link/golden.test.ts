import { describe, expect, it } from 'vitest';
import { goldenRecord, type GoldenSource } from '../../src/link/golden.js';

const row = (over: Partial<GoldenSource>): GoldenSource => ({
  nameFull: null, nameKey: null, birthDate: null, sex: null, citizenId: null, citizenIdKind: null, phone: null, commune: null, address: null,
  ...over,
});

describe('goldenRecord', () => {
  it('lets a name typed without diacritics vote for its complete form', () => {
    const g = goldenRecord([
      row({ nameFull: 'Nguyen Thi Thuy', nameKey: 'nguyen thi thuy' }),
      row({ nameFull: 'Nguyen Thi Thuy', nameKey: 'nguyen thi thuy' }),
      row({ nameFull: 'Nguyễn Thị Thủy', nameKey: 'nguyen thi thuy' }),
      row({ nameFull: 'Nguyễn Thủy', nameKey: 'nguyen thuy' }),
    ]);
    expect(g.values.full_name).toBe('Nguyễn Thị Thủy');
    expect(g.sources.full_name).toEqual([0, 1, 2]);
  });

  it('takes the full birth date that the year-only rows support, with all of them as sources', () => {
    const g = goldenRecord([row({ birthDate: '1985' }), row({ birthDate: '1985-03-15' }), row({ birthDate: '1985' }), row({ birthDate: '1958-03-15' })]);
    expect(g.values.birth_date).toBe('1985-03-15');
    expect(g.sources.birth_date).toEqual([0, 1, 2]);
  });

  it("never takes a parent's CCCD or an invalid ID; falls back to a CMND", () => {
    const parent = '001085012345'; // a man born 1985
    const own = '001215012345'; // a girl born 2015 (digit 4 = 3: female, 21st century)
    const g = goldenRecord([
      row({ birthDate: '2015-06-01', citizenId: parent, citizenIdKind: 'cccd' }),
      row({ birthDate: '2015-06-01', citizenId: parent, citizenIdKind: 'cccd' }),
      row({ birthDate: '2015-06-01', citizenId: own, citizenIdKind: 'cccd' }),
      row({ birthDate: '2015-06-01', citizenId: '12345', citizenIdKind: 'other' }),
    ]);
    expect(g.values.citizen_id).toBe(own);
    expect(g.sources.citizen_id).toEqual([2]);
    expect(goldenRecord([row({ citizenId: '012345678', citizenIdKind: 'cmnd' }), row({ citizenId: '7', citizenIdKind: 'other' })]).values.citizen_id).toBe('012345678');
  });

  it('backs a value every row that has it agrees on by exactly those rows, the rows without it aside', () => {
    const g = goldenRecord([row({ phone: '0912345678', sex: 'female' }), row({ sex: 'female' }), row({ phone: '0912345678' }), row({})]);
    expect(g.values).toMatchObject({ phone: '0912345678', sex: 'female', address: null });
    expect(g.sources).toMatchObject({ phone: [0, 2], sex: [0, 1], address: [] });
  });

  it('takes the most frequent phone and breaks ties by the earliest row', () => {
    expect(goldenRecord([row({ phone: '0912345678' }), row({ phone: '0987654321' }), row({ phone: '0987654321' })]).values.phone).toBe('0987654321');
    expect(goldenRecord([row({ phone: '0912345678' }), row({ phone: '0987654321' })]).values.phone).toBe('0912345678');
    expect(goldenRecord([row({})]).values).toMatchObject({ phone: null, full_name: null, citizen_id: null });
  });

  describe('the commune, against a station widening its reach', () => {
    const a = (n: number) => Array.from({ length: n }, () => row({ commune: '00376' }));
    const b = (n: number) => Array.from({ length: n }, () => row({ commune: '00382' }));

    it("holds a move that one station's rows alone ask for, against the commune the person had", () => {
      const g = goldenRecord([...a(2), ...b(3)], { stations: ['TYT-A', 'TYT-A', 'TYT-B', 'TYT-B', 'TYT-B'], previous: '00376' });
      expect(g.values.commune).toBe('00376');
      expect(g.sources.commune).toEqual([0, 1]);
      expect(g.communeHold).toEqual({ kept: '00376', proposed: '00382', station: 'TYT-B', rows: [2, 3, 4] });
    });

    it("holds it for a new person too, against the commune the other sources' rows give", () => {
      const g = goldenRecord([...a(1), ...b(3)], { stations: [null, 'TYT-B', 'TYT-B', 'TYT-B'], previous: null });
      expect(g.values.commune).toBe('00376');
      expect(g.communeHold).toMatchObject({ kept: '00376', proposed: '00382', station: 'TYT-B' });
    });

    it('adopts a move that two stations, or an operator import, support, and one that changes nothing', () => {
      const two = goldenRecord([...a(2), ...b(3)], { stations: ['TYT-A', 'TYT-A', 'TYT-B', 'TYT-C', 'TYT-B'], previous: '00376' });
      expect([two.values.commune, two.communeHold]).toEqual(['00382', null]);
      const operator = goldenRecord([...a(2), ...b(3)], { stations: ['TYT-A', 'TYT-A', 'TYT-B', null, 'TYT-B'], previous: '00376' });
      expect([operator.values.commune, operator.communeHold]).toEqual(['00382', null]);
      const same = goldenRecord([...a(1), ...b(3)], { stations: ['TYT-A', 'TYT-B', 'TYT-B', 'TYT-B'], previous: '00382' });
      expect([same.values.commune, same.communeHold]).toEqual(['00382', null]);
    });

    it("leaves a person known only from one station's rows to them, and a person without evidence to the vote", () => {
      const own = goldenRecord([...a(1), ...b(3)], { stations: ['TYT-B', 'TYT-B', 'TYT-B', 'TYT-B'], previous: '00376' });
      expect([own.values.commune, own.communeHold]).toEqual(['00382', null]);
      expect(goldenRecord([...a(1), ...b(3)]).values.commune).toBe('00382');
    });
  });
});
