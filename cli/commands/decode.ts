import { decodeMessage } from '../../core/document/decode';
import { DecodeError } from '../../core/wire/decode-error';
import { JsonFormatError, toJsonString, toText } from '../../core/format';
import { messageAt } from '../../core/stream/stream-framing';
import { EXIT_OK, InputError, UsageError, type Command } from '../command';
import { FRAMING_OPTIONS, FRAMING_USAGE, chooseFraming, splitMessages } from '../framing-options';
import { requireType } from '../message-type';
import { HAR_USAGE, decodeHar, looksLikeHar } from './decode-har';
import { SCHEMA_USAGE, parseCommandArgs, readInput, registryFromArgs, singleInput } from '../schema-options';

/** `protodesk decode`: binary message(s) of a type to proto3 JSON or text format. */
export const decodeCommand: Command = {
  usage: `usage: protodesk decode --type TYPE [--format json|text] [--proto-names] [framing] [FILE|-]
       protodesk decode [--format json|text] [--entry N] [capture options] FILE.har

Decodes FILE (or standard input) as TYPE and prints it. A single message prints as indented
JSON; a stream prints one JSON document per line. Text format is what protoc --decode prints.
  --type TYPE             fully-qualified message type (see: protodesk types)
  --format json|text      output format (default json)
  --proto-names           JSON field names as in the .proto, not lowerCamelCase

${FRAMING_USAGE}

${HAR_USAGE}

${SCHEMA_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      type: { type: 'string' },
      format: { type: 'string' },
      'proto-names': { type: 'boolean' },
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
    const registry = await registryFromArgs(values, io);
    const type = requireType(registry, values.type);
    const framing = chooseFraming(values, bytes);
    const resolveType = (name: string) => registry.findMessage(name);

    const render = (message: Uint8Array, compact: boolean) => {
      const root = decodeMessage(message, type, { resolveType });
      if (format === 'text') return toText(root, { registry });
      return toJsonString(root, { protoNames: values['proto-names'], registry, indent: compact ? 0 : 2 }) + '\n';
    };
    // A value proto3 JSON cannot hold: NaN in a Value, a Timestamp past year 9999, an Any of an unknown type.
    const notJson = (e: JsonFormatError, where: string) =>
      new InputError(`${where}cannot write ${values.type} as JSON: ${e.message} (--format text prints it)`);

    if (framing === 'single') {
      try {
        io.stdout.write(render(bytes, false));
      } catch (e) {
        throw e instanceof JsonFormatError ? notJson(e, '') : e;
      }
      return EXIT_OK;
    }
    const index = splitMessages(bytes, framing);
    for (let i = 0; i < index.count; i++) {
      let out: string;
      try {
        if (index.flags?.[i]) throw new InputError(`message ${i} is compressed (gRPC flag 1); decompression is not supported`);
        out = render(messageAt(index, i), true);
      } catch (e) {
        if (e instanceof DecodeError) {
          throw new InputError(`message ${i} (payload at byte ${index.offsets[i]} of the file): ${e.message}`);
        }
        throw e instanceof JsonFormatError ? notJson(e, `message ${i}: `) : e;
      }
      io.stdout.write(format === 'text' ? `# message ${i}\n${out}\n` : out);
    }
    return EXIT_OK;
  },
};
