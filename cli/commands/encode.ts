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
  usage: `usage: protodesk encode --type TYPE [--from json|text] [--delimited] [FILE|-] [-o OUT]

Reads a message of TYPE as proto3 JSON (default) or text format and writes its binary
encoding to OUT (written atomically) or standard output.
  --type TYPE             fully-qualified message type
  --from json|text        input format (default json)
  --delimited             input is JSON lines; write a varint length-delimited stream
  -o, --output OUT        output file (default: standard output)

${SCHEMA_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      type: { type: 'string' },
      from: { type: 'string', default: 'json' },
      delimited: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
    });
    const from = values.from;
    if (from !== 'json' && from !== 'text') throw new UsageError(`--from must be json or text, not '${from}'`);
    if (values.delimited && from !== 'json') throw new UsageError('--delimited reads JSON lines; use it with --from json');
    const file = singleInput(positionals);
    const registry = await registryFromArgs(values, io);
    const type = requireType(registry, values.type);
    const input = new TextDecoder('utf-8', { fatal: false }).decode(await readInput(file, io));
    const encodeOne = (text: string, where: string) => {
      try {
        const root = from === 'json' ? fromJson(text, type, { registry }) : fromText(text, type, { registry });
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
