import { describe, expect, it } from 'vitest';
import type { RegistryIdentity } from '../../connectors/registry/types.js';
import { compareIdentity } from '../../src/reconcile/compare.js';
import { checkPerson } from '../../src/reconcile/reconcile.js';

const registered = (fields: Partial<RegistryIdentity> = {}): RegistryIdentity => ({
  citizenId: '001185012345',
  fullName: 'Nguyễn Thị Thủy',
  nameKey: 'nguyen thi thuy',
  birthDate: '1985-03-15',
  sex: 'female',
  communeCode: null,
  status: 'alive',
  deathDate: null,
  ...fields,
});
const ours = (fullName: string | null, birthDate: string | null, sex: 'male' | 'female' | null = 'female') => ({ fullName, birthDate, sex });

describe('compareIdentity', () => {
  it('verifies an identity that agrees, and one where we only lack a value', () => {
    expect(compareIdentity(ours('Nguyễn Thị Thủy', '1985-03-15'), registered())).toMatchObject({ status: 'verified', fields: [] });
    expect(compareIdentity(ours('Nguyễn Thị Thủy', null, null), registered())).toMatchObject({ status: 'verified', fields: [] });
  });

  it('never "corrects" a birth date we know to the day into the registry\'s year', () => {
    expect(compareIdentity(ours('Nguyễn Thị Thủy', '1985-03-15'), registered({ birthDate: '1985' }))).toMatchObject({ status: 'verified' });
  });

  it('corrects what data entry does to one person: diacritics, middle name, typos, dates, sex', () => {
    const cases: [string | null, string | null, 'male' | 'female' | null, string[]][] = [
      ['Nguyen Thi Thuy', '1985-03-15', 'female', ['full_name']],
      ['Nguyễn Thủy', '1985-03-15', 'female', ['full_name']], // tên đệm left out
      ['Nguyễn Thị Thúy', '1985', 'female', ['full_name', 'birth_date']], // a tone typo, a year alone
      ['Nguyễn Thị Thủy', '1985-03-15', 'male', ['sex']],
      ['Nguyễn Thị Thủy', '1985-03-16', 'female', ['birth_date']], // one digit
      ['Thị Thủy Nguyễn', '1985-03-15', 'female', ['full_name']], // words swapped in a form
    ];
    for (const [name, date, sex, fields] of cases) {
      const c = compareIdentity(ours(name, date, sex), registered());
      expect(c, `${name} ${date} ${sex}`).toMatchObject({ status: 'corrected', fields });
    }
  });

  it('corrects a day and month read the American way', () => {
    expect(compareIdentity(ours('Nguyễn Thị Thủy', '1985-12-03'), registered({ birthDate: '1985-03-12' }))).toMatchObject({
      status: 'corrected',
      fields: ['birth_date'],
      birthDateLevel: 'day and month swapped',
    });
  });

  it('calls a different person under the same ID a conflict', () => {
    expect(compareIdentity(ours('Phạm Minh Đức', '1985-03-15'), registered()).status).toBe('conflict');
    // a parent's ID on a child: another name and another generation
    expect(compareIdentity(ours('Nguyễn Thị Thu Hà', '2012-06-01'), registered()).status).toBe('conflict');
  });

  it('adopts the registry identity for a row with no name only on the same birth day', () => {
    // a CCCD mistyped in its last digits points to a stranger born the same year: the year is no evidence
    expect(compareIdentity(ours(null, '1985-07-02', 'male'), registered()).status).toBe('conflict');
    expect(compareIdentity(ours(null, '1985', 'female'), registered()).status).toBe('conflict');
    expect(compareIdentity(ours(null, '1985-03-16', 'female'), registered()).status).toBe('conflict');
    expect(compareIdentity(ours(null, '1985-03-15', 'female'), registered())).toMatchObject({ status: 'verified', fields: [] });
  });

  it('calls a birth year off in more than one digit a conflict, even with the day and month agreeing', () => {
    expect(compareIdentity(ours('Nguyễn Thị Thủy', '1989-03-15'), registered({ birthDate: '1990-03-15' }))).toMatchObject({
      status: 'conflict',
      birthDateLevel: 'one year apart, same day and month',
    });
    expect(compareIdentity(ours('Nguyễn Thị Thủy', '1979-03-15'), registered())).toMatchObject({
      status: 'conflict',
      birthDateLevel: '2 to 10 years apart, same day and month',
    });
    // Near ours in days but in another year: as much a conflict as when the matcher called it different.
    expect(compareIdentity(ours('Nguyễn Thị Thủy', '1984-12-20'), registered({ birthDate: '1985-01-10' }))).toMatchObject({
      status: 'conflict',
      birthDateLevel: 'within a month',
    });
    expect(compareIdentity(ours('Nguyễn Thị Thủy', '1984-11-25'), registered())).toMatchObject({ status: 'conflict', birthDateLevel: 'within a year (another year)' });
    // Within a month of the same year, the registry corrects the date as before.
    expect(compareIdentity(ours('Nguyễn Thị Thủy', '1985-04-10'), registered())).toMatchObject({ status: 'corrected', birthDateLevel: 'within a month' });
  });

  it('reports a death whatever else agrees', () => {
    expect(compareIdentity(ours('Nguyen Thi Thuy', '1985'), registered({ status: 'deceased', deathDate: '2024-01-01' }))).toMatchObject({
      status: 'deceased',
      fields: ['full_name', 'birth_date'],
    });
  });
});

describe('checkPerson', () => {
  const person = { ...ours('Võ Thị Mai', '1988-12-12'), citizenId: null };
  it('is not_found when the registry has no entry for the ID', () => {
    expect(checkPerson({ ...person, citizenId: '079188011111' }, null, undefined).status).toBe('not_found');
  });
  it('takes a unique hit by name and birth date as the person\'s ID, and refuses several', () => {
    const hit = registered({ citizenId: '079188011111', fullName: 'Võ Thị Mai', nameKey: 'vo thi mai', birthDate: '1988-12-12' });
    expect(checkPerson(person, undefined, [hit])).toMatchObject({ status: 'verified', foundBy: 'identity', citizenId: '079188011111' });
    const several = checkPerson(person, undefined, [hit, { ...hit, citizenId: '079188022222' }]);
    expect(several).toMatchObject({ status: 'no_id', citizenId: null });
    expect(several.note).toMatch(/2 registry entries/);
    expect(checkPerson(person, undefined, []).status).toBe('no_id');
    // a hit whose sex disagrees too is not confident enough to give an ID
    expect(checkPerson({ ...person, sex: 'male' }, undefined, [hit]).status).toBe('no_id');
  });
});
