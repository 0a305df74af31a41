/**
 * The decompressor captures need (core/capture has no zlib): HTTP content codings and gRPC /
 * Connect message encodings over node:zlib, with limits so a small bomb cannot fill memory.
 */
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { Decompress } from '../../core/capture/open-entry';

/** The most bytes one body may decompress to (256 MiB). */
export const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

/** Undoes gzip, deflate (zlib, or raw as some servers send it), br; throws for anything else or bad data. */
export const nodeDecompress: Decompress = (bytes, coding) => {
  const opts = { maxOutputLength: MAX_DECOMPRESSED_BYTES };
  let out: Buffer;
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      out = gunzipSync(bytes, opts);
      break;
    case 'deflate':
      try {
        out = inflateSync(bytes, opts);
      } catch {
        out = inflateRawSync(bytes, opts);
      }
      break;
    case 'br':
      out = brotliDecompressSync(bytes, opts);
      break;
    default:
      throw new Error(`the '${coding}' coding is not supported (gzip, deflate and br are)`);
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
};
