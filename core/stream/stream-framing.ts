/**
 * Files of many messages: detecting how they are framed (the framings are named in
 * core/wire/framing.ts) and indexing them compactly.
 *
 * The index holds offsets and lengths in typed arrays (no per-message objects), so a 100 MB
 * file with a million messages costs about 8 bytes per message plus the input.
 */

import { DEFAULT_RAW_LIMITS, parsesAsMessage } from '../raw/raw-scan';
import { readVarint, varintNumber, type VarintResult } from '../wire/varint';
import type { Framing } from '../wire/framing';
import { grownTo } from '../wire/typed-array';

export type { Framing };

/** The result of detectFraming. */
export interface FramingDetection {
  framing: Framing;
  /** 0..1. */
  confidence: number;
  /** Number of messages the chosen framing finds. */
  messageCount: number;
  /** Why this framing was chosen, in words. */
  reason: string;
}

/** Options for detectFraming. */
export interface DetectFramingOptions {
  /** Inputs up to this size have every chunk validated as protobuf; larger ones a sample (default 16 MiB). */
  validateAllBelow?: number;
  /** Chunks validated on larger inputs: the first, the last and this many spread evenly (default 256). */
  sampleSize?: number;
  /**
   * Whether an input no framing chains through is checked to parse as one message, a pass over
   * all of it that only sets the confidence and reason of the 'single' answer (default true).
   * False for a caller that decodes the message next and so checks it anyway (confidence 0.5).
   */
  checkSingle?: boolean;
}

/** A compact index of the messages in a stream. Message i is bytes[offsets[i], offsets[i] + lengths[i]). */
export interface StreamIndex {
  framing: Framing;
  bytes: Uint8Array;
  /** Number of messages indexed. */
  count: number;
  /** Start of each message's payload (after its length prefix / header). */
  offsets: Uint32Array | Float64Array;
  /** Length of each message's payload. */
  lengths: Uint32Array;
  /** For 'grpc': the compressed flag of each message (0 or 1); null otherwise. */
  flags: Uint8Array | null;
  /** Where the framing broke (the messages before it stay indexed); null when it chains to the end. */
  error: { offset: number; reason: string } | null;
}

/** Options for indexStream. */
export interface IndexStreamOptions {
  /** Stop after this many messages (default: no limit); sets `error` when input remains. */
  maxMessages?: number;
  /**
   * How many messages to expect (detectFraming's messageCount): the index is then allocated
   * once at that size instead of growing by doubling (and copied at the end) as it goes.
   */
  expectedCount?: number;
}

const TWO32 = 4294967296;

/** Scratch results of readLength: the length in VAL. */
const V: VarintResult = { lo: 0, hi: 0 };
let VAL = 0;
/** Reads a varint length (at most 10 bytes; bits above 64 dropped, as protobuf does) at p into VAL; returns the next position, -1 when truncated, -2 when too long. */
function readLength(buf: Uint8Array, p: number, end: number): number {
  const r = readVarint(buf, p, end, V);
  if (r >= 0) VAL = varintNumber(V);
  return r;
}

/**
 * Checks that bytes[start, end) parse as one protobuf message level (tags valid, values in
 * bounds, groups matched); LEN contents are not descended into. Lean: no allocation. This is
 * the raw decoder's strict check (protoc's top-level rules).
 */
export function looksLikeMessage(buf: Uint8Array, start: number, end: number): boolean {
  return parsesAsMessage(buf, start, end, DEFAULT_RAW_LIMITS.maxDepth, true);
}

interface Chain {
  /** Messages found. */
  count: number;
  /** True when the framing chains exactly to the end of the input. */
  exact: boolean;
  /** Number of non-empty chunks. */
  nonEmpty: number;
}

/** Follows 5-byte gRPC headers from the start. */
function chainGrpc(buf: Uint8Array): Chain {
  const n = buf.length;
  let p = 0;
  let count = 0;
  let nonEmpty = 0;
  while (p < n) {
    if (n - p < 5) return { count, exact: false, nonEmpty };
    const flag = buf[p];
    if (flag > 1) return { count, exact: false, nonEmpty };
    const len = ((buf[p + 1] << 24) >>> 0) + (buf[p + 2] << 16) + (buf[p + 3] << 8) + buf[p + 4];
    if (len > n - p - 5) return { count, exact: false, nonEmpty };
    p += 5 + len;
    count++;
    if (len > 0) nonEmpty++;
  }
  return { count, exact: count > 0, nonEmpty };
}

/** Follows varint length prefixes from the start. */
function chainDelimited(buf: Uint8Array): Chain {
  const n = buf.length;
  let p = 0;
  let count = 0;
  let nonEmpty = 0;
  while (p < n) {
    const r = readLength(buf, p, n);
    if (r < 0 || VAL > n - r || VAL > 0xffffffff) return { count, exact: false, nonEmpty };
    p = r + VAL;
    count++;
    if (VAL > 0) nonEmpty++;
  }
  return { count, exact: count > 0, nonEmpty };
}

