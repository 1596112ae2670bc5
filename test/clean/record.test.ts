import { describe, expect, it } from 'vitest';
import { cleanRecord } from '../../src/clean/record.js';
import { isBlank } from '../../src/clean/finding.js';
import { FIELDS } from '../../src/base/fields.js';
import { generateRecords } from '../../src/synth/generate.js';

const TODAY = '2026-11-01';
const codesOf = (result: ReturnType<typeof cleanRecord>) => result.findings.map((f) => `${f.field}:${f.code}`);

describe('cleanRecord', () => {
  it('cleans every field of a station row and keeps partial dates at their precision', () => {
    const result = cleanRecord(
      {
        record_id: ' 17 ',
        full_name: 'PHẠM THỊ HOÀ',
        birth_date: '1962',
        sex: 'nu',
        citizen_id: "'036162001234",
        phone: '+84 912 345 678',
        commune_code: '376',
        vaccine: 'Vero Cell (Sinopharm)',
        dose_number: 'Mũi 2',
        vaccination_date: '12/10/2021',
        lot_number: ' h202106 ',
      },
      { today: TODAY },
    );
    expect(result.quarantineReason).toBeNull();
    expect(result.values).toMatchObject({
      record_id: '17',
      full_name: 'Phạm Thị Hòa',
      name_key: 'pham thi hoa',
      birth_date: '1962',
      birth_year: 1962,
      sex: 'female',
      citizen_id: '036162001234',
      citizen_id_kind: 'cccd',
      phone: '0912345678',
      commune_code: '00376',
      commune_current: '00376',
      vaccine_code: 'COVID-VEROCELL',
      dose_number: 2,
      vaccination_date: '2021-10-12',
      lot_number: 'H202106',
    });
    expect(result.status).toMatchObject({ full_name: 'fixed', birth_date: 'clean', citizen_id: 'fixed', address: 'missing' });
  });

  it('checks the CCCD digits against the birth year and sex of the same row', () => {
    // 0 in digit 4 = a man born in the 1900s; the row says a woman born in 2015: a parent's ID, most likely.
    const result = cleanRecord({ record_id: '1', full_name: 'Lê Thị Mai', birth_date: '03/04/2015', sex: 'Nữ', citizen_id: '001085012345' }, { today: TODAY });
    expect(result.values.citizen_id).toBe('001085012345');
    expect(codesOf(result)).toEqual(expect.arrayContaining(['citizen_id:citizen_id.sex_mismatch', 'citizen_id:citizen_id.birth_year_mismatch']));
    expect(result.status.citizen_id).toBe('flagged');
  });

  it('flags a vaccination before birth or in the future, and a birth in the future as invalid', () => {
    const before = cleanRecord({ record_id: '1', full_name: 'Lê Văn Nam', birth_date: '05/05/2022', vaccination_date: '01/01/2022' }, { today: TODAY });
    expect(codesOf(before)).toContain('vaccination_date:vaccination_date.before_birth');
    // a year-only birth cannot prove a same-year vaccination came first
    const sameYear = cleanRecord({ record_id: '1', full_name: 'Lê Văn Nam', birth_date: '2022', vaccination_date: '01/01/2022' }, { today: TODAY });
    expect(codesOf(sameYear)).not.toContain('vaccination_date:vaccination_date.before_birth');
    const future = cleanRecord({ record_id: '1', full_name: 'Lê Văn Nam', birth_date: '2030', vaccination_date: '02/11/2026' }, { today: TODAY });
    expect(codesOf(future)).toEqual(expect.arrayContaining(['birth_date:birth_date.in_future', 'vaccination_date:vaccination_date.in_future']));
    expect(future.status.birth_date).toBe('invalid');
    expect(future.status.vaccination_date).toBe('flagged');
  });

  it('quarantines a row without a usable name, with a reason the station can act on, and keeps its values', () => {
    const result = cleanRecord({ record_id: '9', full_name: '0912345678', birth_date: '1990', citizen_id: 'AB12' }, { today: TODAY });
    expect(result.quarantineReason).toMatch(/no usable full name/);
    expect(result.values).toMatchObject({ full_name: null, birth_date: '1990', citizen_id: 'AB12' });
    expect(result.status.full_name).toBe('invalid');
    // A CCCD without a birth date, or a birth date with an ID of another kind, is not enough to link on.
    expect(cleanRecord({ record_id: '9', full_name: '', citizen_id: '001090012345' }, { today: TODAY }).quarantineReason).toMatch(/no usable full name/);
    expect(cleanRecord({ record_id: '9', full_name: '', birth_date: '1990', citizen_id: 'B1234567' }, { today: TODAY }).quarantineReason).toMatch(
      /no usable full name/,
    );
  });

  it('keeps for linking a row without a usable name that has a CCCD or CMND and a birth date', () => {
    const cccd = cleanRecord({ record_id: '9', full_name: '0912345678', birth_date: '1990', citizen_id: '001090012345' }, { today: TODAY });
    expect(cccd.quarantineReason).toBeNull();
    expect(cccd.values).toMatchObject({ full_name: null, name_key: null, birth_date: '1990', citizen_id: '001090012345', citizen_id_kind: 'cccd' });
    expect(cccd.status.full_name).toBe('invalid');
    const cmnd = cleanRecord({ record_id: '9', full_name: '', birth_date: '03/02/1970', citizen_id: '012345678' }, { today: TODAY });
    expect(cmnd.values.citizen_id_kind).toBe('cmnd');
    expect(cmnd.quarantineReason).toBeNull();
  });

  it('quarantines a name typed in a legacy font and says how to fix it', () => {
    const result = cleanRecord({ record_id: '9', full_name: 'TrÇn ThÞ H»ng' }, { today: TODAY });
    expect(result.legacyEncoding).toBe('tcvn3');
    expect(result.quarantineReason).toMatch(/legacy font encoding/);
    expect(codesOf(result)).toContain('full_name:full_name.legacy_encoding');
  });

  it('never puts a value of the row in a finding message', () => {
    const raw = { record_id: '5', full_name: 'nguyễn văn  bình', birth_date: '31/02/1990', citizen_id: '79090012345', phone: '0162 345 6789' };
    for (const f of cleanRecord(raw, { today: TODAY }).findings) {
      for (const value of ['Bình', 'bình', '31/02/1990', '79090012345', '079090012345', '0162', '0323456789']) expect(f.message).not.toContain(value);
    }
  });

  it("gives each field the status its findings and cell say: invalid over all, then missing, flagged, fixed", () => {
    // The definition, written the plain way, against every field of generated rows (both modes' messes) and
    // of rows made to carry a fix and a warning on one field.
    const rank = { fix: 1, warning: 2, invalid: 3 } as const;
    const rows = [
      ...Array.from(generateRecords({ persons: 1500, seed: 7 }), (item) => item.row),
      ...Array.from(generateRecords({ persons: 1500, seed: 8, mode: 'childhood' }), (item) => item.row),
      { record_id: '1', full_name: 'Nguyen  Van An', vaccination_date: '15.08.2099', citizen_id: "'0360", phone: '912 345' },
    ];
    let fixedAndFlagged = 0;
    const wrong: string[] = [];
    for (const row of rows) {
      const result = cleanRecord(row, { today: TODAY });
      for (const field of FIELDS) {
        const worst = Math.max(0, ...result.findings.filter((f) => f.field === field).map((f) => rank[f.severity]));
        const raw = (row as Partial<Record<string, string>>)[field];
        const expected = worst === 3 ? 'invalid' : isBlank(raw) ? 'missing' : worst === 2 ? 'flagged' : worst === 1 ? 'fixed' : 'clean';
        if (result.status[field] !== expected) wrong.push(`${field} ${result.status[field]}, not ${expected}: ${JSON.stringify(row)}`);
        const severities = new Set(result.findings.filter((f) => f.field === field).map((f) => f.severity));
        if (severities.has('fix') && severities.has('warning')) fixedAndFlagged++;
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(fixedAndFlagged).toBeGreaterThan(0);
  });
});

