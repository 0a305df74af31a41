/**
 * The schemas of a Node session: the bundled ones plus what the user adds (.proto files, folders,
 * import paths, descriptor sets, uploaded files), loaded from disk and uploads.
 *
 * What the user adds is remembered (through `remember`, the host's state file: per user, like the
 * recent files) and loaded again at the next start; a remembered file or folder that is gone is
 * named in the status errors, and stays listed until the user removes it (a disk not mounted yet
 * does not make it forget). Sources given at launch (the command line) are not remembered.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Type } from 'protobufjs';
import { loadSchemas, listProtoFiles, bundledSchemaRoots } from '../schema/load-schemas';
import { loadSchemaSources, type SchemaRegistry } from '../../core/schema/registry';
import { fieldInfo, FieldKind } from '../../core/document/schema-info';
import type { FieldInfo, SchemaSources, SchemaStatus } from '../../core/api/contract';
import type { SchemaHost, Schemas } from '../../core/workbench/engine';

/** Uploaded files are remembered while their contents together stay under this size (the state file is JSON). */
const MAX_REMEMBERED_UPLOADS = 8 * 1024 * 1024;

/** What is remembered of the user's schemas (paths absolute; uploads' contents in base64). */
export interface RememberedSchemas {
  protoFiles: string[];
  folders: string[];
  importPaths: string[];
  descriptorSets: string[];
  uploads: { name: string; base64: string }[];
}

