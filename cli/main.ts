import { readFile } from 'node:fs/promises';
import { EXIT_OK, EXIT_USAGE, reportError, type CliIO, type CommandEntry } from './command';
import { plainBytes } from './schema-options';

/** The sub-commands; each module is loaded only when its command runs (see CommandEntry). */
const COMMANDS: Record<string, CommandEntry> = {
  types: { summary: 'list the loaded message types, one per line', load: async () => (await import('./commands/types')).typesCommand },
  decode: { summary: 'decode binary messages to JSON or text format', load: async () => (await import('./commands/decode')).decodeCommand },
  encode: { summary: 'encode JSON or text format to binary', load: async () => (await import('./commands/encode')).encodeCommand },
  diff: {
    summary: 'compare two binary messages field by field (exit 0 same, 1 different)',
    load: async () => (await import('./commands/diff')).diffCommand,
  },
  raw: { summary: 'decode without a schema (like protoc --decode_raw)', load: async () => (await import('./commands/raw')).rawCommand },
  detect: {
    summary: 'rank the loaded message types for a binary message',
    load: async () => (await import('./commands/detect')).detectCommand,
  },
  validate: {
    summary: 'check a message against its validation rules (kik.validation, required)',
    load: async () => (await import('./commands/validate')).validateCommand,
  },
  send: {
    summary: 'send a message to a service (Twirp, gRPC, gRPC-Web, Connect) and print the response',
    load: async () => (await import('./commands/send')).sendCommand,
  },
  mock: {
    summary: 'run the mock server (LiveKit RoomService, Kik KikVideo, any loaded service)',
    load: async () => (await import('./commands/mock')).mockCommand,
  },
};

/** The process's own standard streams. */
export function processIO(): CliIO {
  return {
    // A getter: touching process.stdout makes a pipe non-blocking, which `raw` writing to fd 1 avoids.
    get stdout() {
      return process.stdout;
    },
    stdoutFd: 1,
    stderr: process.stderr,
    cwd: process.cwd(),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return plainBytes(Buffer.concat(chunks));
    },
  };
}

function usage(commands: Record<string, CommandEntry>): string {
  const lines = ['usage: protodesk <command> [options]', '', 'commands:'];
  for (const [name, { summary }] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${summary}`);
  lines.push('', 'Schema options on every command: --proto FILE, -I/--proto-path DIR, --descriptor-set FILE, --no-bundled.');
  lines.push("Run 'protodesk <command> --help' for a command's options.");
  return lines.join('\n') + '\n';
}

/** Runs the CLI with the given arguments (`extra`: commands defined outside cli/, e.g. serve); returns the exit code. */
export async function main(argv: string[], extra: Record<string, CommandEntry> = {}, io: CliIO = processIO()): Promise<number> {
  const commands = { ...COMMANDS, ...extra };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage(commands));
    return name ? EXIT_OK : EXIT_USAGE;
  }
  if (name === '--version') {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    io.stdout.write(`${pkg.version}\n`);
    return EXIT_OK;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.stderr.write(`protodesk: unknown command '${name}'\n${usage(commands)}`);
    return EXIT_USAGE;
  }
  try {
    const cmd = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${cmd.usage}\n`);
      return EXIT_OK;
    }
    return await cmd.run(rest, io);
  } catch (e) {
    return reportError(e, io, name);
  }
}
