/**
 * Helpers for the bundled schema files (tests and sample scripts): load them straight into protobufjs (independently of
 * the app's loader, so the fidelity tests check the .proto files themselves), and run protoc.
 */
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** Absolute path of the repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Import root of the bundled LiveKit schemas. */
export const LIVEKIT_DIR = join(REPO_ROOT, 'schemas/livekit');
/** Import root of the bundled Kik video schemas. */
export const KIK_DIR = join(REPO_ROOT, 'schemas/kik-video');
/** Where protoc is expected. */
export const PROTOC = '/usr/bin/protoc';

const PROTOBUFJS_DIR = join(REPO_ROOT, 'node_modules/protobufjs');

/** Every .proto file under dir, as import names relative to dir, sorted. */
export function listProtoFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.proto')) out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out;
}

/** Loads every .proto under an import root into a fresh protobufjs Root (field names kept as written). */
export function loadProtoRoot(dir: string): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    if (target.startsWith('google/protobuf/')) {
      const local = join(PROTOBUFJS_DIR, target);
      if (existsSync(local)) return local;
      return join('/usr/include', target);
    }
    return join(dir, target);
  };
  root.loadSync(listProtoFiles(dir), { keepCase: true });
  root.resolveAll();
  return root;
}

/** Whether protoc can be run here. */
export function hasProtoc(): boolean {
  return existsSync(PROTOC);
}

/** Runs protoc with input on stdin; returns stdout bytes, throws with stderr on failure. */
export function runProtoc(args: string[], input?: Uint8Array | string): Buffer {
  const r = spawnSync(PROTOC, args, { input, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`protoc ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return r.stdout;
}