/** Where the user's schemas are remembered (the host's state); none: only for this run. */
export interface SchemaMemory {
  get(): RememberedSchemas | undefined;
  set(value: RememberedSchemas): void;
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

const isFolder = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** Options of nodeSchemaHost. */
export interface SchemaHostOptions {
  cwd?: string;
  schemasDir?: string;
  /** Sources given at launch: loaded, not remembered. */
  initial?: SchemaSources;
  /** Where the user's sources are remembered across runs. */
  remember?: SchemaMemory;
}

/** A SchemaHost loading the bundled schemas plus what the user adds (paths and uploads), remembered across runs. */
export async function nodeSchemaHost(options: SchemaHostOptions = {}): Promise<SchemaHost> {
  const cwd = options.cwd ?? process.cwd();
  const src = {
    protoFiles: [] as string[],
    importPaths: [] as string[],
    folders: [] as string[],
    descriptorSets: [] as string[],
    uploads: [] as { name: string; contents: string; bytes: Uint8Array }[],
    uploadedSets: [] as { name: string; bytes: Uint8Array }[],
  };
  /** Sources given at launch (paths and upload names): not remembered. */
  const launched = new Set<string>();
  let registry: SchemaRegistry;
  let schemas: Schemas;
  let loadErrors: { file: string; message: string }[] = [];

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
      if (isFolder(abs)) {
        if (!src.folders.includes(abs)) src.folders.push(abs);
      } else if (!src.importPaths.includes(abs)) src.importPaths.push(abs);
    }
    push(src.descriptorSets, s.descriptorSets);
    for (const u of s.uploads ?? []) {
      if (!u.name.endsWith('.proto')) {
        // Anything else uploaded is read as a binary FileDescriptorSet.
        src.uploadedSets = [...src.uploadedSets.filter((x) => x.name !== u.name), { name: u.name, bytes: u.contents }];
        continue;
      }
      const entry = { name: u.name, contents: new TextDecoder().decode(u.contents), bytes: u.contents };
      const i = src.uploads.findIndex((x) => x.name === u.name);
      if (i >= 0) src.uploads[i] = entry;
      else src.uploads.push(entry);
    }
  }

  /** The sources to remember: everything but what was given at launch. */
  function remembered(): RememberedSchemas {
    const mine = (list: readonly string[]) => list.filter((p) => !launched.has(p));
    const uploads: RememberedSchemas['uploads'] = [];
    let size = 0;
    for (const u of [...src.uploads, ...src.uploadedSets]) {
      if (launched.has(u.name)) continue;
      size += u.bytes.length;
      if (size > MAX_REMEMBERED_UPLOADS) break;
      uploads.push({ name: u.name, base64: Buffer.from(u.bytes).toString('base64') });
    }
    return {
      protoFiles: mine(src.protoFiles),
      folders: mine(src.folders),
      importPaths: mine(src.importPaths),
      descriptorSets: mine(src.descriptorSets),
      uploads,
    };
  }

  /** Sources whose file or folder is not there: named in the status, left out of the load. */
  function gone(): { file: string; message: string }[] {
    const out: { file: string; message: string }[] = [];
    const say = (p: string, what: string) =>
      out.push({
        file: p,
        message: `${what} ${p} is gone (moved, deleted, or on a disk not mounted): put it back and reload the schemas, or remove it from the list.`,
      });
    for (const p of src.protoFiles) if (!existsSync(p)) say(p, 'The schema file');
    for (const p of src.folders) if (!isFolder(p)) say(p, 'The schema folder');
    for (const p of src.importPaths) if (!existsSync(p)) say(p, 'The import path');
    for (const p of src.descriptorSets) if (!existsSync(p)) say(p, 'The descriptor set');
    return out;
  }

  async function load(): Promise<void> {
    const missing = gone();
    const absent = new Set(missing.map((m) => m.file));
    const here = (list: readonly string[]) => list.filter((p) => !absent.has(p));
    const folders = here(src.folders);
    const folderFiles = folders.flatMap((d) => listProtoFiles(d).map((n) => join(d, n)));
    const protoFiles = [...here(src.protoFiles), ...folderFiles];
    const importPaths = [...folders, ...here(src.importPaths), ...new Set(here(src.protoFiles).map((f) => dirname(f)))];
    loadErrors = missing;
    const dirs = options.schemasDir ? { schemasDir: options.schemasDir } : {};
    try {
      registry = await loadSchemas({
        protoFiles,
        importPaths: protoFiles.length ? importPaths : [],
        descriptorSets: here(src.descriptorSets),
        bundled: true,
        tolerant: true,
        cwd,
        ...dirs,
      });
    } catch (e) {
      loadErrors.push({ file: '', message: (e as Error).message });
      registry = await loadSchemas({ bundled: true, tolerant: true, ...dirs });
    }
    for (const set of src.uploadedSets) {
      try {
        registry.addDescriptorSet(set.bytes, set.name);
      } catch (e) {
        loadErrors.push({ file: set.name, message: (e as Error).message });
      }
    }
    if (src.uploads.length) {
      try {
        loadSchemaSources(
          src.uploads.map((u) => ({ name: u.name, contents: u.contents })),
          { registry, tolerant: true },
        );
      } catch (e) {
        loadErrors.push({ file: '', message: (e as Error).message });
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
    return {
      families,
      protoFiles: src.protoFiles,
      importPaths: [...src.folders, ...src.importPaths],
      descriptorSets: src.descriptorSets,
      uploads: [...src.uploads.map((u) => u.name), ...src.uploadedSets.map((u) => u.name)],
      typeCount: types.length,
      errors: [...loadErrors, ...errors],
    };
  }

  const save = () => options.remember?.set(remembered());

  if (options.initial) {
    addSources(options.initial);
    for (const list of [src.protoFiles, src.folders, src.importPaths, src.descriptorSets]) for (const p of list) launched.add(p);
    for (const u of [...src.uploads, ...src.uploadedSets]) launched.add(u.name);
  }
  const before = options.remember?.get();
  if (before && typeof before === 'object') {
    addSources({
      protoFiles: before.protoFiles ?? [],
      importPaths: [...(before.folders ?? []), ...(before.importPaths ?? [])],
      descriptorSets: before.descriptorSets ?? [],
      uploads: (before.uploads ?? []).map((u) => ({ name: u.name, contents: new Uint8Array(Buffer.from(u.base64, 'base64')) })),
    });
    // A remembered folder that is gone is still a folder (not an import path) to remember.
    for (const f of before.folders ?? []) {
      if (!src.folders.includes(f)) {
        src.importPaths = src.importPaths.filter((p) => p !== f);
        src.folders.push(f);
      }
    }
  }
  await load();
  return {
    current: () => schemas,
    status,
    async add(s) {
      addSources(s);
      for (const p of [...(s.protoFiles ?? []), ...(s.importPaths ?? []), ...(s.descriptorSets ?? [])]) launched.delete(resolve(cwd, p));
      await load();
      save();
      return status();
    },
    async remove(source) {
      const abs = resolve(cwd, source);
      const lists = [src.protoFiles, src.folders, src.importPaths, src.descriptorSets];
      let found = false;
      for (const list of lists) {
        const i = list.indexOf(abs);
        if (i >= 0) {
          list.splice(i, 1);
          found = true;
        }
      }
      const uploads = src.uploads.length + src.uploadedSets.length;
      src.uploads = src.uploads.filter((u) => u.name !== source);
      src.uploadedSets = src.uploadedSets.filter((u) => u.name !== source);
      found ||= src.uploads.length + src.uploadedSets.length !== uploads;
      if (!found) throw new Error(`${source} is not among the added schemas: nothing was removed.`);
      launched.delete(abs);
      await load();
      save();
      return status();
    },
    async reload() {
      await load();
      return status();
    },
  };
}
