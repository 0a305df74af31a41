/**
 * Reading only regular files. A path may name a FIFO (whose open waits for a writer, holding a
 * thread of Node's pool for good), a device (/dev/zero never ends) or a directory; each of those
 * gets a clear error instead. The file is opened without blocking and checked with fstat on the
 * open handle, so a path swapped between a check and the open cannot slip past.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/** A path that names something other than a regular file. */
export class NotRegularFileError extends Error {
  override readonly name = 'NotRegularFileError';
  /** Errno-style code, for callers that switch on codes. */
  readonly code = 'ENOTREGULAR';
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(`${path}: is ${kind}, not a regular file; only regular files can be opened`);
  }
}

/** What a non-regular file is, in words. */
export function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** Open flags: read only, and never wait (a FIFO without a writer opens at once instead of blocking). */
const READ_FLAGS = constants.O_RDONLY | (process.platform === 'win32' ? 0 : constants.O_NONBLOCK);

/** Reads a regular file whole; anything else is refused with a NotRegularFileError. */
export async function readRegularFile(path: string): Promise<Buffer> {
  let fh;
  try {
    fh = await open(path, READ_FLAGS);
  } catch (e) {
    // Windows refuses to open a directory for reading with EISDIR or EPERM: say what it is.
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw new NotRegularFileError(path, 'a directory');
    throw e;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new NotRegularFileError(path, fileKind(st));
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** Reads a regular file whole as UTF-8 text. */
export async function readRegularTextFile(path: string): Promise<string> {
  return (await readRegularFile(path)).toString('utf8');
}

/** readRegularFile for synchronous callers (schema loading): the same checks, on the open descriptor. */
export function readRegularFileSync(path: string): Buffer {
  const fd = openRegularFileSync(path);
  try {
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Opens a regular file for reading, with readRegularFile's checks (on the open descriptor); the caller closes it. */
export function openRegularFileSync(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw new NotRegularFileError(path, 'a directory');
    throw e;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new NotRegularFileError(path, fileKind(st));
    return fd;
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}
