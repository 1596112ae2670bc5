/**
 * A registry row's text → RegistryIdentity, with the same cleaning rules as the station records, so that a
 * record and its registry entry are compared in the same form. Every connector goes through here: the same
 * data gives the same identity whether it came from a file, a table or an HTTP answer.
 *
 * Pure: no I/O, no throwing on bad data (parseRegistryRow); toRegistryIdentity is the throwing form.
 */
import { normalizeCitizenId } from '../../src/clean/citizen-id.js';
import { normalizeCommuneCode } from '../../src/clean/commune.js';
import { parsePartialDate, partialDateToIso } from '../../src/clean/date.js';
import { isBlank } from '../../src/clean/finding.js';
import { normalizeName } from '../../src/clean/name.js';
import { normalizeSex } from '../../src/clean/sex.js';
import { asciiKey } from '../../src/base/text.js';
import { RegistryError, type RegistryField, type RegistryIdentity, type RegistryRawRow } from './types.js';

/** Spellings of a status as `asciiKey`s (case, diacritics and spacing folded: `Đã chết` → `da chet`). */
const STATUS_SPELLINGS: ReadonlyMap<string, RegistryIdentity['status']> = new Map([
  ['alive', 'alive'],
  ['living', 'alive'],
  ['song', 'alive'],
  ['con song', 'alive'],
  ['deceased', 'deceased'],
  ['dead', 'deceased'],
  ['chet', 'deceased'],
  ['da chet', 'deceased'],
  ['mat', 'deceased'],
  ['da mat', 'deceased'],
  ['qua doi', 'deceased'],
  ['da qua doi', 'deceased'],
]);

/** A registry column holds a handful of distinct statuses: each is folded once, not once per row. */
const statusCache = new Map<string, RegistryIdentity['status'] | null>();

/** `alive`, `Còn sống`, `ĐÃ CHẾT`, NFD text…; null when the text is not a status. */
export function parseRegistryStatus(raw: string): RegistryIdentity['status'] | null {
  let status = statusCache.get(raw);
  if (status === undefined) {
    status = STATUS_SPELLINGS.get(asciiKey(raw)) ?? null;
    if (statusCache.size < 1000) statusCache.set(raw, status);
  }
  return status;
}

export interface RowProblem {
  readonly field: RegistryField;
  /** Safe to show: never contains the value when the value is personal data. */
  readonly problem: string;
}

export type ParsedRegistryRow =
  | { readonly ok: true; readonly identity: RegistryIdentity }
  | { readonly ok: false; readonly rejection: RowProblem };

/** The registry is the authority on the holder, so the ID is not checked against the row's own birth year or sex. */
const NO_CONTEXT = { birthYear: null, sex: null } as const;

/** The first problem's message names what is wrong without repeating the ID. */
function unusableId(raw: string | null | undefined): RowProblem {
  if (isBlank(raw)) return { field: 'citizen_id', problem: 'the citizen ID is empty' };
  const { findings } = normalizeCitizenId(raw, NO_CONTEXT);
  const reason = findings.find((f) => f.severity === 'invalid')?.message ?? 'this is not a 12-digit citizen ID (CCCD).';
  return { field: 'citizen_id', problem: `the citizen ID is unusable: ${reason}` };
}

function isoDate(raw: string | null | undefined): string | null {
  if (isBlank(raw)) return null;
  // The date rule's findings are named after birth or vaccination dates; only the value is used here.
  const date = parsePartialDate(raw, 'birth_date').value;
  return date === null ? null : partialDateToIso(date);
}

/**
 * Cleans one registry row. A row without a usable 12-digit ID, or with a status that is not one, is
 * rejected with the column at fault; other unreadable values become null (the registry's identity is then
 * simply unknown for that field, which reconciliation reports as a difference to review).
 */
export function parseRegistryRow(raw: RegistryRawRow): ParsedRegistryRow {
  const id = isBlank(raw.citizen_id) ? null : normalizeCitizenId(raw.citizen_id, NO_CONTEXT).value;
  if (id === null || id.kind !== 'cccd') return { ok: false, rejection: unusableId(raw.citizen_id) };

  const deathDate = isoDate(raw.death_date);
  let status: RegistryIdentity['status'];
  if (isBlank(raw.status)) {
    // A registry leaves the status empty for the living; a death date alone still says deceased.
    status = deathDate === null ? 'alive' : 'deceased';
  } else {
    const parsed = parseRegistryStatus(raw.status);
    if (parsed === null) {
      const shown = raw.status.trim().slice(0, 40);
      return {
        ok: false,
        rejection: { field: 'status', problem: `unknown status "${shown}" (expected alive / còn sống or deceased / đã chết)` },
      };
    }
    status = parsed;
  }

  const name = isBlank(raw.full_name) ? null : normalizeName(raw.full_name).value;
  const sex = isBlank(raw.sex) ? null : normalizeSex(raw.sex).value;
  return {
    ok: true,
    identity: {
      citizenId: id.value,
      fullName: name?.full ?? null,
      nameKey: name?.key ?? null,
      birthDate: isoDate(raw.birth_date),
      sex,
      communeCode: communeCode(raw.commune_code),
      status,
      deathDate,
    },
  };
}

/**
 * The registry lists people in their current unit; the reference date is "now", so a code that exists in
 * both lists is read as a 2025 code and an old code is mapped to its successor when there is exactly one.
 * An unknown code is kept as given: it is still evidence, and the caller compares it with the record's.
 */
function communeCode(raw: string | null | undefined): string | null {
  if (isBlank(raw)) return null;
  const code = normalizeCommuneCode(raw, null).value;
  return code?.current ?? code?.code ?? raw.trim();
}

/** As parseRegistryRow, but throws a RegistryError naming the column at fault. */
export function toRegistryIdentity(raw: RegistryRawRow): RegistryIdentity {
  const parsed = parseRegistryRow(raw);
  if (!parsed.ok) throw new RegistryError('registry.bad_data', `registry column ${parsed.rejection.field}: ${parsed.rejection.problem}`);
  return parsed.identity;
}

/**
 * Orders candidates for an identity query: those in the query's commune first, then by ID, so that the
 * order (and the caller's choice among equals) does not depend on how the registry returned them.
 */
export function rankCandidates(candidates: RegistryIdentity[], communeCode: string | null): RegistryIdentity[] {
  const inCommune = (c: RegistryIdentity) => (communeCode !== null && c.communeCode === communeCode ? 0 : 1);
  return candidates.sort((a, b) => inCommune(a) - inCommune(b) || (a.citizenId < b.citizenId ? -1 : a.citizenId > b.citizenId ? 1 : 0));
}
