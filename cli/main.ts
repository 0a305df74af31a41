import { readFile } from 'node:fs/promises';
import { EXIT_OK, EXIT_USAGE, reportError, type CliIO, type Command } from './command';

/** The sub-commands, loaded on first use so start-up stays fast. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  types: async () => (await import('./commands/types')).typesCommand,
  decode: async () => (await import('./commands/decode')).decodeCommand,
  encode: async () => (await import('./commands/encode')).encodeCommand,
  raw: async () => (await import('./commands/raw')).rawCommand,
  detect: async () => (await import('./commands/detect')).detectCommand,
  validate: async () => (await import('./commands/validate')).validateCommand,
  send: async () => (await import('./commands/send')).sendCommand,
  mock: async () => (await import('./commands/mock')).mockCommand,
};

/** The process's own standard streams. */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
  };
}

async function usage(extra: Record<string, Command>): Promise<string> {
  const lines = ['usage: protodesk <command> [options]', '', 'commands:'];
  for (const name of [...Object.keys(COMMANDS), ...Object.keys(extra)]) {
    const cmd = extra[name] ?? (await COMMANDS[name]().catch(() => undefined));
    if (cmd) lines.push(`  ${name.padEnd(10)} ${cmd.summary}`);
  }
  lines.push('', 'Schema options on every command: --proto FILE, -I/--proto-path DIR, --descriptor-set FILE, --no-bundled.');
  lines.push("Run 'protodesk <command> --help' for a command's options.");
  return lines.join('\n') + '\n';
}

/** Runs the CLI with the given arguments; returns the exit code. */
export async function main(argv: string[], extra: Record<string, Command> = {}, io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(await usage(extra));
    return name ? EXIT_OK : EXIT_USAGE;
  }
  if (name === '--version') {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    io.stdout.write(`${pkg.version}\n`);
    return EXIT_OK;
  }
  const load = COMMANDS[name];
  const cmd = extra[name] ?? (load ? await load() : undefined);
  if (!cmd) {
    io.stderr.write(`protodesk: unknown command '${name}'\n${await usage(extra)}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${cmd.usage}\n`);
    return EXIT_OK;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    return reportError(e, io, name);
  }
}
