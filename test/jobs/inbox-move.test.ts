/**
 * Moving an inbox file out of the way (src/jobs/inbox.ts moveInto), including the moment a killed run
 * leaves behind: the file linked into done/ but not yet removed from the inbox.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { moveInto } from '../../src/jobs/inbox.js';

describe('moveInto', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaxsync-move-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const filesIn = (dir: string) => fs.readdirSync(dir).sort();

  it('finishes a move a killed run left half done, without a second copy', async () => {
    const inbox = fresh();
    const done = path.join(inbox, 'done');
    fs.mkdirSync(done);
    const file = path.join(inbox, 'station-1.csv');
    fs.writeFileSync(file, 'record_id,full_name\n1,Nguyễn Văn An\n');
    fs.linkSync(file, path.join(done, 'station-1.csv')); // killed here, before the unlink

    expect(await moveInto(file, done)).toBe(path.join(done, 'station-1.csv'));
    expect(filesIn(inbox)).toEqual(['done']);
    expect(filesIn(done)).toEqual(['station-1.csv']);
  });

  it('keeps a different file of the same name under a numbered one', async () => {
    const inbox = fresh();
    const done = path.join(inbox, 'done');
    fs.mkdirSync(done);
    fs.writeFileSync(path.join(done, 'station-1.csv'), 'yesterday\n');
    const file = path.join(inbox, 'station-1.csv');
    fs.writeFileSync(file, 'today\n');

    expect(await moveInto(file, done)).toBe(path.join(done, 'station-1.1.csv'));
    expect(filesIn(done)).toEqual(['station-1.1.csv', 'station-1.csv']);
    expect(fs.readFileSync(path.join(done, 'station-1.csv'), 'utf8')).toBe('yesterday\n');
  });
});
