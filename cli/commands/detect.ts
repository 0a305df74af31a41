import { rankRegistryTypes } from '../../core/detect/detect-type';
import { EXIT_OK, UsageError, type Command } from '../command';
import { SCHEMA_USAGE, parseCommandArgs, readInput, registryFromArgs, singleInput } from '../schema-options';

/** `protodesk detect`: ranks the loaded message types for the input bytes. */
export const detectCommand: Command = {
  usage: `usage: protodesk detect [--top N] [FILE|-]

Prints TYPE<TAB>SCORE lines, best first (score 0..1); nothing for empty input.
  --top N    print only the N best (default 10; 0 for all)

${SCHEMA_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { top: { type: 'string', default: '10' } });
    const top = Number(values.top);
    if (!Number.isInteger(top) || top < 0) throw new UsageError(`--top must be a whole number, not '${values.top}'`);
    const registry = await registryFromArgs(values, io);
    const bytes = await readInput(singleInput(positionals), io);
    if (bytes.length === 0) {
      // Every message type reads zero bytes as its empty message: a ranking would be ties broken by name.
      io.stderr.write('protodesk detect: the input is empty (0 bytes): every message type reads it, so there is nothing to rank\n');
      return EXIT_OK;
    }
    const ranked = rankRegistryTypes(bytes, registry, { limit: top || undefined, reasonsFor: 0 });
    io.stdout.write(ranked.map((r) => `${r.typeName}\t${r.score.toFixed(4)}\n`).join(''));
    return EXIT_OK;
  },
};
