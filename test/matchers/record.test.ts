import { describe, expect, it } from 'vitest';
import { newPrepareCache, prepareRecord, type MatchRecord } from '../../matchers/record.js';
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

  it('shares what records repeat through one cache, and returns a prepared record as it is', () => {
    const cache = newPrepareCache();
    const a = prepareRecord(base, cache);
    const b = prepareRecord({ ...base, id: 4 }, cache);
    expect(b.tokens).toBe(a.tokens);
    expect(b.addressTokens).toBe(a.addressTokens);
    expect(prepareRecord(a)).toBe(a);
  });

  it('refuses a value outside its enumeration instead of reading back another', () => {
    expect(() => prepareRecord({ ...base, sex: 'unknown' as never })).toThrow(/not a MatchRecord value/);
  });
});
