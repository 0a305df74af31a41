/**
 * The Node side of the workbench: file access with atomic save, small persistent state
 * (remembered types, recent files) in a JSON file, and schema loading from disk and uploads.
 */
import { readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Root, Type } from 'protobufjs';
import { loadSchemas, listProtoFiles, bundledSchemaRoots } from '../schema/load-schemas';
import { loadSchemaSources, type SchemaRegistry } from '../../core/schema/registry';
import { fieldInfo, FieldKind } from '../../core/document/schema-info';
import type { FieldInfo, SchemaSources, SchemaStatus } from '../../core/api/contract';
import type { FileHost, Scheduler, SchemaHost, Schemas } from '../../core/workbench/engine';
import { createSession, type WorkbenchSession } from '../../core/workbench/session/session';
import { createCoreEngine } from '../../core/workbench/core-engine';
import { writeFileAtomic } from './atomic-file';
import { hashBytes, hashFile } from './content-hash';
import { nodeRecoveryStore } from './recovery-store';

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
      const b = await readFile(path);
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

function describeFields(type: Type): FieldInfo[] {
  return type.fieldsArray.map((f) => {
    const info = fieldInfo(f);
    const e = info.scalar === 'enum' ? (f.resolvedType as unknown as { values: Record<string, number> }) : null;
    return {
      name: f.name,
      jsonName: (f as unknown as { jsonName?: string }).jsonName ?? f.name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
      number: f.id,
      type: f.type,
      repeated: f.repeated,
      map: info.kind === FieldKind.MAP,
      ...(info.messageType && info.kind !== FieldKind.MAP ? { messageType: info.messageType.fullName.replace(/^\./, '') } : {}),
      ...(e ? { enumValues: Object.keys(e.values) } : {}),
    };
  });
}

/** Wraps a registry as the session's Schemas view. */
export function schemasOf(registry: SchemaRegistry): Schemas {
  let types: { name: string; file?: string }[] | null = null;
  return {
    registry,
    types() {
      types ??= registry.messageTypes().map((t) => ({ name: t.fullName.replace(/^\./, ''), ...(t.filename ? { file: t.filename } : {}) }));
      return types;
    },
    messageTypes: () => registry.messageTypes(),
    find: (name) => registry.findMessage(name) ?? null,
    describe(name) {
      const t = registry.findMessage(name);
      return t ? describeFields(t) : [];
    },
  };
}

