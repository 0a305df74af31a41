/**
 * Saving a file without losing it or what it is: a temp file beside it, fsync, rename (then fsync
 * the directory), so readers see the old file or the new one, never a part. What the file is
 * stays: a symbolic link stays a link (its target is written), hard links stay linked, the owner,
 * group and permission bits stay. A read-only file, or an existing one for Save As, is written
 * only when the caller says the user agreed. Errors are sentences (file-errors.ts).
 *
 * Hard links: renaming a new file over one name would leave the other names on the old content,
 * so a file with several links is written through, in place, after a copy of it (a backup beside
 * it, removed once the write is synced; put back if the write fails). The same is done when this
 * process cannot give a new file the old one's owner or group (only root may give files away):
 * writing in place keeps them.
 */
import { createHash } from 'node:crypto';
import {
  access,
  chmod,
  constants,
  copyFile,
  lstat,
  open,
  readdir,
  readlink,
  rename,
  stat,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FileExistsError, ReadOnlyFileError, writeError } from './file-errors';

/** Bytes written per write call (a save of a large file is many writes, then one rename). */
const CHUNK = 8 * 1024 * 1024;

/** Symbolic links followed at most (as the kernel's limit). */
const MAX_LINKS = 40;

/** When this process started (ms since the epoch): temp files older than this are left over from a crash. */
export const PROCESS_START_MS = Date.now() - process.uptime() * 1000;

/** Options of writeFileAtomic. */
export interface AtomicWriteOptions {
  /** File mode for a new file (default 0o644); an existing file keeps its own mode. */
  mode?: number;
  /** Called before each chunk is written, with the bytes written so far (tests use it to slow a save down). */
  beforeChunk?: (written: number) => void | Promise<void>;
  /** The user agreed to overwrite the file although it is read-only (else ReadOnlyFileError). */
  overwriteReadOnly?: boolean;
  /** Refuse to replace an existing file (FileExistsError): a Save As the user has not agreed to let replace it. */
  refuseExisting?: boolean;
}

/** What writeFileAtomic did. */
export interface AtomicWriteResult {
  /** The file written: the target of a symbolic link, else the path itself. */
  file: string;
  /** How: a new file, a temp file renamed over the old one, or written through in place (hard links, owner). */
  how: 'created' | 'replaced' | 'in-place';
  /** SHA-256 of the bytes written, in hex. */
  hash: string;
  /** What the user should know although the save succeeded (the owner could not be kept). */
  warnings: string[];
}

/** The name pattern of writeFileAtomic's temp files for a target file name. */
export function isTempFileOf(name: string, candidate: string): boolean {
  const prefix = `.${name}.`;
  return candidate.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(candidate.slice(prefix.length));
}

/**
 * Removes temp files of `path` left by a save that never finished (a crash or SIGKILL):
 * `.<name>.<hex>.tmp` beside it, last modified before this process started. Returns how many went.
 * (Backups of in-place writes, `.<name>.<hex>.bak`, are never removed: they may be all that is left.)
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

/** The file a path names once its symbolic links are followed (it need not exist: a dangling link names its target). */
export async function linkTarget(path: string): Promise<string> {
  let p = resolve(path);
  for (let i = 0; i < MAX_LINKS; i++) {
    let st: Stats;
    try {
      st = await lstat(p);
    } catch {
      return p;
    }
    if (!st.isSymbolicLink()) return p;
    const to = await readlink(p);
    p = isAbsolute(to) ? to : resolve(dirname(p), to);
  }
  throw Object.assign(new Error('too many symbolic links'), { code: 'ELOOP' });
}

async function writable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Writes the parts to a file handle from offset 0, hashing them; returns the hex SHA-256 and the length. */
async function writeParts(
  fh: FileHandle,
  parts: readonly Uint8Array[],
  options: AtomicWriteOptions,
): Promise<{ hash: string; length: number }> {
  const hash = createHash('sha256');
  let written = 0;
  for (const part of parts) {
    let at = 0;
    while (at < part.length) {
      await options.beforeChunk?.(written);
      const n = Math.min(part.length - at, CHUNK);
      const { bytesWritten } = await fh.write(part, at, n, written);
      hash.update(part.subarray(at, at + bytesWritten));
      at += bytesWritten;
      written += bytesWritten;
    }
  }
  return { hash: hash.digest('hex'), length: written };
}

/** Makes a rename durable where the platform allows opening directories. */
async function syncDir(dir: string): Promise<void> {
  try {
    const d = await open(dir, 'r');
    await d.sync().catch(() => undefined);
    await d.close();
  } catch {
    // Windows cannot open directories: the rename is still atomic.
  }
}

