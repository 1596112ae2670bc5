import { describe, expect, it } from 'vitest';
import { prepareRecord, prepareRecords, RecordTableBuilder, type MatchRecord } from '../../matchers/record.js';
import { featuresOf } from './helpers.js';

const base: MatchRecord = {
  id: 3,
  nameKey: 'nguyen  thi thuy',
  nameFull: 'Nguyễn Thị THỦY',
  birthDate: '1990-05-17',
  sex: 'female',
  citizenId: '001190000123',
  citizenIdKind: 'cccd',
  phone: '0912345678',
  commune: '00004',
  address: 'Thôn 3, thôn 3',
  guardianKey: 'tran thi lan',
  preNaming: false,
};

describe('prepareRecord', () => {
  it('derives every feature the comparisons read', () => {
    const r = prepareRecord(base);
    expect(featuresOf(r)).toEqual({
      id: 3,
      nameKey: 'nguyen thi thuy',
      nameFull: 'Nguyễn Thị THỦY',
      nameLower: 'nguyễn thị thủy',
      tokens: ['nguyen', 'thi', 'thuy'],
      family: 'nguyen',
      middle: ['thi'],
      given: 'thuy',
      familyGroup: 'nguyen',
      sortedKey: 'nguyen thi thuy',
      birthDate: '1990-05-17',
      birthYear: 1990,
      birthMonth: 5,
      birthDay: 17,
      birthDigits: '19900517',
      birthDayNumber: 7441,
      sex: 'female',
      citizenId: '001190000123',
      citizenIdKind: 'cccd',
      idStatus: 'reliable',
      phone: '0912345678',
      commune: '00004',
      address: 'Thôn 3, thôn 3',
      addressTokens: ['3', 'thon'],
      guardianKey: 'tran thi lan',
      guardianTokens: ['tran', 'thi', 'lan'],
      guardianGiven: 'lan',
      preNaming: false,
      prepared: true,
    });
  });

  // The enumerations share one packed integer: each must read back as it was given, whatever the others hold.
  it('reads back every combination of sex, ID kind, ID status and pre-naming', () => {
    for (const sex of [null, 'male', 'female'] as const) {
      for (const [citizenId, citizenIdKind, birthDate, idStatus] of [
        [null, null, '1990', null],
        ['001190000123', 'cccd', '1990', 'reliable'],
        ['001190000123', 'cccd', '1991', 'contradicts'],
        ['001190000123', 'cccd', null, 'unchecked'],
        ['123456789', 'cmnd', '1990', 'unchecked'],
        ['B1234567', 'other', '1990', 'unchecked'],
      ] as const) {
        for (const preNaming of [false, true]) {
          const r = prepareRecord({ ...base, sex, citizenId, citizenIdKind, birthDate, preNaming });
          expect([r.sex, r.citizenIdKind, r.idStatus, r.preNaming]).toEqual([sex, citizenIdKind, idStatus, preNaming]);
        }
      }
    }
  });

  it('keeps empty and missing values apart as the comparisons expect', () => {
    const r = prepareRecord({ ...base, nameKey: null, nameFull: null, birthDate: '', address: null, guardianKey: null, sex: null });
    expect([r.nameKey, r.tokens, r.given, r.nameLower, r.birthDate, r.birthYear, r.birthDigits, r.addressTokens, r.guardianTokens, r.guardianGiven]).toEqual([
      null, [], null, null, '', null, null, [], [], null,
    ]);
  });

  it('returns a prepared record as it is', () => {
    const a = prepareRecord(base);
    expect(prepareRecord(a)).toBe(a);
    const table = prepareRecords([{ ...base, id: 0 }]);
    const r = table.at(0)!;
    expect(prepareRecord(r)).toBe(r);
  });
  it('refuses a value outside its enumeration instead of reading back another', () => {
    expect(() => prepareRecord({ ...base, sex: 'unknown' as never })).toThrow(/not a MatchRecord value/);
  });
});

describe('RecordTable', () => {
  const variants: MatchRecord[] = [
    base,
    { ...base, nameKey: null, nameFull: null, birthDate: '', address: null, guardianKey: null, sex: null },
    { ...base, nameKey: 'con ba tran thi lan', nameFull: null, birthDate: '2024-03', preNaming: true, citizenId: null, citizenIdKind: null, phone: null },
    { ...base, birthDate: '1991', citizenId: '123456789', citizenIdKind: 'cmnd', commune: null, address: '' },
    { ...base, nameKey: 'le', nameFull: 'Lê', guardianKey: '', citizenId: 'B1234567', citizenIdKind: 'other' },
  ];

  // A table's records must read back every feature a record prepared alone gives: the engine runs on the
  // first, the single-pair paths (scorePair, vetoOf, reconcile) on the second.
  it('gives each record the features prepareRecord gives it', () => {
    const records = Array.from({ length: 3000 }, (_, i) => ({ ...variants[i % variants.length]!, id: i }));
    const table = prepareRecords(records);
    expect(table.length).toBe(records.length);
    records.forEach((r, i) => expect(featuresOf(table.at(i)!)).toEqual(featuresOf(prepareRecord(r))));
    expect([...table].map((r) => r.id)).toEqual(records.map((r) => r.id));
    expect(table.at(-1)).toBeUndefined();
    expect(table.at(records.length)).toBeUndefined();
  });

  it('derives what records repeat once and shares it', () => {
    const table = prepareRecords([{ ...base, id: 0 }, { ...base, id: 1 }]);
    const [a, b] = [table.at(0)!, table.at(1)!];
    expect(b.tokens).toBe(a.tokens);
    expect(b.addressTokens).toBe(a.addressTokens);
    expect(b.guardianTokens).toBe(a.guardianTokens);
  });

  it('grows past its first capacity and refuses ids that are not dense', () => {
    const builder = new RecordTableBuilder(1);
    for (let i = 0; i < 100; i++) builder.add({ ...base, id: i, birthDate: `19${String(i).padStart(2, '0')}` });
    const table = builder.finish();
    expect(table.at(99)!.birthYear).toBe(1999);
    expect(table.at(0)!.birthYear).toBe(1900);
    expect(() => new RecordTableBuilder().add({ ...base, id: 1 })).toThrow(/dense/);
  });
});
