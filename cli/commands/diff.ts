import { diffMessages } from '../../core/diff/message-diff';
import { diffToText, withoutEncoding } from '../../core/diff/diff-format';
import { EXIT_OK, EXIT_USAGE, reportError, UsageError, type Command } from '../command';
import { requireType } from '../message-type';
import { SCHEMA_USAGE, parseCommandArgs, readInput, registryFromArgs } from '../schema-options';

/** Exit status when the messages differ (as diff's). */
const EXIT_DIFFERENT = 1;

/** `protodesk diff`: two binary messages compared field by field; exit 0 same, 1 different, 2 trouble. */
export const diffCommand: Command = {
  usage: `usage: protodesk diff [--type TYPE] [--json] [--ignore-encoding] A B

Compares two binary messages field by field and prints the differences as a tree, one line
each: + added, - removed, ~ changed, > moved (a repeated element at another position, or a
value that went to another field), * encoding only (an equal value written in other bytes:
an overlong varint, another field order, packed vs unpacked, a wider length prefix, a
default written explicitly). A or B may be - for standard input.
  --type TYPE           the message type of both (default: compare without a schema)
  --json                print the differences as JSON (paths, kinds, values, byte spans)
  --ignore-encoding     leave encoding-only differences out

Exit status, as diff's: 0 when the messages are the same, 1 when they differ (bytes differ;
with --ignore-encoding: values differ), 2 on trouble (a usage error, an unreadable file, a
message that does not parse; standard error says where).

${SCHEMA_USAGE}`,
  async run(argv, io) {
    try {
      const { values, positionals } = parseCommandArgs(argv, {
        type: { type: 'string' },
        json: { type: 'boolean' },
        'ignore-encoding': { type: 'boolean' },
      });
      if (positionals.length !== 2) throw new UsageError(`expected two messages to compare (A B), got ${positionals.length}`);
      const [fileA, fileB] = positionals;
      if (fileA === '-' && fileB === '-') throw new UsageError('only one of A and B can be standard input');
      const type = values.type === undefined ? null : requireType(await registryFromArgs(values, io), values.type);
      const a = await readInput(fileA, io);
      const b = await readInput(fileB, io);
      const full = diffMessages(a, b, { type });
      const ignore = values['ignore-encoding'] === true;
      const diff = ignore ? withoutEncoding(full) : full;
      if (values.json) {
        io.stdout.write(`${JSON.stringify({ a: fileA, b: fileB, ...diff }, null, 2)}\n`);
      } else {
        const what = type ? `as ${diff.typeName}` : 'without a schema';
        io.stdout.write(
          `# ${fileA} (${a.length} bytes) vs ${fileB} (${b.length} bytes), ${what}\n${diffToText(diff, { ignoreEncoding: ignore })}\n`,
        );
      }
      return (ignore ? full.sameValues : full.identical) ? EXIT_OK : EXIT_DIFFERENT;
    } catch (e) {
      // Like diff, any trouble is 2: 1 already means "different".
      const code = reportError(e, io, 'diff');
      return code === EXIT_OK ? EXIT_OK : EXIT_USAGE;
    }
  },
};
