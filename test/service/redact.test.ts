/** The log's masking of citizen IDs and phones, wherever they appear in a log entry. */
import { describe, expect, it } from 'vitest';
import { redactDeep, redactError, redactText } from '../../src/service/redact.js';

describe('log redaction', () => {
  it('masks personal query parameters whole, however typed, and every long digit run', () => {
    expect(redactText('/api/v1/persons?citizen_id=001085012345')).toBe('/api/v1/persons?citizen_id=0010******45');
    expect(redactText('/api/v1/persons?citizen_id=001%20085%20012%20345&limit=5')).toBe('/api/v1/persons?citizen_id=0010******45&limit=5');
    expect(redactText('/x?phone=+84%20912.345.678')).toBe('/x?phone=8491*****78');
    expect(redactText('/x?citizen_id=abc')).toBe('/x?citizen_id=***');
    expect(redactText('record 12:345 of batch 7, person 123456')).toBe('record 12:345 of batch 7, person 123456');
    expect(redactText('phone 0912345678 and CMND 123456789')).toBe('phone 0912****78 and CMND 1234***89');
  });

  it('masks nested strings of a log entry and the message and stack of an error', () => {
    expect(redactDeep({ note: 'id 001085012345', list: ['0912345678', 3], deep: { x: { y: '001085012345' } } })).toEqual({
      note: 'id 0010******45',
      list: ['0912****78', 3],
      deep: { x: { y: '0010******45' } },
    });
    const error = Object.assign(new Error('no person with citizen ID 001085012345'), { code: 'X' });
    const logged = redactError(error);
    expect(logged).toMatchObject({ type: 'Error', message: 'no person with citizen ID 0010******45', code: 'X' });
    expect(logged.stack).not.toContain('001085012345');
  });
});
