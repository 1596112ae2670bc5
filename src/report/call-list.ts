/**
 * The call list (`vaxsync report due`), exactly as ../shared/contract/reports.md says: one row per person and
 * programme dose due, overdue or to catch up on the date, grouped by commune and village. Deceased people are
 * never listed (eachPerson), nor people the commune police last said do not live in the commune; a missed birth dose and every COVID-19 dose after the campaign's end never appear
 * (the schedule engine does not offer them).
 */
import { asciiKey } from '../base/text.js';
import type { Database } from '../db/database.js';
import { addSpan, dayOf, isoOf } from '../schedule/calendar.js';
import { COVID_CAMPAIGN_END_DEFAULT, PROGRAMME_VACCINE_NAMES, PROGRAMME_VACCINES } from '../schedule/rules.js';
import { communeName } from '../clean/commune.js';
import { vnDate } from './daily.js';
import { CHILDHOOD_UNTIL, LISTED_STATES, scheduleStatus, type ProgrammeDoseStatus } from '../schedule/status.js';
import { readContacts, type Contact } from './contacts.js';
import { eachPerson, type PeopleFilter, type ReportPerson, type ReportScope } from './people.js';
import type { ReportTable } from './table.js';

/** The contract's header, in order. Stable: other tools read it. */
export const CALL_LIST_COLUMNS = [
  'person_id', 'full_name', 'birth_date', 'sex', 'guardian_name', 'phone', 'village', 'commune_code', 'school',
  'vaccine_code', 'dose_number', 'due_from', 'days_overdue', 'status',
] as const;

/** Headers in Vietnamese for the printed forms (text, HTML, XLSX); the CSV keeps the contract's names. */
const LABELS = [
  'Mã người', 'Họ và tên', 'Ngày sinh', 'Giới', 'Người giám hộ', 'Điện thoại', 'Thôn/xóm', 'Mã xã', 'Trường',
  'Vắc xin', 'Mũi', 'Đến hạn từ', 'Số ngày quá hạn', 'Trạng thái',
];

export interface CallListFilter {
  /** Age on the date in whole years: from (inclusive) … to (exclusive), the "5–<18" lists. */
  readonly ageFrom?: number | undefined;
  readonly ageTo?: number | undefined;
  /** Only pupils of this school (part of the name, case and accents ignored). */
  readonly school?: string | undefined;
}

const SEX = { male: 'Nam', female: 'Nữ' } as Readonly<Record<string, string>>;
/** Words that start a village's name in an address line (thôn, xóm, làng, bản, ấp, buôn, tổ, khu phố, …). */
const VILLAGE_WORD = /^(thon|xom|lang|ban|ap|buon|soc|to|to dan pho|khu pho|khom|khu|tdp)\b/;

/**
 * The village of an address line, so that `Thôn 5` and `Thôn 5, Xã Yên Định` are one village: the comma-separated
 * part that names a village (else the first part), from its village word on (`Số 12 thôn 5` → `Thôn 5`), spacing
 * tidied and the first letter upper-case.
 */
export function villageOf(address: string | null): string | null {
  if (address === null) return null;
  const parts = address.normalize('NFC').split(/[,;]/).map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
  let part = parts.find((p) => VILLAGE_WORD.test(asciiKey(p)));
  if (part === undefined) {
    // `Số 12 Thôn 5`: the village word inside a part, after a house number (the words keep their letters, so
    // the folded text and the original line up word for word).
    for (const p of parts) {
      const words = p.split(' ');
      const at = words.findIndex((_, i) => i > 0 && VILLAGE_WORD.test(asciiKey(words.slice(i).join(' '))));
      if (at > 0 && /\d/.test(words.slice(0, at).join(' '))) {
        part = words.slice(at).join(' ');
        break;
      }
    }
  }
  part ??= parts[0];
  return part ? part.charAt(0).toLocaleUpperCase('vi') + part.slice(1) : null;
}

