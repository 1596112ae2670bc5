/**
 * People whose citizen ID the registry gives to someone else: the working groups' queue next to the pairs.
 * Shown with the ID masked and both identities, so a reviewer can tell a typing slip from a borrowed ID;
 * the fix is at the source (the station corrects the record), and the next link and reconcile pick it up.
 */
import { maskCitizenId } from '../clean/citizen-id.js';
import type { Database } from '../db/database.js';

export interface RegistryConflict {
  readonly personId: string;
  readonly maskedId: string | null;
  readonly ours: string;
  readonly registry: string;
  readonly note: string | null;
}

export async function registryConflicts(database: Database, options: { readonly limit: number }): Promise<{ total: number; items: RegistryConflict[] }> {
  const base = database.db.selectFrom('registry_check as c').where('c.status', '=', 'conflict');
  const [{ total }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    base
      .innerJoin('person as p', 'p.id', 'c.person_id')
      .select(['c.person_id', 'c.citizen_id', 'c.note', 'c.registry_identity', 'p.full_name', 'p.birth_date'])
      .orderBy('c.person_id')
      .limit(options.limit)
      .execute(),
  ]);
  const describe = (name: unknown, birth: unknown) => `${typeof name === 'string' ? name : '—'}, ${typeof birth === 'string' ? birth : '—'}`;
  return {
    total: Number(total),
    items: rows.map((r) => ({
      personId: String(r.person_id),
      maskedId: r.citizen_id ? maskCitizenId(r.citizen_id) : null,
      ours: describe(r.full_name, r.birth_date),
      registry: describe(r.registry_identity?.fullName, r.registry_identity?.birthDate),
      note: r.note,
    })),
  };
}

export function formatRegistryConflicts(conflicts: { total: number; items: readonly RegistryConflict[] }): string {
  if (conflicts.total === 0) return 'no person conflicts with the population registry';
  return [
    `${conflicts.total} people whose citizen ID the registry gives to someone else${conflicts.total > conflicts.items.length ? `, the first ${conflicts.items.length}` : ''}:`,
    ...conflicts.items.map((c) => `P${c.personId.padEnd(8)} ID ${c.maskedId ?? '—'}  records: ${c.ours}  ↔  registry: ${c.registry}${c.note ? `  (${c.note})` : ''}`),
    'Correct the records at the station (or the registry), then run link and reconcile again.',
  ].join('\n');
}
