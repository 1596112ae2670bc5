/**
 * The platform gap report: given an export of what the national platform holds (a CSV or XLSX with the
 * person's CCCD or the vaxsync person id the platform was sent, the vaccine and the date), which of the
 * people vaxsync would push (verified by the registry) and which of their doses the platform does not have —
 * and those people queued in the outbox to be sent again (all of a person travels together, and every entry
 * is a conditional update, so re-sending what the platform already has changes nothing there).
 *
 * How an export row finds its person: by `person_id` when the file has it (the identifier vaxsync sent under
 * its person-id system), else by the citizen ID of the golden record. How a dose is found on the platform:
 * a row of the same person on the same date with the same catalogue vaccine, or with a vaccine the catalogue
 * cannot read (the platform's own name for a product we know under another: the date alone is then the
 * evidence). People the platform rejected are listed with its reason but not queued: sending them unchanged
 * would be rejected again; they leave the rejection when their record changes.
 *
 * The export is loaded into a temporary table by COPY and compared in SQL inside one transaction, so a
 * province's export (millions of rows) costs the database's memory, not this process's, and a failure
 * queues nothing.
 */
import { ChunkedCopy, copyLine } from '../base/copy.js';
import { FileError } from '../base/errors.js';
import { headerMatcher } from '../base/headers.js';
import { asciiKey } from '../base/text.js';
import { maskCitizenId, normalizeCitizenId } from '../clean/citizen-id.js';
import { parsePartialDate, partialDateToIso } from '../clean/date.js';
import { normalizeVaccine } from '../clean/vaccine.js';
import type { Database } from '../db/database.js';
import { openTabularFile } from '../../connectors/sources/tabular.js';
import { DEFAULT_SYSTEMS, type IdentifierSystems } from './fhir.js';
import { syncOutbox, type GuardianPolicy } from './push.js';

/** The export's columns and the headers that name them (compared without case, accents or punctuation). */
export const GAP_EXPORT_COLUMNS = {
  person_id: ['person_id', 'vaxsync_id', 'ma_doi_tuong_vaxsync'],
  citizen_id: ['citizen_id', 'cccd', 'so_cccd', 'so_dinh_danh', 'so_dinh_danh_ca_nhan', 'cmnd', 'cccd_cmnd'],
  vaccine: ['vaccine', 'vaccine_code', 'vac_xin', 'ten_vac_xin', 'loai_vac_xin'],
  date: ['date', 'vaccination_date', 'ngay_tiem'],
} as const satisfies Record<string, readonly string[]>;
type GapColumn = keyof typeof GAP_EXPORT_COLUMNS;

const matchHeaders = headerMatcher<GapColumn>(GAP_EXPORT_COLUMNS, (h) => asciiKey(h).replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, ''));

/** A row of the export that could not be used, and why (English: the operator's diagnostic). */
export interface SkippedRow {
  readonly row: number;
  readonly reason: string;
}

/** One thing the platform lacks: a whole person (with `doses` of theirs), or one dose of a person it has. */
export interface GapEntry {
  readonly kind: 'person' | 'dose';
  readonly personId: string;
  /** Masked (`0010******45`): the list is handed around; the person id finds the full record. */
  readonly citizenId: string | null;
  readonly communeCode: string | null;
  /** For a dose; for a person, null. */
  readonly vaccineCode: string | null;
  readonly date: string | null;
  readonly doseNumber: number | null;
  /** For a person: how many doses of theirs the platform lacks with them. */
  readonly doses: number;
  /** What the outbox did: queued again, already being sent, or not queued because the platform rejected it (with its reason). */
  readonly outbox: 'queued' | 'in_flight' | 'rejected';
  readonly rejection: string | null;
}

export interface GapReport {
  readonly exportRows: number;
  readonly skipped: number;
  /** The first skipped rows, for the operator to look at (all are counted in `skipped`). */
  readonly skippedRows: readonly SkippedRow[];
  /** Export rows that name nobody vaxsync knows (or a person not verified, so not pushed by vaxsync). */
  readonly unmatchedRows: number;
  /** People vaxsync would push (verified), and how many of them the platform has. */
  readonly eligiblePeople: number;
  readonly missingPeople: number;
  readonly missingDoses: number;
  /** People queued to be sent again by this run (`dryRun`: that would be). */
  readonly queued: number;
  readonly entries: readonly GapEntry[];
}

export interface GapOptions {
  /** List only: leave the outbox as it is. */
  readonly dryRun?: boolean;
  readonly systems?: IdentifierSystems;
  readonly guardian?: GuardianPolicy;
  /** Skipped rows listed (default 20). */
  readonly skippedListed?: number;
}

