/**
 * Reconciliation with the population registry: each person gets one status of the contract
 * (../shared/contract/registry.md) from whichever connector answers, and the golden record adopts the
 * registry's identity where it agrees (verified, corrected, deceased), with the registry as provenance.
 * Raw rows and cleaned records are never touched: only the person's golden values change, and the identity
 * the records gave is kept with the check (`ours`), so a re-check still knows what was corrected.
 *
 * People are checked when they have never been, when a link run rewrote them since, or when their check
 * is older than `maxAgeDays`; `all` re-checks everyone. A page of people is read, looked up outside any
 * transaction (a slow registry must not hold locks, and the file connector queries the same database),
 * then written in a short transaction under the link lock; a person a link run rewrote meanwhile keeps its
 * new golden record and is checked again next time.
 *
 * A police officer's answer (src/reconcile/police.ts) is the registry's answer for its person: the newest
 * answer in force replaces the connector's verdict (or, for "not a resident", annotates it), and a person
 * answered since their last check is checked again at the next run, whatever `maxAgeDays`.
 */
import type { IdentityQuery, RegistryConnector, RegistryIdentity } from '../../connectors/registry/types.js';
import { normalizeName } from '../clean/name.js';
import { ChunkedCopy, copyLine, textArrayLiteral } from '../base/copy.js';
import type { Database, RawTransaction } from '../db/database.js';
import type { RegistryStatus } from '../db/schema.js';
import { LINK_LOCK } from '../link/link.js';
import { registryNote } from './notes.js';
import { compareIdentity, type IdentityField, type OurIdentity } from './compare.js';
import { notResidentNote, policeCheck, policeRegistry, policeSource, type PoliceAnswer } from './police.js';

export interface ReconcileOptions {
  /** Re-check people whose last check is older than this many days (default 30). */
  readonly maxAgeDays?: number;
  /** Re-check everyone. */
  readonly all?: boolean;
  /** Called after each page of people with the number checked so far. */
  readonly onProgress?: (checked: number) => void;
}

export interface ReconcileSummary {
  readonly registry: string;
  /** People checked by this run, per status. */
  readonly checked: number;
  readonly byStatus: Readonly<Record<RegistryStatus, number>>;
  /** Golden records that adopted at least one registry value. */
  readonly adopted: number;
  readonly seconds: number;
}

export const REGISTRY_STATUSES: readonly RegistryStatus[] = ['verified', 'corrected', 'conflict', 'not_found', 'no_id', 'deceased'];

/** People read, looked up and written per page. */
const PAGE = 10_000;

interface PersonRow {
  readonly id: string;
  readonly link_run_id: number;
  readonly full_name: string | null;
  readonly birth_date: string | null;
  readonly sex: 'male' | 'female' | null;
  readonly citizen_id: string | null;
  readonly commune_code: string | null;
  readonly checked_run: number | null;
  readonly checked_ours: (OurIdentity & { readonly citizenId: string | null }) | null;
}

/** One person's outcome. */
export interface PersonCheck {
  readonly status: RegistryStatus;
  readonly fields: readonly IdentityField[];
  readonly foundBy: 'id' | 'identity' | 'police' | null;
  readonly citizenId: string | null;
  readonly note: string | null;
  readonly registry: RegistryIdentity | null;
}

const CCCD = /^\d{12}$/;

/**
 * The status of one person given what the registry answered: `byId` for its citizen ID (undefined when it
 * has no CCCD to look up), or `candidates` found by name + birth date. Pure.
 */
export function checkPerson(
  ours: OurIdentity & { readonly citizenId: string | null },
  byId: RegistryIdentity | null | undefined,
  candidates: readonly RegistryIdentity[] | undefined,
): PersonCheck {
  if (byId !== undefined) {
    if (byId === null) return { status: 'not_found', fields: [], foundBy: null, citizenId: ours.citizenId, note: null, registry: null };
    const c = compareIdentity(ours, byId);
    const note = c.status === 'conflict' ? registryNote.conflict(c.nameLevel, c.birthDateLevel) : null;
    return { status: c.status, fields: c.fields, foundBy: 'id', citizenId: byId.citizenId, note, registry: byId };
  }
  if (candidates && candidates.length === 1) {
    const found = candidates[0]!;
    const c = compareIdentity(ours, found);
    // Found by the same name key and birth date, so never a conflict in the name or the date; a sex
    // that disagrees as well is too weak a hit to adopt an ID from.
    if (c.status !== 'conflict' && !c.fields.includes('sex')) {
      return { status: c.status, fields: c.fields, foundBy: 'identity', citizenId: found.citizenId, note: registryNote.foundByIdentity, registry: found };
    }
  }
  const note = candidates && candidates.length > 1 ? registryNote.ambiguous(candidates.length) : null;
  return { status: 'no_id', fields: [], foundBy: null, citizenId: null, note, registry: null };
}

