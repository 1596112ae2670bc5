import { describe, expect, it } from 'vitest';
import { keepIds } from '../../src/link/stable-ids.js';

describe('keepIds', () => {
  const previous = new Map([['r1', '7'], ['r2', '7'], ['r3', '7'], ['r4', '9'], ['r5', '9']]);
  const of = (row: string) => previous.get(row);

  it('keeps an unchanged group\'s id and gives new rows their group\'s id', () => {
    expect(keepIds([['r1', 'r2', 'r3', 'new'], ['r4', 'r5']], of)).toEqual(['7', '9']);
  });

  it('gives a split person\'s id to the larger part, and a fresh id to the other', () => {
    expect(keepIds([['r3'], ['r1', 'r2']], of)).toEqual([null, '7']);
  });

  it('keeps the larger person\'s id when two merge, and a fresh id for rows never seen', () => {
    expect(keepIds([['r1', 'r2', 'r3', 'r4', 'r5'], ['new']], of)).toEqual(['7', null]);
  });

  it('breaks a tie in favour of the earlier group', () => {
    expect(keepIds([['r4'], ['r5']], of)).toEqual(['9', null]);
  });
});
