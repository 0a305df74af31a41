/**
 * Helpers for the bundled schema files (tests and sample scripts): load them straight into protobufjs (independently of
 * the app's loader, so the fidelity tests check the .proto files themselves).
 */
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { PROTOC_INCLUDE } from '../testing/protoc';

/** Absolute path of the repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Import root of the bundled LiveKit schemas. */
export const LIVEKIT_DIR = join(REPO_ROOT, 'schemas/livekit');
/** Import root of the bundled Kik video schemas. */
export const KIK_DIR = join(REPO_ROOT, 'schemas/kik-video');

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
      return join(PROTOC_INCLUDE, target);
    }
    return join(dir, target);
  };
  root.loadSync(listProtoFiles(dir), { keepCase: true });
  root.resolveAll();
  return root;
}

/**
 * Upstream copies of the LiveKit and Kik .proto files (folders livekit/ and kik/), for the checks
 * that compare our schemas with them. They are not part of the repository: PROTODESK_UPSTREAM_PROTOS
 * names the folder, else ../shared/reference-protos beside the checkout is used when it exists.
 * Tests that need them skip with a printed reason where they are absent; the checks that need
 * only the repository always run.
 */
export const UPSTREAM_PROTOS_DIR = resolve(process.env['PROTODESK_UPSTREAM_PROTOS'] ?? join(REPO_ROOT, '../shared/reference-protos'));
