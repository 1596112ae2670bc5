import { describe, expect, it } from 'vitest';
import { CCCD_PROVINCE_CODES, identifierKindOf, maskCitizenId, maskCitizenIdPair, normalizeCitizenId, type IdContext } from '../../src/clean/citizen-id.js';

const UNKNOWN: IdContext = { birthYear: null, sex: null };
const codes = (raw: string, context: IdContext = UNKNOWN) => normalizeCitizenId(raw, context).findings.map((f) => f.code);

describe('CCCD_PROVINCE_CODES', () => {
  it('holds the 63 pre-2025 province codes of DOMAIN §1.2 and none of the gaps', () => {
    expect(CCCD_PROVINCE_CODES.size).toBe(63);
    for (const code of ['001', '038', '079', '087', '096']) expect(CCCD_PROVINCE_CODES.has(code)).toBe(true);
    for (const code of ['000', '003', '050', '090', '097', '099']) expect(CCCD_PROVINCE_CODES.has(code)).toBe(false);
  });
});

describe('normalizeCitizenId', () => {
  it('accepts a clean 12-digit CCCD that agrees with sex and birth year, with no finding', () => {
    // 001 Hà Nội, digit 4 = 0: male, 20th century; 85: born 1985
    expect(normalizeCitizenId('001085012345', { birthYear: 1985, sex: 'male' })).toEqual({
      value: { kind: 'cccd', value: '001085012345' },
      findings: [],
    });
    // 087084000999 is the worked example of the source: Đồng Tháp, male, 1984
    expect(normalizeCitizenId('087084000999', { birthYear: 1984, sex: 'male' }).findings).toEqual([]);
    // 079 HCM, digit 4 = 3: female, 21st century; born 2015
    expect(normalizeCitizenId('079315001234', { birthYear: 2015, sex: 'female' }).findings).toEqual([]);
  });

  it('returns null without findings for a blank cell', () => {
    expect(normalizeCitizenId('', UNKNOWN)).toEqual({ value: null, findings: [] });
    expect(normalizeCitizenId(' \u00a0', UNKNOWN)).toEqual({ value: null, findings: [] });
  });

  it('removes spaces, dots, dashes, the Excel apostrophe and quotes as a fix', () => {
    for (const raw of ['001 085 012 345', '001.085.012.345', '001-085-012-345', "'001085012345", '"001085012345"', '001\u00a0085\u00a0012\u00a0345']) {
      expect(normalizeCitizenId(raw, { birthYear: 1985, sex: 'male' }), raw).toEqual({
        value: { kind: 'cccd', value: '001085012345' },
        findings: [expect.objectContaining({ code: 'citizen_id.formatting_removed', severity: 'fix' })],
      });
    }
  });

  it('trims white space around the ID without a finding (a CSV artefact, nothing the station typed)', () => {
    expect(normalizeCitizenId(' 001085012345\t', UNKNOWN)).toEqual({ value: { kind: 'cccd', value: '001085012345' }, findings: [] });
  });

  it('restores one leading zero lost by Excel (11 digits) when the prefix is then a province', () => {
    const result = normalizeCitizenId('79090012345', { birthYear: 1990, sex: 'male' });
    expect(result.value).toEqual({ kind: 'cccd', value: '079090012345' });
    expect(result.findings).toEqual([expect.objectContaining({ code: 'citizen_id.leading_zero_restored', severity: 'fix' })]);
  });

  it('restores two leading zeros lost in an XLSX number cell (10 digits)', () => {
    const result = normalizeCitizenId('1192012345', { birthYear: 1992, sex: 'female' });
    expect(result.value).toEqual({ kind: 'cccd', value: '001192012345' });
    expect(result.findings.map((f) => f.code)).toEqual(['citizen_id.leading_zero_restored']);
  });

  it('reads a float rendering of the number cell', () => {
    expect(normalizeCitizenId('1192012345.0', UNKNOWN).value).toEqual({ kind: 'cccd', value: '001192012345' });
    expect(codes('1192012345.0')).toEqual(['citizen_id.formatting_removed', 'citizen_id.leading_zero_restored']);
  });

  it('does not pad when the padded prefix is not a province, or when the digits already start with 0', () => {
    // 3 + 11 digits → 039…: 039 is unused
    expect(normalizeCitizenId('39090012345', UNKNOWN)).toEqual({
      value: { kind: 'invalid', value: '39090012345' },
      findings: [expect.objectContaining({ code: 'citizen_id.wrong_length', severity: 'invalid' }), expect.objectContaining({ code: 'citizen_id.other_identifier', severity: 'warning' })],
    });
    // 10 digits → 005…: 005 is unused
    expect(codes('5092012345')).toEqual(['citizen_id.wrong_length', 'citizen_id.other_identifier']);
    // a human dropped a digit of 001085012345: Excel never leaves a leading zero behind
    expect(codes('01085012345')).toEqual(['citizen_id.wrong_length', 'citizen_id.other_identifier']);
  });

  it('rejects a 12-digit number whose prefix is no province, keeping the digits', () => {
    expect(normalizeCitizenId('003085012345', UNKNOWN)).toEqual({
      value: { kind: 'invalid', value: '003085012345' },
      findings: [expect.objectContaining({ code: 'citizen_id.unknown_province', severity: 'invalid' }), expect.objectContaining({ code: 'citizen_id.other_identifier', severity: 'warning' })],
    });
    expect(codes('123085012345')).toEqual(['citizen_id.unknown_province', 'citizen_id.other_identifier']);
  });

  it('flags digit 4 against the sex column (even = male, odd = female)', () => {
    const result = normalizeCitizenId('001185012345', { birthYear: 1985, sex: 'male' });
    expect(result.value).toEqual({ kind: 'cccd', value: '001185012345' });
    expect(result.findings).toEqual([expect.objectContaining({ code: 'citizen_id.sex_mismatch', severity: 'warning' })]);
    expect(codes('001085012345', { birthYear: 1985, sex: 'female' })).toEqual(['citizen_id.sex_mismatch']);
    expect(codes('001185012345', { birthYear: 1985, sex: 'female' })).toEqual([]);
  });

  it("flags a century or year that contradicts the birth year, keeping the ID (a parent's ID for a child)", () => {
    // digit 4 = 0 says 1900s; the child was born in 2015
    const child = normalizeCitizenId('001085012345', { birthYear: 2015, sex: 'male' });
    expect(child.value).toEqual({ kind: 'cccd', value: '001085012345' });
    expect(child.findings).toEqual([expect.objectContaining({ code: 'citizen_id.birth_year_mismatch', severity: 'warning' })]);
    // century digit 2 (2000s, male) with a birth year of 1915: digits 5–6 agree, the century does not
    expect(codes('038215012345', { birthYear: 1915, sex: 'male' })).toEqual(['citizen_id.birth_year_mismatch']);
    // both wrong
    expect(codes('001185012345', { birthYear: 1986, sex: 'male' })).toEqual(['citizen_id.sex_mismatch', 'citizen_id.birth_year_mismatch']);
    // the checks also run on a restored ID
    expect(codes('79090012345', { birthYear: 1991, sex: 'male' })).toEqual(['citizen_id.leading_zero_restored', 'citizen_id.birth_year_mismatch']);
  });

  it('keeps a 9-digit CMND as its own kind', () => {
    expect(normalizeCitizenId('012345678', { birthYear: 1970, sex: 'male' })).toEqual({ value: { kind: 'cmnd', value: '012345678' }, findings: [] });
    expect(normalizeCitizenId('172 345 678', UNKNOWN)).toEqual({
      value: { kind: 'cmnd', value: '172345678' },
      findings: [expect.objectContaining({ code: 'citizen_id.formatting_removed' })],
    });
  });

  it('rejects a phone number typed in the ID column, before any zero restoration', () => {
    expect(normalizeCitizenId('0912345678', UNKNOWN)).toEqual({
      value: { kind: 'invalid', value: '0912345678' },
      findings: [expect.objectContaining({ code: 'citizen_id.phone_number', severity: 'invalid' }), expect.objectContaining({ code: 'citizen_id.other_identifier', severity: 'warning' })],
    });
    expect(codes('0362 345 678')).toEqual(['citizen_id.formatting_removed', 'citizen_id.phone_number', 'citizen_id.other_identifier']);
    // a pre-2018 11-digit mobile
    expect(codes('01623456789')).toEqual(['citizen_id.phone_number', 'citizen_id.other_identifier']);
  });

  it('rejects scientific notation, keeping the text as evidence', () => {
    for (const raw of ['1.23457E+11', '7,9E+10', ' 7.90900E+10 ']) {
      expect(normalizeCitizenId(raw, UNKNOWN), raw).toEqual({
        value: { kind: 'invalid', value: raw.trim() },
        findings: [expect.objectContaining({ code: 'citizen_id.scientific_notation', severity: 'invalid' }), expect.objectContaining({ code: 'citizen_id.other_identifier', severity: 'warning' })],
      });
    }
  });

  it('turns placeholders into null with a warning', () => {
    for (const raw of ['000000000000', '111111111111', '123456789', '0', 'không', 'KHÔNG', 'không'.normalize('NFD'), 'chưa có', 'Ko có', 'x', '-', '--']) {
      expect(normalizeCitizenId(raw, UNKNOWN), raw).toEqual({
        value: null,
        findings: [expect.objectContaining({ code: 'citizen_id.placeholder', severity: 'warning' })],
      });
    }
  });

  it('rejects letters, naming passports in the message', () => {
    const passport = normalizeCitizenId('C1234567', UNKNOWN);
    expect(passport.value).toEqual({ kind: 'invalid', value: 'C1234567' });
    expect(passport.findings).toEqual([expect.objectContaining({ code: 'citizen_id.not_digits', severity: 'invalid' }), expect.objectContaining({ code: 'citizen_id.other_identifier', severity: 'warning' })]);
    expect(passport.findings[0]!.message).toMatch(/passport/);
    expect(normalizeCitizenId('B12345678', UNKNOWN).findings[0]!.message).toMatch(/passport/);
    expect(normalizeCitizenId('CCCD 00108501234O', UNKNOWN)).toEqual({
      value: { kind: 'invalid', value: 'CCCD00108501234O' },
      findings: [expect.objectContaining({ code: 'citizen_id.formatting_removed' }), expect.objectContaining({ code: 'citizen_id.not_digits' }), expect.objectContaining({ code: 'citizen_id.other_identifier', severity: 'warning' })],
    });
  });

  it('rejects any other length, keeping the digits', () => {
    expect(normalizeCitizenId('12345', UNKNOWN)).toEqual({
      value: { kind: 'invalid', value: '12345' },
      findings: [expect.objectContaining({ code: 'citizen_id.wrong_length', severity: 'invalid' }), expect.objectContaining({ code: 'citizen_id.other_identifier', severity: 'warning' })],
    });
    expect(codes('0010850123456')).toEqual(['citizen_id.wrong_length', 'citizen_id.other_identifier']);
    expect(codes('12345678')).toEqual(['citizen_id.wrong_length', 'citizen_id.other_identifier']);
  });

  it('says what an ID that is neither a CCCD nor a CMND was taken to be, and keeps it', () => {
    const said = (raw: string) => normalizeCitizenId(raw, UNKNOWN).findings.find((f) => f.code === 'citizen_id.other_identifier')!.message;
    expect(said('C1234567')).toMatch(/passport number/);
    expect(said('HC4010123456789')).toMatch(/health-insurance \(BHYT\)/);
    expect(normalizeCitizenId('HC4010123456789', UNKNOWN).value).toEqual({ kind: 'invalid', value: 'HC4010123456789' });
    // FEBRL's 7-digit social-security number, a birth-certificate number, a CCCD with a digit missing
    for (const raw of ['6988048', '123/2015/KS', '00108501234']) expect(said(raw), raw).toMatch(/identifier of unknown kind/);
    // digits lost, a phone, too short: not matched on
    for (const raw of ['1.23457E+11', '0912345678', '1234']) expect(said(raw), raw).toMatch(/^Not used to match rows/);
    expect(identifierKindOf('6988048')).toBe('unknown');
    expect(identifierKindOf('0912345678')).toBe('unusable');
  });

  it('never puts the ID in a message', () => {
    const raws = ['001185012345', '79090012345', '0912345678', 'C1234567', '12345', '003085012345', '1.23457E+11'];
    for (const raw of raws) {
      for (const f of normalizeCitizenId(raw, { birthYear: 2001, sex: 'male' }).findings) {
        expect(f.message).not.toMatch(/\d{5}/);
        expect(f.message).not.toContain(raw);
      }
    }
  });
});