/**
 * The key one village has however it is written: case, accents and punctuation aside (asciiKey), `số` after the
 * village word dropped and leading zeros of numbers removed, so `Thôn 05`, `thôn số 5` and `Thôn 5` are one.
 */
export function villageKey(village: string | null): string {
  if (village === null) return '';
  return asciiKey(village)
    .replace(/^((?:to dan pho|khu pho|[a-z]+) )so /, '$1')
    .replace(/\b0+(\d)/g, '$1');
}

function matchesAge(ageYears: number | null, filter: CallListFilter): boolean {
  if (filter.ageFrom !== undefined && (ageYears === null || ageYears < filter.ageFrom)) return false;
  if (filter.ageTo !== undefined && (ageYears === null || ageYears >= filter.ageTo)) return false;
  return true;
}

const schoolMatches = (school: string | null, filter: CallListFilter) =>
  filter.school === undefined || (school !== null && asciiKey(school).includes(asciiKey(filter.school)));

const VACCINE_ORDER = new Map(PROGRAMME_VACCINES.map((v, i) => [v, i]));

/**
 * Who can be on the list, as a superset the database can select: a person is listed only for a childhood dose
 * (a full birth date, under the catch-up age of 60 months: CHILDHOOD_UNTIL) or, before the campaign's end, a
 * COVID-19 dose; an age band bounds the birth year. The engine then decides exactly, so the list is the one
 * every person would give; reading only these keeps a province's list within seconds.
 */
function candidates(scope: ReportScope, filter: CallListFilter): PeopleFilter {
  const year = Number(scope.date.slice(0, 4));
  const birthYears: [number | null, number | null] = [
    filter.ageTo === undefined ? null : year - filter.ageTo,
    filter.ageFrom === undefined ? null : year - filter.ageFrom,
  ];
  const covidOver = scope.date >= (scope.covidCampaignEnd ?? COVID_CAMPAIGN_END_DEFAULT);
  // A day before the 60 months: the engine's calendar months never reach further back than a month and a day.
  const childhoodFrom = isoOf(addSpan(dayOf(scope.date)!, { months: -(CHILDHOOD_UNTIL.months + 1) }));
  return { named: true, residents: true, birthYears, ...(covidOver ? { exactBirthAfter: childhoodFrom } : {}) };
}

/**
 * Per commune and village key, the most frequent spelling among the scope's people: it names the village on the
 * list. The answer, per commune and address line, is that name and its key (villageKey), worked out once per
 * distinct address: a province's list during the COVID-19 campaign has 177,355 rows.
 */
async function villageNames(database: Database, scope: ReportScope, communes: readonly (string | null)[]): Promise<(commune: string | null, address: string | null) => Village> {
  const codes = communes.filter((c): c is string => c !== null);
  const rows = await database.withTransaction((tx) =>
    tx.query<{ commune_code: string | null; address: string; n: string }>(
      `select p.commune_code, p.address, count(*) as n
       from person p left join registry_check c on c.person_id = p.id
       where coalesce(c.status, '') <> 'deceased' and p.address is not null
         and (p.commune_code = any($1::text[]) ${communes.includes(null) ? 'or p.commune_code is null' : ''})
         ${scope.commune ? 'and p.commune_code = $2' : ''}
       group by 1, 2`,
      scope.commune ? [codes, scope.commune] : [codes],
    ),
  );
  const spellings = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const v = villageOf(row.address);
    if (v === null) continue;
    const key = `${row.commune_code ?? ''}\u0000${villageKey(v)}`;
    const counts = spellings.get(key) ?? new Map<string, number>();
    counts.set(v, (counts.get(v) ?? 0) + Number(row.n));
    spellings.set(key, counts);
  }
  const chosen = new Map<string, string>();
  for (const [key, counts] of spellings) chosen.set(key, [...counts].sort((a, b) => b[1] - a[1] || VI.compare(a[0], b[0]))[0]![0]);
  const named = (commune: string | null, village: string | null) => (village === null ? null : (chosen.get(`${commune ?? ''}\u0000${villageKey(village)}`) ?? village));
  const known = new Map<string, Village>();
  return (commune, address) => {
    const key = `${commune ?? ''}\u0000${address ?? ''}`;
    let village = known.get(key);
    if (village === undefined) {
      const name = named(commune, villageOf(address));
      known.set(key, (village = { name, key: villageKey(name) }));
    }
    return village;
  };
}

