/**
 * A police officer's answer (Công an xã, the Project 06 clean-up loop) as a registry answer for one person.
 * Pure: reconcile.ts reads the answers in force and calls `policeCheck` in place of the extract's verdict.
 *
 * How an answer and the extract combine (the rule the README states):
 * - The newest answer of a person is in force; older ones are history. It stays in force across later link
 *   runs and extracts until an officer answers again: the officer checked the national population database
 *   itself, after the extract was taken.
 * - `id_confirmed`, `corrected`: the officer's values are the registry's identity for the person. A value
 *   the officer left blank is taken from the extract's entry under the same citizen ID, but only when that
 *   entry agrees with what the officer gave (else it is someone else's entry, e.g. the mother's ID a child
 *   was registered under); otherwise it stays unknown. The person is `verified` when the records already
 *   say the same, `corrected` when a value differs (the golden record adopts the officer's values, whatever
 *   the distance: no `conflict` comes out of an officer's answer), and a citizen ID the officer gave is
 *   adopted as well.
 * - `deceased`: the person is `deceased` (the call lists drop them), identity as for a confirmation.
 * - `not_resident`: not an identity answer. The extract's verdict stands and its note says the officer
 *   found the person not living in the commune.
 * Provenance: `found_by = 'police'`, the check's registry `police:<key name>`, and the adopted golden values'
 * source `registry:police:<key name>#<answer id>`.
 */
import type { RegistryIdentity } from '../../connectors/registry/types.js';
import { compareIdentity, type IdentityField, type OurIdentity } from './compare.js';
import { registryNote } from './notes.js';
import { normalizeName } from '../clean/name.js';
import type { PoliceOutcome } from '../db/schema.js';

export const POLICE_OUTCOMES: readonly PoliceOutcome[] = ['id_confirmed', 'corrected', 'not_resident', 'deceased'];

/** The answer in force for a person, as stored (migrations/0017_police.ts). */
export interface PoliceAnswer {
  readonly id: string;
  readonly personId: string;
  readonly outcome: PoliceOutcome;
  readonly citizenId: string | null;
  readonly fullName: string | null;
  readonly birthDate: string | null;
  readonly sex: 'male' | 'female' | null;
  readonly deathDate: string | null;
  readonly officer: string;
}

/** The verdict reconcile stores: the same shape as the extract's (reconcile.ts PersonCheck). */
export interface PoliceCheck {
  readonly status: 'verified' | 'corrected' | 'deceased';
  readonly fields: readonly IdentityField[];
  readonly foundBy: 'police';
  readonly citizenId: string | null;
  readonly note: string;
  readonly registry: RegistryIdentity;
}

/** The check's `registry` column for a police answer. */
export const policeRegistry = (answer: Pick<PoliceAnswer, 'officer'>) => `police:${answer.officer}`;
/** The golden record's source for values adopted from an answer. */
export const policeSource = (answer: Pick<PoliceAnswer, 'officer' | 'id'>) => `registry:police:${answer.officer}#${answer.id}`;

const CCCD = /^\d{12}$/;

/**
 * The verdict of an identity answer (every outcome but `not_resident`, which returns null). `extract` is the
 * extract's entry under the answer's citizen ID (null: none; undefined: no ID to look up).
 */
export function policeCheck(ours: OurIdentity & { readonly citizenId: string | null }, answer: PoliceAnswer, extract: RegistryIdentity | null | undefined): PoliceCheck | null {
  if (answer.outcome === 'not_resident') return null;
  const given = { fullName: answer.fullName, birthDate: answer.birthDate, sex: answer.sex };
  // The extract fills a blank only when its entry is this person: it agrees with what the officer gave.
  // (A value the officer left blank compares as missing, never as a difference.)
  const fill = extract != null && compareIdentity(given, extract).status !== 'conflict' ? extract : null;
  const fullName = given.fullName ?? fill?.fullName ?? null;
  const citizenId = answer.citizenId ?? (ours.citizenId !== null && CCCD.test(ours.citizenId) ? ours.citizenId : null);
  const registry: RegistryIdentity = {
    citizenId: citizenId ?? '',
    fullName,
    nameKey: fullName === null ? null : (normalizeName(fullName).value?.key ?? null),
    birthDate: given.birthDate ?? fill?.birthDate ?? null,
    sex: given.sex ?? fill?.sex ?? null,
    communeCode: fill?.communeCode ?? null,
    status: answer.outcome === 'deceased' ? 'deceased' : 'alive',
    deathDate: answer.deathDate ?? (answer.outcome === 'deceased' ? (fill?.deathDate ?? null) : null),
  };
  const fields: IdentityField[] = [];
  if (registry.fullName !== null && ours.fullName !== null && registry.fullName !== ours.fullName) fields.push('full_name');
  // A birth date the officer gives coarser than ours and agreeing with it corrects nothing (we never degrade a date).
  if (registry.birthDate !== null && ours.birthDate !== null && registry.birthDate !== ours.birthDate && !ours.birthDate.startsWith(registry.birthDate)) {
    fields.push('birth_date');
  }
  if (registry.sex !== null && ours.sex !== null && registry.sex !== ours.sex) fields.push('sex');
  const idChanged = citizenId !== null && citizenId !== ours.citizenId;
  const status = answer.outcome === 'deceased' ? 'deceased' : fields.length > 0 || idChanged ? 'corrected' : 'verified';
  return {
    status,
    fields,
    foundBy: 'police',
    citizenId,
    note: registryNote.police(answer.id, answer.outcome, answer.officer),
    registry,
  };
}

/** The extract's note with the officer's finding that the person does not live in the commune. */
export function notResidentNote(extractNote: string | null, answer: Pick<PoliceAnswer, 'id' | 'officer'>): string {
  const finding = registryNote.notResident(answer.id, answer.officer);
  return extractNote ? `${extractNote}; ${finding}` : finding;
}
