/**
 * Runs protoc (the reference implementation) on schemas written to a temporary directory:
 * --encode, --decode, --decode_raw and --descriptor_set_out. Tests use it as the referee for
 * the text and JSON formats; it needs a `protoc` binary on the PATH (or PROTOC).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The protoc binary used (PROTOC, else "protoc"). */
export const PROTOC = process.env['PROTOC'] ?? 'protoc';

/** Whether protoc can be run here. */
export function protocAvailable(): boolean {
  return spawnSync(PROTOC, ['--version']).status === 0;
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

/** Writes `files` (import name → contents) to a fresh directory and returns protoc operations on them. */
export function protocSchema(files: Record<string, string>): ProtocSchema {
  const dir = mkdtempSync(join(tmpdir(), 'protodesk-protoc-'));
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), contents);
  }
  const names = Object.keys(files);
  const run = (args: string[], input: Uint8Array | string): Buffer => {
    const r = spawnSync(PROTOC, [`-I${dir}`, ...args], { input, maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`protoc ${args.join(' ')} failed: ${r.stderr.toString()}`);
    return r.stdout;
  };
  return {
    dir,
    encode: (type, text) => new Uint8Array(run([`--encode=${type}`, ...names], text)),
    decode: (type, bytes) => run([`--decode=${type}`, ...names], bytes).toString('latin1'),
    decodeRaw: (bytes) => run(['--decode_raw'], bytes).toString('latin1'),
    descriptorSet: () => {
      const out = join(dir, '__set.binpb');
      execFileSync(PROTOC, [`-I${dir}`, '--include_imports', `--descriptor_set_out=${out}`, ...names]);
      return new Uint8Array(readFileSync(out));
    },
  };
}
