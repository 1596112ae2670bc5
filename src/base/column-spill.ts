/**
 * Rows of fixed-width numeric columns, appended in chunks and read back in the same chunks, in order: the
 * link's candidate pairs (some 150 million at ten million records, 12 to 13 bytes each), which it reads
 * only front to back, a few times, and the loaded rows' own columns, which wait unread while it matches.
 * Up to a byte budget they are held in memory; past it they go to a temporary file, so that the process
 * holds one chunk of them at a time whatever their number. The file is unlinked as soon as it is opened:
 * it goes when the process closes it or ends, however it ends, and no later run ever finds it. Reads go
 * through the operating system's page cache, which is not the process's memory and which it gives back
 * under pressure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type ColumnKind = 'int32' | 'uint32' | 'uint16' | 'uint8' | 'float64';

type ArrayOfKind<K extends ColumnKind> = K extends 'uint8'
  ? Uint8Array
  : K extends 'uint16'
    ? Uint16Array
    : K extends 'uint32'
      ? Uint32Array
      : K extends 'float64'
        ? Float64Array
        : Int32Array;

/** A column of any kind. */
export type SpillColumn = ArrayOfKind<ColumnKind>;

/** One array per column kind, in the order of the kinds. */
export type Columns<K extends readonly ColumnKind[]> = { readonly [I in keyof K]: ArrayOfKind<K[I]> };

export interface SpillOptions {
  /** Bytes held in memory before the rows go to a file (default 64 MiB: a nightly run's pairs stay in memory). */
  readonly memoryBudget?: number;
  /** Where the file is made (default the system's temporary directory, TMPDIR). */
  readonly dir?: string;
}

const DEFAULT_MEMORY_BUDGET = 64 * 1024 * 1024;

const ARRAYS = { int32: Int32Array, uint32: Uint32Array, uint16: Uint16Array, uint8: Uint8Array, float64: Float64Array } as const;

/** A new array of `kind`: of `length` values, or a view of `buffer` from `byteOffset`. */
export function arrayOf(kind: ColumnKind, length: number, buffer?: ArrayBuffer, byteOffset = 0): SpillColumn {
  const TypedArray = ARRAYS[kind];
  return buffer === undefined ? new TypedArray(length) : new TypedArray(buffer, byteOffset, length);
}

/** The kind of an array. */
export function kindOf(column: SpillColumn): ColumnKind {
  if (column instanceof Uint8Array) return 'uint8';
  if (column instanceof Uint16Array) return 'uint16';
  if (column instanceof Uint32Array) return 'uint32';
  return column instanceof Float64Array ? 'float64' : 'int32';
}

/** A chunk's byte layout: each column after the last, 8-byte aligned (a Float64Array view needs it). */
function layout(kinds: readonly ColumnKind[], count: number): { offsets: number[]; bytes: number } {
  const offsets: number[] = [];
  let bytes = 0;
  for (const kind of kinds) {
    offsets.push(bytes);
    bytes += Math.ceil((count * ARRAYS[kind].BYTES_PER_ELEMENT) / 8) * 8;
  }
  return { offsets, bytes };
}

export class ColumnSpill<K extends readonly ColumnKind[]> {
  private readonly budget: number;
  private readonly dir: string;
  /** Chunks held in memory (before the budget is passed), copies of what was appended. */
  private held: Columns<K>[] = [];
  private heldBytes = 0;
  /** Rows of each chunk, in order (in memory or in the file). */
  private readonly counts: number[] = [];
  private fd: number | null = null;
  private fileBytes = 0;
  private largest = 0;
  /** Reused for every chunk written (a new one each time would be garbage counted as external memory). */
  private writeBuffer = new Uint8Array(0);
  private closed = false;
  private rows = 0;

  constructor(
    private readonly kinds: K,
    options: SpillOptions = {},
  ) {
    this.budget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
    this.dir = options.dir ?? os.tmpdir();
  }

  /** Rows appended. */
  get count(): number {
    return this.rows;
  }

  /** Whether the rows went to a file (past the memory budget). */
  get spilled(): boolean {
    return this.fd !== null;
  }

  /** Appends the first `count` values of each column (the arrays are copied: the caller may reuse them). */
  append(columns: Columns<K>, count: number): void {
    if (this.closed) throw new Error('ColumnSpill: append after close');
    if (count === 0) return;
    for (let c = 0; c < this.kinds.length; c++) {
      if (columns[c]!.length < count) throw new RangeError(`ColumnSpill: column ${c} holds ${columns[c]!.length} values, not ${count}`);
    }
    const { bytes } = layout(this.kinds, count);
    if (this.fd === null && this.heldBytes + bytes > this.budget) this.openFile();
    if (this.fd === null) {
      this.held.push(columns.map((column) => column.slice(0, count)) as unknown as Columns<K>);
      this.heldBytes += bytes;
    } else this.write(columns, count);
    this.counts.push(count);
    this.largest = Math.max(this.largest, count);
    this.rows += count;
  }

  /**
   * Calls `visit` with each chunk in the order appended. From the file, the arrays are views into one
   * buffer that the next chunk overwrites: they are valid only during the call.
   */
  forEachChunk(visit: (columns: Columns<K>, count: number) => void): void {
    if (this.closed) throw new Error('ColumnSpill: read after close');
    if (this.fd === null) {
      this.held.forEach((columns, i) => visit(columns, this.counts[i]!));
      return;
    }
    const buffer = new ArrayBuffer(layout(this.kinds, this.largest).bytes);
    const bytes = new Uint8Array(buffer);
    let position = 0;
    for (const count of this.counts) {
      const { offsets, bytes: size } = layout(this.kinds, count);
      let read = 0;
      while (read < size) {
        const n = fs.readSync(this.fd, bytes, read, size - read, position + read);
        if (n === 0) throw new Error(`ColumnSpill: the spill file ended at byte ${position + read} of ${this.fileBytes}`);
        read += n;
      }
      position += size;
      visit(this.kinds.map((kind, c) => arrayOf(kind, count, buffer, offsets[c]!)) as unknown as Columns<K>, count);
    }
  }

  /** Lets the rows go: the file is closed (and with it gone) or the held chunks dropped. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.held = [];
    this.writeBuffer = new Uint8Array(0);
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private openFile(): void {
    const dir = fs.mkdtempSync(path.join(this.dir, 'vaxsync-spill-'));
    const file = path.join(dir, 'rows');
    this.fd = fs.openSync(file, 'w+', 0o600);
    fs.unlinkSync(file);
    fs.rmdirSync(dir);
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    held.forEach((columns, i) => this.write(columns, this.counts[i]!));
  }

  private write(columns: Columns<K>, count: number): void {
    const { offsets, bytes } = layout(this.kinds, count);
    if (this.writeBuffer.length < bytes) this.writeBuffer = new Uint8Array(bytes);
    const out = this.writeBuffer;
    this.kinds.forEach((kind, c) => {
      const column = columns[c]!;
      out.set(new Uint8Array(column.buffer, column.byteOffset, count * ARRAYS[kind].BYTES_PER_ELEMENT), offsets[c]!);
    });
    let written = 0;
    try {
      while (written < bytes) written += fs.writeSync(this.fd!, out, written, bytes - written, this.fileBytes + written);
    } catch (error) {
      // A full disk is the likely cause, and the operator's fix is another directory: say which one filled.
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      throw new Error(`the link's temporary file in ${this.dir} could not grow past ${(this.fileBytes / 2 ** 20).toFixed(0)} MiB (${code}): free space there or point TMPDIR elsewhere`, { cause: error });
    }
    this.fileBytes += bytes;
  }
}
