/**
 * A CSV that is not UTF-8 is named for what it is: Windows-1258 (its header then fails to decode, which used
 * to read as "missing required column full_name"), or the TCVN3 / VNI legacy fonts; on both databases the
 * batch fails with that reason and keeps its raw rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileError } from '../../src/base/errors.js';
import { importFile } from '../../src/ingest/import.js';
import { firstInvalidUtf8, guessEncoding } from '../../src/ingest/text-encoding.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

/** Encodes text as Windows-1258: precomposed where the code page has the letter, tone marks as combining bytes. */
function windows1258(text: string): Buffer {
  const decoder = new TextDecoder('windows-1258');
  const byChar = new Map<string, number>();
  for (let b = 0; b < 256; b++) byChar.set(decoder.decode(Uint8Array.of(b)), b);
  const bytes: number[] = [];
  for (const char of text.normalize('NFC')) {
    const direct = byChar.get(char);
    if (direct !== undefined) {
      bytes.push(direct);
      continue;
    }
    // a toned letter: its base (with circumflex, breve or horn composed back) and the tone mark
    const parts = [...char.normalize('NFD')];
    const tone = parts.pop()!;
    const base = parts.join('').normalize('NFC');
    if (!byChar.has(base) || !byChar.has(tone)) throw new Error(`cannot encode ${char}`);
    bytes.push(byChar.get(base)!, byChar.get(tone)!);
  }
  return Buffer.from(bytes);
}

const STATION_TEXT = 'STT,Họ và tên,Ngày sinh,Tên vắc xin,Ngày tiêm\r\n1,Nguyễn Thị Hằng,15/03/1985,AstraZeneca,20/08/2021\r\n2,Trần Văn Đức,1990,Pfizer,10/09/2021\r\n';

describe('what a file that is not UTF-8 was saved in', () => {
  it('finds the first byte that is not UTF-8, allowing a sequence cut at the end of the sample', () => {
    expect(firstInvalidUtf8(Buffer.from('Nguyễn', 'utf8'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from('Nguyễn', 'utf8').subarray(0, 6))).toBe(-1);
    expect(firstInvalidUtf8(windows1258('ab Họ x'))).toBe(5); // o, then the dot below as byte 0xF2
    expect(firstInvalidUtf8(Uint8Array.of(0x41, 0xc0, 0x80))).toBe(1); // an overlong form
    expect(firstInvalidUtf8(Uint8Array.of(0xed, 0xa0, 0x80))).toBe(0); // a UTF-16 surrogate
  });

  it('tells Windows-1258 from the TCVN3 and VNI fonts', () => {
    expect(guessEncoding(windows1258(STATION_TEXT))).toBe('windows-1258');
    expect(guessEncoding(Buffer.from('STT,Hä vµ tªn\r\n1,NguyÔn ThÞ H»ng\r\n2,TrÇn V¨n §øc\r\n', 'latin1'))).toBe('tcvn3');
    expect(guessEncoding(Buffer.from('STT,Hoï vaø teân\r\n1,Nguyeãn Thò Haèng\r\n2,Traàn Vaên Ñöùc\r\n', 'latin1'))).toBe('vni');
    expect(guessEncoding(Uint8Array.of(0x41, 0xff, 0xfe, 0x42))).toBe('unknown');
  });
});

describe.each(BACKENDS)('importing a file that is not UTF-8 on %s', (kind) => {
  let t: TestDatabase;
  const dir = tempDir();
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('names Windows-1258 and the row, instead of a missing column, and keeps the raw rows', async () => {
    const file = path.join(dir, 'cp1258.csv');
    fs.writeFileSync(file, windows1258(STATION_TEXT));
    const error = await importFile(t.database, file, { source: 'station', today: '2026-12-01' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({ code: 'import.not_utf8', file: 'cp1258.csv', where: { row: 1 } });
    expect((error as FileError).message).toContain('Windows-1258');
    const batch = await t.database.db.selectFrom('batch').select(['id', 'status']).where('file_name', '=', 'cp1258.csv').executeTakeFirstOrThrow();
    expect(batch.status).toBe('failed');
    const raw = await t.database.db.selectFrom('raw_row').select('row_number').where('batch_id', '=', batch.id).execute();
    expect(raw.map((r) => r.row_number)).toEqual([1, 2, 3]);
  });

  it('names the legacy font when only a data row is in it', async () => {
    const file = path.join(dir, 'tcvn3-row.csv');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('record_id,full_name\r\n1,Lê Văn An\r\n2,', 'utf8'), Buffer.from('NguyÔn ThÞ H»ng\r\n', 'latin1')]));
    const error = await importFile(t.database, file, { source: 'station', today: '2026-12-01' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'import.not_utf8', where: { row: 3, column: 'full_name' } });
    expect((error as FileError).message).toContain('TCVN3');
  });
});
