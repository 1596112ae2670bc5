/**
 * What a citizen ID says about its holder, and whether it can be trusted as the holder's own.
 *
 * A 12-digit personal identification number (CCCD) encodes century + sex in digit 4 and the last two
 * digits of the birth year in digits 5–6 (TT 07/2016/TT-BCA Art. 7; DOMAIN.md §1.1). When those digits
 * contradict the record's birth year, the most common story is a parent's ID typed for a child
 * (DOMAIN.md §2.4), so such an ID is not evidence about this person: it must not veto a link, and its
 * agreement with another record says little more than "same family".
 */
import { cccdBirthYear } from '../src/base/cccd.js';

export type IdStatus =
  /** A CCCD whose digits 4–6 agree with the record's birth year: strong evidence, may veto. */
  | 'reliable'
  /** A CCCD whose digits 4–6 contradict the record's birth year: probably someone else's (a parent's) ID. */
  | 'contradicts'
  /** Anything else (no birth year to check against, CMND, an identifier of another kind): compared, never used to veto. */
  | 'unchecked';

export function idStatus(
  citizenId: string | null,
  kind: 'cccd' | 'cmnd' | 'other' | null,
  birthYear: number | null,
): IdStatus | null {
  if (citizenId === null) return null;
  if (kind !== 'cccd' || birthYear === null) return 'unchecked';
  const encoded = cccdBirthYear(citizenId);
  if (encoded === null) return 'unchecked';
  return encoded === birthYear ? 'reliable' : 'contradicts';
}
