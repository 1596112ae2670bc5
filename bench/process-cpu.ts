import fs from 'node:fs';

/**
 * CPU seconds (user + system) a process or thread has spent, from its Linux `/proc/…/stat` (`/proc/PID/stat`,
 * `/proc/self/task/TID/stat`): the benches read the PostgreSQL backends' and their own threads' this way, the
 * server sharing the machine's cores with the process measured. Null when the file is gone (it ended meanwhile).
 */
export function cpuSecondsOf(statFile: string): { readonly name: string; readonly seconds: number } | null {
  let stat: string;
  try {
    stat = fs.readFileSync(statFile, 'utf8');
  } catch {
    return null;
  }
  // The name is in parentheses and may hold spaces and parentheses itself: the fields follow the last `) `.
  const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return { name, seconds: (Number(fields[11]) + Number(fields[12])) / USER_HZ };
}

/** Clock ticks per second of /proc's times on Linux. */
const USER_HZ = 100;