/** The golden values the registry replaces (null: kept), in ADOPTED_FIELDS order. */
type Adoption = readonly [fullName: string | null, birthDate: string | null, sex: string | null, citizenId: string | null];

/** What the golden record takes from the registry: every value it agrees on, never a conflicting person's. */
function adoption(check: PersonCheck, ours: OurIdentity & { readonly citizenId: string | null }): Adoption | null {
  const r = check.registry;
  if (!r || check.status === 'conflict') return null;
  const adopt: Adoption = [
    r.fullName !== null && (ours.fullName === null || check.fields.includes('full_name')) ? r.fullName : null,
    r.birthDate !== null && (ours.birthDate === null || check.fields.includes('birth_date')) ? r.birthDate : null,
    r.sex !== null && (ours.sex === null || check.fields.includes('sex')) ? r.sex : null,
    // An ID found by name + birth date, or given by a police officer, becomes the person's.
    (check.foundBy === 'identity' || check.foundBy === 'police') && CCCD.test(r.citizenId) && r.citizenId !== ours.citizenId ? r.citizenId : null,
  ];
  return adopt.some((v) => v !== null) ? adopt : null;
}

/**
 * The next page of people to check, after person $3, in id order. The check is looked up per person
 * (`lateral … limit 1`, which PostgreSQL cannot flatten into a join): as a plain join, the planner hashed
 * every person after $3 with every check on each page, so a run cost the square of the people (0.45 s a page
 * at 300,000 people); walked along the primary key, a run reads each person once.
 */
const SELECT_PAGE = `
  select p.id::text as id, p.link_run_id, p.full_name, p.birth_date, p.sex, p.citizen_id, p.commune_code,
         c.person_link_run as checked_run, c.ours as checked_ours
  from person p
  left join lateral (select * from registry_check c where c.person_id = p.id limit 1) c on true
  where p.id > $3::bigint
    and ($1 or c.person_id is null or c.person_link_run <> p.link_run_id or c.checked_at < $4::timestamptz - make_interval(days => $2)
         or exists (select 1 from police_answer a where a.person_id = p.id and a.recorded_at > c.checked_at))
  order by p.id
  limit ${PAGE}`;

const RESULT_COLUMNS = [
  'person_id', 'person_link_run', 'status', 'fields', 'found_by', 'citizen_id', 'note', 'ours', 'registry_identity',
  'adopt_full_name', 'adopt_birth_date', 'adopt_sex', 'adopt_citizen_id', 'registry', 'adopt_source',
];

/** The answer in force (the newest) of each person of a page. */
const SELECT_ANSWERS = `
  select distinct on (person_id) id::text as id, person_id::text as person_id, outcome, citizen_id, full_name, birth_date, sex, death_date, officer
  from police_answer where person_id = any($1::bigint[])
  order by person_id, id desc`;