/** A SchemaHost loading the bundled schemas plus what the user adds (paths and uploads). */
export async function nodeSchemaHost(options: { cwd?: string; schemasDir?: string; initial?: SchemaSources } = {}): Promise<SchemaHost> {
  const cwd = options.cwd ?? process.cwd();
  const src = {
    protoFiles: [] as string[],
    importPaths: [] as string[],
    folders: [] as string[],
    descriptorSets: [] as string[],
    uploads: [] as { name: string; contents: string }[],
    uploadedSets: [] as { name: string; bytes: Uint8Array }[],
  };
  let registry: SchemaRegistry;
  let schemas: Schemas;
  let loadError: { file: string; message: string } | null = null;

  function addSources(s: SchemaSources): void {
    const push = (list: string[], xs: readonly string[] | undefined) => {
      for (const x of xs ?? []) {
        const p = resolve(cwd, x);
        if (!list.includes(p)) list.push(p);
      }
    };
    push(src.protoFiles, s.protoFiles);
    for (const p of s.importPaths ?? []) {
      const abs = resolve(cwd, p);
      // A folder: an import path, and every .proto below it is loaded.
      let isDir: boolean;
      try {
        isDir = statSync(abs).isDirectory();
      } catch {
        isDir = false;
      }
      if (isDir && !src.folders.includes(abs)) src.folders.push(abs);
      else if (!isDir && !src.importPaths.includes(abs)) src.importPaths.push(abs);
    }
    push(src.descriptorSets, s.descriptorSets);
    for (const u of s.uploads ?? []) {
      if (!u.name.endsWith('.proto')) {
        // Anything else uploaded is read as a binary FileDescriptorSet.
        src.uploadedSets = [...src.uploadedSets.filter((x) => x.name !== u.name), { name: u.name, bytes: u.contents }];
        continue;
      }
      const contents = new TextDecoder().decode(u.contents);
      const i = src.uploads.findIndex((x) => x.name === u.name);
      if (i >= 0) src.uploads[i] = { name: u.name, contents };
      else src.uploads.push({ name: u.name, contents });
    }
  }

  async function load(): Promise<void> {
    const folderFiles = src.folders.flatMap((d) => listProtoFiles(d).map((n) => join(d, n)));
    const protoFiles = [...src.protoFiles, ...folderFiles];
    const importPaths = [...src.folders, ...src.importPaths, ...new Set(src.protoFiles.map((f) => dirname(f)))];
    loadError = null;
    try {
      registry = await loadSchemas({
        protoFiles,
        importPaths: protoFiles.length ? importPaths : [],
        descriptorSets: src.descriptorSets,
        bundled: true,
        tolerant: true,
        cwd,
        ...(options.schemasDir ? { schemasDir: options.schemasDir } : {}),
      });
    } catch (e) {
      loadError = { file: '', message: (e as Error).message };
      registry = await loadSchemas({ bundled: true, tolerant: true, ...(options.schemasDir ? { schemasDir: options.schemasDir } : {}) });
    }
    for (const set of src.uploadedSets) {
      try {
        registry.addDescriptorSet(set.bytes, set.name);
      } catch (e) {
        loadError = { file: set.name, message: (e as Error).message };
      }
    }
    if (src.uploads.length) {
      try {
        loadSchemaSources(src.uploads, { registry, tolerant: true });
      } catch (e) {
        loadError = { file: '', message: (e as Error).message };
      }
    }
    schemas = schemasOf(registry);
  }

  function status(): SchemaStatus {
    const types = registry.messageTypes();
    const roots = bundledSchemaRoots(options.schemasDir);
    const families = roots.map((r) => {
      const files = new Set(
        registry
          .files()
          .filter((f) => f.source && resolve(f.source).startsWith(r.dir))
          .map((f) => f.name),
      );
      return { name: r.family, typeCount: types.filter((t) => t.filename !== null && files.has(t.filename as string)).length };
    });
    const errors = registry.problems().map((p) => ({
      file: p.file ?? '',
      ...(p.line ? { line: p.line } : {}),
      ...(p.column ? { column: p.column } : {}),
      message: p.detail,
    }));
    if (loadError) errors.push(loadError);
    return {
      families,
      protoFiles: src.protoFiles,
      importPaths: [...src.folders, ...src.importPaths],
      descriptorSets: src.descriptorSets,
      uploads: [...src.uploads.map((u) => u.name), ...src.uploadedSets.map((u) => u.name)],
      typeCount: types.length,
      errors,
    };
  }

  if (options.initial) addSources(options.initial);
  await load();
  return {
    current: () => schemas,
    status,
    async add(s) {
      addSources(s);
      await load();
      return status();
    },
    async reload() {
      await load();
      return status();
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
  const schemas = await nodeSchemaHost({
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.schemasDir ? { schemasDir: options.schemasDir } : {}),
    ...(options.schemaSources ? { initial: options.schemaSources } : {}),
  });
  const session = createSession({
    engine: createCoreEngine(),
    schemas,
    files: nodeFileHost({ ...(options.cwd ? { cwd: options.cwd } : {}), stateFile: options.stateFile ?? null }),
    scheduler: nodeScheduler,
    ...(options.recoveryDir ? { recovery: nodeRecoveryStore(options.recoveryDir) } : {}),
    ...(options.diskPollMs !== undefined ? { diskPollMs: options.diskPollMs } : {}),
  });
  return { ...session, schemas, root: () => (schemas.current().registry as SchemaRegistry).root };
}
