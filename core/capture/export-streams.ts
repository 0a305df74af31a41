/**
 * Exports a capture's messages as two varint length-delimited streams, one per direction
 * (requests, responses), in capture order: the framing `protodesk decode --delimited` and
 * protobuf's writeDelimitedTo read back.
 */
import { WireWriter } from '../wire/wire-writer';
import type { Capture, CaptureDirection } from './capture-model';
import { openEntry, type OpenEntryOptions } from './open-entry';

/** One exported direction. */
export interface ExportedStream {
  bytes: Uint8Array;
  /** Messages written. */
  count: number;
  /** The message type of each message written (undefined when untyped), in order. */
  types: (string | undefined)[];
}

/** What exportStreams returns: both streams, and the entries that gave nothing and why. */
export interface CaptureStreams {
  requests: ExportedStream;
  responses: ExportedStream;
  skipped: { index: number; reason: string }[];
}

/** Writes messages as a varint length-delimited stream. */
export function writeDelimited(messages: readonly Uint8Array[]): Uint8Array {
  const w = new WireWriter(messages.reduce((n, m) => n + m.length + 5, 16));
  for (const m of messages) w.uvarint(m.length).raw(m);
  return w.finish();
}

/**
 * The capture's messages as one delimited stream per direction. `indices`: the entries to
 * export (default all). Entries whose body is unavailable or malformed are left out and listed
 * in `skipped`; a malformed body's messages before the break are still written.
 */
export function exportStreams(capture: Capture, options: OpenEntryOptions = {}, indices?: readonly number[]): CaptureStreams {
  const out: Record<CaptureDirection, { messages: Uint8Array[]; types: (string | undefined)[] }> = {
    request: { messages: [], types: [] },
    response: { messages: [], types: [] },
  };
  const skipped: CaptureStreams['skipped'] = [];
  for (const i of indices ?? capture.entries.map((e) => e.index)) {
    const entry = capture.entries[i];
    if (!entry) throw new RangeError(`no entry ${i} (the capture has ${capture.entries.length})`);
    const opened = openEntry(capture, entry, options);
    for (const m of opened.messages) {
      out[entry.direction].messages.push(m.bytes);
      out[entry.direction].types.push(m.typeName);
    }
    if (opened.problem) skipped.push({ index: i, reason: opened.problem });
  }
  const stream = (d: CaptureDirection): ExportedStream => ({
    bytes: writeDelimited(out[d].messages),
    count: out[d].messages.length,
    types: out[d].types,
  });
  return { requests: stream('request'), responses: stream('response'), skipped };
}
