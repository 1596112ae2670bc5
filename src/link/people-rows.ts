/**
 * The people a run writes, each as its rows (indexes into the loaded records), in two typed arrays: person
 * p's rows are rows[start[p] .. start[p + 1]). An array per person was 2.4 million arrays at ten million
 * rows, some 250 MB; here 4 bytes a row and a person. A person's rows are handed out as a plain array,
 * built when asked and dropped after.
 */
export class PeopleRows implements Iterable<number[]> {
  constructor(
    private readonly start: Int32Array,
    private readonly rows: Int32Array,
  ) {
    if (start.length === 0 || start[0] !== 0 || start[start.length - 1] !== rows.length) throw new Error('PeopleRows: start does not lay out rows');
  }

  get length(): number {
    return this.start.length - 1;
  }

  /** Person p's rows, in order. */
  members(p: number): number[] {
    if (!(Number.isInteger(p) && p >= 0 && p < this.length)) throw new RangeError(`PeopleRows: no person ${p} of ${this.length}`);
    return Array.from(this.rows.subarray(this.start[p]!, this.start[p + 1]!));
  }

  *[Symbol.iterator](): Iterator<number[]> {
    for (let p = 0; p < this.length; p++) yield this.members(p);
  }
}
