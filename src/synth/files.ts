/** Writes a generated sample (records, truth and optionally the registry extract) as CSV files. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { csvField, csvLine } from '../base/csv.js';
import { Sink } from './csv-file.js';
import { isoOfDay } from './dates.js';
import { resolveOptions } from './options.js';
import { toPublicPerson } from './population.js';
import { SynthRegistry, type RegistryFiles } from './registry.js';
import { generateRecordBlocks } from './rows.js';
import { CHILDHOOD_COLUMNS, CONTRACT_COLUMNS, type SynthOptions } from './types.js';

export interface SynthFiles {
  records: string;
  truth: string;
  rows: number;
  /** With `registry: true`: the registry extract and its expected reconcile statuses (./registry.ts). */
  registry?: RegistryFiles;
}

/**
 * Writes `records.csv` (UTF-8 with BOM, comma, CRLF, the contract columns) and `truth.csv`
 * (`record_id,person_id,dose_id`) into `dir`, streaming with backpressure: memory stays bounded whatever
 * the number of rows. With `registry: true`, also `registry.csv` and `registry-truth.csv` (./registry.ts),
 * from the same people; records.csv and truth.csv are the same bytes either way.
 */
export async function writeSynthFiles(options: SynthOptions & { dir: string; registry?: boolean }): Promise<SynthFiles> {
  const { todayDay, mode } = resolveOptions(options);
  // The childhood mode adds the contract's guardian and ethnicity columns; the others write exactly the old file.
  const columns = mode === 'childhood' ? CHILDHOOD_COLUMNS : CONTRACT_COLUMNS;
  await mkdir(options.dir, { recursive: true });
  const recordsPath = join(options.dir, 'records.csv');
  const truthPath = join(options.dir, 'truth.csv');
  const registryPath = join(options.dir, 'registry.csv');
  const registryTruthPath = join(options.dir, 'registry-truth.csv');
  let registry: { builder: SynthRegistry; rows: Sink; truth: Sink } | null = null;
  if (options.registry) {
    const builder = new SynthRegistry({ seed: options.seed, today: isoOfDay(todayDay) });
    registry = { builder, rows: new Sink(registryPath), truth: new Sink(registryTruthPath) };
  }
  const records = new Sink(recordsPath);
  const truth = new Sink(truthPath);
  const values = new Array<string>(columns.length).fill('');
  let rows = 0;
  try {
    await records.line(`\uFEFF${csvLine(columns)}`);
    await truth.line('record_id,person_id,dose_id');
    if (registry) {
      await registry.rows.line(`\uFEFF${registry.builder.header}`);
      await registry.truth.line(registry.builder.truthHeader);
    }
    for (const block of generateRecordBlocks(options)) {
      for (const { row, truth: t } of block.items) {
        // Explicit fields in CONTRACT_COLUMNS order (a test parses the file back against generateRecords).
        // Ids, dates, sex, citizen IDs, phones, codes and dose numbers are built here from digits, letters and
        // `/-.+' `, never a comma, quote or line break, so only the free-text fields go through csvField.
        values[0] = row.record_id;
        values[1] = csvField(row.full_name);
        values[2] = row.birth_date;
        values[3] = row.sex;
        values[4] = row.citizen_id;
        values[5] = row.phone;
        values[6] = csvField(row.address);
        values[7] = row.commune_code;
        values[8] = csvField(row.vaccine);
        values[9] = row.dose_number;
        values[10] = row.vaccination_date;
        values[11] = csvField(row.lot_number);
        values[12] = csvField(row.facility_code);
        values[13] = csvField(row.adverse_event);
        values[14] = csvField(row.source);
        if (columns.length > 15) {
          values[15] = csvField(row.guardian_name ?? '');
          values[16] = csvField(row.guardian_phone ?? '');
          values[17] = csvField(row.ethnicity ?? '');
        }
        const a = records.line(values.join(','));
        if (a) await a;
        const b = truth.line(`${t.record_id},${t.person_id},${t.dose_id}`);
        if (b) await b;
        rows++;
      }
      if (registry) {
        for (const line of registry.builder.addBlock(block.persons.map(toPublicPerson), block.items)) {
          const c = registry.rows.line(line);
          if (c) await c;
        }
      }
    }
    await records.close();
    await truth.close();
    if (registry) {
      // The unrecorded citizens come last, and the truth only once every registry row is known.
      for (const line of registry.builder.unrecordedLines()) {
        const c = registry.rows.line(line);
        if (c) await c;
      }
      await registry.rows.close();
      for (const line of registry.builder.truthLines()) {
        const d = registry.truth.line(line);
        if (d) await d;
      }
      await registry.truth.close();
    }
  } catch (error) {
    records.destroy();
    truth.destroy();
    registry?.rows.destroy();
    registry?.truth.destroy();
    throw error;
  }
  const files: SynthFiles = { records: recordsPath, truth: truthPath, rows };
  if (registry) files.registry = { registry: registryPath, truth: registryTruthPath, ...registry.builder.summary() };
  return files;
}
