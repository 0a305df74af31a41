/**
 * protoc, the reference implementation, for tests, scripts and benchmarks: the binary and Google's
 * `include/` that ship inside the `protoc` npm package (a devDependency, so `npm install` brings
 * it on Linux, macOS and Windows without anything on the PATH). `PROTOC` in the environment
 * overrides the binary, to compare against another release by hand.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

interface ProtocAsset {
  platform: string;
  arch: string;
  executable: string;
}

const packageDir = dirname(createRequire(import.meta.url).resolve('protoc/package.json'));

/** The protoc binary for this platform inside the npm package (or PROTOC). */
export const PROTOC: string = process.env['PROTOC'] ?? bundledBinary();

/** Google's well-known .proto files (google/protobuf/*.proto) that ship with that protoc. */
export const PROTOC_INCLUDE: string = join(packageDir, 'include');

function bundledBinary(): string {
  const assets = JSON.parse(readFileSync(join(packageDir, 'assets.json'), 'utf8')) as ProtocAsset[];
  const asset = assets.find((a) => a.platform === process.platform && a.arch === process.arch);
  if (!asset)
    throw new Error(`the protoc npm package has no binary for ${process.platform}/${process.arch}; set PROTOC to a protoc binary`);
  return join(packageDir, 'bin', asset.executable);
}

/** `protoc --version`, e.g. "libprotoc 36.2". */
export function protocVersion(): string {
  return execFileSync(PROTOC, ['--version'], { encoding: 'utf8' }).trim();
}

/** Runs protoc with input on stdin; returns stdout bytes, throws with protoc's stderr on failure. */
export function runProtoc(args: readonly string[], input?: Uint8Array | string): Buffer {
  const r = spawnSync(PROTOC, args, { input, maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`protoc ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

/** A set of .proto files on disk, with protoc operations on them. */
export interface ProtocSchema {
  /** The import root the files were written to. */
  dir: string;
  /** `protoc --encode=type`: text format in, binary out. Throws with protoc's stderr on failure. */
  encode(type: string, text: string): Uint8Array;
  /** `protoc --decode=type`: binary in, text format out. */
  decode(type: string, bytes: Uint8Array): string;
  /** `protoc --decode_raw`. */
  decodeRaw(bytes: Uint8Array): string;
  /** A FileDescriptorSet of every file, with imports (--include_imports). */
  descriptorSet(): Uint8Array;
}

/**
 * Writes `files` (import name → contents) to a fresh directory and returns protoc operations on
 * them; imports of google/protobuf/*.proto resolve to protoc's own include directory.
 */
export function protocSchema(files: Record<string, string>): ProtocSchema {
  const dir = mkdtempSync(join(tmpdir(), 'protodesk-protoc-'));
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), contents);
  }
  const names = Object.keys(files);
  const run = (args: string[], input: Uint8Array | string): Buffer => runProtoc([`-I${dir}`, `-I${PROTOC_INCLUDE}`, ...args], input);
  return {
    dir,
    encode: (type, text) => new Uint8Array(run([`--encode=${type}`, ...names], text)),
    decode: (type, bytes) => run([`--decode=${type}`, ...names], bytes).toString('latin1'),
    decodeRaw: (bytes) => run(['--decode_raw'], bytes).toString('latin1'),
    descriptorSet: () => {
      const out = join(dir, '__set.binpb');
      run(['--include_imports', `--descriptor_set_out=${out}`, ...names], '');
      return new Uint8Array(readFileSync(out));
    },
  };
}
