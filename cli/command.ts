import { debugDetail, describeError } from './error-report';

/** Exit codes: 0 success, 1 bad input (stderr says where and what), 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;

/** A mistake in how the command was called (unknown option, missing --type): exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Input that cannot be processed (malformed bytes, bad JSON, unknown type): exit 1. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Where a command reads and writes; tests pass their own. */
export interface CliIO {
  stdout: { write(chunk: string | Uint8Array): unknown };
  /** The file descriptor behind `stdout` when big output may be written to it directly and synchronously (the process's own: 1). */
  stdoutFd?: number;
  stderr: { write(chunk: string | Uint8Array): unknown };
  /** Reads all of standard input. */
  readStdin(): Promise<Uint8Array>;
  /** Working directory that relative paths resolve against. */
  cwd: string;
}

/** One CLI sub-command. `run` returns the exit code; it throws UsageError / InputError for the usual failures. */
export interface Command {
  usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/**
 * A command as `main` lists it: its one-line summary, and its module, loaded only when the
 * command runs, so start-up and --help load no command's dependencies (schemas, protobufjs, gRPC).
 */
export interface CommandEntry {
  summary: string;
  load(): Promise<Command>;
}

/**
 * Turns an error into the exit code and one sentence on stderr: usage errors exit 2, everything
 * else 1. Never a stack trace (PROTODESK_DEBUG=1 adds one).
 */
export function reportError(e: unknown, io: CliIO, commandName: string): number {
  io.stderr.write(`protodesk ${commandName}: ${describeError(e)}\n${debugDetail(e)}`);
  return e instanceof UsageError ? EXIT_USAGE : EXIT_BAD_INPUT;
}