const ELIGIBLE_PEOPLE = `
  select p.id, p.citizen_id, p.commune_code from person p join registry_check c on c.person_id = p.id
  where c.status in ('verified', 'corrected') and c.person_link_run = p.link_run_id`;

/** Reads the export, compares it with what vaxsync would push, and queues what the platform lacks. */
export async function platformGap(database: Database, file: string, options: GapOptions = {}): Promise<GapReport> {
  const source = await openTabularFile(file);
  const rows = source.rows[Symbol.asyncIterator]();
  const first = await rows.next();
  if (first.done) throw new FileError('import.no_rows', file, 'the file has no header row');
  const { columns } = matchHeaders(first.value.cells);
  if (columns.person_id === undefined && columns.citizen_id === undefined) {
    throw new FileError('import.missing_columns', file, 'no column names the person: expected citizen_id (CCCD) or person_id', { row: first.value.rowNumber });
  }
  const missing = (['vaccine', 'date'] as const).filter((c) => columns[c] === undefined);
  if (missing.length > 0) {
    throw new FileError('import.missing_columns', file, `missing column ${missing.join(', ')} (headers: ${Object.values(GAP_EXPORT_COLUMNS).map((a) => a[0]).join(', ')})`, { row: first.value.rowNumber });
  }
  // The outbox holds a row for every eligible person before anything is queued again (what push does first).
  if (!options.dryRun) await syncOutbox(database, options.systems ?? DEFAULT_SYSTEMS, options.guardian ?? 'never');

  const listed = options.skippedListed ?? 20;
  return database.withTransaction(async (tx) => {
    await tx.query(`create temporary table platform_export (
                      person_id bigint, citizen_id text, vaccine_code text, vaccine_known boolean, vaccination_date text, is_dose boolean
                    ) on commit drop`);
    const columnsCopied = ['person_id', 'citizen_id', 'vaccine_code', 'vaccine_known', 'vaccination_date', 'is_dose'];
    const copy = new ChunkedCopy((text) => tx.copy('platform_export', columnsCopied, text), { maxLines: 5_000 });
    let exportRows = 0;
    let skipped = 0;
    const skippedRows: SkippedRow[] = [];
    const skip = (row: number, reason: string) => {
      skipped++;
      if (skippedRows.length < listed) skippedRows.push({ row, reason });
    };
    const cell = (cells: readonly string[], column: GapColumn) => {
      const at = columns[column];
      return at === undefined ? '' : (cells[at] ?? '').trim();
    };
    for (let next = await rows.next(); !next.done; next = await rows.next()) {
      const { rowNumber, cells } = next.value;
      if (cells.every((c) => c.trim() === '')) continue;
      exportRows++;
      const personText = cell(cells, 'person_id');
      const personId = /^[1-9]\d{0,17}$/.test(personText) ? personText : null;
      const citizen = normalizeCitizenId(cell(cells, 'citizen_id'), { birthYear: null, sex: null }).value;
      const citizenId = citizen !== null && citizen.kind !== 'invalid' ? citizen.value : null;
      if (personId === null && citizenId === null) {
        skip(rowNumber, personText || cell(cells, 'citizen_id') ? 'neither a vaxsync person id nor a CCCD/CMND' : 'no person id and no citizen ID');
        continue;
      }
      const dateText = cell(cells, 'date');
      const vaccineText = cell(cells, 'vaccine');
      let line: string;
      if (dateText === '' && vaccineText === '') {
        // A person the platform holds without a dose: present, nothing to match a dose against.
        line = copyLine([personId, citizenId, null, 'f', null, 'f']);
      } else {
        const date = parsePartialDate(dateText, 'vaccination_date').value;
        if (date === null) {
          skip(rowNumber, dateText === '' ? 'a vaccine without a date' : 'the date cannot be read');
          continue;
        }
        const vaccine = normalizeVaccine(vaccineText).value;
        line = copyLine([personId, citizenId, vaccine?.code ?? null, vaccine === null ? 'f' : 't', partialDateToIso(date), 't']);
      }
      if (copy.add(line)) await copy.flush();
    }
    await copy.end();
    await tx.query('analyze platform_export');

    await tx.query(`create temporary table gap_eligible on commit drop as ${ELIGIBLE_PEOPLE}`);
    await tx.query('create index on gap_eligible (id)');
    await tx.query('create index on gap_eligible (citizen_id)');
    // Each export row's person: by the id vaxsync sent when given, else by the golden record's citizen ID.
    await tx.query(`create temporary table export_person on commit drop as
                      select coalesce(byid.id, bycitizen.id) as person_id, e.vaccine_code, e.vaccine_known, e.vaccination_date, e.is_dose
                      from platform_export e
                      left join gap_eligible byid on byid.id = e.person_id
                      left join gap_eligible bycitizen on e.person_id is null and bycitizen.citizen_id = e.citizen_id`);
    await tx.query('create index on export_person (person_id, vaccination_date)');
    await tx.query('analyze export_person');

    const [counts] = await tx.query<{ eligible: string; unmatched: string }>(
      `select (select count(*) from gap_eligible) as eligible, (select count(*) from export_person where person_id is null) as unmatched`,
    );
    const missingPeople = await tx.query<{ id: string; citizen_id: string | null; commune_code: string | null; doses: string }>(
      `select g.id::text as id, g.citizen_id, g.commune_code, (select count(*) from dose d where d.person_id = g.id) as doses
       from gap_eligible g where not exists (select 1 from export_person x where x.person_id = g.id) order by g.id`,
    );
    const missingDoses = await tx.query<{ person_id: string; citizen_id: string | null; commune_code: string | null; vaccine_code: string | null; vaccination_date: string | null; dose_number: number | null }>(
      `select d.person_id::text as person_id, g.citizen_id, g.commune_code, d.vaccine_code, d.vaccination_date, d.dose_number
       from gap_eligible g join dose d on d.person_id = g.id
       where exists (select 1 from export_person x where x.person_id = g.id)
         and not exists (select 1 from export_person x
                         where x.person_id = g.id and x.is_dose and x.vaccination_date is not distinct from d.vaccination_date
                           and (x.vaccine_code is not distinct from d.vaccine_code or not x.vaccine_known))
       order by d.person_id, d.vaccination_date, d.id`,
    );
    const lacking = [...new Set([...missingPeople.map((p) => p.id), ...missingDoses.map((d) => d.person_id)])];
    const states = new Map<string, { state: string; last_error: string | null }>();
    for (const r of await tx.query<{ person_id: string; state: string; last_error: string | null }>(
      `select person_id::text as person_id, state, last_error from outbox where person_id = any($1::bigint[])`,
      [lacking],
    )) {
      states.set(r.person_id, r);
    }
    // Queued again: whatever the outbox believed was acknowledged, the platform says it lacks it.
    let queued = 0;
    if (!options.dryRun && lacking.length > 0) {
      const result = await tx.query<{ person_id: string }>(
        `update outbox set state = 'pending', acked_hash = null, attempts = 0, next_attempt_at = now(), last_error = null,
                           queued_at = now(), updated_at = now()
         where person_id = any($1::bigint[]) and state in ('acknowledged', 'pending', 'failed')
         returning person_id::text as person_id`,
        [lacking],
      );
      queued = result.length;
    } else {
      queued = lacking.filter((id) => !['in_flight', 'rejected'].includes(states.get(id)?.state ?? '')).length;
    }
    const outboxOf = (id: string): Pick<GapEntry, 'outbox' | 'rejection'> => {
      const s = states.get(id);
      if (s?.state === 'rejected') return { outbox: 'rejected', rejection: s.last_error };
      if (s?.state === 'in_flight') return { outbox: 'in_flight', rejection: null };
      return { outbox: 'queued', rejection: null };
    };
    const entries: GapEntry[] = [
      ...missingPeople.map((p): GapEntry => ({
        kind: 'person', personId: p.id, citizenId: maskId(p.citizen_id), communeCode: p.commune_code,
        vaccineCode: null, date: null, doseNumber: null, doses: Number(p.doses), ...outboxOf(p.id),
      })),
      ...missingDoses.map((d): GapEntry => ({
        kind: 'dose', personId: d.person_id, citizenId: maskId(d.citizen_id), communeCode: d.commune_code,
        vaccineCode: d.vaccine_code, date: d.vaccination_date, doseNumber: d.dose_number, doses: 1, ...outboxOf(d.person_id),
      })),
    ];
    return {
      exportRows,
      skipped,
      skippedRows,
      unmatchedRows: Number(counts!.unmatched),
      eligiblePeople: Number(counts!.eligible),
      missingPeople: missingPeople.length,
      missingDoses: missingDoses.length,
      queued,
      entries,
    };
  });
}

function maskId(id: string | null): string | null {
  return id === null ? null : maskCitizenId(id);
}
