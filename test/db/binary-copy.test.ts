/**
 * BinaryCopy's rows stored by both databases as the values they stand for: each chunk a whole binary COPY
 * file, the integers' edges included, and a 64-bit value given as two words read back as the decimal text
 * the keys' look-ups use (hashText).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinaryCopy } from '../../src/base/copy.js';
import { HASH64, hash64 } from '../../src/base/string-hash.js';
import { hashText, keyHash } from '../../src/link/scope.js';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../helpers/database.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const UINT32_MAX = 2 ** 32 - 1;

/** (int16, high, low, int32) rows: the edges of each type, and ordinary values. */
const ROWS: [number, number, number, number][] = [
  [0, 0, 0, 0],
  [-1, -1, UINT32_MAX, -1],
  [-32768, INT32_MIN, 0, INT32_MIN],
  [32767, INT32_MAX, UINT32_MAX, INT32_MAX],
  [5, 0, 1, 123_456],
  [-7, -2, 2 ** 31, 42],
  ...Array.from({ length: 40 }, (_, i): [number, number, number, number] => [i, i * 7919 - 100_000, (i * 2_654_435_761) % 2 ** 32, i * 3]),
];

describe.each(BACKENDS)('BinaryCopy on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
    await t.database.withTransaction((tx) => tx.query('create table binary_rows (at serial, a smallint, b bigint, c integer)'));
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('stores every row, across chunks, as the values written', async () => {
    const chunks: number[] = [];
    await t.database.withTransaction(async (tx) => {
      // 100 bytes a chunk: a few rows each, so that every chunk is a file of its own.
      const copy = new BinaryCopy((data, sent) => (chunks.push(data.length), tx.copy('binary_rows', ['a', 'b', 'c'], data, sent)), { maxBytes: 100, overlap: true });
      for (const [a, high, low, c] of ROWS) {
        copy.row(3).int16(a).int64(high, low).int32(c);
        if (copy.full) await copy.flush();
      }
      await copy.end();
    });
    expect(chunks.length).toBeGreaterThan(5);
    const stored = await t.database.withTransaction((tx) =>
      tx.query<{ a: number; b: string; c: number }>('select a, b::text as b, c from binary_rows order by at'),
    );
    expect(stored).toEqual(ROWS.map(([a, high, low, c]) => ({ a, b: (BigInt(high) * 2n ** 32n + BigInt(low)).toString(), c })));
    expect(stored.map((r) => r.b)).toEqual(ROWS.map(([, high, low]) => hashText(high, low)));
  });

  it('grows a chunk rather than overflow when rows are added past full without a flush', async () => {
    const chunks: number[] = [];
    await t.database.withTransaction(async (tx) => {
      await tx.query('delete from binary_rows');
      const copy = new BinaryCopy((data, sent) => (chunks.push(data.length), tx.copy('binary_rows', ['a', 'b', 'c'], data, sent)), { maxBytes: 64 });
      for (let i = 0; i < 500; i++) copy.row(3).int16(i).int64(0, i).int32(-i);
      expect(copy.full).toBe(true);
      await copy.end();
    });
    // One file: 19 bytes of header, 28 a row (2 + 6 + 12 + 8), 2 of trailer.
    expect(chunks).toEqual([19 + 500 * 28 + 2]);
    const [stored] = await t.database.withTransaction((tx) => tx.query<{ n: number; s: string }>('select count(*)::int as n, sum(b + c)::text as s from binary_rows'));
    expect(stored).toEqual({ n: 500, s: '0' });
    await t.database.withTransaction((tx) => tx.query('delete from binary_rows'));
  });

  it('writes a key hash as the number keyHash names, and sends nothing when given no row', async () => {
    const keys = ['nguyen thi lan|1990', 'tran van b|2001-02-03', '79|0912345678'];
    const chunks: number[] = [];
    await t.database.withTransaction(async (tx) => {
      await tx.query('delete from binary_rows');
      const copy = new BinaryCopy((data, sent) => (chunks.push(data.length), tx.copy('binary_rows', ['a', 'b', 'c'], data, sent)), { maxBytes: 1 << 16 });
      await copy.end();
      expect(chunks).toEqual([]);
      for (const key of keys) {
        hash64(key);
        copy.row(3).int16(1).int64(HASH64[0]!, HASH64[1]!).int32(0);
      }
      await copy.end();
    });
    const stored = await t.database.withTransaction((tx) => tx.query<{ b: string }>('select b::text as b from binary_rows order by at'));
    expect(stored.map((r) => r.b)).toEqual(keys.map(keyHash));
  });

  it('rejects a row the table cannot take, naming the column', async () => {
    await expect(
      t.database.withTransaction(async (tx) => {
        // Two fields for three columns.
        const copy = new BinaryCopy((data, sent) => tx.copy('binary_rows', ['a', 'b', 'c'], data, sent), { maxBytes: 1 << 16 });
        copy.row(2).int16(1).int64(0, 1);
        await copy.end();
      }),
    ).rejects.toThrow(/column|row field count/i);
  });
});
