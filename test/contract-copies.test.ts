/**
 * docs/contract/ carries the data contracts (records, registry, platform, reports) with the repository, so a
 * clone alone has them. They are the project's shared contracts, copied: where the shared folder is beside
 * the repository (the developers' machines, CI), each copy must equal it, so a contract change upstream
 * fails here until the copy and the code follow.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

const shared = new URL('../../shared/contract/', import.meta.url);
const copies = new URL('../docs/contract/', import.meta.url);
const upstream = fs.existsSync(shared) ? fs.readdirSync(shared).filter((f) => f.endsWith('.md')).sort() : null;

describe('the data contracts in docs/contract', () => {
  it('are all there', () => {
    expect(fs.readdirSync(copies).sort()).toEqual(['platform.md', 'records.md', 'registry.md', 'reports.md']);
  });

  it.skipIf(upstream === null)('equal the shared contracts they copy', () => {
    expect(fs.readdirSync(copies).sort()).toEqual(upstream);
    for (const file of upstream!) expect(fs.readFileSync(new URL(file, copies), 'utf8'), file).toBe(fs.readFileSync(new URL(file, shared), 'utf8'));
  });
});