describe('maskCitizenId', () => {
  it('keeps the first 4 and last 2 digits', () => {
    expect(maskCitizenId('001085012345')).toBe('0010******45');
    expect(maskCitizenId('012345678')).toBe('0123***78');
    expect(maskCitizenId('12345')).toBe('*****');
  });
});

describe('maskCitizenIdPair', () => {
  it('shows the few digits where two IDs differ, and masks what they share', () => {
    // the birth year's digit differs: masked alone, both would read 0010******45
    expect(maskCitizenIdPair('001085012345', '001095012345')).toEqual(['00108*****45', '00109*****45']);
    expect(maskCitizenIdPair('001085012345', '001085021345')).toEqual(['0010***12*45', '0010***21*45']); // two digits swapped
    expect(maskCitizenIdPair('001085012345', '001085012345')).toEqual(['0010******45', '0010******45']);
  });

  it('shows nothing more of IDs that are plainly different: many digits apart, or of other lengths', () => {
    expect(maskCitizenIdPair('001085012345', '079190654321')).toEqual(['0010******45', '0791******21']);
    expect(maskCitizenIdPair('012345678', '001085012345')).toEqual(['0123***78', '0010******45']);
    expect(maskCitizenIdPair(null, '001085012345')).toEqual([null, '0010******45']);
  });
});
