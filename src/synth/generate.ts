/**
 * A seeded, streaming generator of realistic, messy Vietnamese vaccination records, together with the
 * truth (which rows are the same person, which rows report the same injection).
 *
 * Two layers, each driven by its own PRNG stream of the same seed:
 * 1. The population (`Population`, stream 1): households of true people with a clean identity
 *    (name with tone marks, sex, birth date, CCCD, phone, commune, village) and their true injections.
 *    `generatePersons` exposes it, so tests can compare each row with the person it came from.
 * 2. The rows (stream 2): each injection is reported by one source and sometimes again by another, every
 *    row gets independent typing noise, and rows are shuffled within blocks of `BLOCK_ROWS`.
 * Optionally, a population-registry extract of the same people and the reconcile status each should get
 * (./registry.ts, stream 3), which leaves the two layers above untouched.
 *
 * Every rate is a named constant of ./rates.ts, so a test or a report can cite it. "Per row" means per output row,
 * "per person" per true person. Rates that are not from a cited source are judgement, chosen to look like
 * the 2021–2022 clean-up problems of DOMAIN.md §2.4 without drowning the signal.
 *
 * The generator never reads ../shared at run time: names are in ./names.ts, admin units and codes in
 * ./reference.ts.
 *
 * This module is the generator's public entry point; the work is done by one module per step:
 * ./rates.ts (parameters), ./reference.ts (embedded tables), ./dates.ts, ./noise.ts (typing noise),
 * ./population.ts (stream 1), ./rows.ts (stream 2), ./registry.ts (stream 3), ./files.ts (CSV output).
 */
export * from './rates.js';
export { CCCD_PROVINCE_CODES, COMMUNES, OLD_PHONE_PREFIX, VACCINE_ALIASES, type Commune, type Province } from './reference.js';
export * from './types.js';
export { generatePersons } from './population.js';
export { generateRecords } from './rows.js';
export { writeSynthFiles, type SynthFiles } from './files.js';
