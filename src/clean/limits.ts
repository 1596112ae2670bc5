/** Bounds the cleaning rules check and their messages state, kept in one place so both say the same. */

/** Dates outside these years are typos (or Excel's 2-digit-year rule at work), not real people or doses. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

/** No schedule of DOMAIN §5 goes beyond a few doses; a larger number is a typo (a date, a lot number). */
export const MAX_DOSE = 10;