const tempName = (file: string, ext: string) => join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.${ext}`);

/** Whether this process may give a file the owner and group `st` has (POSIX only). */
function ownerDiffers(st: Stats): boolean {
  if (typeof process.getuid !== 'function' || typeof process.getgid !== 'function') return false;
  return st.uid !== process.getuid() || st.gid !== process.getgid();
}

/**
 * Replaces `file` with a temp file renamed over it. Returns 'in-place' instead of writing when
 * the old file's owner or group cannot be given to the new one and the file may be written
 * through (the caller then writes in place, keeping them).
 */
async function replace(
  file: string,
  parts: readonly Uint8Array[],
  old: Stats | null,
  inPlaceOk: boolean,
  options: AtomicWriteOptions,
): Promise<AtomicWriteResult | 'in-place'> {
  const mode = old ? old.mode & 0o7777 : (options.mode ?? 0o644);
  const tmp = tempName(file, 'tmp');
  const fh = await open(tmp, 'wx', mode);
  const warnings: string[] = [];
  let result: { hash: string; length: number };
  try {
    // The umask narrows the mode given to open: set it exactly.
    await fh.chmod(mode).catch(() => undefined);
    if (old && ownerDiffers(old)) {
      try {
        await fh.chown(old.uid, old.gid);
      } catch {
        if (inPlaceOk) {
          await fh.close();
          await unlink(tmp).catch(() => undefined);
          return 'in-place';
        }
        warnings.push(
          `${file} is now owned by you (user ${process.getuid?.()}, group ${process.getgid?.()}), no longer by user ${old.uid}, group ${old.gid}: ` +
            `this process may not give files away. Change the owner back if others need it (chown ${old.uid}:${old.gid}).`,
        );
      }
    }
    result = await writeParts(fh, parts, options);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDir(dirname(file));
  return { file, how: old ? 'replaced' : 'created', hash: result.hash, warnings };
}

/**
 * Writes through an existing file (its inode, so its hard links, owner and group stay), after a
 * backup copy beside it that is put back if the write fails and removed once it is synced.
 */
async function writeInPlace(
  file: string,
  parts: readonly Uint8Array[],
  old: Stats,
  options: AtomicWriteOptions,
): Promise<AtomicWriteResult> {
  const backup = tempName(file, 'bak');
  await copyFile(file, backup, constants.COPYFILE_EXCL);
  const b = await open(backup, 'r+');
  await b.sync().finally(() => b.close());
  // A read-only file the user agreed to overwrite: writable for the write, its mode put back after.
  const mode = old.mode & 0o7777;
  const opened = await writable(file);
  if (!opened) await chmod(file, mode | 0o200);
  let result: { hash: string; length: number };
  try {
    const fh = await open(file, 'r+');
    try {
      result = await writeParts(fh, parts, options);
      await fh.truncate(result.length);
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (e) {
    // Put the old content back; if even that fails, the backup stays and the error names it.
    try {
      await copyFile(backup, file);
      await unlink(backup);
    } catch {
      const err = writeError(e, file);
      err.message += ` The file may be incomplete: its previous content is in ${backup}.`;
      throw err;
    }
    throw e;
  } finally {
    if (!opened) await chmod(file, mode).catch(() => undefined);
  }
  await unlink(backup).catch(() => undefined);
  return { file, how: 'in-place', hash: result.hash, warnings: [] };
}

/**
 * Saves bytes to `path` (see the module comment). The bytes may come as parts (an encode that
 * copied nothing unchanged): they are written one after another, never joined in memory. Throws
 * FileError (a sentence), ReadOnlyFileError or FileExistsError.
 */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array | readonly Uint8Array[],
  options: AtomicWriteOptions = {},
): Promise<AtomicWriteResult> {
  const parts = bytes instanceof Uint8Array ? [bytes] : bytes;
  try {
    const file = await linkTarget(path);
    await cleanStaleTempFiles(file);
    let old: Stats | null = null;
    try {
      old = await stat(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (old?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (old && options.refuseExisting) {
      throw new FileExistsError(`${path} already exists: it was not replaced. Choose another name, or confirm to replace it.`, path);
    }
    const mayWrite = old ? await writable(file) : true;
    // Read-only: this process may not write it, or nobody may by its mode (root may write anything).
    const readOnly = old !== null && (!mayWrite || (old.mode & 0o222) === 0);
    if (readOnly && !options.overwriteReadOnly) {
      throw new ReadOnlyFileError(
        `${path} is read-only: it was not overwritten. Save again and confirm to overwrite it, or use Save As.`,
        path,
      );
    }
    const owned = old !== null && (typeof process.getuid !== 'function' || old.uid === process.getuid());
    if (old && old.nlink > 1 && (mayWrite || owned)) return await writeInPlace(file, parts, old, options);
    const replaced = await replace(file, parts, old, mayWrite || owned, options);
    if (replaced === 'in-place') return await writeInPlace(file, parts, old!, options);
    if (old && old.nlink > 1) {
      replaced.warnings.push(`${file} had other names (hard links) that this process may not write: they keep the old content.`);
    }
    return replaced;
  } catch (e) {
    throw writeError(e, path);
  }
}
