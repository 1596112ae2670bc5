/**
 * CopyBinaryRows (src/base/copy-binary-rows.ts) reads the rows of both databases' COPY binary output as
 * the values selected, whatever the chunks it arrives in, and refuses output that is cut short or not what
 * it was told to expect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyBinaryRows, CopyBinaryRowsError, type BinaryColumn, type BinaryValue } from '../../src/base/copy-binary-rows.js';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../helpers/database.js';

const TYPES: BinaryColumn[] = ['int4', 'int8', 'bool', 'text'];
const SELECT = `select * from (values
  (0, 0::int8, true, ''),
  (-1, -1::int8, false, 'Nguyễn Thị Lan'),
  (-2147483648, 5000000000::int8, null, e'a\\tb\\nc\\\\d'),
  (2147483647, 9007199254740991::int8, true, null),
  (null, null, false, 'Đắk Lắk')
) as v(a, b, c, d)`;
const EXPECTED: BinaryValue[][] = [
  [0, 0, true, ''],
  [-1, -1, false, 'Nguyễn Thị Lan'],
  [-2147483648, 5_000_000_000, null, 'a\tb\nc\\d'],
  [2147483647, 9_007_199_254_740_991, true, null],
  [null, null, false, 'Đắk Lắk'],
];

/** The output of `select` as one buffer. */
async function output(t: TestDatabase, select: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  await t.database.withTransaction((tx) => tx.copyOut(select, (chunk) => void chunks.push(Buffer.from(chunk))));
  return Buffer.concat(chunks);
}

function read(bytes: Uint8Array, size: number, types: readonly BinaryColumn[] = TYPES): BinaryValue[][] {
  const rows: BinaryValue[][] = [];
  const reader = new CopyBinaryRows(types, (values) => rows.push([...values]));
  for (let at = 0; at < bytes.length; at += size) reader.push(bytes.subarray(at, at + size));
  reader.end();
  return rows;
}

describe.each(BACKENDS)('CopyBinaryRows on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('reads every value as selected, in chunks of any size', async () => {
    const bytes = await output(t, SELECT);
    for (const size of [1, 2, 5, 13, bytes.length]) expect(read(bytes, size)).toEqual(EXPECTED);
  });

  it('refuses output cut short, of other columns, or not COPY binary', async () => {
    const bytes = await output(t, SELECT);
    for (const cut of [bytes.length - 1, bytes.length - 2, 30]) expect(() => read(bytes.subarray(0, cut), 7)).toThrow(/cut short/);
    expect(() => read(bytes, 7, ['int4', 'int8', 'bool'])).toThrow(/a row of 4 fields where 3 were expected/);
    expect(() => read(bytes, 7, ['int8', 'int8', 'bool', 'text'])).toThrow(CopyBinaryRowsError);
    expect(() => read(Buffer.from('1\t2\ttrue\tx\n'.repeat(3)), 7)).toThrow(/signature/);
    expect(() => read(Buffer.concat([bytes, Buffer.from([0, 1])]), 7)).toThrow(/after the end/);
  });

  it('reads nothing from an empty result', async () => {
    expect(read(await output(t, 'select 1, 2::int8, true, $$x$$ where false'), 3)).toEqual([]);
  });
});
