import { describe, expect, it } from 'vitest';
import { mapColumns } from '../../src/ingest/fields.js';

describe('mapColumns', () => {
  it('matches English and Vietnamese headers without regard to case, accents or Đ', () => {
    const { columns, ignored } = mapColumns(['STT', 'HỌ VÀ TÊN', 'ngay sinh', 'Số CCCD', 'SĐT', 'Mã xã/phường', 'Ghi chú', '']);
    expect(columns).toEqual({ record_id: 0, full_name: 1, birth_date: 2, citizen_id: 3, phone: 4, commune_code: 5 });
    expect(ignored).toEqual(['Ghi chú']);
  });

  it('prefers the more specific alias when two columns name the same field', () => {
    const { columns } = mapColumns(['STT', 'Mã bản ghi', 'Tên', 'Họ và tên']);
    expect(columns.record_id).toBe(1);
    expect(columns.full_name).toBe(3);
  });

  it('lists the fields no header names', () => {
    const { missing } = mapColumns(['record_id', 'full_name']);
    expect(missing).toContain('birth_date');
    expect(missing).not.toContain('full_name');
  });
});
