/**
 * Writes the public labelled sets (../shared/datasets: FEBRL 1–4, Splink fake_1000, fake_20000, historical
 * figures 50k) as record-contract files, so that they go through the real `vaxsync dedupe` and `vaxsync
 * evaluate` like any station's file:
 *
 *   npx tsx scripts/public-sets.ts febrl1 /tmp/f1     # writes /tmp/f1/records.csv and /tmp/f1/truth.csv
 *   npx vaxsync dedupe /tmp/f1/records.csv --out /tmp/f1/pred.csv --candidates /tmp/f1/candidates.csv
 *   npx vaxsync evaluate --truth /tmp/f1/truth.csv --pred /tmp/f1/pred.csv --candidates /tmp/f1/candidates.csv
 *
 * The mapping is the plain one, the same for every set, and nothing is tuned per set:
 * - the name as family name then given name (Vietnamese order, as the contract's full_name);
 * - the birth date as written (`yyyymmdd` is rewritten `yyyy-mm-dd`, the only form change);
 * - FEBRL's social-security number in citizen_id: an identifier that is neither a CCCD nor a CMND;
 * - street, locality, suburb, postcode and state (FEBRL), city (Splink fakes), birth place and postcode
 *   (historical) as the free-text address; no commune code (a postcode is not a Vietnamese commune);
 * - the Splink fakes' e-mail is dropped: the contract has no column for it.
 * The truth file is `record_id,person_id,dose_id` with no doses (the rows register people, they report
 * no injection).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

export const DATASETS = path.resolve(import.meta.dirname, '../../shared/datasets');

export const PUBLIC_SETS = ['febrl1', 'febrl2', 'febrl3', 'febrl4', 'fake1000', 'fake20000', 'hist50k'] as const;
export type PublicSet = (typeof PUBLIC_SETS)[number];

type Row = Record<string, string>;

function readCsv(file: string): Row[] {
  // FEBRL writes `, ` between fields (ltrim); dataset4a is CRLF (csv-parse detects the record delimiter).
  return parse(fs.readFileSync(file, 'utf8'), { columns: true, ltrim: true, rtrim: true, skip_empty_lines: true, bom: true }) as Row[];
}

const words = (...parts: (string | undefined)[]) => parts.map((p) => (p ?? '').trim()).filter(Boolean).join(' ');
const isoish = (d: string | undefined) => {
  const v = (d ?? '').trim();
  return /^\d{8}$/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6)}` : v;
};

interface ContractRow {
  readonly record_id: string;
  readonly full_name: string;
  readonly birth_date: string;
  readonly sex: string;
  readonly citizen_id: string;
  readonly address: string;
  readonly person: string;
}

function febrlRows(files: readonly string[], datasets: string): ContractRow[] {
  const seen = new Set<string>();
  return files
    .flatMap((f) => readCsv(path.join(datasets, 'febrl', f)))
    .filter((r) => !seen.has(r.rec_id!) && seen.add(r.rec_id!))
    .map((r) => ({
      record_id: r.rec_id!,
      full_name: words(r.surname, r.given_name),
      birth_date: isoish(r.date_of_birth),
      sex: '',
      citizen_id: (r.soc_sec_id ?? '').trim(),
      address: words(r.street_number, r.address_1, r.address_2, r.suburb, r.postcode, r.state),
      person: /^rec-(\d+)/.exec(r.rec_id!)![1]!,
    }));
}

function splinkRows(file: string, truth: string, datasets: string): ContractRow[] {
  return readCsv(path.join(datasets, 'splink', file)).map((r) => ({
    record_id: r.unique_id!,
    full_name: words(r.surname, r.first_name),
    birth_date: isoish(r.dob),
    sex: r.gender === 'male' ? 'Nam' : r.gender === 'female' ? 'Nữ' : '',
    citizen_id: '',
    address: words(r.city, r.birth_place, r.postcode_fake),
    person: r[truth]!,
  }));
}

export function publicSetRows(set: PublicSet, datasets = DATASETS): ContractRow[] {
  switch (set) {
    case 'febrl1':
      return febrlRows(['dataset1.csv'], datasets);
    case 'febrl2':
      return febrlRows(['dataset2.csv'], datasets);
    case 'febrl3':
      return febrlRows(['dataset3.csv'], datasets);
    case 'febrl4':
      return febrlRows(['dataset4a.csv', 'dataset4b.csv'], datasets);
    case 'fake1000':
      return splinkRows('fake_1000.csv', 'cluster', datasets);
    case 'fake20000':
      return splinkRows('fake_20000.csv', 'group', datasets);
    case 'hist50k':
      return splinkRows('historical_figures_with_errors_50k.csv', 'cluster', datasets);
  }
}

const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Writes `records.csv` (the record contract) and `truth.csv` (`record_id,person_id,dose_id`) into `dir`. */
export function writePublicSet(set: PublicSet, dir: string, datasets = DATASETS): { records: string; truth: string; rows: number } {
  const rows = publicSetRows(set, datasets);
  fs.mkdirSync(dir, { recursive: true });
  const records = path.join(dir, 'records.csv');
  const truth = path.join(dir, 'truth.csv');
  const columns = ['record_id', 'full_name', 'birth_date', 'sex', 'citizen_id', 'address'] as const;
  fs.writeFileSync(records, [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n');
  fs.writeFileSync(truth, ['record_id,person_id,dose_id', ...rows.map((r) => `${cell(r.record_id)},${cell(r.person)},`)].join('\n') + '\n');
  return { records, truth, rows: rows.length };
}

if (process.argv[1]?.endsWith('public-sets.ts')) {
  const [set, dir] = process.argv.slice(2);
  if (!set || !dir || !(PUBLIC_SETS as readonly string[]).includes(set)) {
    console.error(`usage: npx tsx scripts/public-sets.ts ${PUBLIC_SETS.join('|')} DIR`);
    process.exit(2);
  }
  const written = writePublicSet(set as PublicSet, dir);
  console.log(`${written.rows} rows: ${written.records}, ${written.truth}`);
}
