/**
 * Ids that survive a relink. A full run regroups every record, an incremental one the people new records
 * join; a person (or a dose) that comes out with the same rows, or most of them, should keep the id it
 * had, because the platform, the reports and the working groups already refer to it.
 *
 * Each new group claims the previous id most of its rows carried; where two groups want one id, the
 * group with more of those rows wins (then the earlier group), and the other gets a fresh id.
 */

/**
 * Per group, the previous id it keeps, or null where it needs a fresh one. Ids in `taken` are not
 * claimed, and those claimed here are added to it: dose ids are kept person by person with one set, so
 * that an injection split between two people by an unmerge keeps its id in one of them only. The link's
 * ids are numbers: a set of ten million of them as strings took some 400 MB more.
 */
export function keepIds<R, K extends string | number>(
  groups: Iterable<readonly R[]>,
  previousIdOf: (row: R) => K | null | undefined,
  taken: Set<K> = new Set(),
): (K | null)[] {
  const claims: { group: number; id: K; rows: number }[] = [];
  let count = 0;
  for (const rows of groups) {
    const group = count++;
    const counts = new Map<K, number>();
    for (const row of rows) {
      const id = previousIdOf(row);
      if (id != null) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const [id, n] of counts) claims.push({ group, id, rows: n });
  }
  claims.sort((x, y) => y.rows - x.rows || x.group - y.group);
  const kept: (K | null)[] = new Array<K | null>(count).fill(null);
  for (const claim of claims) {
    if (kept[claim.group] !== null || taken.has(claim.id)) continue;
    kept[claim.group] = claim.id;
    taken.add(claim.id);
  }
  return kept;
}
