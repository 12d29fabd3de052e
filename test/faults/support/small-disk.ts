import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  rmSync,
  rmdirSync,
  statfsSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A data directory on its own small tmpfs, which can be filled to the last byte and emptied
 * again. A full filesystem stops root as surely as anyone (chmod does not: tests run as root in
 * CI). Mounting needs root with CAP_SYS_ADMIN; `mountSmallDisk` says why when it cannot.
 */
export interface SmallDisk {
  readonly dir: string;
  /** Fills every free byte with a filler file; resolves to the bytes written. */
  fill(): number;
  /** Deletes the filler: the disk has room again. */
  free(): void;
  unmount(): void;
}

export function mountSmallDisk(sizeMb: number): SmallDisk | { unavailable: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-fault-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], {
    encoding: 'utf8',
  });
  if (mounted.error || mounted.status !== 0) {
    rmdirSync(dir);
    const why = mounted.error?.message ?? mounted.stderr.trim();
    return {
      unavailable: `cannot mount a ${sizeMb} MiB tmpfs (needs root with CAP_SYS_ADMIN): ${why}`,
    };
  }
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024, 0xaa);
      let written = 0;
      try {
        for (;;) {
          const stats = statfsSync(dir);
          if (stats.bavail === 0) break;
          written += writeSync(fd, chunk, 0, Math.min(chunk.length, stats.bavail * stats.bsize));
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
      return written;
    },
    free() {
      rmSync(filler, { force: true });
    },
    unmount() {
      // Lazy: a process that still holds a file (one that failed to stop) must not keep it mounted.
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
