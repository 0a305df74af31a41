import { decodeMessage } from '../../core/document/decode';
import { DecodeError } from '../../core/wire/decode-error';
import type { Type } from 'protobufjs';
import { JsonFormatError } from '../../core/format';
import { JsonWriter, type WriteJsonOptions } from '../../core/format/json-print-fast';
import { TextWriter } from '../../core/format/text-print-fast';
import type { SchemaRegistry } from '../../core/schema/registry';
import { ByteSink } from '../../core/wire/byte-sink';
import { messageAt, type Framing } from '../../core/stream/stream-framing';
import { EXIT_OK, InputError, UsageError, type CliIO, type Command } from '../command';
import { FRAMING_OPTIONS, FRAMING_USAGE, chooseFraming, splitMessages } from '../framing-options';
import { requireType } from '../message-type';
import { HAR_USAGE, decodeHar, looksLikeHar } from './decode-har';
import { SCHEMA_USAGE, bundledPartFromArgs, parseCommandArgs, readInput, registryFromArgs, singleInput } from '../schema-options';

/** `protodesk decode`: binary message(s) of a type to proto3 JSON or text format. */
export const decodeCommand: Command = {
  usage: `usage: protodesk decode --type TYPE [--format json|text] [--proto-names] [--emit-defaults] [framing] [FILE|-]
       protodesk decode [--format json|text] [--entry N] [capture options] FILE.har

Decodes FILE (or standard input) as TYPE and prints it. A single message prints as indented
JSON; a stream prints one JSON document per line. Text format is what protoc --decode prints.
  --type TYPE             fully-qualified message type (see: protodesk types)
  --format json|text      output format (default json)
  --proto-names           JSON field names as in the .proto, not lowerCamelCase
  --emit-defaults         JSON also shows fields without presence that hold their default
                          (0, "", false, [], {}), as protobuf-es' alwaysEmitImplicit

${FRAMING_USAGE}

${HAR_USAGE}

${SCHEMA_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      type: { type: 'string' },
      format: { type: 'string' },
      'proto-names': { type: 'boolean' },
      'emit-defaults': { type: 'boolean' },
      ...FRAMING_OPTIONS,
      har: { type: 'boolean' },
      entry: { type: 'string' },
      url: { type: 'string' },
      'of-type': { type: 'string' },
      'type-for': { type: 'string', multiple: true },
      'export-requests': { type: 'string' },
      'export-responses': { type: 'string' },
    });
    const file = singleInput(positionals);
    // Without a type or a file there is nothing a HAR could come from but an unannounced standard input.
    if (values.type === undefined && file === undefined && !values.har) {
      throw new UsageError('--type TYPE is required (list types with: protodesk types); a HAR file on standard input needs --har');
    }
    const jsonOnly = (['proto-names', 'emit-defaults'] as const).find((k) => values[k]);
    if (jsonOnly && values.format === 'text') throw new UsageError(`--${jsonOnly} applies to JSON output, not --format text`);
    const bytes = await readInput(file, io);
    if (values.har || looksLikeHar(file, bytes)) {
      if (values.delimited || values['grpc-frames'] || values.single) throw new UsageError('framing options do not apply to a HAR file');
      return decodeHar(bytes, values, await registryFromArgs(values, io), io);
    }
    const harOnly = (['entry', 'url', 'of-type', 'type-for', 'export-requests', 'export-responses'] as const).find(
      (k) => values[k] !== undefined,
    );
    if (harOnly) throw new UsageError(`--${harOnly} applies to HAR files only`);
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'text') throw new UsageError(`--format must be json or text, not '${format}'`);
    // With the bundled schemas alone, only the part that holds the type (and what it refers to) is
    // restored: decoding and printing find everything else by name, which completes the rest first.
    const part = values.type ? await bundledPartFromArgs(values, [values.type.replace(/^\./, '')]) : null;
    const registry = part?.registry ?? (await registryFromArgs(values, io));
    if (part && !registry.findMessage(values.type!)) part.complete(); // not a message: the error suggests from all types
    const type = requireType(registry, values.type);
    const framing = chooseFraming(values, bytes);
    const jsonOptions = { protoNames: values['proto-names'], emitDefaults: values['emit-defaults'], registry };
    if (format === 'json') return printJson(bytes, type, values.type, framing, jsonOptions, io);

    return printText(bytes, type, values.type, framing, registry, io);
  },
};

/** Output is handed to stdout in chunks of about this size (whole messages only). */
const CHUNK_BYTES = 1 << 16;

/**
 * Prints the message(s) as JSON from their checked bytes (JsonWriter): a single message indented,
 * a stream one line per message. Output goes out in chunks of whole messages, so a message that
 * fails leaves nothing of itself behind and everything before it printed, as before.
 */
function printJson(
  bytes: Uint8Array,
  type: Type,
  typeName: string | undefined,
  framing: Framing,
  options: WriteJsonOptions & { registry: SchemaRegistry },
  io: CliIO,
): number {
  // Nodes are built only where the JSON needs the parsed view, and read once: not kept.
  const decodeOptions = { resolveType: (name: string) => options.registry.findMessage(name), transient: true };
  if (framing === 'single') {
    const sink = new ByteSink(null, CHUNK_BYTES, Math.min(1 << 24, Math.max(1 << 12, bytes.length * 2)));
    try {
      new JsonWriter(sink, { ...options, indent: 2 }).write(decodeMessage(bytes, type, decodeOptions));
    } catch (e) {
      throw e instanceof JsonFormatError ? notJson(e, '', typeName) : e;
    }
    sink.byte(0x0a);
    io.stdout.write(sink.take());
    return EXIT_OK;
  }
  const sink = new ByteSink(null, CHUNK_BYTES, CHUNK_BYTES * 2);
  const writer = new JsonWriter(sink, { ...options, indent: 0 });
  const index = splitMessages(bytes, framing);
  try {
    for (let i = 0; i < index.count; i++) {
      try {
        if (index.flags?.[i]) throw compressedError(i);
        writer.write(decodeMessage(messageAt(index, i), type, decodeOptions));
      } catch (e) {
        throw withMessageIndex(e, i, index.offsets[i], typeName);
      }
      sink.byte(0x0a);
      if (sink.pos >= CHUNK_BYTES) io.stdout.write(sink.take());
    }
  } finally {
    if (sink.pos > 0) io.stdout.write(sink.take());
  }
  return EXIT_OK;
}

/**
 * Prints the message(s) as text format from their checked bytes (TextWriter), what protoc
 * --decode prints: a stream as `# message N` and each message followed by an empty line. Output
 * goes out in chunks of whole messages, so a message that fails leaves nothing of itself behind
 * (not even its header) and everything before it printed.
 */
function printText(
  bytes: Uint8Array,
  type: Type,
  typeName: string | undefined,
  framing: Framing,
  registry: SchemaRegistry,
  io: CliIO,
): number {
  const decodeOptions = { resolveType: (name: string) => registry.findMessage(name), transient: true };
  if (framing === 'single') {
    // Chunks, not one growing buffer (text is several times the input), written once all is printed.
    const chunks: Uint8Array[] = [];
    const sink = new ByteSink((chunk) => chunks.push(chunk.slice()), CHUNK_BYTES, CHUNK_BYTES * 2);
    new TextWriter(sink).write(decodeMessage(bytes, type, decodeOptions));
    sink.flush();
    for (const chunk of chunks) io.stdout.write(chunk);
    return EXIT_OK;
  }
  const sink = new ByteSink(null, CHUNK_BYTES, CHUNK_BYTES * 2);
  const writer = new TextWriter(sink);
  const index = splitMessages(bytes, framing);
  try {
    for (let i = 0; i < index.count; i++) {
      const mark = sink.pos;
      try {
        if (index.flags?.[i]) throw compressedError(i);
        const root = decodeMessage(messageAt(index, i), type, decodeOptions);
        sink.ascii('# message ');
        sink.int(i);
        sink.byte(0x0a);
        writer.write(root);
      } catch (e) {
        sink.pos = mark;
        throw withMessageIndex(e, i, index.offsets[i], typeName);
      }
      sink.byte(0x0a);
      if (sink.pos >= CHUNK_BYTES) io.stdout.write(sink.take());
    }
  } finally {
    if (sink.pos > 0) io.stdout.write(sink.take());
  }
  return EXIT_OK;
}

function compressedError(i: number): InputError {
  return new InputError(`message ${i} is compressed (gRPC flag 1); decompression is not supported`);
}

/** A value proto3 JSON cannot hold (NaN in a Value, a Timestamp past year 9999, an Any of an unknown type), as an input error. */
function notJson(e: JsonFormatError, where: string, typeName: string | undefined): InputError {
  return new InputError(`${where}cannot write ${typeName} as JSON: ${e.message} (--format text prints it)`);
}

/** An error of one message of a stream, named by its index (and, for a decode error, its offset); other errors as they are. */
function withMessageIndex(e: unknown, i: number, offset: number, typeName: string | undefined): unknown {
  if (e instanceof DecodeError) return new InputError(`message ${i} (payload at byte ${offset} of the file): ${e.message}`);
  if (e instanceof JsonFormatError) return notJson(e, `message ${i}: `, typeName);
  return e;
}
