/** Builders for matcher tests: a MatchRecord from a few Vietnamese fields, cleaned the way src/clean does. */
import { defineComparison, DEFAULT_COMPARISONS, nameComparison, type Comparison, type Level } from '../../matchers/comparisons.js';
import { asciiKey } from '../../src/base/text.js';
import { prepareRecord, type MatchRecord, type PreparedRecord } from '../../matchers/record.js';

export interface Person {
  name?: string | null;
  birth?: string | null;
  sex?: 'male' | 'female' | null;
  id?: string | null;
  kind?: MatchRecord['citizenIdKind'];
  phone?: string | null;
  commune?: string | null;
  address?: string | null;
}

/** A MatchRecord; `kind` defaults from the ID's length (12 → cccd, 9 → cmnd, else other). */
export function record(id: number, p: Person): MatchRecord {
  const name = p.name ?? null;
  const cid = p.id ?? null;
  const kind = p.kind !== undefined ? p.kind : cid === null ? null : cid.length === 12 ? 'cccd' : cid.length === 9 ? 'cmnd' : 'other';
  return {
    id,
    nameKey: name === null ? null : asciiKey(name),
    nameFull: name === null ? null : name.normalize('NFC'),
    birthDate: p.birth ?? null,
    sex: p.sex ?? null,
    citizenId: cid,
    citizenIdKind: kind,
    phone: p.phone ?? null,
    commune: p.commune ?? null,
    address: p.address ?? null,
  };
}

export function prepared(p: Person, id = 0): PreparedRecord {
  return prepareRecord(record(id, p));
}

const FEATURES = [
  'id', 'nameKey', 'nameFull', 'nameLower', 'tokens', 'family', 'middle', 'given', 'familyGroup', 'sortedKey', 'birthDate', 'birthYear',
  'birthMonth', 'birthDay', 'birthDigits', 'birthDayNumber', 'sex', 'citizenId', 'citizenIdKind', 'idStatus', 'phone', 'commune', 'address',
  'addressTokens', 'guardianKey', 'guardianTokens', 'guardianGiven', 'preNaming', 'prepared',
] as const satisfies readonly (keyof PreparedRecord)[];

/**
 * A record's features as a plain object, to compare with toEqual: a prepared record reads them through
 * getters (matchers/record.ts), which a spread does not copy. A plain MatchRecord gives its own fields.
 */
export function featuresOf(r: MatchRecord): Record<string, unknown> {
  return Object.fromEntries(FEATURES.filter((k) => k in r).map((k) => [k, (r as PreparedRecord)[k]]));
}

/** A 12-digit CCCD consistent with a birth year and sex: province 001 (Hà Nội), then century/sex digit and yy. */
export function cccd(birthYear: number, sex: 'male' | 'female', tail = '012345'): string {
  const digit = (birthYear >= 2000 ? 2 : 0) + (sex === 'female' ? 1 : 0);
  return `001${digit}${String(birthYear % 100).padStart(2, '0')}${tail}`;
}

/**
 * The comparison as a later version might define it: one more level at index `at`, the later levels moved
 * down by one (what a stored model must not be read onto).
 */
export function withLevelInserted(comparison: Comparison, at: number, level: Level): Comparison {
  return defineComparison(comparison.name, comparison.missing, [...comparison.levels.slice(0, at), level, ...comparison.levels.slice(at)]);
}

/** The default comparisons with a level inserted in the middle of the name comparison's. */
export function namesWithInsertedLevel(): readonly Comparison[] {
  const initials: Level = {
    key: 'familyAndGivenInitial',
    label: 'same family name and given-name initial',
    when: (a, b) => a.family === b.family && a.given !== null && b.given !== null && a.given[0] === b.given[0],
  };
  return DEFAULT_COMPARISONS.map((c) => (c === nameComparison ? withLevelInserted(c, nameComparison.level.oneEdit, initials) : c));
}
