import { describe, expect, it } from 'vitest';
import { normalizeSex } from '../../src/clean/sex.js';

describe('normalizeSex', () => {
  it('reads the canonical Nam / Nữ with no finding', () => {
    expect(normalizeSex('Nam')).toEqual({ value: 'male', findings: [] });
    expect(normalizeSex('Nữ')).toEqual({ value: 'female', findings: [] });
  });

  it('returns null without findings for a blank cell', () => {
    expect(normalizeSex('')).toEqual({ value: null, findings: [] });
    expect(normalizeSex('   ')).toEqual({ value: null, findings: [] });
  });

  it('reads every other male spelling as a fix', () => {
    for (const raw of ['nam', 'NAM', ' Nam ', 'M', 'm', 'male', 'Male', '1', 'Nam giới', 'NAM GIỚI', 'trai', 'Con trai']) {
      expect(normalizeSex(raw), raw).toEqual({ value: 'male', findings: [expect.objectContaining({ code: 'sex.spelling', severity: 'fix' })] });
    }
  });

  it('reads every other female spelling as a fix, NFD and without diacritics included', () => {
    for (const raw of ['nữ', 'NỮ', 'Nu', 'nu', 'NU', 'Nữ'.normalize('NFD'), 'F', 'f', 'female', 'FEMALE', '0', 'Nữ giới', 'gái', 'Con gái']) {
      expect(normalizeSex(raw), raw).toEqual({ value: 'female', findings: [expect.objectContaining({ code: 'sex.spelling', severity: 'fix' })] });
    }
  });

  it('rejects anything else', () => {
    for (const raw of ['x', 'Không rõ', '2', 'Nam/Nữ', 'khác', 'N']) {
      expect(normalizeSex(raw), raw).toEqual({ value: null, findings: [expect.objectContaining({ code: 'sex.unknown', severity: 'invalid' })] });
    }
  });
});
