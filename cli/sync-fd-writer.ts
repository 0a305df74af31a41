/**
 * Output written straight to a file descriptor with writeSync: one system call per big chunk,
 * done when the call returns (so the caller may reuse its buffer), with no stream machinery.
 */
import { writeSync } from 'node:fs';

/** What syncFdWriter falls back to: the descriptor's stream (process.stdout for fd 1). */
export interface FallbackStream {
  write(chunk: Uint8Array): unknown;
}

/**
 * A writer of chunks to `fd` that has consumed each chunk when it returns. A descriptor that
 * is non-blocking and full (EAGAIN: a pipe whose reader lags, set non-blocking by someone else)
 * cannot take a synchronous write: from then on the rest goes, copied and in order, to
 * `fallback`, which queues it. Other errors (EPIPE, EBADF) are thrown. `write` is for tests.
 */
export function syncFdWriter(
  fd: number,
  fallback: FallbackStream,
  write: (fd: number, buf: Uint8Array, offset: number, length: number) => number = writeSync,
): (chunk: Uint8Array) => void {
  let queued = false;
  return (chunk) => {
    let off = 0;
    while (!queued && off < chunk.length) {
      try {
        off += write(fd, chunk, off, chunk.length - off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        queued = true;
      }
    }
    if (off < chunk.length) fallback.write(chunk.slice(off));
  };
}
