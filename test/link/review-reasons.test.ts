/** Why a pair is queued, in Vietnamese (src/link/review-reasons.ts), and the clusters of the listed pairs. Pure. */
import { describe, expect, it } from 'vitest';
import type { LevelScore } from '../../matchers/index.js';
import { clustersOf, reasonVi } from '../../src/link/review-reasons.js';

const level = (comparison: string, labelVi: string | null, weight: number): LevelScore => ({ comparison, level: 0, label: 'x', labelVi, weight, tfAdjustment: 0 });

describe('reasonVi', () => {
  it('says what agrees, strongest first, then what disagrees; missing sides are left out', () => {
    const levels = [
      level('name', 'tên gần giống (lệch một ký tự)', 3.1),
      level('birth_date', 'ngày sinh trùng', 6.2),
      level('citizen_id', 'cùng CCCD', 9),
      level('phone', 'số điện thoại khác', -1.5),
      level('address', null, 0),
    ];
    expect(reasonVi(levels, null)).toBe('Cùng CCCD, ngày sinh trùng, tên gần giống (lệch một ký tự) — nhưng số điện thoại khác');
  });
  it('puts a hard rule first, and says nothing when nothing is known', () => {
    expect(reasonVi([level('name', 'tên khác', -4)], 'cùng họ và ngày sinh nhưng khác tên (sinh đôi?)')).toBe(
      'Quy tắc: cùng họ và ngày sinh nhưng khác tên (sinh đôi?). Tên khác',
    );
    expect(reasonVi([level('name', null, 0)], null)).toBeNull();
  });
});

describe('clustersOf', () => {
  it('groups pairs joined through shared records, named by their first pair', () => {
    const items = [
      { a: '1:2', b: '1:3' },
      { a: '2:5', b: '2:6' },
      { a: '1:3', b: '1:4' },
      { a: '1:9', b: '2:6' },
      { a: '3:1', b: '3:2' },
    ];
    expect(clustersOf(items)).toEqual([0, 1, 0, 1, 4]);
  });
});
