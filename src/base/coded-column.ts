/**
 * A column of strings that repeat (vaccines, dates, lot numbers, communes, sites), as a code per row into
 * its distinct values: one byte a row while the column has fewer than 256 values, two below 65,536, four
 * beyond, where an array of the strings, even interned, takes an 8-byte reference. At ten million rows the
 * link's five such columns take about 90 MB (a vaccine's code one byte, a date's two) instead of 400.
 */
export type CodeArray = Uint8Array | Uint16Array | Int32Array;

export class CodedColumn {
  /** 0: null; k: values[k - 1]. Widened as the values grow past what a code of its width holds. */
  private codes: CodeArray;
  private values: string[] = [];
  /** Each value's code, while the column is filled (`sealed` lets it go). */
  private index: Map<string, number> | null = new Map();

  constructor(readonly length: number) {
    this.codes = new Uint8Array(length);
  }

  set(row: number, value: string | null): void {
    if (value === null) {
      this.codes[row] = 0;
      return;
    }
    if (this.index === null) throw new Error('CodedColumn: set after seal');
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.values.push(value);
      this.index.set(value, code);
      if (code === 256 || code === 65_536) this.widen(code === 256 ? new Uint16Array(this.length) : new Int32Array(this.length));
    }
    this.codes[row] = code;
  }

  at(row: number): string | null {
    if (!(row >= 0 && row < this.length)) throw new RangeError(`CodedColumn: no row ${row} of ${this.length}`);
    const code = this.codes[row]!;
    return code === 0 ? null : this.values[code - 1]!;
  }

  /** The first `length` rows as a column of their own (sharing the values), no longer to be filled. */
  sealed(length = this.length): CodedColumn {
    this.index = null;
    if (length === this.length) return this;
    return CodedColumn.of(this.values, this.codes.slice(0, length));
  }

  /**
   * The column taken apart, to hold its codes elsewhere for a while (the link parks them on disk while it
   * matches): the codes, and what makes a column of the same values again from codes read back. The
   * column itself is not used after.
   */
  parted(): { readonly codes: CodeArray; readonly join: (codes: CodeArray) => CodedColumn } {
    const values = this.values;
    return { codes: this.codes, join: (codes) => CodedColumn.of(values, codes) };
  }

  /** A sealed column of `values` (shared, not copied: a column may hold a million) and `codes`. */
  private static of(values: string[], codes: CodeArray): CodedColumn {
    const column = new CodedColumn(codes.length);
    column.index = null;
    column.codes = codes;
    column.values = values;
    return column;
  }

  private widen(wider: Uint16Array | Int32Array): void {
    wider.set(this.codes);
    this.codes = wider;
  }
}
