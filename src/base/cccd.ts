/**
 * The layout of the 12-digit personal identification number (CCCD), TT 07/2016/TT-BCA Art. 7 (DOMAIN.md
 * §1.1): what its digits say about the holder. Pure domain knowledge that cleaning (flag a CCCD that
 * contradicts the row), the matching engine (trust an ID only when it agrees with the record) and the
 * golden record (a person's own ID) all read, so it sits below them.
 */

/** Birth year encoded by a 12-digit CCCD (digit 4: century, even = male / odd = female; digits 5–6: year), or null. */
export function cccdBirthYear(id: string): number | null {
  if (!/^\d{12}$/.test(id)) return null;
  const centuryDigit = id.charCodeAt(3) - 48;
  const yy = Number(id.slice(4, 6));
  return 1900 + 100 * Math.floor(centuryDigit / 2) + yy;
}
