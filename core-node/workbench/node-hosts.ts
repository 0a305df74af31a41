/**
 * The Node side of the workbench: file access with atomic save, small persistent state
 * (remembered types, recent files, the user's schemas) in a JSON file, and the session over them
 * (schemas: schema-host.ts).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { readRegularFile } from '../files/regular-file';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Root } from 'protobufjs';
import type { SchemaRegistry } from '../../core/schema/registry';
import type { SchemaSources } from '../../core/api/contract';
import type { FileHost, Scheduler, SchemaHost } from '../../core/workbench/engine';
import { nodeDecompress } from '../capture/decompress';
import { createSession, type WorkbenchSession } from '../../core/workbench/session/session';
import { createCoreEngine } from '../../core/workbench/core-engine';
import { writeFileAtomic } from './atomic-file';
import { hashBytes, hashFile } from './content-hash';
import { nodeRecoveryStore } from './recovery-store';
import { nodeSchemaHost, type RememberedSchemas } from './schema-host';

export { nodeSchemaHost, schemasOf } from './schema-host';

/** A FileHost over the real file system; state lives in `stateFile` (none: in memory only). */
export function nodeFileHost(options: { cwd?: string; stateFile?: string | null } = {}): FileHost {
  const cwd = options.cwd ?? process.cwd();
  let state: Record<string, unknown> = {};
  if (options.stateFile) {
    try {
      state = JSON.parse(readFileSync(options.stateFile, 'utf8')) as Record<string, unknown>;
    } catch {
      state = {};
    }
  }
  return {
    read: async (path) => {
      const b = await readRegularFile(path);
      // A plain Uint8Array over the Buffer's own memory: copying it would double the memory of a
      // big file and hold the host up for seconds (1 GB: about 6 s here).
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
    writeAtomic: (path, bytes, options) => writeFileAtomic(path, bytes, options),
    async stat(path) {
      try {
        const st = await stat(path);
        return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, dev: st.dev, ino: st.ino, checkedAtMs: Date.now() };
      } catch {
        return null;
      }
    },
    hashBytes,
    hashFile,
    isFolder: async (path) => (await stat(path).catch(() => null))?.isDirectory() ?? false,
    holdsProtoFiles: (path) => holdsProtoFiles(path),
    resolve: (path, from = cwd) => resolve(from, path),
    isAbsolute: (path) => isAbsolute(path),
    basename: (path) => basename(path),
    dirname: (path) => dirname(path),
    getState: <T>(key: string) => state[key] as T | undefined,
    setState(key, value) {
      state[key] = value;
      if (!options.stateFile) return;
      try {
        mkdirSync(dirname(options.stateFile), { recursive: true });
        writeFileSync(options.stateFile, JSON.stringify(state, null, 2));
      } catch {
        // State is a convenience; a read-only config directory must not break editing.
      }
    },
  };
}

/** A session over the real file system, and its schemas (shared with the replay service). */
export interface NodeWorkbench extends WorkbenchSession {
  schemas: SchemaHost;
  /** The protobufjs root of the current schemas. */
  root(): Root;
}

/** Node's timers as the session's Scheduler; they do not keep the process alive. */
export const nodeScheduler: Scheduler = {
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
  now: () => performance.now(),
  yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
};

/** Options of createNodeWorkbench. */
export interface NodeWorkbenchOptions {
  cwd?: string;
  stateFile?: string | null;
  schemasDir?: string;
  schemaSources?: SchemaSources;
  /** The crash-recovery journal's directory (null or absent: no journal). */
  recoveryDir?: string | null;
  /** How often open files are checked for changes on disk (ms; default 2000, 0: never by timer). */
  diskPollMs?: number;
}

/** A session over the real file system and the bundled schemas. */
export async function createNodeWorkbench(options: NodeWorkbenchOptions = {}): Promise<NodeWorkbench> {
  const files = nodeFileHost({ ...(options.cwd ? { cwd: options.cwd } : {}), stateFile: options.stateFile ?? null });
  const schemas = await nodeSchemaHost({
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.schemasDir ? { schemasDir: options.schemasDir } : {}),
    ...(options.schemaSources ? { initial: options.schemaSources } : {}),
    // The user's schemas are remembered with the recent files, and loaded again at the next start.
    remember: { get: () => files.getState<RememberedSchemas>('schemas'), set: (v) => files.setState('schemas', v) },
  });
  const session = createSession({
    engine: createCoreEngine(),
    schemas,
    files,
    scheduler: nodeScheduler,
    ...(options.recoveryDir ? { recovery: nodeRecoveryStore(options.recoveryDir) } : {}),
    ...(options.diskPollMs !== undefined ? { diskPollMs: options.diskPollMs } : {}),
    log: (message) => process.stderr.write(`protodesk: ${message}\n`),
    decompress: nodeDecompress,
  });
  return { ...session, schemas, root: () => (schemas.current().registry as SchemaRegistry).root };
}

/** Whether a folder holds a .proto file at any depth; gives up (false) after `maxEntries` entries, so dropping a home folder does not walk the disk. */
export async function holdsProtoFiles(root: string, maxEntries = 20_000): Promise<boolean> {
  const queue = [root];
  let seen = 0;
  while (queue.length) {
    const dir = queue.shift()!;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (++seen > maxEntries) return false;
      if (e.isFile() && /\.proto$/i.test(e.name)) return true;
      if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) queue.push(join(dir, e.name));
    }
  }
  return false;
}
