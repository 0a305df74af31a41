import { decodeMessage } from '../../core/document/decode';
import { DecodeError } from '../../core/wire/decode-error';
import { toJsonString } from '../../core/format/json-format';
import { toText } from '../../core/format/text-format';
import { messageAt } from '../../core/stream/stream-framing';
import { EXIT_OK, InputError, UsageError, type Command } from '../command';
import { FRAMING_OPTIONS, FRAMING_USAGE, chooseFraming, splitMessages } from '../framing-options';
import { requireType } from '../message-type';
import { SCHEMA_USAGE, parseCommandArgs, readInput, registryFromArgs, singleInput } from '../schema-options';

/** `protodesk decode`: binary message(s) of a type to proto3 JSON or text format. */
export const decodeCommand: Command = {
  usage: `usage: protodesk decode --type TYPE [--format json|text] [--proto-names] [framing] [FILE|-]

Decodes FILE (or standard input) as TYPE and prints it. A single message prints as indented
JSON; a stream prints one JSON document per line. Text format is what protoc --decode prints.
  --type TYPE             fully-qualified message type (see: protodesk types)
  --format json|text      output format (default json)
  --proto-names           JSON field names as in the .proto, not lowerCamelCase

${FRAMING_USAGE}

${SCHEMA_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      type: { type: 'string' },
      format: { type: 'string', default: 'json' },
      'proto-names': { type: 'boolean' },
      ...FRAMING_OPTIONS,
    });
    const format = values.format;
    if (format !== 'json' && format !== 'text') throw new UsageError(`--format must be json or text, not '${format}'`);
    const file = singleInput(positionals);
    const registry = await registryFromArgs(values, io);
    const type = requireType(registry, values.type);
    const bytes = await readInput(file, io);
    const framing = chooseFraming(values, bytes);
    const resolveType = (name: string) => registry.findMessage(name);

    const render = (message: Uint8Array, compact: boolean) => {
      const root = decodeMessage(message, type, { resolveType });
      return format === 'text'
        ? toText(root, { registry })
        : toJsonString(root, { protoNames: values['proto-names'], registry, indent: compact ? 0 : 2 }) + '\n';
    };

    if (framing === 'single') {
      io.stdout.write(render(bytes, false));
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
        throw e;
      }
      io.stdout.write(format === 'text' ? `# message ${i}\n${out}\n` : out);
    }
    return EXIT_OK;
  },
};
