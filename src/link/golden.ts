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
  /** A move to another commune the record did not adopt (see CommuneEvidence); null when there is none. */
  readonly communeHold: CommuneHold | null;
}

/**
 * What the commune's choice needs beyond the rows. A station reads the people of its own commune, so a
 * station whose rows alone would carry a person into its commune could widen its reach at will (upload
 * three rows with someone's CCCD, name and birth date): such a move is held, not adopted.
 */
export interface CommuneEvidence {
  /** Per row (in the order of the rows), the station whose upload it came from; null for an operator's import. */
  readonly stations: readonly (string | null)[];
  /** The commune the person had before this run (the one most of its rows' earlier people had); null for a new person. */
  readonly previous: string | null;
}

/** A commune the rows of one station asked for, and the commune kept instead. */
export interface CommuneHold {
  readonly kept: string;
  readonly proposed: string;
  readonly station: string;
  /** Indexes of the rows that asked for the move. */
  readonly rows: readonly number[];
}

interface Choice {
  readonly value: string | null;
  readonly sources: readonly number[];
}

const NONE: Choice = { value: null, sources: [] };

/**
 * Picks among the distinct values of `values` (null = absent): most supporting rows, then `better`,
 * then the earliest row. `supports(v, candidate)` says whether a row holding v backs the candidate; a value
 * always backs itself.
 */
function choose(
  values: readonly (string | null)[],
  supports: (value: string, candidate: string) => boolean = (v, c) => v === c,
  better: (x: string, y: string) => number = () => 0,
): Choice {
  // Most of a person's fields hold one value in every row that has it: that value, backed by those rows,
  // without the search below (a province's write chooses some twenty million of them).
  let only: string | null = null;
  for (const v of values) {
    if (v === null || v === only) continue;
    if (only !== null) return chooseAmong(values, supports, better);
    only = v;
  }
  if (only === null) return NONE;
  const sources: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] !== null) sources.push(i);
  return { value: only, sources };
}

/** choose's search among two distinct values or more. */
function chooseAmong(
  values: readonly (string | null)[],
  supports: (value: string, candidate: string) => boolean,
  better: (x: string, y: string) => number,
): Choice {
  const distinct = [...new Set(values.filter((v): v is string => v !== null))];
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

/**
 * The commune: the usual choice, unless every row behind it came from one station and it takes the person
 * away from the commune it had, or from the one the other sources' rows give. Then the commune kept is the
 * earlier one (or the other sources' choice), and the move is handed to the working group. Rows of two
 * stations, or of an operator's import, still move a person.
 */
function communeChoice(rows: readonly GoldenSource[], evidence: CommuneEvidence | undefined): { choice: Choice; hold: CommuneHold | null } {
  const choice = choose(rows.map((r) => r.commune));
  if (evidence === undefined || choice.value === null) return { choice, hold: null };
  const stations = new Set(choice.sources.map((i) => evidence.stations[i] ?? null));
  const station = stations.size === 1 ? [...stations][0]! : null;
  // A person known from this station's rows alone moves nobody else's record: nothing to hold.
  if (station === null || evidence.stations.every((s) => s === station)) return { choice, hold: null };
  const others = choose(rows.map((r, i) => (evidence.stations[i] === station ? null : r.commune)));
  const kept = evidence.previous ?? others.value;
  if (kept === null || kept === choice.value) return { choice, hold: null };
  const keptSources = rows.flatMap((r, i) => (r.commune === kept ? [i] : []));
  return { choice: { value: kept, sources: keptSources }, hold: { kept, proposed: choice.value, station, rows: choice.sources } };
}

export function goldenRecord(rows: readonly GoldenSource[], evidence?: CommuneEvidence): GoldenRecord {
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
  const commune = communeChoice(rows, evidence);
  const fields: Record<GoldenField, Choice> = {
    full_name: name,
    birth_date: birth,
    sex: pick((r) => r.sex),
    citizen_id: id,
    phone: pick((r) => r.phone),
    commune: commune.choice,
    address: pick((r) => r.address),
  };
  const values = {} as Record<GoldenField, string | null>;
  const sources = {} as Record<GoldenField, readonly number[]>;
  for (const [field, choice] of Object.entries(fields) as [GoldenField, Choice][]) {
    values[field] = choice.value;
    sources[field] = choice.sources;
  }
  return { values, sources, communeHold: commune.hold };
}