export async function reconcile(database: Database, connector: RegistryConnector, options: ReconcileOptions = {}): Promise<ReconcileSummary> {
  const started = performance.now();
  const byStatus = Object.fromEntries(REGISTRY_STATUSES.map((s) => [s, 0])) as Record<RegistryStatus, number>;
  let checked = 0;
  let adopted = 0;
  // One cut-off for the whole run, so people checked by this run are not "too old" a page later.
  const runStart = new Date().toISOString();
  await database.withTransaction((tx) => tx.query('delete from registry_check c where not exists (select 1 from person p where p.id = c.person_id)'));
  // On its way at once: the loop reads the next page from the database, which lets this write go on meanwhile.
  const write = (text: string, sent: () => void) => {
    sent();
    return database.withTransaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [LINK_LOCK]);
      await tx.query(`create temporary table reconcile_result (
        person_id bigint, person_link_run integer, status text, fields text[], found_by text, citizen_id text, note text,
        ours jsonb, registry_identity jsonb, adopt_full_name text, adopt_birth_date text, adopt_sex text, adopt_citizen_id text,
        registry text, adopt_source text
      ) on commit drop`);
      await tx.copy('reconcile_result', RESULT_COLUMNS, text);
      await saveResults(tx, connector.source);
    });
  };
  // A page is read and looked up while the previous one is written: the registry and PostgreSQL work at once.
  const pages = new ChunkedCopy(write, { overlap: true });
  let after = '0';
  for (;;) {
    const page = await database.withTransaction(async (tx) => {
      // the estimate of a walk that stops after a page is far too high: compiling it (JIT) would cost more than it saves
      await tx.query('set local jit = off');
      return tx.query<PersonRow>(SELECT_PAGE, [options.all === true, options.maxAgeDays ?? 30, after, runStart]);
    });
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const answers = await policeAnswers(database, page);
    const text = await checkPage(connector, page, answers, (check, ours) => {
      byStatus[check.status]++;
      const adopt = adoption(check, ours);
      if (adopt) adopted++;
      return adopt;
    });
    pages.add(text);
    await pages.flush();
    checked += page.length;
    options.onProgress?.(checked);
    if (page.length < PAGE) break;
  }
  await pages.end();
  // The push and the reports read these tables next: give the planner their new sizes.
  await database.withTransaction((tx) => tx.query('analyze registry_check, person'));
  return { registry: connector.source, checked, byStatus, adopted, seconds: (performance.now() - started) / 1000 };
}

interface AnswerRow {
  readonly id: string;
  readonly person_id: string;
  readonly outcome: PoliceAnswer['outcome'];
  readonly citizen_id: string | null;
  readonly full_name: string | null;
  readonly birth_date: string | null;
  readonly sex: 'male' | 'female' | null;
  readonly death_date: string | null;
  readonly officer: string;
}

async function policeAnswers(database: Database, page: readonly PersonRow[]): Promise<Map<string, PoliceAnswer>> {
  const rows = await database.withTransaction((tx) => tx.query<AnswerRow>(SELECT_ANSWERS, [page.map((p) => p.id)]));
  return new Map(
    rows.map((r) => [
      r.person_id,
      { id: r.id, personId: r.person_id, outcome: r.outcome, citizenId: r.citizen_id, fullName: r.full_name, birthDate: r.birth_date, sex: r.sex, deathDate: r.death_date, officer: r.officer },
    ]),
  );
}

