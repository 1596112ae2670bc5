import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ColumnSpill } from '../../src/base/column-spill.js';
import { tempDir } from '../helpers/database.js';

const KINDS = ['int32', 'uint8', 'uint32'] as const;

/** Chunks of uneven sizes (1, 10, 73, …), values that tell every row and column apart. */
function fill(spill: ColumnSpill<typeof KINDS>, rows: number): void {
  for (let start = 0, size = 1; start < rows; start += size, size = size * 7 + 3) {
    const count = Math.min(size, rows - start);
    // Arrays longer than the count, written over after each append: the spill must copy what it keeps.
    const a = new Int32Array(count + 5);
    const b = new Uint8Array(count + 5);
    const c = new Uint32Array(count + 5);
    for (let i = 0; i < count; i++) {
      a[i] = -(start + i);
      b[i] = (start + i) % 251;
      c[i] = 0x8000_0000 + start + i;
    }
    spill.append([a, b, c], count);
    a.fill(7);
    b.fill(7);
    c.fill(7);
  }
}

function readBack(spill: ColumnSpill<typeof KINDS>): { rows: number; wrong: number; chunks: number } {
  let rows = 0;
  let wrong = 0;
  let chunks = 0;
  spill.forEachChunk(([a, b, c], count) => {
    chunks++;
    expect(a.length).toBeGreaterThanOrEqual(count);
    for (let i = 0; i < count; i++, rows++) {
      if (a[i] !== -rows || b[i] !== rows % 251 || c[i] !== 0x8000_0000 + rows) wrong++;
    }
  });
  return { rows, wrong, chunks };
}

describe('ColumnSpill', () => {
  it('gives back every row in order, in the chunks appended, held in memory within its budget', () => {
    const spill = new ColumnSpill(KINDS, { memoryBudget: 64 * 1024 * 1024 });
    fill(spill, 100_000);
    expect(spill.spilled).toBe(false);
    expect(spill.count).toBe(100_000);
    // Twice: reading does not consume.
    for (let k = 0; k < 2; k++) expect(readBack(spill)).toEqual({ rows: 100_000, wrong: 0, chunks: 7 });
    spill.close();
  });

  it('goes to a file past its budget (the rows held so far first), gives back the same rows, and leaves no file behind', () => {
    const dir = tempDir();
    const spill = new ColumnSpill(KINDS, { memoryBudget: 50_000, dir });
    fill(spill, 100_000);
    expect(spill.spilled).toBe(true);
    // Unlinked as soon as opened: nothing in the directory even while the rows are kept.
    expect(fs.readdirSync(dir)).toEqual([]);
    for (let k = 0; k < 2; k++) expect(readBack(spill)).toEqual({ rows: 100_000, wrong: 0, chunks: 7 });
    spill.close();
    fs.rmdirSync(dir);
    expect(() => readBack(spill)).toThrow(/after close/);
    expect(() => spill.append([new Int32Array(1), new Uint8Array(1), new Uint32Array(1)], 1)).toThrow(/after close/);
    spill.close();
  });

  it('refuses a chunk whose columns are shorter than its count', () => {
    const spill = new ColumnSpill(KINDS);
    expect(() => spill.append([new Int32Array(3), new Uint8Array(2), new Uint32Array(3)], 3)).toThrow(/column 1 holds 2 values, not 3/);
    spill.close();
  });

  // The link parks the loaded rows' columns too (src/link/rows.ts): ids as doubles, codes two bytes wide.
  // Odd counts put a column after a narrow one off an 8-byte boundary unless the layout aligns it.
  it('keeps doubles and 16-bit columns after narrower ones, in memory and in a file', () => {
    for (const memoryBudget of [1 << 20, 0]) {
      const dir = tempDir();
      const spill = new ColumnSpill(['uint8', 'float64', 'uint16', 'float64'] as const, { memoryBudget, dir });
      let rows = 0;
      for (const count of [3, 1, 7, 5]) {
        const a = new Uint8Array(count);
        const b = new Float64Array(count);
        const c = new Uint16Array(count);
        const d = new Float64Array(count);
        for (let i = 0; i < count; i++, rows++) {
          a[i] = rows;
          b[i] = rows === 2 ? Number.NaN : rows + 0.5;
          c[i] = 60_000 + rows;
          d[i] = 2 ** 40 + rows;
        }
        spill.append([a, b, c, d], count);
      }
      expect(spill.spilled).toBe(memoryBudget === 0);
      let seen = 0;
      spill.forEachChunk(([a, b, c, d], count) => {
        for (let i = 0; i < count; i++, seen++) {
          expect([a[i], b[i], c[i], d[i]]).toEqual([seen, seen === 2 ? Number.NaN : seen + 0.5, 60_000 + seen, 2 ** 40 + seen]);
        }
      });
      expect(seen).toBe(rows);
      spill.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
