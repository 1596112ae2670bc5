/**
 * The call list (`vaxsync report due`), exactly as ../shared/contract/reports.md says: one row per person and
 * programme dose due, overdue or to catch up on the date, grouped by commune and village. Deceased people are
 * never listed (loadPeople); a missed birth dose and every COVID-19 dose after the campaign's end never appear
 * (the schedule engine does not offer them).
 */
import { asciiKey } from '../base/text.js';
import type { Database } from '../db/database.js';
import { dayOf } from '../schedule/calendar.js';
import { PROGRAMME_VACCINES } from '../schedule/rules.js';
import { LISTED_STATES, scheduleStatus } from '../schedule/status.js';
import { loadPeople, type ReportPerson, type ReportScope } from './people.js';
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
 * part that names a village (else the first part), spacing tidied and the first letter upper-case.
 */
export function villageOf(address: string | null): string | null {
  if (address === null) return null;
  const parts = address.normalize('NFC').split(/[,;]/).map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const part = parts.find((p) => VILLAGE_WORD.test(asciiKey(p))) ?? parts[0];
  return part ? part.charAt(0).toLocaleUpperCase('vi') + part.slice(1) : null;
}

const villageKey = (village: string | null) => (village === null ? '' : asciiKey(village));

function matches(person: ReportPerson, ageYears: number | null, filter: CallListFilter): boolean {
  if (filter.ageFrom !== undefined && (ageYears === null || ageYears < filter.ageFrom)) return false;
  if (filter.ageTo !== undefined && (ageYears === null || ageYears >= filter.ageTo)) return false;
  if (filter.school !== undefined && !(person.school !== null && asciiKey(person.school).includes(asciiKey(filter.school)))) return false;
  return true;
}

const VACCINE_ORDER = new Map(PROGRAMME_VACCINES.map((v, i) => [v, i]));

export async function callList(database: Database, scope: ReportScope, filter: CallListFilter = {}): Promise<ReportTable> {
  const today = dayOf(scope.date)!;
  const people = await loadPeople(database, scope);
  // The most frequent spelling of each village (per commune) names it on the list.
  const spellings = new Map<string, Map<string, number>>();
  for (const p of people) {
    const v = villageOf(p.address);
    if (v === null) continue;
    const key = `${p.commune ?? ''}\u0000${villageKey(v)}`;
    const counts = spellings.get(key) ?? new Map<string, number>();
    counts.set(v, (counts.get(v) ?? 0) + 1);
    spellings.set(key, counts);
  }
  const villageName = (p: ReportPerson): string | null => {
    const v = villageOf(p.address);
    if (v === null) return null;
    const counts = spellings.get(`${p.commune ?? ''}\u0000${villageKey(v)}`)!;
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'vi'))[0]![0];
  };

  const rows: (string | number | null)[][] = [];
  for (const person of people) {
    // A person made only of rows quarantined for having no usable name cannot be invited (nor told apart from
    // the named person it probably duplicates).
    if (person.fullName === null) continue;
    const status = scheduleStatus(person.birthDate, person.doses, scope.date, { covidCampaignEnd: scope.covidCampaignEnd });
    if (!matches(person, status.ageYears, filter)) continue;
    for (const dose of status.next) {
      if (!LISTED_STATES.includes(dose.state) || dose.dueFrom === null) continue;
      rows.push([
        `P${person.id}`, person.fullName, person.birthDate, person.sex === null ? null : (SEX[person.sex] ?? person.sex),
        person.guardianName, person.phone ?? person.guardianPhone, villageName(person), person.commune, person.school,
        dose.vaccine, dose.dose, dose.dueFrom, today - dayOf(dose.dueFrom)!, dose.state,
      ]);
    }
  }
  const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '\uffff' : String(v));
  rows.sort(
    (a, b) =>
      text(a[7]).localeCompare(text(b[7])) ||
      villageKey(a[6] as string | null).localeCompare(villageKey(b[6] as string | null)) ||
      text(a[1]).localeCompare(text(b[1]), 'vi') ||
      text(a[0]).localeCompare(text(b[0])) ||
      VACCINE_ORDER.get(a[9] as never)! - VACCINE_ORDER.get(b[9] as never)!,
  );
  const scopeText = [scope.commune ? `xã ${scope.commune}` : 'tất cả các xã', filter.ageFrom !== undefined || filter.ageTo !== undefined ? `tuổi ${filter.ageFrom ?? 0}–<${filter.ageTo ?? '…'}` : '', filter.school ? `trường ${filter.school}` : '']
    .filter(Boolean)
    .join(', ');
  return {
    title: `Danh sách mời tiêm ngày ${scope.date} (${scopeText})`,
    columns: CALL_LIST_COLUMNS,
    labels: LABELS,
    rows,
    // one group per commune and village
    groupBy: [7, 6],
  };
}
