/**
 * The person page (`vaxsync person ID`): one person's doses, each valid or not and why, and what the
 * programme offers next, in Vietnamese. A dose given too early stays in the history, flagged.
 */
import { vaccineByCode } from '../clean/vaccine.js';
import type { Database } from '../db/database.js';
import { PROGRAMME_VACCINE_NAMES } from '../schedule/rules.js';
import { scheduleStatus, type DoseState, type ScheduleStatus } from '../schedule/status.js';

export interface PersonPage {
  readonly personId: string;
  readonly fullName: string | null;
  readonly birthDate: string | null;
  readonly deceased: boolean;
  readonly date: string;
  readonly status: ScheduleStatus;
}

const STATE_TEXT: Readonly<Record<DoseState, string>> = {
  given: 'đã tiêm',
  not_yet: 'chưa đến hạn',
  due: 'đến hạn',
  overdue: 'quá hạn',
  catch_up: 'tiêm bù',
  missed: 'đã lỡ (quá tuổi/quá thời hạn, không mời tiêm)',
};

/** `P123` or `123`; null when no such person. */
export async function personPage(database: Database, id: string, date: string, covidCampaignEnd?: string): Promise<PersonPage | null> {
  const number = /^P?(\d+)$/i.exec(id.trim())?.[1];
  if (!number) return null;
  const [person] = await database.withTransaction((tx) =>
    tx.query<{ full_name: string | null; birth_date: string | null; status: string | null }>(
      `select p.full_name, p.birth_date, c.status from person p left join registry_check c on c.person_id = p.id where p.id = $1`,
      [number],
    ),
  );
  if (!person) return null;
  const doses = await database.withTransaction((tx) =>
    tx.query<{ id: string; vaccine_code: string | null; vaccination_date: string | null }>(
      `select id::text as id, vaccine_code, vaccination_date from dose where person_id = $1 and (vaccination_date is null or vaccination_date <= $2)
       order by vaccination_date nulls last, id`,
      [number, date],
    ),
  );
  const status = scheduleStatus(person.birth_date, doses.map((d) => ({ id: d.id, vaccine: d.vaccine_code, date: d.vaccination_date })), date, { covidCampaignEnd });
  return { personId: `P${number}`, fullName: person.full_name, birthDate: person.birth_date, deceased: person.status === 'deceased', date, status };
}

/** The person page as data, every text in Vietnamese: what the console shows (GET /persons/:id/schedule). */
export interface PersonPageView {
  readonly personId: string;
  readonly date: string;
  readonly ageYears: number | null;
  readonly deceased: boolean;
  // (arrays mutable in type only: the API's response schema takes them as they are)
  readonly doses: { readonly id: string | null; readonly date: string | null; readonly product: string; readonly counted: boolean; readonly verdicts: { readonly valid: boolean; readonly text: string }[] }[];
  /** Each childhood programme dose, null when the programme does not apply (no full birth date, or 5 years or older). */
  readonly childhood: { readonly vaccine: string; readonly dose: number; readonly label: string; readonly state: DoseState; readonly text: string }[] | null;
  /** One line on COVID-19, null when the age group is unknown. */
  readonly covid: string | null;
}

const productName = (code: string | null) => (code === null ? 'vắc xin không rõ' : (vaccineByCode(code)?.name ?? code));
/** The dose's verdicts; a dose no programme weighs (an adult's flu shot) says so. */
const verdictsOf = (verdicts: ScheduleStatus['doses'][number]['verdicts']) =>
  verdicts.length === 0 ? [{ valid: false, text: NOT_WEIGHED }] : verdicts.map((v) => ({ valid: v.valid, text: v.text }));
const NOT_WEIGHED = 'không thuộc lịch tiêm chủng đang theo dõi (không tính)';

function childhoodText(d: ScheduleStatus['next'][number]): string {
  const when = d.state === 'given' ? (d.givenOn ? ` ngày ${d.givenOn}` : '') : d.dueFrom ? ` (đến hạn từ ${d.dueFrom})` : '';
  return `${STATE_TEXT[d.state]}${when}`;
}

function covidText(covid: NonNullable<ScheduleStatus['covid']>): string {
  const next = covid.next;
  return (
    `${covid.given} mũi hợp lệ${covid.counted !== covid.given ? ` (tính là ${covid.counted}: Janssen 1 mũi = đủ liều cơ bản)` : ''}; ` +
    (next ? `mũi ${next.dose}: ${STATE_TEXT[next.state]}${next.dueFrom ? ` (từ ${next.dueFrom})` : ''}` : 'không còn mũi nào được mời (đã đủ, ngoài nhóm tuổi, hoặc chiến dịch đã kết thúc)')
  );
}

export function personPageView(page: PersonPage): PersonPageView {
  const { status } = page;
  return {
    personId: page.personId,
    date: page.date,
    ageYears: status.ageYears,
    deceased: page.deceased,
    doses: status.doses.map((d) => ({
      id: d.given.id === undefined ? null : `D${d.given.id}`,
      date: d.given.date,
      product: productName(d.given.vaccine),
      counted: d.verdicts.some((v) => v.valid),
      verdicts: verdictsOf(d.verdicts),
    })),
    childhood: status.childhood?.map((d) => ({ vaccine: d.vaccine, dose: d.dose, label: `${PROGRAMME_VACCINE_NAMES[d.vaccine]} mũi ${d.dose}`, state: d.state, text: childhoodText(d) })) ?? null,
    covid: status.covid ? covidText(status.covid) : null,
  };
}

export function personPageText(page: PersonPage): string {
  const { status } = page;
  const lines = [
    `${page.fullName ?? '(không tên)'} (${page.personId}), ngày sinh ${page.birthDate ?? 'không rõ'}${status.ageYears === null ? '' : `, ${status.ageYears} tuổi`} — tình trạng ngày ${page.date}`,
  ];
  if (page.deceased) lines.push('Đã mất (theo CSDL dân cư): không mời tiêm.');
  lines.push('', 'Các mũi đã tiêm:');
  if (status.doses.length === 0) lines.push('  (chưa có mũi nào)');
  for (const dose of status.doses) {
    const verdicts = verdictsOf(dose.verdicts).map((v) => (dose.verdicts.length === 0 ? v.text : `${v.valid ? '✓' : '✗'} ${v.text}`));
    lines.push(`  ${dose.given.date ?? 'ngày không rõ'}  ${productName(dose.given.vaccine)} (D${dose.given.id ?? '?'})`, ...verdicts.map((v) => `      ${v}`));
  }
  if (status.childhood) {
    lines.push('', 'Tiêm chủng mở rộng:');
    for (const d of status.childhood) lines.push(`  ${PROGRAMME_VACCINE_NAMES[d.vaccine]} mũi ${d.dose}: ${childhoodText(d)}`);
  }
  if (status.covid) lines.push('', `COVID-19: ${covidText(status.covid)}`);
  return lines.join('\n');
}
