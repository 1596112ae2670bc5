import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileFromStream } from '../../src/cli/out-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'vaxsync-out-'));
  dirs.push(d);
  return d;
};

/** A stream that gives `chunks` and then fails. */
function failingAfter(chunks: string[]): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i < chunks.length) this.push(chunks[i++]);
      else this.destroy(new Error('the writer failed'));
    },
  });
}

describe('writeFileFromStream', () => {
  it('writes the whole stream and leaves no .part file', async () => {
    const dir = tmp();
    const file = path.join(dir, 'due.xlsx');
    await writeFileFromStream(Readable.from(['a', 'b', 'c']), file);
    expect(fs.readFileSync(file, 'utf8')).toBe('abc');
    expect(fs.readdirSync(dir)).toEqual(['due.xlsx']);
  });

  it('leaves nothing half-written when the stream fails, and an earlier file as it was', async () => {
    const dir = tmp();
    const file = path.join(dir, 'due.xlsx');
    await expect(writeFileFromStream(failingAfter(['half']), file)).rejects.toThrow('the writer failed');
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.writeFileSync(file, 'yesterday');
    await expect(writeFileFromStream(failingAfter(['half']), file)).rejects.toThrow('the writer failed');
    expect(fs.readFileSync(file, 'utf8')).toBe('yesterday');
    expect(fs.readdirSync(dir)).toEqual(['due.xlsx']);
  });

  it('writes a target that is no regular file in place and never removes it', async () => {
    await writeFileFromStream(Readable.from(['x']), '/dev/null');
    await expect(writeFileFromStream(failingAfter(['x']), '/dev/null')).rejects.toThrow('the writer failed');
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('writes through a symbolic link in place, leaving the link a link (/dev/stdout redirected to a file is one)', async () => {
    const dir = tmp();
    const target = path.join(dir, 'real.xlsx');
    fs.writeFileSync(target, 'old');
    const link = path.join(dir, 'latest.xlsx');
    fs.symlinkSync(target, link);
    await writeFileFromStream(Readable.from(['new']), link);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
    expect(fs.readdirSync(dir).sort()).toEqual(['latest.xlsx', 'real.xlsx']);
    // A link to a file descriptor, as /dev/stdout is: written through it, never replaced.
    const fd = fs.openSync(path.join(dir, 'redirected.txt'), 'w');
    const fdLink = path.join(dir, 'stdout');
    fs.symlinkSync(`/proc/self/fd/${fd}`, fdLink);
    await writeFileFromStream(Readable.from(['to stdout']), fdLink);
    fs.closeSync(fd);
    expect(fs.lstatSync(fdLink).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'redirected.txt'), 'utf8')).toBe('to stdout');
  });

  it('keeps the permissions of the file it replaces', async () => {
    const dir = tmp();
    const file = path.join(dir, 'due.xlsx');
    fs.writeFileSync(file, 'yesterday', { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    await writeFileFromStream(Readable.from(['today']), file);
    expect(fs.readFileSync(file, 'utf8')).toBe('today');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});
