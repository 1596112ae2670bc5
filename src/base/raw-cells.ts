/**
 * How a row's cells are stored in `raw_row.cells`: the text of a JSON array with one element per cell, so
 * that any input is kept exactly, as evidence of what arrived.
 *
 * A cell is a JSON string, except a cell holding a character PostgreSQL text cannot hold (NUL, a lone UTF-16
 * surrogate: ./unstorable.ts): its JSON escape (`\u0000`) is valid JSON but PostgreSQL refuses to turn it into
 * text, which broke every report reading the raw value. Such a cell is stored as `{"escaped": "…"}` with
 * those characters written visibly (`\0`, `\ud800`, backslashes doubled): still readable in a report, and
 * decoded back to the exact cell by `decodeRawCells`. Plain strings and escaped objects never mix up.
 */
import { escapeUnstorable, hasUnstorable, unescapeUnstorable } from './unstorable.js';

export function encodeRawCells(cells: readonly string[]): string {
  const json = JSON.stringify(cells);
  // JSON.stringify writes NUL and a lone surrogate as `\u` escapes: a text without one had neither, which
  // one scan of the row tells (every row of every import passes here) where a regex a cell took longer.
  if (!json.includes('\\u') || !cells.some(hasUnstorable)) return json;
  return JSON.stringify(cells.map((cell) => (hasUnstorable(cell) ? { escaped: escapeUnstorable(cell) } : cell)));
}

export function decodeRawCells(text: string): string[] {
  const parsed = JSON.parse(text) as (string | { escaped: string })[];
  return parsed.map((cell) => (typeof cell === 'string' ? cell : unescapeUnstorable(cell.escaped)));
}

/**
 * SQL for the text of cell `index` (0-based, an SQL expression) of the raw cells `cells` (a text column):
 * the escaped form of a cell that needed one, as a person can read it.
 */
export function rawCellSql(cells: string, index: string): string {
  return `coalesce(${cells}::json -> (${index}) ->> 'escaped', ${cells}::json ->> (${index}))`;
}
