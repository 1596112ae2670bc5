/**
 * A person's guardian and school for the call list (../shared/contract/reports.md), read from the raw rows.
 *
 * WHY from the raw rows: the records contract added `guardian_name`, `guardian_phone` and `school`, but the
 * cleaning and the golden record do not carry them yet (issue 14 cleans guardian names). Until they do, the
 * call list reads them where they are kept exactly as received: the raw rows of loaded batches, through the
 * batch's own headers (matched like every contract header: case- and accent-insensitively). Per person the
 * value of the latest row that has one wins. When the golden record gains these fields, replace this module.
 */
import { normalizePhone } from '../clean/phone.js';
import { headerMatcher } from '../base/headers.js';
import { asciiKey } from '../base/text.js';
import type { Database } from '../db/database.js';

export interface Contact {
  readonly guardianName: string | null;
  readonly guardianPhone: string | null;
  readonly school: string | null;
}

/** The contract's aliases (../shared/contract/records.md), in priority order. */
const matchHeaders = headerMatcher(
  {
    guardianName: ['guardian_name', 'họ tên mẹ', 'tên mẹ', 'họ tên người giám hộ', 'họ tên bố/mẹ', 'người chăm sóc'],
    guardianPhone: ['guardian_phone', 'sđt mẹ', 'số điện thoại người giám hộ'],
    school: ['school', 'trường', 'trường học', 'lớp'],
  },
  asciiKey,
);
type ContactField = keyof Contact;

/** Spacing and Unicode form tidied; the value otherwise as typed. */
const tidy = (value: string | null): string | null => {
  const text = value?.normalize('NFC').replace(/\s+/g, ' ').trim();
  return text ? text : null;
};

/**
 * The contacts of the people of `commune` (every commune when undefined), or of only the people `personIds`
 * when given: the call list reads those of the people it lists, not of everyone in the raw rows.
 */
export async function readContacts(database: Database, commune: string | undefined, personIds?: readonly string[]): Promise<Map<string, Contact>> {
  if (personIds !== undefined && personIds.length === 0) return new Map();
  const batches = await database.withTransaction((tx) =>
    tx.query<{ id: number; headers: string[] }>(`select id, headers from batch where status = 'loaded' order by id`),
  );
  const contacts = new Map<string, { guardianName: string | null; guardianPhone: string | null; school: string | null }>();
  for (const batch of batches) {
    const { columns } = matchHeaders(batch.headers);
    if (Object.keys(columns).length === 0) continue;
    const cell = (field: ContactField) => (columns[field] === undefined ? 'null::text' : `(w.cells::json ->> ${columns[field]})`);
    const params: unknown[] = [batch.id];
    const communeJoin = commune ? `join person p on p.id = pr.person_id and p.commune_code = $${params.push(commune)}` : '';
    const only = personIds === undefined ? '' : `and pr.person_id = any($${params.push(personIds)}::bigint[])`;
    const rows = await database.withTransaction((tx) =>
      tx.query<{ person_id: string; guardian_name: string | null; guardian_phone: string | null; school: string | null }>(
        `select pr.person_id::text as person_id, ${cell('guardianName')} as guardian_name, ${cell('guardianPhone')} as guardian_phone, ${cell('school')} as school
         from person_record pr join raw_row w on w.batch_id = pr.batch_id and w.row_number = pr.row_number
         ${communeJoin}
         where pr.batch_id = $1 ${only} order by pr.row_number`,
        params,
      ),
    );
    for (const row of rows) {
      const contact = contacts.get(row.person_id) ?? { guardianName: null, guardianPhone: null, school: null };
      contact.guardianName = tidy(row.guardian_name) ?? contact.guardianName;
      const phone = tidy(row.guardian_phone);
      contact.guardianPhone = (phone === null ? null : (normalizePhone(phone).value ?? phone)) ?? contact.guardianPhone;
      contact.school = tidy(row.school) ?? contact.school;
      contacts.set(row.person_id, contact);
    }
  }
  return contacts;
}
