/**
 * The commune police's worklist (issue 16 item 6, the Project 06 clean-up loop): the people of one commune
 * the population registry could not confirm (`conflict`, `not_found`, `no_id`), an answer per person, and
 * the list signed back to the station. Kept apart from the routes so the queries read as one unit.
 *
 * An answer is stored as given, with the officer's key (never updated: a new answer for the same person
 * replaces it at the next reconcile, src/reconcile/police.ts, and the old one stays as history). A person
 * stays on the list once answered, whatever the next reconcile says of them, so the officer sees what was
 * done; the sign-off covers every answer given since the previous one.
 */
import { normalizeName } from '../clean/name.js';
import { parsePartialDate, partialDateToIso } from '../clean/date.js';
import { VaxsyncError } from '../base/errors.js';
import type { Database } from '../db/database.js';
import type { PoliceOutcome, RegistryStatus } from '../db/schema.js';
import { villageKey, villageOf } from '../report/call-list.js';
import { readContacts } from '../report/contacts.js';
import type { ReportTable } from '../report/table.js';
import { POLICE_OUTCOMES } from '../reconcile/police.js';
import type { ApiKey } from './keys.js';

/** The registry statuses an officer checks. */
export const POLICE_STATUSES: readonly RegistryStatus[] = ['conflict', 'not_found', 'no_id'];

/** What the officer reads, in Vietnamese (the console, the printed list). */
export const POLICE_STATUS_LABELS: Readonly<Record<string, string>> = {
  conflict: 'Sai lệch với CSDL dân cư',
  not_found: 'Số định danh không có trong CSDL dân cư',
  no_id: 'Chưa có số định danh',
  verified: 'Đã xác minh',
  corrected: 'Đã xác minh, có sửa',
  deceased: 'Đã mất',
};
export const POLICE_OUTCOME_LABELS: Readonly<Record<PoliceOutcome, string>> = {
  id_confirmed: 'Xác nhận đúng số định danh',
  corrected: 'Sửa thông tin',
  not_resident: 'Không cư trú tại xã',
  deceased: 'Đã mất',
};
const SEX_LABELS: Readonly<Record<string, string>> = { male: 'Nam', female: 'Nữ' };

export interface RegistryValues {
  readonly citizenId: string | null;
  readonly fullName: string | null;
  readonly birthDate: string | null;
  readonly sex: string | null;
  readonly deceased: boolean;
}

export interface PoliceAnswerView {
  readonly id: string;
  readonly outcome: PoliceOutcome;
  readonly citizenId: string | null;
  readonly fullName: string | null;
  readonly birthDate: string | null;
  readonly sex: string | null;
  readonly deathDate: string | null;
  readonly note: string | null;
  readonly officer: string;
  readonly recordedAt: string;
  readonly signOffId: number | null;
}

export interface WorklistItem {
  readonly personId: string;
  readonly fullName: string | null;
  readonly birthDate: string | null;
  readonly sex: string | null;
  /** In full: the officer looks it up in the national population database. */
  readonly citizenId: string | null;
  readonly phone: string | null;
  readonly village: string | null;
  readonly address: string | null;
  readonly guardianName: string | null;
  readonly guardianPhone: string | null;
  /** The registry status now (after an answer and a reconcile it may no longer be one the list selects). */
  readonly status: RegistryStatus | null;
  /** What the registry holds under the person's ID (a conflict), or null. */
  readonly registry: RegistryValues | null;
  readonly answer: PoliceAnswerView | null;
}

export interface SignOff {
  readonly id: number;
  readonly commune: string;
  readonly officer: string;
  readonly signedAt: string;
  readonly people: number;
  readonly answered: number;
  readonly outcomes: Readonly<Record<string, number>>;
}

export interface Worklist {
  readonly commune: string;
  readonly people: number;
  readonly answered: number;
  /** Answers given since the last sign-off: what the next sign-off covers. */
  readonly unsigned: number;
  readonly items: readonly WorklistItem[];
  readonly signOffs: readonly SignOff[];
}

