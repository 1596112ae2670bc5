/** Guardian names and newborns' pre-naming placeholders (issue 14): src/clean/name.ts and src/clean/record.ts. */
import { describe, expect, it } from 'vitest';
import { normalizeName, preNamingOf } from '../../src/clean/name.js';
import { cleanRecord } from '../../src/clean/record.js';

const placeholder = (raw: string) => {
  const name = normalizeName(raw).value!;
  return preNamingOf(name.full, name.key);
};

describe('preNamingOf', () => {
  it('recognises the placeholders with or without diacritics, in any case, and keeps the guardian they name', () => {
    expect(placeholder('Con bà Nguyễn Thị Lan')).toEqual({ guardian: 'Nguyễn Thị Lan', sex: null });
    expect(placeholder('CON BA NGUYEN THI LAN')).toEqual({ guardian: 'Nguyen Thi Lan', sex: null });
    expect(placeholder('CB  Nguyễn Thị Lan')).toEqual({ guardian: 'Nguyễn Thị Lan', sex: null });
    expect(placeholder('con của Lan')).toEqual({ guardian: 'Lan', sex: null });
    expect(placeholder('Con của chị Lan')).toEqual({ guardian: 'Lan', sex: null });
    expect(placeholder('Con ông Trần Văn Tâm')).toEqual({ guardian: 'Trần Văn Tâm', sex: null });
    expect(placeholder('Con chị Lò Thị Ún bé trai')).toEqual({ guardian: 'Lò Thị Ún', sex: 'male' });
    expect(placeholder('Bé gái')).toEqual({ guardian: null, sex: 'female' });
    expect(placeholder('be trai')).toEqual({ guardian: null, sex: 'male' });
    expect(placeholder('Sơ sinh')).toEqual({ guardian: null, sex: null });
  });
  it('leaves names alone', () => {
    for (const name of ['Nguyễn Văn Con', 'Cao Bá Quát', 'Bế Văn Đàn', 'Con Thị Lan']) expect(placeholder(name)).toBeNull();
  });
});

describe('cleanRecord: guardian_name and guardian_phone', () => {
  const today = '2026-11-01';
  it('cleans the guardian name like a name and keys it; the phone like a phone', () => {
    const r = cleanRecord({ record_id: '1', full_name: 'Trần Minh Khoa', guardian_name: '  nguyễn thị  hoà ', guardian_phone: '+84912345678' }, { today });
    expect(r.values.guardian_name).toBe('Nguyễn Thị Hòa');
    expect(r.values.guardian_key).toBe('nguyen thi hoa');
    expect(r.values.guardian_phone).toBe('0912345678');
    expect(r.findings.filter((f) => f.field === 'guardian_name')).toEqual([]);
  });
  it("takes the guardian from a placeholder when the column is empty, and flags what is not a name or a phone", () => {
    const r = cleanRecord({ record_id: '1', full_name: 'CB Nguyễn Thị Lan' }, { today });
    expect(r.values.full_name).toBe('Cb Nguyễn Thị Lan');
    expect(r.values.guardian_name).toBe('Nguyễn Thị Lan');
    expect(r.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['full_name.placeholder', 'guardian_name.from_placeholder']));
    const bad = cleanRecord({ record_id: '2', full_name: 'Trần Khoa', guardian_name: '0912345678', guardian_phone: 'abc' }, { today });
    expect(bad.values.guardian_name).toBeNull();
    expect(bad.values.guardian_phone).toBeNull();
    expect(bad.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['guardian_name.not_a_name', 'guardian_phone.invalid']));
  });
  it("keeps for linking a child's row without a usable name when it names the guardian; quarantines it otherwise", () => {
    const withGuardian = cleanRecord({ record_id: '1', full_name: '', guardian_name: 'Nguyễn Thị Lan', birth_date: '03/02/2024' }, { today });
    expect(withGuardian.quarantineReason).toBeNull();
    expect(withGuardian.values.full_name).toBeNull();
    const without = cleanRecord({ record_id: '2', full_name: '0912345678' }, { today });
    expect(without.quarantineReason).not.toBeNull();
  });
});