/** A village as the list prints it (null: no address) and the key it sorts and groups by. */
interface Village {
  readonly name: string | null;
  readonly key: string;
}

const VI = new Intl.Collator('vi');
const DEFAULT_ORDER = new Intl.Collator();

/** A row of the list with its sort keys: commune, village key, name (Vietnamese order), person id, vaccine. */
interface SortedRow {
  readonly row: (string | number | null)[];
  readonly commune: string;
  readonly village: string;
  readonly name: string;
  readonly id: string;
  readonly vaccine: number;
}

/** The list's order, on the whole list at once: by commune, village, name, person and vaccine. */
export const compareRows = (a: SortedRow, b: SortedRow): number => compareVillages(a, b) || withinVillage(a, b);

// identical strings compare equal: skip the collator for them (most neighbours share commune and village)
const compareVillages = (a: SortedRow, b: SortedRow) =>
  (a.commune === b.commune ? 0 : DEFAULT_ORDER.compare(a.commune, b.commune)) || (a.village === b.village ? 0 : DEFAULT_ORDER.compare(a.village, b.village));

const withinVillage = (a: SortedRow, b: SortedRow) =>
  (a.name === b.name ? 0 : VI.compare(a.name, b.name)) || (a.id === b.id ? 0 : DEFAULT_ORDER.compare(a.id, b.id)) || a.vaccine - b.vaccine;

/**
 * The rows in compareRows' order, sorted village by village: the villages in order, then each one's rows by
 * name. The Vietnamese collator is the costly part, and each row meets it in a sort of its village's rows
 * (tens) rather than of the whole province's (a hundred thousand and more). Both sorts are stable, so the
 * order is the same as one sort of the whole list, unless two different commune or village keys were equal
 * to the collator: then the whole list is sorted at once, as before.
 */
export function sortRows(rows: readonly SortedRow[]): SortedRow['row'][] {
  const villages = new Map<string, SortedRow[]>();
  for (const row of rows) {
    const key = `${row.commune}\u0000${row.village}`;
    const village = villages.get(key);
    if (village) village.push(row);
    else villages.set(key, [row]);
  }
  const groups = [...villages.values()];
  const head = (g: SortedRow[]) => g[0]!;
  groups.sort((a, b) => compareVillages(head(a), head(b)));
  const distinct = groups.every((g, i) => i === 0 || compareVillages(head(groups[i - 1]!), head(g)) < 0);
  if (!distinct) return [...rows].sort(compareRows).map((r) => r.row);
  const sorted: SortedRow['row'][] = [];
  for (const group of groups) for (const r of group.sort(withinVillage)) sorted.push(r.row);
  return sorted;
}

