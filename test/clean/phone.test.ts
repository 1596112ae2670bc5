import { describe, expect, it } from 'vitest';
import { isMobileNumber, maskPhone, normalizePhone, OLD_MOBILE_PREFIXES } from '../../src/clean/phone.js';

const codes = (raw: string) => normalizePhone(raw).findings.map((f) => f.code);

describe('normalizePhone', () => {
  it('accepts a canonical mobile number with no finding', () => {
    expect(normalizePhone('0912345678')).toEqual({ value: '0912345678', findings: [] });
    for (const raw of ['0323456789', '0563456789', '0703456789', '0813456789', '0983456789']) expect(normalizePhone(raw).findings, raw).toEqual([]);
  });

  it('returns null without findings for a blank cell', () => {
    expect(normalizePhone('')).toEqual({ value: null, findings: [] });
    expect(normalizePhone(' \u00a0')).toEqual({ value: null, findings: [] });
  });

  it('removes spaces, dots, dashes and brackets as a fix', () => {
    for (const raw of ['0912 345 678', '0912.345.678', '0912-345-678', '(091) 234 5678', '0912\u00a0345\u00a0678']) {
      expect(normalizePhone(raw), raw).toEqual({
        value: '0912345678',
        findings: [expect.objectContaining({ code: 'phone.formatting_removed', severity: 'fix' })],
      });
    }
    // white space around the number only is no finding
    expect(normalizePhone(' 0912345678 ')).toEqual({ value: '0912345678', findings: [] });
  });

  it('replaces +84 / 84 by the leading 0', () => {
    expect(normalizePhone('+84912345678')).toEqual({
      value: '0912345678',
      findings: [expect.objectContaining({ code: 'phone.country_code_removed', severity: 'fix' })],
    });
    expect(normalizePhone('84912345678').value).toBe('0912345678');
    expect(codes('84912345678')).toEqual(['phone.country_code_removed']);
    expect(normalizePhone('+84 912 345 678').value).toBe('0912345678');
    expect(codes('+84 912 345 678')).toEqual(['phone.formatting_removed', 'phone.country_code_removed']);
    expect(normalizePhone('(+84) 912345678').value).toBe('0912345678');
    expect(normalizePhone('+84 0912345678').value).toBe('0912345678');
  });

  it('restores the leading zero Excel dropped', () => {
    expect(normalizePhone('912345678')).toEqual({
      value: '0912345678',
      findings: [expect.objectContaining({ code: 'phone.leading_zero_restored', severity: 'fix' })],
    });
    expect(normalizePhone('846123456').value).toBe('0846123456'); // 084 VinaPhone, not a country code
  });

  it('converts every pre-2018 11-digit mobile prefix of DOMAIN §3.2', () => {
    const table: Record<string, string> = {
      '0162': '032', '0163': '033', '0164': '034', '0165': '035', '0166': '036', '0167': '037', '0168': '038', '0169': '039',
      '0120': '070', '0121': '079', '0122': '077', '0126': '076', '0128': '078',
      '0123': '083', '0124': '084', '0125': '085', '0127': '081', '0129': '082',
      '0186': '056', '0188': '058', '0199': '059',
    };
    expect(new Map(Object.entries(table))).toEqual(OLD_MOBILE_PREFIXES);
    for (const [old, current] of Object.entries(table)) {
      expect(normalizePhone(`${old}3456789`), old).toEqual({
        value: `${current}3456789`,
        findings: [expect.objectContaining({ code: 'phone.old_prefix_converted', severity: 'fix' })],
      });
    }
  });

  it('converts an old prefix written with spaces, with +84 or without its zero', () => {
    expect(normalizePhone('0162 345 6789')).toEqual({
      value: '0323456789',
      findings: [expect.objectContaining({ code: 'phone.formatting_removed' }), expect.objectContaining({ code: 'phone.old_prefix_converted' })],
    });
    expect(normalizePhone('+84 162 345 6789').value).toBe('0323456789');
    expect(codes('+84 162 345 6789')).toEqual(['phone.formatting_removed', 'phone.country_code_removed', 'phone.old_prefix_converted']);
    expect(normalizePhone('841233456789').value).toBe('0833456789');
    expect(normalizePhone('1693456789').value).toBe('0393456789');
    expect(codes('1693456789')).toEqual(['phone.leading_zero_restored', 'phone.old_prefix_converted']);
  });

  it('accepts an 11-digit fixed-line number unchanged', () => {
    expect(normalizePhone('02438261234')).toEqual({ value: '02438261234', findings: [] });
    expect(normalizePhone('0220 3851 234').value).toBe('02203851234');
    expect(normalizePhone('+84 24 3826 1234').value).toBe('02438261234');
  });

  it('keeps the first of several numbers, with a warning', () => {
    for (const raw of ['0912345678 - 0987654321', '0912345678/0987654321', '0912345678; 0987654321', '0912345678 hoặc 0987654321', '0912345678\n0987654321', '0912345678-0987654321', '0912 345 678 0987 654 321']) {
      const result = normalizePhone(raw);
      expect(result.value, raw).toBe('0912345678');
      expect(result.findings.map((f) => f.code), raw).toContain('phone.several_numbers');
      expect(result.findings.find((f) => f.code === 'phone.several_numbers')!.severity).toBe('warning');
    }
    expect(normalizePhone('0162 345 6789 / 0987654321').value).toBe('0323456789');
    expect(codes('0162 345 6789 / 0987654321')).toEqual(['phone.formatting_removed', 'phone.old_prefix_converted', 'phone.several_numbers']);
  });

  it('rejects anything else', () => {
    for (const raw of ['0123', '0612345678', '091234567', '09123456789', '0412345678', '04 3826 1234', '+1 650 253 0000', 'không có', 'x', '0', '0912345678 (bố)']) {
      expect(normalizePhone(raw), raw).toEqual({ value: null, findings: [expect.objectContaining({ code: 'phone.invalid', severity: 'invalid' })] });
    }
  });

  it('never puts the number in a message', () => {
    for (const raw of ['0162 345 6789', '+84912345678', '912345678', '0912345678/0987654321', '0612345678']) {
      for (const f of normalizePhone(raw).findings) {
        expect(f.message).not.toMatch(/\d{5}/);
        expect(f.message).not.toContain(raw.slice(0, 4));
      }
    }
  });
});

describe('isMobileNumber', () => {
  it('recognises current and pre-2018 mobile numbers, digits only', () => {
    expect(isMobileNumber('0912345678')).toBe(true);
    expect(isMobileNumber('01623456789')).toBe(true);
    expect(isMobileNumber('02438261234')).toBe(false);
    expect(isMobileNumber('001085012345')).toBe(false);
    expect(isMobileNumber('0912 345 678')).toBe(false);
  });
});

describe('maskPhone', () => {
  it('keeps the network prefix and the last two digits, hiding the subscriber number', () => {
    expect(maskPhone('0912345678')).toBe('091*****78');
    expect(maskPhone('0912345679')).not.toBe(maskPhone('0912345678'));
    expect(maskPhone('02438123456')).toBe('024******56');
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone('0912345678')).not.toContain('2345');
  });
});
