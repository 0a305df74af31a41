/**
 * Loading schemas from disk: .proto files with protoc-style import paths (-I), binary
 * descriptor sets, and the bundled LiveKit and Kik video schemas.
 */
import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchemaError } from '../../core/schema/schema-error';
import { readRegularFileSync } from '../files/regular-file';
import { SchemaRegistry, type ImportResolver } from '../../core/schema/registry';
import { restoreBundledRegistry, restoreBundledRegistryFor, type PartialRegistry } from './bundled-image';

/** What to load. Paths are relative to `cwd` (default process.cwd()). */
export interface SchemaSources {
  /** .proto files to load (each must lie under an import path, as with protoc). */
  protoFiles?: string[];
  /** Import paths, searched in order for each import (protoc's -I / --proto_path). */
  importPaths?: string[];
  /** Binary FileDescriptorSet files (.binpb, .protoset, .desc, .pb), loaded first. */
  descriptorSets?: string[];
  /** Load the bundled LiveKit and Kik video schemas too (default true). */
  bundled?: boolean;
  /** Base directory for relative paths. */
  cwd?: string;
  /** Where the bundled schemas are (default: <repo>/schemas, found from this module's location). */
  schemasDir?: string;
  /**
   * false (default): every problem in every file is collected, then thrown as one SchemaError
   * (its `errors` lists each, each message `file:line:column: ...`). true: problems are kept in
   * `registry.files()` / `registry.problems()` and the rest of the schemas stay usable.
   */
  tolerant?: boolean;
  /**
   * Restore the bundled schemas from their precompiled image (schemas/bundled-schemas.image.json)
   * when it matches the files on disk (default true); false always parses the .proto files.
   */
  precompiled?: boolean;
}

/** One bundled schema family: its name and the directory that is its import root. */
export interface BundledSchemaRoot {
  family: 'livekit' | 'kik-video';
  dir: string;
}

/** The repository's schemas/ directory, found by walking up from this module to the protodesk package.json. */
export function defaultSchemasDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'protodesk') return join(dir, 'schemas');
      } catch {
        // not ours; keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../schemas');
}

/** The bundled schema families and their import roots (schemas/livekit, schemas/kik-video). */
export function bundledSchemaRoots(schemasDir = defaultSchemasDir()): BundledSchemaRoot[] {
  return [
    { family: 'livekit', dir: join(schemasDir, 'livekit') },
    { family: 'kik-video', dir: join(schemasDir, 'kik-video') },
  ];
}

/** The bundled families that exist, each with its entry files (listProtoFiles), in load order. */
export function bundledEntries(schemasDir = defaultSchemasDir()): (BundledSchemaRoot & { files: string[] })[] {
  return bundledSchemaRoots(schemasDir)
    .filter(({ dir }) => existsSync(dir))
    .map((r) => ({ ...r, files: listProtoFiles(r.dir) }))
    .filter((r) => r.files.length > 0);
}

/** Every .proto file below a directory, as import names relative to it (sorted, '/' separators). */
export function listProtoFiles(root: string): string[] {
  const out: string[] = [];
  // Paths joined by hand and kinds from the directory entries (a stat only for links): this runs
  // at every start, where path.join and a stat per file, run cold, cost several milliseconds.
  const visit = (dir: string, prefix: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const name = e.name;
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = `${dir}${sep}${name}`;
      const isDir = e.isSymbolicLink() ? statSync(p).isDirectory() : e.isDirectory();
      if (isDir) visit(p, `${prefix}${name}/`);
      else if (name.endsWith('.proto')) out.push(`${prefix}${name}`);
    }
  };
  visit(root, '');
  return out;
}

function toImportName(rel: string): string {
  return rel.split(sep).join('/');
}

