/** Atomic file writes: a temp file beside the target, fsync, rename (then fsync the directory). */
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Bytes written per write call (a save of a large file is many writes, then one rename). */
const CHUNK = 8 * 1024 * 1024;

/** When this process started (ms since the epoch): temp files older than this are left over from a crash. */
export const PROCESS_START_MS = Date.now() - process.uptime() * 1000;

/** Options of writeFileAtomic. */
export interface AtomicWriteOptions {
  /** File mode for a new file (default 0o644); an existing file keeps its own mode. */
  mode?: number;
  /** Called before each chunk is written, with the bytes written so far (tests use it to slow a save down). */
  beforeChunk?: (written: number) => void | Promise<void>;
}

/** The name pattern of writeFileAtomic's temp files for a target file name. */
export function isTempFileOf(name: string, candidate: string): boolean {
  const prefix = `.${name}.`;
  return candidate.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(candidate.slice(prefix.length));
}

/**
 * Removes temp files of `path` left by a save that never finished (a crash or SIGKILL):
 * `.<name>.<hex>.tmp` beside it, last modified before this process started. Returns how many went.
 */
export async function cleanStaleTempFiles(path: string, olderThanMs = PROCESS_START_MS): Promise<number> {
  const dir = dirname(path);
  const name = basename(path);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const e of entries) {
    if (!isTempFileOf(name, e)) continue;
    try {
      const st = await stat(join(dir, e));
      if (st.isFile() && st.mtimeMs < olderThanMs) {
        await unlink(join(dir, e));
        removed++;
      }
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed;
}

/**
 * Writes bytes to path atomically: readers see the old file or the new one, never a part, even
 * when the process is killed midway (then only a stale temp file remains, removed by the next
 * save). An existing file keeps its permission bits. The bytes may come as parts (an encode that
 * copied nothing unchanged): they are written one after another, never joined in memory.
 */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array | readonly Uint8Array[],
  options: AtomicWriteOptions = {},
): Promise<void> {
  const parts = bytes instanceof Uint8Array ? [bytes] : bytes;
  const dir = dirname(path);
  await cleanStaleTempFiles(path);
  let mode = options.mode ?? 0o644;
  try {
    mode = (await stat(path)).mode & 0o7777;
  } catch {
    // A new file.
  }
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', mode);
  try {
    // The umask narrows the mode given to open: set it exactly.
    await fh.chmod(mode).catch(() => undefined);
    let written = 0;
    for (const part of parts) {
      let at = 0;
      while (at < part.length) {
        await options.beforeChunk?.(written);
        const { bytesWritten } = await fh.write(part, at, Math.min(part.length - at, CHUNK));
        at += bytesWritten;
        written += bytesWritten;
      }
    }
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  // Make the rename itself durable where the platform allows opening directories.
  try {
    const d = await open(dir, 'r');
    await d.sync().catch(() => undefined);
    await d.close();
  } catch {
    // Windows cannot open directories: the rename is still atomic.
  }
}
