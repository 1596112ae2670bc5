/** What the schedule engine reads (a person's doses) and what it says about each dose and each programme dose. */
import type { ProgrammeVaccine } from './rules.js';

export interface GivenDose {
  /** The dose's id in the database, when it has one (the person page shows it). */
  readonly id?: string;
  /** Catalogue code (src/clean/vaccine.ts), null when the name was not recognised. */
  readonly vaccine: string | null;
  /** ISO date, possibly partial (yyyy-mm), or null when unknown. */
  readonly date: string | null;
}

/** Why a dose does not count. Stable codes; the Vietnamese text is in `DoseVerdict.text`. */
export type InvalidReason = 'before_min_age' | 'before_min_interval';

export interface DoseVerdict {
  readonly vaccine: ProgrammeVaccine;
  readonly dose: number;
  /** The antigen series the verdict is about (`ho gà`, `sởi`), or `COVID-19`. */
  readonly series: string;
  readonly valid: boolean;
  readonly reason?: InvalidReason;
  /** In Vietnamese, for the person page. */
  readonly text: string;
}

export interface EvaluatedDose {
  readonly given: GivenDose;
  /** Every programme dose this dose was weighed for; empty when it is for none (an adult's flu shot). */
  readonly verdicts: readonly DoseVerdict[];
}

/**
 * `given`: counted; `not_yet`: not due on the date; `due` / `overdue` / `catch_up`: as the call list contract
 * says; `missed`: past its window or the catch-up age, no longer offered (never listed).
 */
export type DoseState = 'given' | 'not_yet' | 'due' | 'overdue' | 'catch_up' | 'missed';
export const LISTED_STATES: readonly DoseState[] = ['due', 'overdue', 'catch_up'];

export interface ProgrammeDoseStatus {
  readonly vaccine: ProgrammeVaccine;
  readonly dose: number;
  readonly state: DoseState;
  /** The first day the dose is due (null when given). */
  readonly dueFrom: string | null;
  /** When the dose was completed (the last of its antigens' valid doses; null if undated or not given). */
  readonly givenOn: string | null;
  /** The rule's source, for the person page. */
  readonly source: string;
}
