import { DEFAULT_RAW_LIMITS, decodeRaw, parsesAsMessage } from '../../core/raw/raw-decode';
import { rawTextOf, rawToJson, rawToText } from '../../core/raw/raw-format';
import { EXIT_BAD_INPUT, EXIT_OK, UsageError, type Command } from '../command';
import { parseCommandArgs, readInput, singleInput } from '../schema-options';

/** `protodesk raw`: schema-less decode, like protoc --decode_raw but never giving up on garbage. */
export const rawCommand: Command = {
  summary: 'decode without a schema (like protoc --decode_raw)',
  usage: `usage: protodesk raw [--json] [FILE|-]

Decodes FILE (or standard input) without a schema. Text output matches protoc --decode_raw
for input it can read; on malformed input it prints what parsed and where it stopped (exit 1).
  --json    print every field with its byte span and all candidate readings, as JSON`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
    if (values.proto || values['proto-path'] || values['descriptor-set']) throw new UsageError('raw decodes without a schema; schema options do not apply');
    const bytes = await readInput(singleInput(positionals), io);
    if (!values.json && parsesAsMessage(bytes, 0, bytes.length, DEFAULT_RAW_LIMITS.maxDepth, true)) {
      // Well-formed input: print straight from the bytes, without building a tree.
      io.stdout.write(rawTextOf(bytes));
      return EXIT_OK;
    }
    const result = decodeRaw(bytes);
    io.stdout.write(values.json ? JSON.stringify(rawToJson(result), null, 2) + '\n' : rawToText(result));
    if (result.stoppedAt) {
      io.stderr.write(`protodesk raw: stopped at byte ${result.stoppedAt.offset}: ${result.stoppedAt.reason}\n`);
      return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
  },
};