/**
 * Validates the chunks of a framing that chains exactly; all of them for small inputs, else a
 * sample. Given the framing's index it jumps to the sampled chunks instead of walking to them.
 */
function chunksParse(
  buf: Uint8Array,
  framing: 'grpc' | 'delimited',
  count: number,
  opts: Required<DetectFramingOptions>,
  index: StreamIndex | null,
): { checked: number; ok: number } {
  const all = buf.length <= opts.validateAllBelow;
  const stride = all ? 1 : Math.max(1, Math.floor(count / opts.sampleSize));
  let checked = 0;
  let ok = 0;
  const check = (start: number, len: number, compressed: boolean) => {
    if (compressed) return;
    checked++;
    if (looksLikeMessage(buf, start, start + len)) ok++;
  };
  if (index) {
    const at = (i: number) => check(index.offsets[i], index.lengths[i], index.flags !== null && index.flags[i] === 1);
    for (let i = 0; i < count; i += stride) at(i);
    if ((count - 1) % stride !== 0) at(count - 1);
    return { checked, ok };
  }
  let p = 0;
  const n = buf.length;
  for (let i = 0; i < count; i++) {
    let start: number;
    let len: number;
    let compressed = false;
    if (framing === 'grpc') {
      compressed = buf[p] === 1;
      len = ((buf[p + 1] << 24) >>> 0) + (buf[p + 2] << 16) + (buf[p + 3] << 8) + buf[p + 4];
      start = p + 5;
    } else {
      const r = readLength(buf, p, n);
      len = VAL;
      start = r;
    }
    if (all || i % stride === 0 || i === count - 1) check(start, len, compressed);
    p = start + len;
  }
  return { checked, ok };
}

/**
 * Detects how a file of messages is framed. gRPC wins when every 5-byte header chains exactly
 * to the end; delimited when varint lengths chain exactly with more than one message and the
 * chunks parse as protobuf; otherwise single. See the module comment for the framings.
 */
export function detectFraming(bytes: Uint8Array, options: DetectFramingOptions = {}): FramingDetection {
  return detect(bytes, options, false).detection;
}

/**
 * detectFraming, and the index of the framing it chose (what indexStream would give), with one
 * walk fewer: once a framing chains to the end, its index is built at the size the chain
 * counted and the chunks to validate are found in it instead of by walking the prefixes again.
 */
export function detectAndIndex(bytes: Uint8Array, options: DetectFramingOptions = {}): { detection: FramingDetection; index: StreamIndex } {
  const { detection, index } = detect(bytes, options, true);
  return { detection, index: index ?? indexStream(bytes, detection.framing) };
}

function detect(
  bytes: Uint8Array,
  options: DetectFramingOptions,
  record: boolean,
): { detection: FramingDetection; index: StreamIndex | null } {
  const opts: Required<DetectFramingOptions> = {
    validateAllBelow: options.validateAllBelow ?? 16 * 1024 * 1024,
    sampleSize: options.sampleSize ?? 256,
    checkSingle: options.checkSingle ?? true,
  };
  const n = bytes.length;
  if (n === 0)
    return { detection: { framing: 'single', confidence: 0.5, messageCount: 1, reason: 'empty input: one empty message' }, index: null };
  // Whether the whole input parses as one message: a pass over all of it, so only when the answer matters.
  let single: boolean | null = null;
  const singleOk = () => (single ??= looksLikeMessage(bytes, 0, n));
  const indexOf = (framing: 'grpc' | 'delimited', count: number) => (record ? indexStream(bytes, framing, { expectedCount: count }) : null);

  // gRPC: a protobuf message can never start with 0x00 or 0x01 (field number 0), so a file whose
  // 5-byte headers chain exactly is almost surely gRPC-framed.
  const g = chainGrpc(bytes);
  if (g.exact) {
    const gi = indexOf('grpc', g.count);
    const v = chunksParse(bytes, 'grpc', g.count, opts, gi);
    const share = v.checked ? v.ok / v.checked : 1;
    if (share === 1 || !singleOk()) {
      const confidence = Math.min(0.99, (g.count > 1 ? 0.9 : 0.8) * (0.5 + 0.5 * share));
      const detection: FramingDetection = {
        framing: 'grpc',
        confidence,
        messageCount: g.count,
        reason: `${g.count} gRPC frame(s) chain exactly to the end; ${v.ok}/${v.checked} checked payloads parse`,
      };
      return { detection, index: gi };
    }
  }

  const d = chainDelimited(bytes);
  if (d.exact && d.count > 1 && d.nonEmpty > 0) {
    const di = indexOf('delimited', d.count);
    const v = chunksParse(bytes, 'delimited', d.count, opts, di);
    if (v.checked > 0 && v.ok === v.checked) {
      // Both readings are consistent: trust the chain more as the message count grows (from 16
      // messages on it is trusted fully, so the whole-file check is not needed then).
      const alsoSingle = d.count < 16 && singleOk();
      const confidence = alsoSingle ? Math.min(0.95, 0.55 + 0.1 * Math.log2(d.count)) : 0.95;
      if (d.count > 2 || d.nonEmpty === d.count || !singleOk()) {
        const detection: FramingDetection = {
          framing: 'delimited',
          confidence,
          messageCount: d.count,
          reason: `${d.count} varint length prefixes chain exactly to the end and every checked chunk parses${alsoSingle ? ' (the whole file also parses as one message)' : ''}`,
        };
        return { detection, index: di };
      }
    }
  }

  if (!opts.checkSingle && single === null) {
    const reason = 'no framing chains to the end (not checked here that it parses as one message)';
    return { detection: { framing: 'single', confidence: 0.5, messageCount: 1, reason }, index: null };
  }
  const detection: FramingDetection = {
    framing: 'single',
    confidence: singleOk() ? 0.9 : 0.4,
    messageCount: 1,
    reason: singleOk()
      ? 'the whole input parses as one message'
      : 'no framing chains to the end; the input does not parse cleanly as one message either',
  };
  return { detection, index: null };
}