export async function callList(database: Database, scope: ReportScope, filter: CallListFilter = {}): Promise<ReportTable> {
  const today = dayOf(scope.date)!;
  type Listed = { person: ReportPerson; dose: ProgrammeDoseStatus };
  const listed: Listed[] = [];
  const evaluate = (person: ReportPerson) => {
    const status = scheduleStatus(person.birthDate, person.doses, scope.date, { covidCampaignEnd: scope.covidCampaignEnd, withVerdicts: false });
    if (!matchesAge(status.ageYears, filter)) return;
    for (const dose of status.next) {
      if (!LISTED_STATES.includes(dose.state) || dose.dueFrom === null) continue;
      listed.push({ person, dose });
    }
  };
  let schoolContacts: Map<string, Contact> | null = null;
  if (filter.school === undefined) await eachPerson(database, scope, candidates(scope, filter), evaluate);
  else {
    // With a school, the pupils are known only from the contacts: read them first for every candidate.
    const people: ReportPerson[] = [];
    await eachPerson(database, scope, candidates(scope, filter), (person) => people.push(person));
    schoolContacts = await readContacts(database, scope.commune, people.map((p) => p.id));
    for (const person of people) if (schoolMatches(schoolContacts.get(person.id)?.school ?? null, filter)) evaluate(person);
  }
  const ids = [...new Set(listed.map((l) => l.person.id))];
  const contacts = schoolContacts ?? (await readContacts(database, scope.commune, ids));
  const villageName = await villageNames(database, scope, [...new Set(listed.map((l) => l.person.commune))]);

  const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '\uffff' : String(v));
  // Sort keys computed once per row, not once per comparison (a province's list has tens of thousands of rows).
  const keyed: SortedRow[] = listed.map(({ person, dose }) => {
    const contact = contacts.get(person.id);
    const village = villageName(person.commune, person.address);
    const row = [
      `P${person.id}`, person.fullName, person.birthDate, person.sex === null ? null : (SEX[person.sex] ?? person.sex),
      contact?.guardianName ?? null, person.phone ?? contact?.guardianPhone ?? null, village.name,
      person.commune, contact?.school ?? null,
      dose.vaccine, dose.dose, dose.dueFrom, today - dayOf(dose.dueFrom!)!, dose.state,
    ];
    return { row, commune: text(row[7]), village: village.key, name: text(row[1]), id: text(row[0]), vaccine: VACCINE_ORDER.get(dose.vaccine)! };
  });
  const sorted = sortRows(keyed);
  const scopeText = [
    scope.commune ? `xã/phường ${scope.commune}${communeName(scope.commune, '2025') ? ` ${communeName(scope.commune, '2025')}` : ''}` : 'tất cả các xã/phường',
    filter.ageFrom !== undefined || filter.ageTo !== undefined ? `tuổi ${filter.ageFrom ?? 0}–<${filter.ageTo ?? '…'}` : '',
    filter.school ? `trường ${filter.school}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return {
    title: `Danh sách mời tiêm ngày ${vnDate(scope.date)} (${scopeText})`,
    date: scope.date,
    notes: [
      `Ngày lập danh sách: ${vnDate(scope.date)}. Phạm vi: ${scopeText}; người đã mất (theo CSDLQG về dân cư) không được liệt kê.`,
      'Mỗi dòng là một mũi tiêm của chương trình mà người đó đến hạn, quá hạn hoặc cần tiêm bù vào ngày lập; mũi tiêm tính theo kháng nguyên, ' +
        'mũi tiêm trước tuổi hoặc khoảng cách tối thiểu không được tính (Thông tư 38/2017/TT-BYT; quy tắc và nguồn: src/schedule/rules.ts).',
      `Trạng thái: ${STATUS_WORDS.due} (trong khoảng khuyến cáo), ${STATUS_WORDS.overdue} (đã qua khoảng khuyến cáo), ${STATUS_WORDS.catch_up} (quá tuổi của chương trình, tiêm bù/tiêm vét).`,
    ],
    columns: CALL_LIST_COLUMNS,
    labels: LABELS,
    rows: sorted,
    // one group per commune and village
    groupBy: [7, 6],
    communeColumns: [7],
    printedValues: { 9: PROGRAMME_VACCINE_NAMES, 13: STATUS_WORDS },
  };
}

/** The statuses of the contract in the words of the printed list. */
const STATUS_WORDS: Readonly<Record<string, string>> = { due: 'Đến hạn', overdue: 'Quá hạn', catch_up: 'Tiêm bù' };