interface Row {
  person_id: string;
  full_name: string | null;
  birth_date: string | null;
  sex: string | null;
  citizen_id: string | null;
  phone: string | null;
  address: string | null;
  status: RegistryStatus | null;
  registry_identity: Record<string, unknown> | null;
  answer_id: string | null;
  outcome: PoliceOutcome | null;
  a_citizen_id: string | null;
  a_full_name: string | null;
  a_birth_date: string | null;
  a_sex: string | null;
  a_death_date: string | null;
  a_note: string | null;
  officer: string | null;
  recorded_at: Date | string | null;
  sign_off_id: number | null;
}

/** The people of the list: the statuses to check, and everyone answered in the commune. */
const SELECT_LIST = `
  with answer as (
    select distinct on (person_id) * from police_answer where commune_code = $1 order by person_id, id desc
  )
  select p.id::text as person_id, p.full_name, p.birth_date, p.sex, p.citizen_id, p.phone, p.address,
         c.status, c.registry_identity,
         a.id::text as answer_id, a.outcome, a.citizen_id as a_citizen_id, a.full_name as a_full_name, a.birth_date as a_birth_date,
         a.sex as a_sex, a.death_date as a_death_date, a.note as a_note, a.officer, a.recorded_at, a.sign_off_id
  from person p
  left join registry_check c on c.person_id = p.id
  left join answer a on a.person_id = p.id
  where p.commune_code = $1 and (c.status = any($2::text[]) or a.id is not null)`;

const VI = new Intl.Collator('vi');
const text = (v: unknown) => (typeof v === 'string' ? v : null);
const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

export async function policeWorklist(database: Database, commune: string): Promise<Worklist> {
  const rows = await database.withTransaction((tx) => tx.query<Row>(SELECT_LIST, [commune, POLICE_STATUSES]));
  const contacts = await readContacts(database, commune, rows.map((r) => r.person_id));
  const items: WorklistItem[] = rows.map((r) => {
    const reg = r.registry_identity;
    const contact = contacts.get(r.person_id);
    return {
      personId: r.person_id,
      fullName: r.full_name,
      birthDate: r.birth_date,
      sex: r.sex,
      citizenId: r.citizen_id,
      phone: r.phone,
      village: villageOf(r.address),
      address: r.address,
      guardianName: contact?.guardianName ?? null,
      guardianPhone: contact?.guardianPhone ?? null,
      status: r.status,
      registry: reg
        ? { citizenId: text(reg.citizenId), fullName: text(reg.fullName), birthDate: text(reg.birthDate), sex: text(reg.sex), deceased: reg.status === 'deceased' }
        : null,
      answer:
        r.answer_id === null
          ? null
          : {
              id: r.answer_id,
              outcome: r.outcome!,
              citizenId: r.a_citizen_id,
              fullName: r.a_full_name,
              birthDate: r.a_birth_date,
              sex: r.a_sex,
              deathDate: r.a_death_date,
              note: r.a_note,
              officer: r.officer!,
              recordedAt: iso(r.recorded_at!),
              signOffId: r.sign_off_id,
            },
    };
  });
  // Door to door: by village, then by name.
  items.sort((a, b) => villageKey(a.village).localeCompare(villageKey(b.village)) || VI.compare(a.fullName ?? '', b.fullName ?? '') || Number(a.personId) - Number(b.personId));
  const signOffs = await database.db.selectFrom('police_sign_off').selectAll().where('commune_code', '=', commune).orderBy('id', 'desc').limit(20).execute();
  return {
    commune,
    people: items.length,
    answered: items.filter((i) => i.answer !== null).length,
    unsigned: items.filter((i) => i.answer !== null && i.answer.signOffId === null).length,
    items,
    signOffs: signOffs.map((s) => ({
      id: s.id,
      commune: s.commune_code,
      officer: s.officer,
      signedAt: iso(s.signed_at),
      people: s.people,
      answered: s.answered,
      outcomes: s.outcomes,
    })),
  };
}

/** What the officer sends: the outcome and, for a confirmation or a correction, the identity. */
export interface AnswerInput {
  readonly outcome: PoliceOutcome;
  readonly citizenId?: string | null | undefined;
  readonly fullName?: string | null | undefined;
  readonly birthDate?: string | null | undefined;
  readonly sex?: 'male' | 'female' | null | undefined;
  readonly deathDate?: string | null | undefined;
  readonly note?: string | null | undefined;
}

