/** What identifies a version of a file on disk cheaply (size and modification time), as the host reports it. */
import type { DiskStamp, FileHost } from '../engine';

/** The file's stamp, or null when it does not exist, cannot be read, or the host has no stat. */
export async function readStamp(files: FileHost, path: string): Promise<DiskStamp | null> {
  if (!files.stat) return null;
  try {
    return await files.stat(path);
  } catch {
    return null;
  }
}

/** Whether two stamps name the same version of a file. */
export function sameStamp(a: DiskStamp, b: DiskStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** A stamp as a key ("gone" for a deleted file), to report each change once. */
export function stampKey(s: DiskStamp | null): string {
  return s ? `${s.size}:${s.mtimeMs}` : 'gone';
}
