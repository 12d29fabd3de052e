import { readFileSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** SQLite's WAL write lock: an exclusive POSIX lock on byte 120 of the `-shm` file (os_unix.c). */
const WAL_WRITE_LOCK_BYTE = '120';

/** Whether process `pid` holds the write lock of the WAL-mode SQLite file `databaseFile` now. */
export function holdsWalWriteLock(pid: number, databaseFile: string): boolean {
  const inode = statSync(`${databaseFile}-shm`).ino;
  // Lines read "1: POSIX  ADVISORY  WRITE <pid> <major>:<minor>:<inode> <start> <end>".
  return readFileSync('/proc/locks', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .some(
      ([, kind, , mode, owner, file, start, end]) =>
        kind === 'POSIX' &&
        mode === 'WRITE' &&
        owner === String(pid) &&
        file?.endsWith(`:${inode}`) === true &&
        start === WAL_WRITE_LOCK_BYTE &&
        end === WAL_WRITE_LOCK_BYTE,
    );
}

async function stopped(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('T')) return;
    await sleep(1);
  }
  throw new Error(`process ${pid} did not stop on SIGSTOP`);
}

/**
 * SIGSTOPs `pid` at an instant it is inside a write transaction of `databaseFile` (holding its
 * write lock), the worst moment to freeze: resumed at once and stopped again until it lands
 * there. Resolves to the number of stops it took; the process is left stopped.
 */
export async function pauseInsideWriteTransaction(
  pid: number,
  databaseFile: string,
  attempts = 2000,
): Promise<number> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    process.kill(pid, 'SIGSTOP');
    await stopped(pid);
    if (holdsWalWriteLock(pid, databaseFile)) return attempt;
    process.kill(pid, 'SIGCONT');
    await sleep(1 + Math.floor(Math.random() * 10));
  }
  throw new Error(`process ${pid} was never stopped inside a write transaction of ${databaseFile}`);
}
