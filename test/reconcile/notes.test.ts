/** The registry check's notes: made in English for operators, read back in Vietnamese for a person's page. */
import { describe, expect, it } from 'vitest';
import { birthDateComparison, doseConflictVi, nameComparison } from '../../matchers/index.js';
import { registryNote, registryNoteVi } from '../../src/reconcile/notes.js';
import { englishIn } from '../console/english.js';

describe('registryNoteVi', () => {
  const nameLevel = nameComparison.levels.find((l) => l.labelVi)!;
  const dateLevel = birthDateComparison.levels.find((l) => l.labelVi)!;

  it('reads every kind of note, alone and joined, in Vietnamese', () => {
    expect(registryNoteVi(registryNote.foundByIdentity)).toBe('tìm được số định danh theo họ tên và ngày sinh');
    expect(registryNoteVi(registryNote.ambiguous(3))).toBe('3 người trong CSDL dân cư cùng họ tên và ngày sinh: cần đối chiếu');
    expect(registryNoteVi(registryNote.police('12', 'deceased', 'ca-xa-1'))).toBe('trả lời số 12 của công an xã (đã mất), cán bộ ca-xa-1');
    const conflict = registryNote.conflict(nameLevel.label, dateLevel.label);
    const joined = `${conflict}; ${registryNote.notResident(7, 'ca; xa')}`;
    expect(registryNoteVi(joined)).toBe(`họ tên: ${nameLevel.labelVi}; ngày sinh: ${dateLevel.labelVi}; trả lời số 7 của công an xã, cán bộ ca; xa: không cư trú tại xã`);
    expect(englishIn(registryNoteVi(conflict))).toEqual([]);
    // each half read with its own comparison's labels: both have a level 'different'
    expect(registryNoteVi(registryNote.conflict('different', 'different'))).toBe(
      `họ tên: ${nameComparison.levels.find((l) => l.label === 'different')!.labelVi}; ngày sinh: ${birthDateComparison.levels.find((l) => l.label === 'different')!.labelVi}`,
    );
    expect(registryNoteVi(registryNote.conflict('missing on one side', 'different'))).toMatch(/^họ tên: thiếu ở một bên; /);
    // a label older notes were written with
    expect(englishIn(registryNoteVi(registryNote.conflict('two edits apart', 'different')))).toEqual([]);
  });

  it('keeps a part it does not know as written', () => {
    expect(registryNoteVi('ghi chú của trạm')).toBe('ghi chú của trạm');
  });
});

describe('doseConflictVi', () => {
  it('turns each stored conflict into Vietnamese, keeping its values', () => {
    expect(doseConflictVi('dose_number_mismatch: the reports give doses 1, 2')).toBe('các báo cáo ghi mũi số khác nhau: 1, 2');
    expect(doseConflictVi('lot_mismatch: the reports give lots A1, B2')).toBe('các báo cáo ghi số lô khác nhau: A1, B2');
    expect(doseConflictVi('date_missing: no report gives a date and it fits no single dated dose')).toMatch(/^không báo cáo nào ghi ngày tiêm/);
    expect(doseConflictVi('something else')).toBe('something else');
  });
});
