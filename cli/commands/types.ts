import { SCHEMA_USAGE, parseCommandArgs, registryFromArgs } from '../schema-options';
import { EXIT_OK, UsageError, type Command } from '../command';

/** `protodesk types`: lists every loaded message type, one fully-qualified name per line. */
export const typesCommand: Command = {
  usage: `usage: protodesk types [--filter S] [schema options]

Prints every loaded message type's fully-qualified name, one per line, sorted.
  --filter S    only names containing S (case-insensitive)

${SCHEMA_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { filter: { type: 'string' } });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const registry = await registryFromArgs(values, io);
    const needle = values.filter?.toLowerCase();
    const names = registry.messageTypes().map((t) => registry.fullName(t));
    const shown = needle === undefined ? names : names.filter((n) => n.toLowerCase().includes(needle));
    io.stdout.write(shown.map((n) => `${n}\n`).join(''));
    return EXIT_OK;
  },
};
