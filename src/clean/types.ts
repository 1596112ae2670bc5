/** Value types produced by the cleaning rules. Each makes the states the data can really be in explicit. */

/** A birth or vaccination date at the precision it was given: a year alone is never invented into 1 January. */
export type PartialDate =
  | { readonly precision: 'day'; readonly year: number; readonly month: number; readonly day: number }
  | { readonly precision: 'month'; readonly year: number; readonly month: number }
  | { readonly precision: 'year'; readonly year: number };

export type Sex = 'male' | 'female';

/**
 * A personal identifier as typed.
 * - `cccd`: 12 digits with a valid province prefix (the personal identification number; 12-digit CMNDs share it).
 * - `cmnd`: 9-digit legacy identity card number (a different identifier system: never equal to a CCCD).
 * - `invalid`: anything else, kept as evidence (digits only when it had digits).
 */
export interface CitizenId {
  readonly kind: 'cccd' | 'cmnd' | 'invalid';
  readonly value: string;
}

export interface PersonName {
  /** Display form: NFC, single spaces, Vietnamese title case, one tone-mark convention (hoà → hòa, thuỷ → thủy). */
  readonly full: string;
  readonly family: string;
  /** Middle name(s), possibly empty. */
  readonly middle: string;
  readonly given: string;
  /** Comparison key: lower case, no diacritics, Đ → d, single spaces (`nguyen thi thuy`). */
  readonly key: string;
}

/** An administrative-unit (commune/ward) code with the code list it belongs to. */
export interface CommuneCode {
  readonly code: string;
  /** `2025` = QĐ 19/2025/QĐ-TTg (from 1 Jul 2025), `2004` = QĐ 124/2004/QĐ-TTg (before). */
  readonly scheme: '2004' | '2025';
  /** The current (2025) code, when `code` is old and maps to exactly one new unit; equals `code` for 2025 codes. */
  readonly current: string | null;
}

export interface Vaccine {
  /** vaxsync catalogue code, e.g. `COVID-AZ`, `BCG`. */
  readonly code: string;
  readonly name: string;
}