/** Looks one page of people up and returns their results as COPY text for `reconcile_result`. */
async function checkPage(
  connector: RegistryConnector,
  page: readonly PersonRow[],
  answers: ReadonlyMap<string, PoliceAnswer>,
  onCheck: (check: PersonCheck, ours: OurIdentity & { readonly citizenId: string | null }) => Adoption | null,
): Promise<string> {
  // The identity the records gave: kept from the last check while the person is unchanged, because the
  // golden record has since adopted the registry's values.
  const ours = page.map((p) =>
    p.checked_ours !== null && p.checked_run === p.link_run_id
      ? p.checked_ours
      : { fullName: p.full_name, birthDate: p.birth_date, sex: p.sex, citizenId: p.citizen_id },
  );
  // The IDs officers gave are looked up too: the extract may fill in what an answer left blank.
  const answerIds = [...answers.values()].map((a) => a.citizenId);
  const ids = [...new Set([...ours.map((o) => o.citizenId), ...answerIds].filter((id): id is string => id !== null && CCCD.test(id)))];
  const found = ids.length > 0 ? await connector.lookupByIds(ids) : new Map<string, RegistryIdentity>();

  const queries: IdentityQuery[] = [];
  if (connector.findByIdentity) {
    page.forEach((p, i) => {
      const o = ours[i]!;
      if ((o.citizenId !== null && CCCD.test(o.citizenId)) || o.fullName === null || o.birthDate?.length !== 10) return;
      const key = normalizeName(o.fullName).value?.key;
      if (key) queries.push({ key: p.id, nameKey: key, birthDate: o.birthDate, communeCode: p.commune_code });
    });
  }
  const candidates = queries.length > 0 ? await connector.findByIdentity!(queries) : new Map<string, RegistryIdentity[]>();

  let text = '';
  page.forEach((p, i) => {
    const o = ours[i]!;
    const hasCccd = o.citizenId !== null && CCCD.test(o.citizenId);
    let check: PersonCheck = checkPerson(o, hasCccd ? (found.get(o.citizenId!) ?? null) : undefined, candidates.get(p.id) ?? (connector.findByIdentity ? [] : undefined));
    const answer = answers.get(p.id);
    if (answer) {
      const answerId = answer.citizenId ?? (hasCccd ? o.citizenId : null);
      check = policeCheck(o, answer, answerId === null ? undefined : (found.get(answerId) ?? null)) ?? { ...check, note: notResidentNote(check.note, answer) };
    }
    const byPolice = answer !== undefined && check.foundBy === 'police';
    const adopt = onCheck(check, o);
    // The records' identity is kept only where the golden record is about to change; the registry's only
    // where it differs from ours (what a reviewer needs to see). Both are JSON, which costs to store.
    text += copyLine([
      p.id, p.link_run_id, check.status, textArrayLiteral(check.fields), check.foundBy, check.citizenId, check.note,
      adopt ? JSON.stringify(o) : null,
      check.registry && check.status !== 'verified' ? JSON.stringify(check.registry) : null,
      ...(adopt ?? [null, null, null, null]),
      byPolice ? policeRegistry(answer) : null,
      byPolice && adopt ? policeSource(answer) : null,
    ]);
  });
  return text;
}

/** Stores the checks and lets the golden records adopt the registry's values, with the registry as their source. */
async function saveResults(tx: RawTransaction, registry: string): Promise<void> {
  await tx.query(
    `insert into registry_check (person_id, person_link_run, checked_at, registry, status, fields, found_by, citizen_id, note, ours, registry_identity)
     select person_id, person_link_run, now(), coalesce(registry, $1), status, fields, found_by, citizen_id, note, ours, registry_identity from reconcile_result
     on conflict (person_id) do update set
       person_link_run = excluded.person_link_run, checked_at = excluded.checked_at, registry = excluded.registry,
       status = excluded.status, fields = excluded.fields, found_by = excluded.found_by, citizen_id = excluded.citizen_id,
       note = excluded.note,
       -- an unchanged person adopted registry values before: keep the records' identity from then
       ours = coalesce(excluded.ours, case when registry_check.person_link_run = excluded.person_link_run then registry_check.ours end),
       registry_identity = excluded.registry_identity`,
    [registry],
  );
  await tx.query(
    `update person p set
       full_name = coalesce(r.adopt_full_name, p.full_name),
       birth_date = coalesce(r.adopt_birth_date, p.birth_date),
       sex = coalesce(r.adopt_sex, p.sex),
       citizen_id = coalesce(r.adopt_citizen_id, p.citizen_id),
       sources = p.sources || jsonb_strip_nulls(jsonb_build_object(
         'full_name', case when r.adopt_full_name is not null then jsonb_build_array(coalesce(r.adopt_source, $1::text)) end,
         'birth_date', case when r.adopt_birth_date is not null then jsonb_build_array(coalesce(r.adopt_source, $1::text)) end,
         'sex', case when r.adopt_sex is not null then jsonb_build_array(coalesce(r.adopt_source, $1::text)) end,
         'citizen_id', case when r.adopt_citizen_id is not null then jsonb_build_array(coalesce(r.adopt_source, $1::text)) end))
     from reconcile_result r
     -- the page's id range lets PostgreSQL read its people by index, not every person for each page
     where p.id = r.person_id and p.link_run_id = r.person_link_run
       and p.id >= (select min(person_id) from reconcile_result) and p.id <= (select max(person_id) from reconcile_result)
       and (r.adopt_full_name is not null or r.adopt_birth_date is not null or r.adopt_sex is not null or r.adopt_citizen_id is not null)`,
    [`registry:${registry}`],
  );
}
