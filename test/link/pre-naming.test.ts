/** A newborn's pre-naming rows as the link stage reads them, and the golden record of the child (issue 14). */
import { describe, expect, it } from 'vitest';
import { cleanRecord } from '../../src/clean/record.js';
import { goldenRecord } from '../../src/link/golden.js';
import { toMatchRecord, type LinkRow } from '../../src/link/rows.js';

function linkRow(raw: Record<string, string>): LinkRow {
  const v = cleanRecord({ record_id: 'x', ...raw }, { today: '2026-11-01' }).values;
  return {
    batch_id: 1, row_number: 1, quarantined: v.quarantine_reason !== null, name_key: v.name_key, full_name: v.full_name,
    birth_date: v.birth_date, sex: v.sex, citizen_id: v.citizen_id, citizen_id_kind: v.citizen_id_kind, phone: v.phone,
    commune_current: v.commune_current, address: v.address, vaccine_code: v.vaccine_code, vaccination_date: v.vaccination_date,
    dose_number: v.dose_number, lot_number: v.lot_number, guardian_key: v.guardian_key, guardian_phone: v.guardian_phone,
  };
}

describe('pre-naming rows in the link stage', () => {
  it('has no name of its own, keeps the guardian, the guardian phone as a phone, and the birth month of a birth dose', () => {
    const r = toMatchRecord(linkRow({ full_name: 'CON BA NGUYEN THI LAN', vaccine: 'Viêm gan B sơ sinh', vaccination_date: '03/02/2024', guardian_phone: '0912345678' }), 0);
    expect(r.preNaming).toBe(true);
    expect(r.nameKey).toBeNull();
    expect(r.guardianKey).toBe('nguyen thi lan');
    expect(r.phone).toBe('0912345678');
    expect(r.birthDate).toBe('2024-02');
    // a named adult with a hepatitis B dose and no birth date gets none
    expect(toMatchRecord(linkRow({ full_name: 'Nguyễn Thị Lan', vaccine: 'Viêm gan B', vaccination_date: '03/02/2024' }), 1).birthDate).toBeNull();
  });

  it("gives the golden record the child's registered name, never the placeholder", () => {
    const rows = [
      linkRow({ full_name: 'Con bà Nguyễn Thị Lan', birth_date: '03/02/2024' }),
      linkRow({ full_name: 'CB Nguyễn Thị Lan', birth_date: '03/02/2024' }),
      linkRow({ full_name: 'Con bà Nguyễn Thị Lan', birth_date: '03/02/2024' }),
      linkRow({ full_name: 'Trần Minh Khoa', birth_date: '03/02/2024', guardian_name: 'Nguyễn Thị Lan' }),
    ].map((row, i) => toMatchRecord(row, i));
    expect(goldenRecord(rows).values.full_name).toBe('Trần Minh Khoa');
    expect(goldenRecord(rows.slice(0, 3)).values.full_name).toBeNull();
  });
});
