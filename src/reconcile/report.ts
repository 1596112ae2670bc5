/**
 * What reconciliation found, for the terminal and for the working groups: the contract's per-person file
 * (`person_id,citizen_id,status,fields`), and counts per status, overall and per commune.
 */
import { csvLine } from '../base/csv.js';
import type { Database } from '../db/database.js';
import type { RegistryStatus } from '../db/schema.js';
import { REGISTRY_STATUSES } from './reconcile.js';

export interface StatusCounts {
  /** The person's current commune code; null overall, or for people without one. */
  readonly commune: string | null;
  readonly counts: Readonly<Record<RegistryStatus, number>>;
  /** People of the commune, checked or not. */
  readonly people: number;
}

export async function registryStatusCounts(database: Database): Promise<{ overall: StatusCounts; communes: StatusCounts[] }> {
  const rows = await database.db
    .selectFrom('person as p')
    .leftJoin('registry_check as c', 'c.person_id', 'p.id')
    .select(['p.commune_code', 'c.status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy(['p.commune_code', 'c.status'])
    .execute();
  const empty = () => Object.fromEntries(REGISTRY_STATUSES.map((s) => [s, 0])) as Record<RegistryStatus, number>;
  const overall = { commune: null, counts: empty(), people: 0 };
  const byCommune = new Map<string | null, { commune: string | null; counts: Record<RegistryStatus, number>; people: number }>();
  for (const row of rows) {
    const n = Number(row.n);
    let entry = byCommune.get(row.commune_code);
    if (!entry) byCommune.set(row.commune_code, (entry = { commune: row.commune_code, counts: empty(), people: 0 }));
    entry.people += n;
    overall.people += n;
    if (row.status) {
      entry.counts[row.status] += n;
      overall.counts[row.status] += n;
    }
  }
  const communes = [...byCommune.values()].sort((a, b) => (a.commune ?? '~').localeCompare(b.commune ?? '~'));
  return { overall, communes };
}

export function formatStatusCounts({ overall, communes }: { overall: StatusCounts; communes: readonly StatusCounts[] }): string {
  const checked = REGISTRY_STATUSES.reduce((sum, s) => sum + overall.counts[s], 0);
  const share = (n: number) => (overall.people === 0 ? '0.0' : ((100 * n) / overall.people).toFixed(1));
  const lines = [`${overall.people} people, ${checked} checked against the registry:`];
  for (const s of REGISTRY_STATUSES) lines.push(`  ${s.padEnd(10)} ${String(overall.counts[s]).padStart(9)}  ${share(overall.counts[s]).padStart(5)}%`);
  if (overall.people > checked) lines.push(`  ${'unchecked'.padEnd(10)} ${String(overall.people - checked).padStart(9)}`);
  lines.push(`${communes.length} communes (per commune: --summary-out FILE.csv)`);
  return lines.join('\n');
}

/** commune_code,people,verified,corrected,conflict,not_found,no_id,deceased, then the overall line. */
export function statusCountsCsv({ overall, communes }: { overall: StatusCounts; communes: readonly StatusCounts[] }): string {
  // For people (the per-commune summary): formula-like text neutralised. The per-person file below is the contract's.
  const line = (label: string, c: StatusCounts) => csvLine([label, c.people, ...REGISTRY_STATUSES.map((s) => c.counts[s])], ',', { forPeople: true });
  return [
    csvLine(['commune_code', 'people', ...REGISTRY_STATUSES]),
    ...communes.map((c) => line(c.commune ?? '', c)),
    line('all', overall),
  ].join('\n') + '\n';
}

/** The contract's output: one line per checked person, in person order. */
export async function writeReconcileCsv(database: Database, output: NodeJS.WritableStream): Promise<void> {
  await database.copyOutCsv(
    // NULL, not '', for an absent value: CSV COPY writes NULL as nothing and '' as "".
    `select 'P' || person_id as person_id, citizen_id, status, nullif(array_to_string(fields, ';'), '') as fields
     from registry_check order by person_id`,
    output,
  );
}
