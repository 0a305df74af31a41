/**
 * What identifies a version of a file on disk (see DiskStamp), and what a document knows is on
 * disk: the stamp and a hash of the content, which decides when the stamps cannot (same size, but
 * another inode or change time, or a stamp too coarse to tell).
 */
import type { DiskStamp, FileHost } from '../engine';
import type { OpenDocument } from './document-state';

/** A coarse mtime this close to when the stamp was taken may hide a later write in the same tick (FAT: 2 s). */
const COARSE_WINDOW_MS = 2000;

/** The file's stamp, or null when it does not exist, cannot be read, or the host has no stat. */
export async function readStamp(files: FileHost, path: string): Promise<DiskStamp | null> {
  if (!files.stat) return null;
  try {
    return await files.stat(path);
  } catch {
    return null;
  }
}

const both = (a: number | undefined, b: number | undefined) => a === undefined || b === undefined || a === b;

/** Whether two stamps name the same version of a file (fields only one of them has are not compared). */
export function sameStamp(a: DiskStamp, b: DiskStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && both(a.ctimeMs, b.ctimeMs) && both(a.ino, b.ino) && both(a.dev, b.dev);
}

/**
 * Whether a stamp cannot rule out a change: its times are whole seconds (a coarse file system)
 * and it was taken within the same tick or two as the mtime, so a write of the same size right
 * after would leave the same stamp.
 */
export function unsettled(s: DiskStamp): boolean {
  const coarse = s.mtimeMs % 1000 === 0 && (s.ctimeMs === undefined || s.ctimeMs % 1000 === 0);
  return coarse && s.checkedAtMs !== undefined && s.checkedAtMs - s.mtimeMs < COARSE_WINDOW_MS;
}

/** A stamp as a key ("gone" for a deleted file), to report each change once. */
export function stampKey(s: DiskStamp | null): string {
  return s ? `${s.size}:${s.mtimeMs}:${s.ctimeMs ?? ''}:${s.dev ?? ''}:${s.ino ?? ''}` : 'gone';
}

/**
 * Records what is on a document's disk: its stamp and a hash of the content (a promise while it is
 * computed; once known it is kept on the stamp, so the recovery journal has it).
 */
export function knowDisk(d: OpenDocument, stamp: DiskStamp | null, hash: Promise<string | null> | string | null | undefined): void {
  // A hash of what the document was opened from that is still to come is not needed any more.
  d.stopHash?.();
  d.stopHash = undefined;
  d.needHash = undefined;
  d.disk = stamp;
  d.diskReported = null;
  d.diskProbe = null;
  const pending = hash === undefined || hash === null ? null : Promise.resolve(hash).catch(() => null);
  d.diskHash = pending;
  void pending?.then((h) => {
    if (h !== null && d.disk === stamp && stamp) stamp.hash = h;
  });
}

/**
 * The hash of the bytes a document was opened from or last saved, when the host hashes (a recovered
 * stamp may carry it). Asking for it begins a hash put off until later (see OpenDocument.needHash).
 */
export function knownHash(d: OpenDocument): Promise<string | null> {
  d.needHash?.();
  return d.diskHash ?? Promise.resolve(d.disk?.hash ?? null);
}

/** A hash worked out only once `start` is called (again: no effect); `result` settles then. */
export interface LaterHash {
  result: Promise<string | null>;
  start(): void;
  /** Nobody needs the hash (its document closed): it stops between chunks, or never begins, and `result` is null. */
  stop(): void;
}

/**
 * The hash of `bytes` by `hashBytes`, begun when `start` is called: opening a big file shows its
 * first rows before the hash takes its share of the host's time. Whoever needs the hash (a save,
 * a disk check, a remembered type) awaits `result`, so it is never skipped, only begun later.
 */
export function hashLater(hashBytes: (b: Uint8Array, options: { stopped(): boolean }) => Promise<string>, bytes: Uint8Array): LaterHash {
  let begin!: () => void;
  let end!: (hash: null) => void;
  let stopped = false;
  const started = new Promise<void>((resolve) => (begin = resolve));
  const hashed = started.then(() => (stopped ? null : hashBytes(bytes, { stopped: () => stopped }))).catch(() => null);
  // Settled at once when stopped: whatever waits on it (and what it holds) is let go then, not a chunk later.
  const result = Promise.race([hashed, new Promise<null>((resolve) => (end = resolve))]);
  return {
    result,
    start: () => begin(),
    stop() {
      stopped = true;
      end(null);
      begin();
    },
  };
}
