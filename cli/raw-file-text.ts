/**
 * `protodesk raw FILE`'s text, read a window at a time: while the file parses, memory is one
 * window (grown only for a top-level field bigger than it), not the whole file, and no fresh
 * buffer of the file's size is faulted in page by page (a quarter of a 100 MB run).
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import { DEFAULT_RAW_LIMITS, RAW_TEXT_SYNC_CHUNK_BYTES, RawTextStream, type RawStop } from '../core/raw';
import type { CliIO } from './command';
import { openInputFile, plainBytes, readInputFile } from './schema-options';

/** Bytes of the file read at a time. */
const WINDOW_BYTES = 1 << 20;

/** Reads from fd into buf[from, buf.length) until it is full or the file ends; returns the bytes read. */
function readFull(fd: number, buf: Uint8Array, from: number): number {
  let n = 0;
  while (from + n < buf.length) {
    const r = readSync(fd, buf, from + n, buf.length - from - n, null);
    if (r === 0) break;
    n += r;
  }
  return n;
}

/**
 * Writes protoc --decode_raw text of `file` to `write` (which consumes each chunk at once), as
 * writeRawText of its bytes would; returns where parsing stopped, or null. A file that does not
 * parse to its end is then read whole, for the rest as decodeRaw reads it; one too big for raw
 * decoding (over 2 GiB) returns undefined, unread, for the caller's whole-file path to report.
 */
export async function writeRawTextOfFile(file: string, io: CliIO, write: (chunk: Uint8Array) => void): Promise<RawStop | null | undefined> {
  const fd = openInputFile(file, io);
  const text = new RawTextStream(write, { chunkBytes: RAW_TEXT_SYNC_CHUNK_BYTES, reuseChunks: true });
  let unprinted: boolean;
  try {
    if (fstatSync(fd).size > DEFAULT_RAW_LIMITS.maxBytes) return undefined;
    let buf = new Uint8Array(WINDOW_BYTES);
    let filled = 0;
    for (;;) {
      filled += readFull(fd, buf, filled);
      const ended = filled < buf.length;
      const used = text.push(buf.subarray(0, filled));
      if (text.needsInput) break;
      // What is left is the start of a field the window does not hold whole: keep it for the next read.
      buf.copyWithin(0, used, filled);
      filled -= used;
      if (ended) break;
      if (filled === buf.length) {
        const grown = new Uint8Array(2 * buf.length);
        grown.set(buf);
        buf = grown;
      }
    }
    unprinted = text.needsInput || filled > 0;
  } finally {
    closeSync(fd);
  }
  return text.finish(unprinted ? plainBytes(await readInputFile(file, io)) : null);
}
