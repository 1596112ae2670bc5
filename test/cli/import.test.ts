/** `vaxsync import` warns when a file was loaded before, and by a station when rows repeat its earlier ones. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../src/cli/import.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

describe.each(BACKENDS)('vaxsync import on %s', (kind) => {
  let t: TestDatabase;
  const dir = tempDir();
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('says which batch held the same file, or the same rows of the same station', async () => {
    const file = path.join(dir, 'a.csv');
    fs.writeFileSync(file, 'record_id,full_name,birth_date\n1,Nguyễn Văn An,1980\n2,Lê Thị Hoa,1990\n');
    const lines: string[] = [];
    const [first] = await importFiles(t.database, [file], { source: 'tram', today: '2026-12-01' }, (l) => lines.push(l));
    expect(lines.join('\n')).not.toContain('warning');
    await importFiles(t.database, [file], { source: 'tram', today: '2026-12-01' }, (l) => lines.push(l));
    expect(lines.join('\n')).toContain(`warning: the same file was loaded before, as batch ${first!.batchId}`);

    const fromStation = path.join(dir, 'b.csv');
    fs.writeFileSync(fromStation, 'record_id,full_name,birth_date\n1,Nguyễn Văn An,1980\n');
    const [b] = await importFiles(t.database, [fromStation], { station: 'TYT1', today: '2026-12-01' }, () => {});
    fs.writeFileSync(fromStation, 'record_id,full_name,birth_date\n1,Nguyễn Văn An,1980\n2,Lê Thị Hoa,1991\n');
    const later: string[] = [];
    await importFiles(t.database, [fromStation], { station: 'TYT1', today: '2026-12-01' }, (l) => later.push(l));
    expect(later.join('\n')).toContain(`warning: 1 rows repeat, cell for cell, rows of the station's batches ${b!.batchId}`);
  });
});
