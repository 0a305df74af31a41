import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { SchemaRegistry } from '../core/schema/registry';
import type { ReflectOptions } from '../core-node/replay/reflection-client';
import type { PartialRegistry } from '../core-node/schema/bundled-image';
import { InputError, UsageError, type CliIO } from './command';
import { errnoWords } from './error-report';
import { openRegularFileSync, readRegularFileSync } from '../core-node/files/regular-file';

/** The schema options every command takes. */
export const SCHEMA_OPTIONS = {
  proto: { type: 'string', multiple: true },
  'proto-path': { type: 'string', short: 'I', multiple: true },
  'descriptor-set': { type: 'string', multiple: true },
  'no-bundled': { type: 'boolean' },
  reflect: { type: 'string', multiple: true },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Usage lines for the schema options, appended to each command's usage. */
export const SCHEMA_USAGE = `schema options:
  --proto FILE            load a .proto file (repeatable)
  -I, --proto-path DIR    import path, as protoc's -I (repeatable)
  --descriptor-set FILE   load a FileDescriptorSet (.binpb, .protoset, .desc, .pb) (repeatable)
  --no-bundled            do not load the bundled LiveKit and Kik schemas
  --reflect URL           load the schemas a gRPC server serves by reflection (v1 or v1alpha;
                          http:// for plaintext, https:// for TLS) (repeatable)`;

type Options = NonNullable<ParseArgsConfig['options']>;

/** What parseCommandArgs returns: node:util's parse result for the schema options plus a command's own. */
export type ParsedCommandArgs<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: typeof SCHEMA_OPTIONS & O; allowPositionals: true; strict: true }>
>;

/** Parses a command's arguments together with the schema options; unknown options are usage errors. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O): ParsedCommandArgs<O> {
  try {
    return parseArgs({ args: argv, options: { ...SCHEMA_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The schema-related values out of parsed arguments. */
export interface SchemaArgs {
  proto?: string[];
  'proto-path'?: string[];
  'descriptor-set'?: string[];
  'no-bundled'?: boolean;
  reflect?: string[];
}

/**
 * Loads the registry the schema options describe (bundled schemas unless --no-bundled), then the
 * schemas of each --reflect server (`reflect`: TLS settings and headers for them, from send).
 */
export async function registryFromArgs(values: SchemaArgs, io: CliIO, reflect?: ReflectOptions): Promise<SchemaRegistry> {
  // Loaded here, not at the top: commands that need no schema (raw) then never load protobufjs.
  const { loadSchemas } = await import('../core-node/schema/load-schemas');
  const registry = await loadSchemas({
    protoFiles: values.proto ?? [],
    importPaths: values['proto-path'] ?? [],
    descriptorSets: values['descriptor-set'] ?? [],
    bundled: !values['no-bundled'],
    cwd: io.cwd,
  });
  for (const url of values.reflect ?? []) {
    const { addReflectedSchemas, reflectSchemas } = await import('../core-node/replay/reflection-client');
    try {
      addReflectedSchemas(registry, (await reflectSchemas(url, reflect)).descriptorSet, `reflection ${url}`);
    } catch (e) {
      throw new InputError(`--reflect ${url}: ${(e as Error).message}`);
    }
  }
  return registry;
}

/**
 * When the options load the bundled schemas and nothing else: the bundled registry restored at
 * first only in the part that declares `names` (full names) and what they refer to, for a
 * command that uses just those definitions until it completes the rest (see
 * restoreBundledRegistryFor). null otherwise, or when the precompiled image cannot serve the
 * names: the command then loads with registryFromArgs, whose errors name what is missing.
 */
export async function bundledPartFromArgs(values: SchemaArgs, names: readonly string[]): Promise<PartialRegistry | null> {
  if (
    values['no-bundled'] ||
    values.proto?.length ||
    values['proto-path']?.length ||
    values['descriptor-set']?.length ||
    values.reflect?.length
  )
    return null;
  const { loadBundledSchemasFor } = await import('../core-node/schema/load-schemas');
  return loadBundledSchemasFor(names);
}

/** Reads the input named by a positional argument: a file, or standard input for '-' or none. */
export async function readInput(file: string | undefined, io: CliIO): Promise<Uint8Array> {
  if (file === undefined || file === '-') return io.readStdin();
  return plainBytes(await readInputFile(file, io));
}

/**
 * Reads a regular file named on the command line; anything else (missing, a directory, a FIFO)
 * is an InputError naming it. Read synchronously: one read call for the whole file, where the
 * asynchronous read takes one thread-pool round trip per 64 KiB.
 */
export async function readInputFile(file: string, io: CliIO): Promise<Buffer> {
  try {
    return readRegularFileSync(resolve(io.cwd, file));
  } catch (e) {
    throw inputFileError(file, e);
  }
}

/** Opens a regular file named on the command line for reading (the caller closes it); errors as readInputFile's. */
export function openInputFile(file: string, io: CliIO): number {
  try {
    return openRegularFileSync(resolve(io.cwd, file));
  } catch (e) {
    throw inputFileError(file, e);
  }
}

/** The InputError for a file named on the command line that cannot be read. */
function inputFileError(file: string, e: unknown): InputError {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return new InputError(`${file}: no such file`);
  if (err.name === 'NotRegularFileError') return new InputError(`${file}: is ${(e as { kind: string }).kind}, not a regular file`);
  return new InputError(`${file}: ${errnoWords(err)}`);
}

/**
 * The bytes of a Buffer as a plain Uint8Array, without copying: decoders then see one array
 * type only (a Buffer is a subclass), which keeps their hot loops monomorphic.
 */
export function plainBytes(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** At most one positional argument (the input file). */
export function singleInput(positionals: string[]): string | undefined {
  if (positionals.length > 1) throw new UsageError(`expected at most one input file, got ${positionals.length}: ${positionals.join(' ')}`);
  return positionals[0];
}