/** Indexes the messages of a stream with the given framing; stops (keeping what it indexed) where the framing breaks. */
export function indexStream(bytes: Uint8Array, framing: Framing, options: IndexStreamOptions = {}): StreamIndex {
  const n = bytes.length;
  if (framing === 'single') {
    const offsets = n > 0xffffffff ? new Float64Array(1) : new Uint32Array(1);
    const lengths = new Uint32Array([n]);
    return { framing, bytes, count: 1, offsets, lengths, flags: null, error: null };
  }
  const max = options.maxMessages ?? Infinity;
  // Every message takes at least one byte, so no more than n are allocated whatever is expected.
  let cap =
    options.expectedCount !== undefined && options.expectedCount > 0
      ? Math.max(1, Math.min(options.expectedCount, max, n))
      : Math.max(16, Math.min(1 << 16, n >>> 4));
  let offsets: Uint32Array | Float64Array = n > 0xffffffff ? new Float64Array(cap) : new Uint32Array(cap);
  let lengths = new Uint32Array(cap);
  let flags: Uint8Array | null = framing === 'grpc' ? new Uint8Array(cap) : null;
  let count = 0;
  let error: StreamIndex['error'] = null;
  let p = 0;
  while (p < n) {
    if (count >= max) {
      error = { offset: p, reason: `at most ${max} messages (limit reached)` };
      break;
    }
    let start: number;
    let len: number;
    let flag = 0;
    if (framing === 'grpc') {
      if (n - p < 5) {
        error = { offset: p, reason: `a 5-byte gRPC frame header (only ${n - p} bytes remain)` };
        break;
      }
      flag = bytes[p];
      if (flag > 1) {
        error = { offset: p, reason: `a gRPC compressed flag of 0 or 1 (found ${flag})` };
        break;
      }
      len = ((bytes[p + 1] << 24) >>> 0) + (bytes[p + 2] << 16) + (bytes[p + 3] << 8) + bytes[p + 4];
      start = p + 5;
    } else {
      const r = readLength(bytes, p, n);
      if (r < 0) {
        error = {
          offset: r === -1 ? n : p,
          reason:
            r === -1
              ? `the rest of a varint length prefix that starts at byte ${p} (input ends)`
              : 'a varint length prefix of at most 10 bytes',
        };
        break;
      }
      len = VAL;
      start = r;
    }
    if (len > n - start) {
      error = {
        offset: p,
        reason: `a message of ${len} bytes after the ${framing === 'grpc' ? 'frame header' : 'length prefix'} at byte ${p}, but only ${n - start} remain`,
      };
      break;
    }
    if (len > 0xffffffff) {
      error = { offset: p, reason: `a message length below 2^32 (found ${len > TWO32 ? 'more' : len})` };
      break;
    }
    if (count === cap) {
      cap *= 2;
      offsets = grownTo(offsets, cap);
      lengths = grownTo(lengths, cap);
      if (flags) flags = grownTo(flags, cap);
    }
    offsets[count] = start;
    lengths[count] = len;
    if (flags) flags[count] = flag;
    count++;
    p = start + len;
  }
  // Exactly full (the expected count was right): no copy.
  const trim = <T extends Uint32Array | Float64Array | Uint8Array>(a: T): T => (count === cap ? a : (a.slice(0, count) as T));
  return { framing, bytes, count, offsets: trim(offsets), lengths: trim(lengths), flags: flags ? trim(flags) : null, error };
}

/** The payload of message i as a view into the indexed bytes (no copy). */
export function messageAt(index: StreamIndex, i: number): Uint8Array {
  if (!(i >= 0 && i < index.count)) throw new RangeError(`message index ${i} out of range 0..${index.count - 1}`);
  const start = index.offsets[i];
  return index.bytes.subarray(start, start + index.lengths[i]);
}
