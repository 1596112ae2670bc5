/**
 * Rows out of COPY's binary format (`copy (select …) to stdout with (format binary)`), as its bytes arrive
 * in chunks of any size. Reading a million records through a cursor cost the link ~9 s of CPU in `pg`'s
 * protocol parsing (a message object, a row object and a string per field, a page at a time); read from
 * COPY's tuples, half of that, and the server streams them without a round trip a page.
 *
 * The format (PostgreSQL's documentation, "COPY", Binary Format): an 11-byte signature, a 4-byte flags field
 * and a header extension of the length given after it; then per tuple a 2-byte count of fields, each field a
 * 4-byte length (-1: NULL) and its bytes, in the type's binary form, network byte order; a count of -1 ends
 * it. The reader is told each column's type, which the query pins with casts (`::int4`, `::int8`, `::bool`,
 * `::text`).
 */

/** The binary forms read here: 4- and 8-byte integers, booleans and text (UTF-8). */
export type BinaryColumn = 'int4' | 'int8' | 'bool' | 'text';

export type BinaryValue = number | boolean | string | null;

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

export class CopyBinaryRowsError extends Error {
  override readonly name = 'CopyBinaryRowsError';
}

/**
 * Takes the chunks of one COPY's output in order (`push`), hands on each complete row as it arrives
 * (`onRow`, with an array reused for every row: read it, do not keep it), and checks at `end` that the
 * output ended where it should.
 */
export class CopyBinaryRows {
  #pending: Buffer | null = null;
  #headerRead = false;
  #ended = false;
  readonly #values: BinaryValue[];

  constructor(
    private readonly columns: readonly BinaryColumn[],
    private readonly onRow: (values: readonly BinaryValue[]) => void,
  ) {
    this.#values = new Array<BinaryValue>(columns.length).fill(null);
  }

  push(chunk: Uint8Array): void {
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.#pending !== null) {
      buf = Buffer.concat([this.#pending, buf]);
      this.#pending = null;
    }
    let at = 0;
    if (!this.#headerRead) {
      if (buf.length < 19) return void (this.#pending = buf);
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new CopyBinaryRowsError('not COPY binary output (signature)');
      const extension = buf.readInt32BE(15);
      if (buf.length < 19 + extension) return void (this.#pending = buf);
      at = 19 + extension;
      this.#headerRead = true;
    }
    const { columns } = this;
    const values = this.#values;
    const n = columns.length;
    rows: while (at + 2 <= buf.length) {
      if (this.#ended) throw new CopyBinaryRowsError('bytes after the end of COPY output');
      const fields = buf.readInt16BE(at);
      if (fields === -1) {
        this.#ended = true;
        at += 2;
        continue;
      }
      if (fields !== n) throw new CopyBinaryRowsError(`a row of ${fields} fields where ${n} were expected`);
      let p = at + 2;
      for (let f = 0; f < n; f++) {
        if (p + 4 > buf.length) break rows;
        const length = buf.readInt32BE(p);
        p += 4;
        if (length < 0) {
          values[f] = null;
          continue;
        }
        if (p + length > buf.length) break rows;
        values[f] = valueOf(columns[f]!, buf, p, length);
        p += length;
      }
      at = p;
      this.onRow(values);
    }
    if (at < buf.length) this.#pending = buf.subarray(at);
  }

  /** Checks that the output ended with its trailer and no row was cut short. */
  end(): void {
    if (!this.#ended || this.#pending !== null) throw new CopyBinaryRowsError('COPY output cut short');
  }
}

function valueOf(type: BinaryColumn, buf: Buffer, at: number, length: number): BinaryValue {
  switch (type) {
    case 'text':
      return buf.toString('utf8', at, at + length);
    case 'int4':
      if (length !== 4) throw new CopyBinaryRowsError(`an int4 of ${length} bytes`);
      return buf.readInt32BE(at);
    case 'int8': {
      if (length !== 8) throw new CopyBinaryRowsError(`an int8 of ${length} bytes`);
      // Ids and counts far below 2^53: exact as a number.
      return buf.readInt32BE(at) * 0x1_0000_0000 + buf.readUInt32BE(at + 4);
    }
    case 'bool':
      if (length !== 1) throw new CopyBinaryRowsError(`a bool of ${length} bytes`);
      return buf[at] === 1;
  }
}
