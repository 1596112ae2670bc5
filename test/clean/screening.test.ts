import { describe, expect, it } from 'vitest';
import { cleanRecord } from '../../src/clean/record.js';
import { normalizeScreening, normalizeSeverity } from '../../src/clean/screening.js';

describe('screening result and adverse-event severity', () => {
  it('reads the three screening outcomes in any case or accents, and keeps other text', () => {
    expect(normalizeScreening('Đủ điều kiện tiêm').value).toBe('eligible');
    expect(normalizeScreening('TẠM HOÃN').value).toBe('postponed');
    expect(normalizeScreening('chong chi dinh').value).toBe('contraindicated');
    expect(normalizeScreening('  sốt 38,5  ').value).toBe('sốt 38,5');
    expect(normalizeScreening(' ').value).toBeNull();
  });

  it('reads common and serious, and flags what it cannot count', () => {
    expect(normalizeSeverity('Thông thường').value).toBe('common');
    expect(normalizeSeverity('NẶNG').value).toBe('serious');
    const odd = normalizeSeverity('vừa');
    expect(odd.value).toBeNull();
    expect(odd.findings.map((f) => [f.code, f.severity])).toEqual([['adverse_event_severity.unknown', 'warning']]);
  });

  it('lands in the cleaned record', () => {
    const r = cleanRecord({ record_id: '1', full_name: 'Lê Văn A', screening_result: 'Tạm hoãn', adverse_event_severity: 'nặng' }, { today: '2026-01-01' });
    expect(r.values.screening_result).toBe('postponed');
    expect(r.values.adverse_event_severity).toBe('serious');
    expect(r.status.adverse_event_severity).toBe('clean');
  });
});
