import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { finding, type FindingCode } from '../../src/clean/finding.js';
import { DATE_FIELDS, FIELD_LABELS_VI, FINDING_CATALOGUE, findingMessage, TEXT_FIELDS } from '../../src/clean/findings-catalogue.js';
import { cleanRecord } from '../../src/clean/record.js';
import { FIELDS } from '../../src/base/fields.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Every module that emits finding codes. */
const EMITTERS = [
  ...fs.readdirSync(path.join(ROOT, 'src/clean')).filter((f) => f.endsWith('.ts')).map((f) => `src/clean/${f}`),
  'src/ingest/row-cleaner.ts',
  'src/service/upload.ts',
];

/**
 * The codes the sources emit, read from their `finding(…)` calls: a literal code as it is, a code built
 * from the field (`${field}.unreadable`) once per field the rule is called with, and with its variant.
 */
function emittedCodes(): Map<string, Set<string | undefined>> {
  const emitted = new Map<string, Set<string | undefined>>();
  const add = (code: string, variants: (string | undefined)[]) => {
    const set = emitted.get(code) ?? new Set();
    for (const v of variants) set.add(v);
    emitted.set(code, set);
  };
  const CALL = /\bfinding\(\s*(['`])([^'`]+)\1\s*(?:,\s*([^)]*))?\)/g;
  for (const file of EMITTERS) {
    const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const [, , found, variantExpression] of source.matchAll(CALL)) {
      const code = found!;
      const variants = variantExpression === undefined ? [undefined] : [...variantExpression.matchAll(/'([a-z0-9_]+)'/g)].map((m) => m[1]);
      if (variantExpression !== undefined && variants.length === 0) {
        // A variant computed at run time (`legacyEncoding`): every variant the catalogue has.
        variants.push(...Object.keys(FINDING_CATALOGUE.get(code.replace('${field}', DATE_FIELDS[0]) as FindingCode)?.variants ?? {}));
      }
      if (!code.includes('${field}')) add(code, variants);
      else {
        // record.ts strips unstorable characters from any contract field before its rule runs.
        const fields = file.endsWith('date.ts') ? DATE_FIELDS : file.endsWith('record.ts') ? FIELDS : TEXT_FIELDS;
        for (const field of fields) add(code.replace('${field}', field), variants);
      }
    }
  }
  return emitted;
}

/** English words that must not be left in a Vietnamese sentence (a half-translated message). */
const ENGLISH_WORDS = [
  'the', 'is', 'was', 'were', 'and', 'or', 'of', 'not', 'with', 'please', 'check', 'enter', 'write', 'date', 'name',
  'phone', 'dose', 'number', 'field', 'column', 'row', 'file', 'missing', 'invalid', 'unknown', 'text', 'year',
  'month', 'digits', 'letters', 'removed', 'restored', 'converted', 'case', 'upper', 'title', 'spaces', 'commune',
  'ward', 'station', 'booster', 'placeholder', 'passport', 'female', 'male', 'record', 'id', 'vaccine', 'future',
];
const englishWordsIn = (text: string) => text.toLowerCase().split(/[^\p{L}]+/u).filter((w) => ENGLISH_WORDS.includes(w));

describe('the finding catalogue', () => {
  const emitted = emittedCodes();

  it('finds the rules’ codes in the sources (the scan itself works)', () => {
    expect(emitted.size).toBeGreaterThan(60);
    for (const code of ['full_name.case', 'vaccination_date.in_future', 'birth_date.unreadable', 'lot_number.case', 'record_id.duplicate', 'commune.outside_station']) {
      expect(emitted.has(code), code).toBe(true);
    }
    expect(emitted.get('citizen_id.not_digits')).toEqual(new Set(['passport', 'letters']));
    expect(emitted.get('full_name.legacy_encoding')).toEqual(new Set(['tcvn3', 'vni']));
  });

  it('declares every emitted code, and every variant, with an English and a Vietnamese message', () => {
    for (const [code, variants] of emitted) {
      const spec = FINDING_CATALOGUE.get(code as FindingCode);
      expect(spec, code).toBeDefined();
      for (const variant of variants) {
        if (variant !== undefined) expect(spec!.variants?.[variant], `${code} (${variant})`).toBeDefined();
        const message = variant === undefined ? spec! : spec!.variants![variant]!;
        expect(message.en.length, code).toBeGreaterThan(10);
        expect(message.vi.length, code).toBeGreaterThan(10);
      }
    }
  });

  it('declares no code that nothing emits', () => {
    const unused = [...FINDING_CATALOGUE.keys()].filter((code) => !emitted.has(code));
    expect(unused).toEqual([]);
  });

  it('writes every Vietnamese message in Vietnamese: diacritics, and none of the common English words', () => {
    for (const [code, spec] of FINDING_CATALOGUE) {
      for (const message of [spec, ...Object.values(spec.variants ?? {})]) {
        expect(englishWordsIn(message.vi), `${code}: ${message.vi}`).toEqual([]);
        expect(message.vi, code).toMatch(/[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i);
        expect(message.vi, code).not.toBe(message.en);
        // the check itself: the English sentence is caught
        expect(englishWordsIn(message.en).length, `${code}: ${message.en}`).toBeGreaterThan(0);
      }
    }
  });

  it('gives the messages the rules produced before the catalogue (no behaviour change)', () => {
    const result = cleanRecord(
      { record_id: '', full_name: 'Nguyen Van 1', birth_date: '2099-01-01', vaccination_date: '30/02/2021', sex: 'x', dose_number: '11' },
      { today: '2026-01-01' },
    );
    const byCode = new Map(result.findings.map((f) => [f.code, f]));
    expect(byCode.get('full_name.not_a_name')?.message).toBe('The name contains digits; an ID or phone number may have been typed in the name column.');
    expect(byCode.get('birth_date.in_future')).toMatchObject({ severity: 'invalid', message: 'The birth date is in the future.' });
    expect(byCode.get('vaccination_date.impossible')?.message).toBe('This day does not exist in the calendar (check day and month).');
    expect(byCode.get('sex.unknown')?.message).toBe('The sex is not recognised; write Nam or Nữ.');
    expect(byCode.get('dose_number.out_of_range')?.message).toBe('A dose number is between 1 and 10; check it.');
    expect(byCode.get('record_id.missing')?.message).toBe('The record has no record id (mã bản ghi).');
    for (const f of result.findings) expect(f.severity).toBe(FINDING_CATALOGUE.get(f.code)!.severity);
  });

  it('answers the Vietnamese sentence of a code, or of its variant', () => {
    expect(findingMessage('vaccination_date.in_future', 'vi')).toBe('Ngày tiêm ở sau ngày hôm nay.');
    expect(findingMessage('citizen_id.not_digits', 'vi', 'passport')).toMatch(/hộ chiếu/);
    expect(finding('lot_number.case')).toBe(finding('lot_number.case')); // one shared, frozen finding
    expect(Object.isFrozen(finding('lot_number.case'))).toBe(true);
  });

  it('labels every contract field in Vietnamese', () => {
    expect(Object.keys(FIELD_LABELS_VI).sort()).toEqual([...FIELDS].sort());
    expect(FIELD_LABELS_VI.vaccination_date).toBe('Ngày tiêm');
    for (const label of Object.values(FIELD_LABELS_VI)) expect(englishWordsIn(label)).toEqual([]);
  });
});
