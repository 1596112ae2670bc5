/**
 * Ids that survive a relink. A full run regroups every record, an incremental one the people new records
 * join; a person (or a dose) that comes out with the same rows, or most of them, should keep the id it
 * had, because the platform, the reports and the working groups already refer to it.
 *
 * Each new group claims the previous id most of its rows carried; where two groups want one id, the
 * group with more of those rows wins (then the earlier group), and the other gets a fresh id.
 */

/**
 * The previous ids claimed so far. A relink of ten million rows claims some 7.6 million dose ids: as a
 * Set of numbers they took 160 MiB by the end of the write. Ids come from sequences, so the previous ones
 * lie close together: a bit per id of the span they cover (`spanning`) takes about a MiB. Ids spread
 * wider than that (a span over 64 bits for each previous id given, duplicates counted, and past 2^23;
 * or past 2^30 bits, 128 MiB, in any case), or outside the span, go to a Set.
 */
export class ClaimedIds {
  private readonly bits: Uint8Array;
  private readonly others = new Set<number>();

  private constructor(
    private readonly low: number,
    span: number,
  ) {
    this.bits = new Uint8Array(Math.ceil(span / 8));
  }

  /** For the previous ids `sources` hold (null and NaN: none), and any other id in a Set. */
  static spanning(...sources: Iterable<number | null>[]): ClaimedIds {
    let low = Infinity;
    let high = -Infinity;
    let count = 0;
    for (const ids of sources) {
      for (const id of ids) {
        if (id === null || Number.isNaN(id)) continue;
        count++;
        if (id < low) low = id;
        if (id > high) high = id;
      }
    }
    const span = count === 0 ? 0 : high - low + 1;
    return span <= Math.min(Math.max(64 * count, 1 << 23), 1 << 30) ? new ClaimedIds(low, span) : new ClaimedIds(0, 0);
  }

  has(id: number): boolean {
    const at = this.bitOf(id);
    return at >= 0 ? (this.bits[at >>> 3]! & (1 << (at & 7))) !== 0 : this.others.has(id);
  }

  add(id: number): void {
    const at = this.bitOf(id);
    if (at >= 0) this.bits[at >>> 3]! |= 1 << (at & 7);
    else this.others.add(id);
  }

  /** The id's bit in the span, or -1 for an id the Set holds. */
  private bitOf(id: number): number {
    const at = id - this.low;
    return at >= 0 && at < this.bits.length * 8 && Number.isInteger(at) ? at : -1;
  }
}

/**
 * Per group, the previous id it keeps, or null where it needs a fresh one. Ids in `taken` are not
 * claimed, and those claimed here are added to it: dose ids are kept person by person with one set, so
 * that an injection split between two people by an unmerge keeps its id in one of them only.
 */
export function keepIds<R>(
  groups: Iterable<readonly R[]>,
  previousIdOf: (row: R) => number | null | undefined,
  taken: ClaimedIds = ClaimedIds.spanning(),
): (number | null)[] {
  // Each group's claims, one per distinct previous id of its rows in the order first met: three columns,
  // where an object a claim took 55 bytes (a full relink of ten million rows makes 2.4 million).
  const claimGroup: number[] = [];
  const claimId: number[] = [];
  const claimRows: number[] = [];
  const counts = new Map<number, number>();
  let mostRows = 0;
  let count = 0;
  for (const rows of groups) {
    const group = count++;
    counts.clear();
    for (const row of rows) {
      const id = previousIdOf(row);
      if (id != null) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const [id, n] of counts) {
      claimGroup.push(group);
      claimId.push(id);
      claimRows.push(n);
      if (n > mostRows) mostRows = n;
    }
  }
  const kept: (number | null)[] = new Array<number | null>(count).fill(null);
  for (const c of byRowsDescending(claimRows, mostRows)) {
    const group = claimGroup[c]!;
    const id = claimId[c]!;
    if (kept[group] !== null || taken.has(id)) continue;
    kept[group] = id;
    taken.add(id);
  }
  return kept;
}

/**
 * The claims' indexes, most rows first and otherwise in the order made (group by group): a counting sort,
 * stable, as sorting the claims themselves by rows then group was.
 */
function byRowsDescending(rows: readonly number[], mostRows: number): Int32Array {
  const start = new Int32Array(mostRows + 2);
  for (const n of rows) start[mostRows - n + 1]!++;
  for (let i = 1; i < start.length; i++) start[i]! += start[i - 1]!;
  const order = new Int32Array(rows.length);
  rows.forEach((n, c) => (order[start[mostRows - n]!++] = c));
  return order;
}
