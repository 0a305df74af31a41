import { resolve } from 'node:path';
import { encodeMessage } from '../../core/document/encode';
import { fromJson } from '../../core/format';
import { fromText } from '../../core/format';
import { WireWriter } from '../../core/wire/wire-writer';
import { writeFileAtomic } from '../../core-node/workbench/atomic-file';
import { EXIT_OK, InputError, UsageError, type Command } from '../command';
import { requireType } from '../message-type';
import { SCHEMA_USAGE, parseCommandArgs, readInput, registryFromArgs, singleInput } from '../schema-options';

/** `protodesk encode`: proto3 JSON or text format to binary. */
export const encodeCommand: Command = {
  usage: `usage: protodesk encode --type TYPE [--from json|text] [--ignore-unknown] [--delimited] [FILE|-] [-o OUT]

Reads a message of TYPE as proto3 JSON (default) or text format and writes its binary
encoding to OUT (written atomically) or standard output. The input must be UTF-8; write other
bytes of a text format string as \\ooo escapes.
  --type TYPE             fully-qualified message type
  --from json|text        input format (default json)
  --ignore-unknown        skip fields (and enum value names) the type does not know instead
                          of refusing them (protobuf-es' ignoreUnknownFields; C++ TextFormat's
                          AllowUnknownField for text)
  --delimited             input is JSON lines; write a varint length-delimited stream
  -o, --output OUT        output file (default: standard output)

${SCHEMA_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      type: { type: 'string' },
      from: { type: 'string', default: 'json' },
      delimited: { type: 'boolean' },
      'ignore-unknown': { type: 'boolean' },
      output: { type: 'string', short: 'o' },
    });
    const from = values.from;
    if (from !== 'json' && from !== 'text') throw new UsageError(`--from must be json or text, not '${from}'`);
    if (values.delimited && from !== 'json') throw new UsageError('--delimited reads JSON lines; use it with --from json');
    const file = singleInput(positionals);
    const registry = await registryFromArgs(values, io);
    const type = requireType(registry, values.type);
    const input = inputText(await readInput(file, io), from);
    const options = { registry, ignoreUnknownFields: values['ignore-unknown'] === true };
    const encodeOne = (text: string, where: string) => {
      try {
        const root = from === 'json' ? fromJson(text, type, options) : fromText(text, type, options);
        return encodeMessage(root, new Uint8Array(0));
      } catch (e) {
        if (e instanceof Error && !(e instanceof InputError)) throw new InputError(`${where}${e.message}`);
        throw e;
      }
    };

    let out: Uint8Array;
    if (values.delimited) {
      const w = new WireWriter();
      input.split('\n').forEach((line, i) => {
        if (line.trim() === '') return;
        const msg = encodeOne(line, `line ${i + 1}: `);
        w.uvarint(msg.length).raw(msg);
      });
      out = w.finish();
    } else {
      out = encodeOne(input, '');
    }
    if (values.output) await writeFileAtomic(resolve(io.cwd, values.output), out);
    else io.stdout.write(out);
    return EXIT_OK;
  },
};

/**
 * The input as text. Invalid UTF-8 is refused rather than replaced (a replaced byte would be
 * encoded as U+FFFD: a silent change). A byte order mark before JSON is dropped (it is outside
 * every value); before text format it is kept, so the parser refuses it where protoc does.
 */
export function inputText(bytes: Uint8Array, from: 'json' | 'text'): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // The longest prefix that still reads as UTF-8 (a prefix of a valid prefix is valid: binary search).
    let valid = 0;
    let bad = bytes.length;
    while (bad - valid > 1) {
      const mid = (valid + bad) >>> 1;
      if (isValidPrefix(bytes.subarray(0, mid))) valid = mid;
      else bad = mid;
    }
    throw new InputError(`the input is not valid UTF-8 (at byte ${valid}); write such bytes in a string as \\ooo escapes`);
  }
  return from === 'json' && text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** Whether bytes decode as UTF-8 up to their end, allowing a sequence cut off at the end. */
function isValidPrefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
