/**
 * The golden record of a person: one value per field chosen from the person's rows, each with the rows
 * it came from (survivorship).
 *
 * Order of preference, per field: the value most rows support, then the most complete, then the
 * earliest row's. (A registry-verified value will come first once reconciliation exists.) "Support"
 * is meant literally: a year-only birth date supports a full date in that year, and a name typed without
 * diacritics votes for the same name with them, so the complete form wins the votes of its abridgements.
 */
import type { MatchRecord } from '../../matchers/index.js';
import { cccdBirthYear } from '../base/cccd.js';

/** A person's row as the matcher sees it (cleaned values; an invalid ID already left out). */
export type GoldenSource = Omit<MatchRecord, 'id'>;

export type GoldenField = 'full_name' | 'birth_date' | 'sex' | 'citizen_id' | 'phone' | 'commune' | 'address';

export interface GoldenRecord {
  readonly values: Readonly<Record<GoldenField, string | null>>;
  /** Per field, the indexes (into the rows given) of the rows that support the chosen value. */
  readonly sources: Readonly<Record<GoldenField, readonly number[]>>;
}

interface Choice {
  readonly value: string | null;
  readonly sources: readonly number[];
}

const NONE: Choice = { value: null, sources: [] };

/**
 * Picks among the distinct values of `values` (null = absent): most supporting rows, then `better`,
 * then the earliest row. `supports(v, candidate)` says whether a row holding v backs the candidate.
 */
function choose(
  values: readonly (string | null)[],
  supports: (value: string, candidate: string) => boolean = (v, c) => v === c,
  better: (x: string, y: string) => number = () => 0,
): Choice {
  const distinct = [...new Set(values.filter((v): v is string => v !== null))];
  if (distinct.length === 0) return NONE;
  let best: Choice = NONE;
  for (const candidate of distinct) {
    const sources: number[] = [];
    values.forEach((v, i) => {
      if (v !== null && supports(v, candidate)) sources.push(i);
    });
    const choice = { value: candidate, sources };
    if (
      best.value === null ||
      sources.length > best.sources.length ||
      (sources.length === best.sources.length && (better(candidate, best.value) > 0 || (better(candidate, best.value) === 0 && sources[0]! < best.sources[0]!)))
    ) {
      best = choice;
    }
  }
  return best;
}

/** A partial ISO date backs another when it is the same or a coarser form of it (`1985` backs `1985-03-15`). */
const datePrefix = (value: string, candidate: string) => candidate === value || candidate.startsWith(value + '-');

/** More letters with diacritics, then more words: `Nguyễn Thị Thủy` over `Nguyen Thi Thuy` and `Nguyễn Thủy`. */
function nameCompleteness(name: string): number {
  const marked = name.normalize('NFD').length - name.length;
  return name.split(' ').length * 1000 + marked;
}

export function goldenRecord(rows: readonly GoldenSource[]): GoldenRecord {
  // Names vote by their key (case and diacritics folded); the winning key shows its most complete form.
  const keyChoice = choose(rows.map((r) => r.nameKey));
  const nameOfKey = choose(
    rows.map((r) => (r.nameKey !== null && r.nameKey === keyChoice.value ? r.nameFull : null)),
    () => true, // every spelling of the key backs every other: completeness decides
    (x, y) => nameCompleteness(x) - nameCompleteness(y),
  );
  const name: Choice = nameOfKey.value === null ? NONE : { value: nameOfKey.value, sources: keyChoice.sources };

  const birth = choose(rows.map((r) => r.birthDate), datePrefix, (x, y) => x.length - y.length);

  // A CCCD whose digits agree with the chosen birth year is the person's own; a CMND is a fallback; an
  // invalid value or a CCCD that contradicts the birth year (a parent's) never becomes the golden ID.
  const birthYear = birth.value === null ? null : Number(birth.value.slice(0, 4));
  const ownCccd = rows.map((r) => (r.citizenIdKind === 'cccd' && r.citizenId !== null && (birthYear === null || cccdBirthYear(r.citizenId) === birthYear) ? r.citizenId : null));
  const cccd = choose(ownCccd);
  const id = cccd.value !== null ? cccd : choose(rows.map((r) => (r.citizenIdKind === 'cmnd' ? r.citizenId : null)));

  const pick = (field: (r: GoldenSource) => string | null) => choose(rows.map(field));
  const fields: Record<GoldenField, Choice> = {
    full_name: name,
    birth_date: birth,
    sex: pick((r) => r.sex),
    citizen_id: id,
    phone: pick((r) => r.phone),
    commune: pick((r) => r.commune),
    address: pick((r) => r.address),
  };
  const values = {} as Record<GoldenField, string | null>;
  const sources = {} as Record<GoldenField, readonly number[]>;
  for (const [field, choice] of Object.entries(fields) as [GoldenField, Choice][]) {
    values[field] = choice.value;
    sources[field] = choice.sources;
  }
  return { values, sources };
}
