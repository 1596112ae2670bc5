import { describe, expect, it } from 'vitest';
import { mapRegistryHeaders } from '../../../connectors/registry/columns.js';
import { parseRegistryStatus, rankCandidates, toRegistryIdentity } from '../../../connectors/registry/identity.js';
import { RegistryError, type RegistryIdentity } from '../../../connectors/registry/types.js';

describe('registry status', () => {
  it.each([
    ['alive', 'alive'],
    ['Còn sống', 'alive'],
    ['SỐNG', 'alive'],
    ['song', 'alive'],
    ['deceased', 'deceased'],
    ['Đã chết', 'deceased'],
    ['đã chết'.normalize('NFD'), 'deceased'],
    ['CHẾT', 'deceased'],
    ['  da   chet ', 'deceased'],
  ] as const)('reads %j as %s', (raw, status) => {
    expect(parseRegistryStatus(raw)).toBe(status);
  });

  it('refuses an unknown status, naming the value', () => {
    expect(() => toRegistryIdentity({ citizen_id: '001085012345', status: 'mất tích' })).toThrow(
      new RegistryError('registry.bad_data', 'registry column status: unknown status "mất tích" (expected alive / còn sống or deceased / đã chết)'),
    );
  });

  it('takes an empty status as alive, unless a death date says otherwise', () => {
    expect(toRegistryIdentity({ citizen_id: '001085012345', status: '' }).status).toBe('alive');
    expect(toRegistryIdentity({ citizen_id: '001085012345', status: null, death_date: '01/02/2023' })).toMatchObject({
      status: 'deceased',
      deathDate: '2023-02-01',
    });
  });
});

describe('toRegistryIdentity', () => {
  it('cleans every field with the project rules', () => {
    expect(
      toRegistryIdentity({
        citizen_id: '1.085.012.345',
        full_name: 'NGUYỄN THỊ THUỶ',
        birth_date: '03/1985',
        sex: 'nữ',
        commune_code: '1',
        status: 'Còn sống',
      }),
    ).toEqual({
      citizenId: '001085012345',
      fullName: 'Nguyễn Thị Thủy',
      nameKey: 'nguyen thi thuy',
      birthDate: '1985-03',
      sex: 'female',
      communeCode: '00097',
      status: 'alive',
      deathDate: null,
    });
  });

  it('keeps an unknown commune code as given and drops unreadable values to null', () => {
    expect(toRegistryIdentity({ citizen_id: '001085012345', birth_date: '31/02/1985', sex: '?', commune_code: '99999', status: 'alive' })).toMatchObject({
      birthDate: null,
      sex: null,
      communeCode: '99999',
    });
  });

  it('refuses an unusable ID without repeating it', () => {
    for (const id of ['12345', '999085012345', '', '0912345678']) {
      let message = '';
      try {
        toRegistryIdentity({ citizen_id: id, status: 'alive' });
      } catch (error) {
        expect(error).toBeInstanceOf(RegistryError);
        message = (error as Error).message;
      }
      expect(message).toMatch(/^registry column citizen_id: the citizen ID is (unusable|empty)/);
      if (id !== '') expect(message).not.toContain(id);
    }
  });
});

describe('registry headers', () => {
  it('match the English names and the Vietnamese aliases whatever their case, accents and spacing', () => {
    const { columns, missingRequired } = mapRegistryHeaders(['STT', 'SoDinhDanh', 'HỌ  VÀ TÊN', 'ngay sinh', 'Trạng thái', 'death_date', 'Ghi chú']);
    expect(columns).toEqual({ citizen_id: 1, full_name: 2, birth_date: 3, status: 4, death_date: 5 });
    expect(missingRequired).toEqual([]);
    expect(mapRegistryHeaders(['cccd', 'họ tên']).missingRequired).toEqual(['birth_date', 'status']);
  });
});

describe('rankCandidates', () => {
  it('puts the query commune first, then orders by ID', () => {
    const person = (citizenId: string, communeCode: string | null) => ({ citizenId, communeCode }) as RegistryIdentity;
    const ranked = rankCandidates([person('3', '00004'), person('2', '00097'), person('1', null), person('4', '00097')], '00097');
    expect(ranked.map((c) => c.citizenId)).toEqual(['2', '4', '1', '3']);
  });
});