/** A refused answer, in Vietnamese: the officer reads it. */
const refused = (reason: string) => new VaxsyncError('request.invalid', reason);

function cleanDate(raw: string | null | undefined, label: string): string | null {
  if (raw === null || raw === undefined || raw.trim() === '') return null;
  const parsed = parsePartialDate(raw, 'birth_date').value;
  if (parsed === null) throw refused(`${label} không đọc được: nhập dd/mm/yyyy, mm/yyyy hoặc yyyy`);
  return partialDateToIso(parsed);
}

function cleanInput(input: AnswerInput): Omit<Required<AnswerInput>, 'outcome'> & { outcome: PoliceOutcome } {
  if (!POLICE_OUTCOMES.includes(input.outcome)) throw refused('kết quả không hợp lệ');
  const citizenId = input.citizenId?.replace(/[\s.-]/g, '') || null;
  if (citizenId !== null && !/^\d{12}$/.test(citizenId)) throw refused('số định danh phải có 12 chữ số');
  let fullName: string | null = null;
  if (input.fullName && input.fullName.trim() !== '') {
    fullName = normalizeName(input.fullName).value?.full ?? null;
    if (fullName === null) throw refused('họ và tên không đọc được');
  }
  const note = input.note?.trim().slice(0, 500) || null;
  const identity = { citizenId, fullName, birthDate: cleanDate(input.birthDate, 'Ngày sinh'), sex: input.sex ?? null };
  switch (input.outcome) {
    case 'id_confirmed':
      if (citizenId === null) throw refused('xác nhận số định danh cần số định danh (12 chữ số)');
      return { outcome: input.outcome, ...identity, deathDate: null, note };
    case 'corrected':
      if (Object.values(identity).every((v) => v === null)) throw refused('sửa thông tin cần ít nhất một giá trị đúng');
      return { outcome: input.outcome, ...identity, deathDate: null, note };
    case 'deceased':
      return { outcome: input.outcome, ...identity, deathDate: cleanDate(input.deathDate, 'Ngày mất'), note };
    case 'not_resident':
      return { outcome: input.outcome, citizenId: null, fullName: null, birthDate: null, sex: null, deathDate: null, note };
  }
}

/**
 * Stores an officer's answer for a person of their commune on the list, and returns it. A confirmation
 * stores the identity the officer confirmed: the one the list showed, where the officer typed nothing else.
 */
export async function recordPoliceAnswer(database: Database, officer: ApiKey, personId: string, input: AnswerInput): Promise<PoliceAnswerView> {
  const commune = officer.communeCode!;
  const answer = cleanInput(input);
  const list = await policeWorklist(database, commune);
  const item = list.items.find((i) => i.personId === personId);
  if (!item) throw new VaxsyncError('http.not_found', `person ${personId} is not on the list of commune ${commune}`);
  const shown = { citizenId: item.citizenId, fullName: item.fullName, birthDate: item.birthDate, sex: item.sex };
  const values =
    answer.outcome === 'id_confirmed'
      ? {
          ...answer,
          fullName: answer.fullName ?? shown.fullName,
          birthDate: answer.birthDate ?? shown.birthDate,
          sex: answer.sex ?? (shown.sex === 'male' || shown.sex === 'female' ? shown.sex : null),
        }
      : answer;
  const row = await database.db
    .insertInto('police_answer')
    .values({
      person_id: personId,
      commune_code: commune,
      outcome: values.outcome,
      citizen_id: values.citizenId,
      full_name: values.fullName,
      birth_date: values.birthDate,
      sex: values.sex,
      death_date: values.deathDate,
      note: values.note,
      asked: JSON.stringify({ status: item.status, ...shown, registry: item.registry }),
      officer: officer.name,
      officer_key_id: officer.id,
    })
    .returning(['id', 'recorded_at'])
    .executeTakeFirstOrThrow();
  return {
    id: String(row.id),
    outcome: values.outcome,
    citizenId: values.citizenId,
    fullName: values.fullName,
    birthDate: values.birthDate,
    sex: values.sex,
    deathDate: values.deathDate,
    note: values.note,
    officer: officer.name,
    recordedAt: iso(row.recorded_at),
    signOffId: null,
  };
}

