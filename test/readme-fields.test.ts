/**
 * The README's field table is the field list a station reads before the first upload: it must say what the
 * code accepts, or a header it lists is silently ignored. This keeps it equal to the code.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIELDS, REQUIRED_FIELDS } from '../src/base/fields.js';
import { asciiKey } from '../src/base/text.js';
import { HEADER_ALIASES } from '../src/ingest/fields.js';
import { TEMPLATE_COLUMNS } from '../src/ingest/template.js';

function readmeFieldTable(): string[][] {
  const lines = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('| field | template header |'));
  expect(start).toBeGreaterThan(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows;
}

const keys = (list: readonly string[]) => new Set(list.map(asciiKey));

describe('the README field table', () => {
  it('lists every field in order, its template header, every other header accepted, and whether it is required', () => {
    const table = readmeFieldTable();
    expect(table.map((r) => r[0]!.replace(/`/g, ''))).toEqual([...FIELDS]);
    table.forEach(([cell, header, others, required], i) => {
      const field = FIELDS[i]!;
      const template = TEMPLATE_COLUMNS[i]!;
      expect(header, field).toBe(template.header);
      const listed = others === '' ? [] : others!.split(',').map((a) => a.trim());
      const accepted = HEADER_ALIASES[field].filter((a) => a !== field);
      expect(keys([header!, ...listed]), `${cell}: the aliases in src/ingest/fields.ts`).toEqual(keys(accepted));
      expect(required === 'yes', field).toBe(REQUIRED_FIELDS.includes(field));
    });
  });
});
