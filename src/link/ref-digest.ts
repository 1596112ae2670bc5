/**
 * A digest of a set of record refs (batch, row), whatever the order they are added in: two readers of the
 * records in different transactions (a link and the thread writing its keys beside it) tell by it that they
 * read the same records, without either holding the other's list.
 */
export class RefDigest {
  #count = 0;
  #sum = 0;
  #xor = 0;

  add(batch: number, row: number): void {
    // Two different mixes of the ref, one summed and one xor-ed: a set that differs by a record, or by two
    // that swap a batch for a row, changes both.
    const a = Math.imul(batch ^ Math.imul(row, 0x9e3779b1), 0x85ebca6b);
    const b = Math.imul(row ^ Math.imul(batch, 0xc2b2ae35), 0x27d4eb2f);
    this.#sum = (this.#sum + (a ^ (a >>> 15))) | 0;
    this.#xor ^= b ^ (b >>> 13);
    this.#count++;
  }

  get count(): number {
    return this.#count;
  }

  /** The count and both mixes: equal for equal sets. */
  get value(): string {
    return `${this.#count}:${(this.#sum >>> 0).toString(16)}:${(this.#xor >>> 0).toString(16)}`;
  }
}
