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

export function personPageText(page: PersonPage): string {
  const { status } = page;
  const lines = [
    `${page.fullName ?? '(không tên)'} (${page.personId}), ngày sinh ${page.birthDate ?? 'không rõ'}${status.ageYears === null ? '' : `, ${status.ageYears} tuổi`} — tình trạng ngày ${page.date}`,
  ];
  if (page.deceased) lines.push('Đã mất (theo CSDL dân cư): không mời tiêm.');
  lines.push('', 'Các mũi đã tiêm:');
  if (status.doses.length === 0) lines.push('  (chưa có mũi nào)');
  for (const dose of status.doses) {
    const product = dose.given.vaccine === null ? 'vắc xin không rõ' : (vaccineByCode(dose.given.vaccine)?.name ?? dose.given.vaccine);
    const verdicts = dose.verdicts.length === 0 ? ['không thuộc lịch tiêm chủng đang theo dõi (không tính)'] : dose.verdicts.map((v) => `${v.valid ? '✓' : '✗'} ${v.text}`);
    lines.push(`  ${dose.given.date ?? 'ngày không rõ'}  ${product} (D${dose.given.id ?? '?'})`, ...verdicts.map((v) => `      ${v}`));
  }
  if (status.childhood) {
    lines.push('', 'Tiêm chủng mở rộng:');
    for (const d of status.childhood) {
      const when = d.state === 'given' ? (d.givenOn ? ` ngày ${d.givenOn}` : '') : d.dueFrom ? ` (đến hạn từ ${d.dueFrom})` : '';
      lines.push(`  ${PROGRAMME_VACCINE_NAMES[d.vaccine]} mũi ${d.dose}: ${STATE_TEXT[d.state]}${when}`);
    }
  }
  if (status.covid) {
    const next = status.covid.next;
    lines.push(
      '',
      `COVID-19: ${status.covid.given} mũi hợp lệ${status.covid.counted !== status.covid.given ? ` (tính là ${status.covid.counted}: Janssen 1 mũi = đủ liều cơ bản)` : ''}; ` +
        (next ? `mũi ${next.dose}: ${STATE_TEXT[next.state]}${next.dueFrom ? ` (từ ${next.dueFrom})` : ''}` : 'không còn mũi nào được mời (đã đủ, ngoài nhóm tuổi, hoặc chiến dịch đã kết thúc)'),
    );
  }
  return lines.join('\n');
}
