import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/base/random.js';
import { ClaimedIds, keepIds } from '../../src/link/stable-ids.js';

describe('keepIds', () => {
  const previous = new Map([['r1', 7], ['r2', 7], ['r3', 7], ['r4', 9], ['r5', 9]]);
  const of = (row: string) => previous.get(row);

  it('keeps an unchanged group\'s id and gives new rows their group\'s id', () => {
    expect(keepIds([['r1', 'r2', 'r3', 'new'], ['r4', 'r5']], of)).toEqual([7, 9]);
  });

  it('gives a split person\'s id to the larger part, and a fresh id to the other', () => {
    expect(keepIds([['r3'], ['r1', 'r2']], of)).toEqual([null, 7]);
  });

  it('keeps the larger person\'s id when two merge, and a fresh id for rows never seen', () => {
    expect(keepIds([['r1', 'r2', 'r3', 'r4', 'r5'], ['new']], of)).toEqual([7, null]);
  });

  it('breaks a tie in favour of the earlier group', () => {
    expect(keepIds([['r4'], ['r5']], of)).toEqual([9, null]);
  });

  /** keepIds as it was written first: a claim object per (group, id), sorted by rows then group, and a Set. */
  function keepIdsBySorting(groups: readonly (readonly number[])[], previousIdOf: (row: number) => number | null, taken: Set<number>): (number | null)[] {
    const claims: { group: number; id: number; rows: number }[] = [];
    groups.forEach((rows, group) => {
      const counts = new Map<number, number>();
      for (const row of rows) {
        const id = previousIdOf(row);
        if (id !== null) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      for (const [id, n] of counts) claims.push({ group, id, rows: n });
    });
    claims.sort((x, y) => y.rows - x.rows || x.group - y.group);
    const kept = new Array<number | null>(groups.length).fill(null);
    for (const claim of claims) {
      if (kept[claim.group] !== null || taken.has(claim.id)) continue;
      kept[claim.group] = claim.id;
      taken.add(claim.id);
    }
    return kept;
  }

  // Previous ids close together (a sequence's), spread far apart (a Set behind the bits), and a few
  // claimed that lie outside the span the bits were made for (a correction's inherited id).
  for (const { name, idOf } of [
    { name: 'ids close together', idOf: (x: number) => 1_000 + x },
    { name: 'ids far apart', idOf: (x: number) => 1_000 + x * 1_000_003 },
  ]) {
    it(`claims what sorting the claims did, person by person with one set of taken ids: ${name}`, () => {
      const random = seededRandom(17);
      const rows = 20_000;
      // Rows regrouped at random, a few previous ids each group shares, some rows new.
      const previousOf = Float64Array.from({ length: rows }, () => (random() < 0.1 ? NaN : idOf(Math.floor(random() * 3_000))));
      const outside = idOf(-50);
      const previousIdOf = (row: number) => (row % 997 === 0 ? outside : Number.isNaN(previousOf[row]!) ? null : previousOf[row]!);
      const people: number[][] = [];
      for (let row = 0; row < rows; ) {
        const size = 1 + Math.floor(random() * random() * 12);
        people.push(Array.from({ length: Math.min(size, rows - row) }, (_, i) => row + i));
        row += size;
      }
      const taken = ClaimedIds.spanning(previousOf);
      const reference = new Set<number>();
      let claimed = 0;
      // Each person's rows split into doses, claimed person by person as the write does.
      for (const person of people) {
        const doses = person.length > 3 ? [person.slice(0, 2), person.slice(2)] : [person];
        const kept = keepIds(doses, previousIdOf, taken);
        expect(kept).toEqual(keepIdsBySorting(doses, previousIdOf, reference));
        claimed += kept.filter((id) => id !== null).length;
      }
      expect(claimed).toBeGreaterThan(2_000);
      expect(reference.has(outside)).toBe(true);
      for (let x = -60; x < 3_000; x++) expect(taken.has(idOf(x))).toBe(reference.has(idOf(x)));
      // One call over every group at once, as for the people.
      expect(keepIds(people, previousIdOf, ClaimedIds.spanning(previousOf))).toEqual(keepIdsBySorting(people, previousIdOf, new Set()));
    });
  }
});

describe('ClaimedIds', () => {
  it('holds ids inside and outside the span it was made for, and none it was not given', () => {
    const taken = ClaimedIds.spanning([NaN, 10, 12], [null, 20]);
    for (const id of [10, 17, 20, 3, 21, 2 ** 40]) {
      expect(taken.has(id)).toBe(false);
      taken.add(id);
      expect(taken.has(id)).toBe(true);
    }
    for (const id of [11, 19, 4, 22]) expect(taken.has(id)).toBe(false);
    expect(ClaimedIds.spanning().has(0)).toBe(false);
  });
});
