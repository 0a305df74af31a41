/**
 * SHA-256 of a file's content or of bytes in memory, as hex: the hash change detection compares
 * (writeFileAtomic computes the same one while it writes). Worked in chunks that let the event
 * loop run between them, so hashing a big file does not hold the host up.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Bytes hashed between yields to the event loop. */
const CHUNK = 16 * 1024 * 1024;

const yieldToEvents = () => new Promise((resolve) => setImmediate(resolve));

/** The SHA-256 of bytes (possibly as parts), hex; rejects between chunks once `stopped()` says so (nobody needs it any more). */
export async function hashBytes(bytes: Uint8Array | readonly Uint8Array[], options: { stopped?(): boolean } = {}): Promise<string> {
  const stop = () => {
    if (options.stopped?.()) throw new Error('hashing stopped: nobody needs the hash any more');
  };
  // Begun on the next turn of the event loop: a caller that starts it while answering a request
  // (opening a file) sends its answer first.
  await yieldToEvents();
  stop();
  const hash = createHash('sha256');
  let since = 0;
  for (const part of bytes instanceof Uint8Array ? [bytes] : bytes) {
    for (let at = 0; at < part.length; at += CHUNK) {
      const piece = part.subarray(at, Math.min(part.length, at + CHUNK));
      hash.update(piece);
      since += piece.length;
      if (since >= CHUNK) {
        since = 0;
        await yieldToEvents();
        stop();
      }
    }
  }
  return hash.digest('hex');
}

/** The SHA-256 of a file's content, hex; null when it cannot be read. */
export async function hashFile(path: string): Promise<string | null> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const hash = createHash('sha256');
    const buf = new Uint8Array(Math.min(CHUNK, 1024 * 1024));
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
    return hash.digest('hex');
  } catch {
    return null;
  } finally {
    await fh.close().catch(() => undefined);
  }
}