/** An ImportResolver that searches the given directories in order (protoc's -I). */
export function diskResolver(importPaths: readonly string[]): ImportResolver {
  return (importName) => {
    if (isAbsolute(importName) || importName.split('/').includes('..')) return undefined;
    for (const dir of importPaths) {
      const p = join(dir, importName);
      if (existsSync(p) && statSync(p).isFile()) return { contents: readRegularFileSync(p).toString('utf8'), source: p };
    }
    return undefined;
  };
}

/**
 * Loads schemas from disk into a new SchemaRegistry.
 *
 * Order: descriptor sets, then the bundled families (each with its own import root), then the
 * given .proto files. A .proto file must lie under one of `importPaths`, and is known by its
 * path relative to the first one that holds it (as protoc); with no import paths, each file's
 * own directory is used as an import path. Imports are searched in the import paths in order;
 * "google/protobuf/*.proto" always resolves to the built-in well-known files.
 */
export async function loadSchemas(src: SchemaSources = {}): Promise<SchemaRegistry> {
  const cwd = src.cwd ?? process.cwd();
  let registry = new SchemaRegistry();
  const errors: SchemaError[] = [];
  const tolerant = src.tolerant === true;
  const collect = (fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
      if (!tolerant) errors.push(...e.errors);
      else registry.noteProblem(e);
    }
  };

  for (const ds of src.descriptorSets ?? []) {
    const p = resolve(cwd, ds);
    collect(() => {
      let bytes: Uint8Array;
      try {
        bytes = readRegularFileSync(p);
      } catch (e) {
        throw new SchemaError(`cannot read descriptor set: ${(e as Error).message}`, { file: ds });
      }
      registry.addDescriptorSet(bytes, ds);
    });
  }

  if (src.bundled ?? true) {
    const schemasDir = src.schemasDir ?? defaultSchemasDir();
    const entries = bundledEntries(schemasDir);
    // The image holds the bundled families loaded into an empty registry: only then is it the same.
    const empty = registry.files().length === 0 && registry.problems().length === 0;
    const restored = empty && src.precompiled !== false ? restoreBundledRegistry(schemasDir, entries) : null;
    if (restored) registry = restored;
    else for (const { dir, files } of entries) collect(() => registry.addSources(files, diskResolver([dir]), { tolerant }));
  }

  const protoFiles = src.protoFiles ?? [];
  if (protoFiles.length) {
    const given = (src.importPaths ?? []).map((p) => resolve(cwd, p));
    const importPaths = given.length ? given : [...new Set(protoFiles.map((f) => dirname(resolve(cwd, f))))];
    const names: string[] = [];
    for (const f of protoFiles) {
      const abs = resolve(cwd, f);
      const base = importPaths.find((d) => {
        const rel = relative(d, abs);
        return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
      });
      if (!base) {
        const err = new SchemaError('file does not reside within any import path (-I); add its directory or a parent with --proto-path', {
          file: f,
        });
        if (!tolerant) errors.push(err);
        else registry.noteProblem(err);
        continue;
      }
      if (!existsSync(abs)) {
        const err = new SchemaError('file not found', { file: f });
        if (!tolerant) errors.push(err);
        else registry.noteProblem(err);
        continue;
      }
      names.push(toImportName(relative(base, abs)));
    }
    if (names.length) collect(() => registry.addSources(names, diskResolver(importPaths), { tolerant }));
  }

  if (errors.length) throw SchemaError.aggregate(errors);
  return registry;
}

/**
 * The bundled schemas alone (what loadSchemas() with no other sources loads), restored at first
 * only in the part that declares the named definitions (full names of messages, enums,
 * services) and what they refer to; see restoreBundledRegistryFor for what the part answers
 * and when to complete it. null when the precompiled image cannot be used or does not hold
 * every name: the caller then loads as usual (loadSchemas), with its errors.
 */
export function loadBundledSchemasFor(names: readonly string[], schemasDir = defaultSchemasDir()): PartialRegistry | null {
  return restoreBundledRegistryFor(schemasDir, bundledEntries(schemasDir), names);
}
