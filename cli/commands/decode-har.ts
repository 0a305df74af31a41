/**
 * `protodesk decode FILE.har`: lists a HAR capture's protobuf exchanges (one line each), or
 * prints their messages decoded, or exports them as delimited streams per direction.
 */
import { resolve } from 'node:path';
import type { Type } from 'protobufjs';
import { nodeDecompress } from '../../core-node/capture/decompress';
import { writeFileAtomic } from '../../core-node/workbench/atomic-file';
import type { Capture, CaptureEntry, CaptureMessage, OpenedEntry } from '../../core/capture/capture-model';
import { exportStreams, type ExportedStream } from '../../core/capture/export-streams';
import { openEntry } from '../../core/capture/open-entry';
import { readCapture } from '../../core/capture/read-capture';
import { urlPatternMatches, type TypeOverrides, type UrlTypeRule } from '../../core/capture/type-overrides';
import { decodeMessage } from '../../core/document/decode';
import { toJsonString } from '../../core/format';
import { toText } from '../../core/format';
import { rawTextOf } from '../../core/raw/raw-text';
import type { SchemaRegistry } from '../../core/schema/registry';
import { bytesToBase64 } from '../../core/wire/base64';
import { EXIT_BAD_INPUT, EXIT_OK, InputError, UsageError, type CliIO } from '../command';
import { requireType } from '../message-type';

/** The options of decode that apply to a HAR. */
export interface HarDecodeArgs {
  format?: string;
  'proto-names'?: boolean;
  'emit-defaults'?: boolean;
  type?: string;
  entry?: string;
  url?: string;
  'of-type'?: string;
  'type-for'?: string[];
  'export-requests'?: string;
  'export-responses'?: string;
}

/** Usage lines for the HAR options of decode. */
export const HAR_USAGE = `captures (a .har file, or --har): without --format, lists every protobuf exchange (index,
time, direction, RPC or URL, status, type, size, notes); with --format, prints each message
  --har                   read the input as a HAR file (automatic for *.har)
  --entry N               only entry N (prints its messages; JSON by default)
  --url PATTERN           only entries whose URL or path matches (* matches anything)
  --of-type TYPE          only entries of this message type
  --type TYPE             the type of the selected entries (overrides the automatic one)
  --type-for PATTERN=TYPE the type of entries whose URL matches PATTERN (repeatable)
  --export-requests FILE  write the request messages as a varint-delimited stream
  --export-responses FILE write the response messages as a varint-delimited stream`;

