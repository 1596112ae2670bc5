/**
 * Whether a person's golden record and the registry's identity under the same citizen ID describe one
 * person, and what the registry would correct. Pure; the matching engine's own comparators decide how far
 * two names or two birth dates are, so "the same person" means the same thing here as in deduplication.
 *
 * - verified: name, birth date and sex agree (a birth date we know to the day is not "corrected" into the
 *   registry's year-only one; a value we lack is filled in, not counted as a difference);
 * - corrected: they agree up to what data entry does to one person's identity — diacritics or words lost,
 *   a typo or two, words swapped, a regional surname spelling (Huỳnh/Hoàng), a coarser birth date, day and
 *   month swapped, a digit slipped, a sex typed wrong — and the registry's values are adopted;
 * - conflict: the name is different, or the birth years are (beyond a digit slip): someone else's ID, most
 *   often a parent's typed for a child. Nothing is adopted; the person goes to review;
 * - deceased: the registry says so, whatever the rest.
 */
import { birthDateComparison, nameComparison, NULL_LEVEL, prepareRecord, type MatchRecord } from '../../matchers/index.js';
import type { RegistryIdentity } from '../../connectors/registry/types.js';
import { normalizeName } from '../clean/name.js';

export type IdentityField = 'full_name' | 'birth_date' | 'sex';

/** The identity fields of a person's golden record. */
export interface OurIdentity {
  readonly fullName: string | null;
  readonly birthDate: string | null;
  readonly sex: 'male' | 'female' | null;
}

export interface IdentityComparison {
  readonly status: 'verified' | 'corrected' | 'conflict' | 'deceased';
  /** Fields where the registry's value differs from ours and is adopted (empty for a conflict's adoption). */
  readonly fields: readonly IdentityField[];
  /** Levels of the engine's comparisons, for the explanation. */
  readonly nameLevel: string;
  readonly birthDateLevel: string;
}

/** The engine's level indexes, by name: inserting a level in matchers/comparisons.ts keeps these right. */
const NAME = nameComparison.level;
const DATE = birthDateComparison.level;

function asMatchRecord(id: number, fullName: string | null, birthDate: string | null): MatchRecord {
  const name = fullName === null ? null : normalizeName(fullName).value;
  return {
    id,
    nameKey: name?.key ?? null,
    nameFull: name?.full ?? null,
    birthDate,
    sex: null,
    citizenId: null,
    citizenIdKind: null,
    phone: null,
    commune: null,
    address: null,
  };
}

export function compareIdentity(ours: OurIdentity, registry: RegistryIdentity): IdentityComparison {
  // Most people agree to the letter: no need to prepare names for the comparators.
  if (
    ours.fullName !== null && ours.fullName === registry.fullName && ours.birthDate !== null && ours.birthDate === registry.birthDate &&
    (ours.sex === null || registry.sex === null || ours.sex === registry.sex)
  ) {
    return {
      status: registry.status === 'deceased' ? 'deceased' : 'verified',
      fields: [],
      nameLevel: nameComparison.levels[NAME.exact]!.label,
      birthDateLevel: birthDateComparison.levels[DATE.sameDay]!.label,
    };
  }
  const a = prepareRecord(asMatchRecord(0, ours.fullName, ours.birthDate));
  const b = prepareRecord(asMatchRecord(1, registry.fullName, registry.birthDate));
  const name = nameComparison.compare(a, b);
  const birth = birthDateComparison.compare(a, b);
  const label = (levels: typeof nameComparison.levels, level: number) => (level === NULL_LEVEL ? 'missing on one side' : levels[level]!.label);
  const result = (status: IdentityComparison['status'], fields: readonly IdentityField[]): IdentityComparison => ({
    status,
    fields,
    nameLevel: label(nameComparison.levels, name),
    birthDateLevel: label(birthDateComparison.levels, birth),
  });

  const fields: IdentityField[] = [];
  if (registry.fullName !== null && ours.fullName !== registry.fullName && name !== NULL_LEVEL) fields.push('full_name');
  if (registry.birthDate !== null && ours.birthDate !== null && birth !== DATE.sameDay && !registryCoarser(birth, ours.birthDate, registry.birthDate)) {
    fields.push('birth_date');
  }
  if (registry.sex !== null && ours.sex !== null && ours.sex !== registry.sex) fields.push('sex');

  if (registry.status === 'deceased') return result('deceased', fields);
  // Every name level but the last is the same person's name as typed differently. A birth year off in
  // more than one digit (day and month agreeing: the levels yearOneApart and yearsApart, which come after
  // digitSlip, so 1989/1990 but not 1990/1991) is no typing slip the registry can correct: a conflict, as
  // a different date is; so is another year near ours (the levels withinYear, and withinMonth across a new
  // year), which the matcher weighs as close but is no slip either.
  const anotherYearNear = birth === DATE.withinYear || (birth === DATE.withinMonth && a.birthYear !== b.birthYear);
  if (name === NAME.different || birth === DATE.different || birth === DATE.yearOneApart || birth === DATE.yearsApart || anotherYearNear) {
    return result('conflict', fields);
  }
  // With no name of ours, only the birth date says the ID is this person's: a CCCD mistyped in its last
  // digits points to someone born the same year (digits 4–6 are the year), so nothing short of the same
  // day is evidence enough to adopt the registry's name (DOMAIN.md: a matching CCCD is not a matching person).
  // (With neither a name nor a date — an officer's answer giving the ID alone — there is nothing to weigh.)
  if (ours.fullName === null && ours.birthDate !== null && birth !== DATE.sameDay) return result('conflict', fields);
  return result(fields.length > 0 ? 'corrected' : 'verified', fields);
}

/** Our date is finer than the registry's and agrees with it: nothing to correct (we never degrade a date). */
function registryCoarser(level: number, ours: string, registry: string): boolean {
  return level === DATE.sameAtCoarser && ours.length > registry.length;
}
