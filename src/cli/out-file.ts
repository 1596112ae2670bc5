/** Streams written to a file named on the command line (`--out`, `--marked-up`). */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Writes `body` into `file` so that the file is never left half-written: into a `.part` file beside it, renamed
 * over `file` once complete and removed if the write fails (a Ctrl-C leaves only the `.part`). A target that
 * exists and is no regular file (`/dev/stdout`, a pipe) is written in place, and never removed or replaced.
 * So is a symbolic link, whatever it points to: `/dev/stdout` is one (to /proc/self/fd/1, a regular file when
 * stdout is redirected to one), and renaming over a link would replace the link, not write where it points.
 */
export async function writeFileFromStream(body: Readable, file: string): Promise<void> {
  // lstat, not stat: stat follows the link and sees the regular file behind /dev/stdout or any other link.
  const existing = await fs.promises.lstat(file).catch(() => null);
  if (existing !== null && !existing.isFile()) {
    await pipeline(body, fs.createWriteStream(file));
    return;
  }
  const part = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.part`);
  try {
    await pipeline(body, fs.createWriteStream(part));
    // The file replaced keeps its permissions: a report of people's records kept private (0600) must not
    // come back readable by all (the new file's are 0666 less the umask).
    if (existing !== null) await fs.promises.chmod(part, existing.mode & 0o7777);
    await fs.promises.rename(part, file);
  } catch (error) {
    await fs.promises.rm(part, { force: true });
    throw error;
  }
}