/**
 * Signs the commune's list off: every answer given since the last sign-off is covered, and the record
 * counts the people on the list and the answers in force per outcome. Refused when nothing was answered
 * since the last sign-off (a second click signs nothing twice).
 */
export async function signOffPoliceList(database: Database, officer: ApiKey): Promise<SignOff> {
  const commune = officer.communeCode!;
  const list = await policeWorklist(database, commune);
  return database.db.transaction().execute(async (trx) => {
    const unsigned = await trx.selectFrom('police_answer').select('id').where('commune_code', '=', commune).where('sign_off_id', 'is', null).execute();
    if (unsigned.length === 0) throw new VaxsyncError('request.invalid', 'chưa có kết quả mới nào kể từ lần ký trước');
    const outcomes = Object.fromEntries(POLICE_OUTCOMES.map((o) => [o, 0])) as Record<PoliceOutcome, number>;
    for (const item of list.items) if (item.answer) outcomes[item.answer.outcome]++;
    const signOff = await trx
      .insertInto('police_sign_off')
      .values({
        commune_code: commune,
        officer: officer.name,
        officer_key_id: officer.id,
        people: list.people,
        answered: list.answered,
        outcomes: JSON.stringify(outcomes),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('police_answer')
      .set({ sign_off_id: signOff.id })
      .where('id', 'in', unsigned.map((u) => u.id))
      .execute();
    return {
      id: signOff.id,
      commune,
      officer: signOff.officer,
      signedAt: iso(signOff.signed_at),
      people: signOff.people,
      answered: signOff.answered,
      outcomes: signOff.outcomes,
    };
  });
}

/** The list to print for door-to-door checks: Vietnamese headers, a blank result column to fill by hand. */
export function policeListTable(list: Worklist, date: string): ReportTable {
  const sex = (v: string | null) => (v === null ? null : (SEX_LABELS[v] ?? v));
  const registry = (r: RegistryValues | null) =>
    r === null ? null : [r.fullName, r.birthDate, sex(r.sex), r.deceased ? 'đã mất' : null].filter((v) => v !== null).join(', ') || null;
  const answer = (a: PoliceAnswerView | null) =>
    a === null ? null : [POLICE_OUTCOME_LABELS[a.outcome], a.citizenId, a.fullName, a.birthDate, sex(a.sex)].filter((v) => v !== null).join(', ');
  return {
    title: `DANH SÁCH CÔNG AN XÃ KIỂM TRA, XÁC MINH THÔNG TIN CÔNG DÂN — XÃ ${list.commune}`,
    columns: ['village', 'person_id', 'full_name', 'birth_date', 'sex', 'citizen_id', 'guardian_name', 'phone', 'status', 'registry', 'answer', 'result'],
    labels: ['Thôn/xóm', 'Mã người', 'Họ và tên', 'Ngày sinh', 'Giới', 'Số định danh', 'Người giám hộ', 'Điện thoại', 'Tình trạng', 'CSDL dân cư ghi', 'Kết quả đã ghi', 'Kết quả kiểm tra (ghi tay)'],
    rows: list.items.map((i) => [
      i.village ?? 'không rõ thôn/xóm',
      i.personId,
      i.fullName,
      i.birthDate,
      sex(i.sex),
      i.citizenId,
      [i.guardianName, i.guardianPhone].filter(Boolean).join(', ') || null,
      i.phone,
      i.status === null ? null : (POLICE_STATUS_LABELS[i.status] ?? i.status),
      registry(i.registry),
      answer(i.answer),
      null,
    ]),
    groupBy: [0],
    date,
    notes: [
      `${list.people} người cần kiểm tra đối chiếu với Cơ sở dữ liệu quốc gia về dân cư; ${list.answered} người đã có kết quả.`,
      'Kết quả: xác nhận đúng số định danh / sửa thông tin (ghi giá trị đúng) / không cư trú tại xã / đã mất.',
    ],
  };
}
