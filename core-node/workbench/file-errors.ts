/**
 * File errors as sentences a user can act on: what failed, which file, what to do. Never the raw
 * errno text, which names temp files and system calls ("EACCES: permission denied, open
 * '/d/.note.bin.3f9a1c2b7e4d.tmp'").
 */
import { dirname } from 'node:path';

/** A file operation that failed, said in a sentence; `code` is the errno code (EACCES, ENOSPC, …) when there was one. */
export class FileError extends Error {
  override name = 'FileError';
  constructor(
    message: string,
    readonly path: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The file is read-only: overwriting it needs the user's say-so (save again with the confirmation). */
export class ReadOnlyFileError extends FileError {
  override name = 'ReadOnlyFileError';
}

/** The file exists: replacing it needs the user's say-so (Save As again with the confirmation). */
export class FileExistsError extends FileError {
  override name = 'FileExistsError';
}

/** What went wrong, for an errno code, as the end of a sentence about `path`. */
function reason(code: string | undefined, path: string): string {
  const dir = dirname(path);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `permission was denied. Check that you may write to the folder ${dir} and to the file, or save it elsewhere with Save As.`;
    case 'EROFS':
      return `its file system is read-only. Save it elsewhere with Save As.`;
    case 'ENOSPC':
      return `the disk is full. Free some space and save again; your changes are still open here.`;
    case 'EDQUOT':
      return `your disk quota is used up. Free some space and save again; your changes are still open here.`;
    case 'EISDIR':
      return `it is a folder. Give the name of a file.`;
    case 'ENOENT':
      return `the folder ${dir} does not exist. Choose an existing folder with Save As.`;
    case 'ENOTDIR':
      return `a part of the path is not a folder. Check the path, or choose another with Save As.`;
    case 'EXDEV':
      return `the file and its temporary copy are on different file systems. Save it elsewhere with Save As.`;
    case 'ELOOP':
      return `its path goes through too many symbolic links (a loop?). Check the links, or save it elsewhere with Save As.`;
    case 'ENAMETOOLONG':
      return `its name or path is too long. Choose a shorter one with Save As.`;
    case 'EBUSY':
    case 'ETXTBSY':
      return `another program is using it. Close it there and save again.`;
    case 'EMFILE':
    case 'ENFILE':
      return `too many files are open. Close some files or programs and save again.`;
    case 'EIO':
      return `the disk reported a read or write error. Check the disk, or save it elsewhere with Save As.`;
    case 'EAGAIN':
    case 'EINTR':
      return `the system was busy. Save again.`;
    default:
      return `of an unexpected error${code ? ` (${code})` : ''}. Save again, or save it elsewhere with Save As.`;
  }
}

/** A failed write of `path` as a FileError whose message is a sentence (an error that already is one passes through). */
export function writeError(e: unknown, path: string, action = 'save'): FileError {
  if (e instanceof FileError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return new FileError(`Could not ${action} ${path}: ${reason(code, path)}`, path, code);
}

/** A failed read of `path` as a FileError whose message is a sentence. */
export function readError(e: unknown, path: string): FileError {
  if (e instanceof FileError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const what =
    code === 'ENOENT'
      ? `there is no such file (it was moved or deleted?). Check the path.`
      : code === 'EACCES' || code === 'EPERM'
        ? `permission was denied. Check that you may read it.`
        : code === 'EISDIR'
          ? `it is a folder, not a file.`
          : reason(code, path).replace(/save (it elsewhere with Save As|again)/, 'try again');
  return new FileError(`Could not open ${path}: ${what}`, path, code);
}