/** Whether input should be read as a HAR: a .har name, or JSON text with a "log" key near its start. */
export function looksLikeHar(file: string | undefined, bytes: Uint8Array): boolean {
  if (file && /\.har$/i.test(file)) return true;
  let p = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) p = 3;
  while (p < bytes.length && (bytes[p] === 0x20 || bytes[p] === 0x0a || bytes[p] === 0x0d || bytes[p] === 0x09)) p++;
  if (bytes[p] !== 0x7b) return false;
  const head = new TextDecoder('utf-8').decode(bytes.subarray(p, p + 64));
  return /^\{\s*"log"\s*:\s*\{/.test(head);
}

function parseTypeFor(values: string[], registry: SchemaRegistry): UrlTypeRule[] {
  return values.map((v) => {
    const eq = v.lastIndexOf('=');
    if (eq <= 0 || eq === v.length - 1) throw new UsageError(`--type-for takes PATTERN=TYPE, not '${v}'`);
    const type = v.slice(eq + 1);
    requireType(registry, type);
    return { url: v.slice(0, eq), type };
  });
}

/** Where a URL points, without its query (which may hold an access token). */
function shortUrl(url: string): string {
  return url.replace(/[?#].*$/, '');
}

function timeText(e: CaptureEntry, start: number): string {
  return Number.isNaN(e.time) ? '?' : ((e.time - start) / 1000).toFixed(3);
}

function typeText(e: CaptureEntry, opened: OpenedEntry | undefined): string {
  if (e.type) return e.type;
  const m = opened?.messages.find((x) => x.typeName);
  if (m) return `${m.typeName} (detected ${m.score?.toFixed(2)})`;
  return e.typeSource === 'detect' ? '(no type found)' : '-';
}

/** Lists the selected entries, one line each, after a header. */
function listEntries(capture: Capture, entries: readonly CaptureEntry[], registry: SchemaRegistry, io: CliIO): void {
  const start = capture.entries.find((e) => !Number.isNaN(e.time))?.time ?? NaN;
  const skipped = [
    capture.skippedEntries && `${capture.skippedEntries} HAR entries without protobuf`,
    capture.skippedTextFrames && `${capture.skippedTextFrames} WebSocket text messages`,
  ].filter(Boolean);
  io.stdout.write(
    `# ${capture.entries.length} protobuf exchanges${Number.isNaN(start) ? '' : `, times in seconds from ${new Date(start).toISOString()}`}` +
      `${skipped.length ? `; not listed: ${skipped.join(', ')}` : ''}\n`,
  );
  const rows = entries.map((e) => {
    // Detection needs the bytes: only entries the capture did not type are opened.
    const opened = e.typeSource === 'detect' ? openEntry(capture, e, { schemas: registry, decompress: nodeDecompress }) : undefined;
    const notes = [...e.notes, ...(e.body.kind === 'unavailable' ? [e.body.reason] : []), ...(opened?.problem ? [opened.problem] : [])];
    return [
      String(e.index),
      timeText(e, start),
      e.direction === 'request' ? '->' : '<-',
      e.protocol,
      e.rpc ?? shortUrl(e.url),
      e.status === undefined ? '' : String(e.status),
      typeText(e, opened),
      e.size === undefined ? '?' : String(e.size),
      notes.join('; '),
    ];
  });
  const header = ['#', 'time', 'dir', 'protocol', 'method/url', 'status', 'type', 'size', 'notes'];
  const widths = header.map((h) => h.length);
  for (const r of rows) for (let i = 0; i < r.length; i++) if (r[i].length > widths[i]) widths[i] = r[i].length;
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : i === 0 || i === 1 || i === 7 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  // Written in chunks: a big capture has hundreds of thousands of lines.
  let chunk = line(header) + '\n';
  for (const r of rows) {
    chunk += line(r) + '\n';
    if (chunk.length > 1 << 16) {
      io.stdout.write(chunk);
      chunk = '';
    }
  }
  io.stdout.write(chunk);
}

/** Prints the messages of the selected entries; returns how many entries had a problem. */
function printMessages(
  capture: Capture,
  entries: readonly CaptureEntry[],
  registry: SchemaRegistry,
  args: HarDecodeArgs,
  io: CliIO,
): number {
  const text = args.format === 'text';
  const single = entries.length === 1;
  let problems = 0;
  for (const e of entries) {
    const opened = openEntry(capture, e, { schemas: registry, decompress: nodeDecompress });
    const where = `entry ${e.index} (${e.direction} ${e.rpc ?? shortUrl(e.url)})`;
    for (const note of opened.notes) io.stderr.write(`protodesk decode: ${where}: ${note}\n`);
    opened.messages.forEach((m, k) => {
      const label = opened.messages.length > 1 ? `${where}, message ${k} (byte ${m.offset} of the body)` : where;
      try {
        io.stdout.write(renderMessage(m, e, registry, args, label, text, single && opened.messages.length === 1));
      } catch (err) {
        problems++;
        io.stderr.write(`protodesk decode: ${label}: ${(err as Error).message}\n`);
      }
    });
    if (opened.problem) {
      problems++;
      io.stderr.write(`protodesk decode: ${where}: ${opened.problem}\n`);
    }
  }
  return problems;
}

function renderMessage(
  m: CaptureMessage,
  e: CaptureEntry,
  registry: SchemaRegistry,
  args: HarDecodeArgs,
  label: string,
  text: boolean,
  pretty: boolean,
): string {
  const type: Type | undefined = m.typeName ? registry.findMessage(m.typeName) : undefined;
  if (text) {
    const head = `# ${label}: ${m.typeName ?? 'no type (raw)'}\n`;
    if (!type) return `${head}${rawTextOf(m.bytes)}\n`;
    return `${head}${toText(decodeMessage(m.bytes, type, { resolveType: (n) => registry.findMessage(n) }), { registry })}\n`;
  }
  const meta = {
    entry: e.index,
    time: Number.isNaN(e.time) ? null : new Date(e.time).toISOString(),
    direction: e.direction,
    protocol: e.protocol,
    url: shortUrl(e.url),
    ...(e.rpc ? { rpc: e.rpc } : {}),
    type: m.typeName ?? null,
  };
  const indent = pretty ? 2 : 0;
  const body = type
    ? toJsonString(decodeMessage(m.bytes, type, { resolveType: (n) => registry.findMessage(n) }), {
        protoNames: args['proto-names'],
        emitDefaults: args['emit-defaults'],
        registry,
        indent,
      })
    : JSON.stringify(bytesToBase64(m.bytes));
  const head = JSON.stringify(meta, null, indent).replace(/\s*\}$/, '');
  const key = type ? 'message' : 'bytes';
  return pretty ? `${head},\n  "${key}": ${body.replace(/\n/g, '\n  ')}\n}\n` : `${head},"${key}":${body}}\n`;
}

async function writeStream(path: string, stream: ExportedStream, what: string, io: CliIO): Promise<void> {
  await writeFileAtomic(resolve(io.cwd, path), stream.bytes);
  const types = [...new Set(stream.types.map((t) => t ?? '(untyped)'))];
  io.stderr.write(`protodesk decode: wrote ${stream.count} ${what} messages to ${path} (${types.join(', ') || 'none'})\n`);
  if (types.length > 1) {
    io.stderr.write(
      `protodesk decode: ${path} mixes ${types.length} types; choose entries with --url to export one type for decode --delimited --type\n`,
    );
  }
}

/** Runs decode on a HAR file (see HAR_USAGE); returns the exit code. */
export async function decodeHar(bytes: Uint8Array, args: HarDecodeArgs, registry: SchemaRegistry, io: CliIO): Promise<number> {
  if (args.format !== undefined && args.format !== 'json' && args.format !== 'text')
    throw new UsageError(`--format must be json or text, not '${args.format}'`);
  let entryIndex: number | undefined;
  if (args.entry !== undefined) {
    if (!/^\d+$/.test(args.entry)) throw new UsageError(`--entry takes an entry number, not '${args.entry}'`);
    entryIndex = Number(args.entry);
  }
  const overrides: TypeOverrides = { urls: parseTypeFor(args['type-for'] ?? [], registry) };
  if (args.type !== undefined) requireType(registry, args.type);
  let capture: Capture;
  try {
    capture = readCapture(bytes, { schemas: registry, overrides });
  } catch (e) {
    if (e instanceof Error && e.name === 'HarFormatError') throw new InputError(e.message);
    throw e;
  }
  let entries = capture.entries;
  if (entryIndex !== undefined) {
    if (entryIndex >= entries.length)
      throw new InputError(`no entry ${entryIndex}: the capture has ${entries.length} (0 to ${entries.length - 1})`);
    entries = [entries[entryIndex]];
  }
  if (args.url !== undefined) entries = entries.filter((e) => urlPatternMatches(args.url!, e.url));
  if (args['of-type'] !== undefined) entries = entries.filter((e) => e.type === args['of-type']);
  if (args.type !== undefined) {
    const forced = args.type;
    entries = entries.map((e) => ({ ...e, type: forced, typeSource: 'entry-override' as const }));
    capture = { ...capture, entries: capture.entries.map((e) => entries.find((x) => x.index === e.index) ?? e) };
  }

  if (args['export-requests'] !== undefined || args['export-responses'] !== undefined) {
    const streams = exportStreams(
      capture,
      { schemas: registry, decompress: nodeDecompress },
      entries.map((e) => e.index),
    );
    if (args['export-requests'] !== undefined) await writeStream(args['export-requests'], streams.requests, 'request', io);
    if (args['export-responses'] !== undefined) await writeStream(args['export-responses'], streams.responses, 'response', io);
    for (const s of streams.skipped) io.stderr.write(`protodesk decode: entry ${s.index} left out: ${s.reason}\n`);
    return streams.skipped.length ? EXIT_BAD_INPUT : EXIT_OK;
  }
  if (args.format === undefined && entryIndex === undefined) {
    listEntries(capture, entries, registry, io);
    return EXIT_OK;
  }
  return printMessages(capture, entries, registry, args, io) > 0 ? EXIT_BAD_INPUT : EXIT_OK;
}
