/**
 * Small vaccination histories written by hand (not by the generator) for the daily, monthly and quality
 * reports: a CSV per the records contract, imported and linked as a station's file would be.
 *
 * Communes (pre-2025 codes, so each row keeps its old code and gets its 2025 successor):
 *   00001 (district 01-001) and 00037 (district 01-002) both went into 2025 commune 00097;
 *   00006 (district 01-001) went into 00008. All in province 01.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../src/db/database.js';
import { importFile } from '../../src/ingest/import.js';
import { linkAll } from '../../src/link/link.js';

export const HEADER = [
  'record_id', 'full_name', 'birth_date', 'sex', 'citizen_id', 'phone', 'commune_code', 'vaccine', 'dose_number', 'vaccination_date',
  'facility_code', 'adverse_event', 'adverse_event_severity', 'screening_result',
] as const;
export type Row = Partial<Record<(typeof HEADER)[number], string>>;

const csv = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export async function loadHistory(database: Database, dir: string, rows: readonly Row[], today: string, name = 'history.csv'): Promise<number> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, [HEADER.join(','), ...rows.map((r) => HEADER.map((h) => csv(r[h] ?? '')).join(','))].join('\n') + '\n');
  const result = await importFile(database, file, { today });
  await linkAll(database);
  return (result as { batchId: number }).batchId;
}

/** A child's programme doses: [vaccine as a station writes it, dose number, date]. */
export function childRows(id: string, person: Row, doses: readonly [string, number, string][], extra: Row = {}): Row[] {
  return doses.map(([vaccine, dose, date], i) => ({ ...person, record_id: `${id}-${i + 1}`, vaccine, dose_number: String(dose), vaccination_date: date, ...extra }));
}
