/**
 * The schema registry: every .proto file and descriptor set loaded into one resolved
 * protobufjs Root, with lookups, search, and the status of each source file.
 *
 * Field names are kept as written in the .proto (keepCase: true, snake_case); JSON names are
 * `field.jsonName` (protoc's rule, or an explicit `json_name` option).
 *
 * Custom options: protobufjs keeps them on the reflection object in two forms. For
 * `string name = 1 [(kik.validation.field_validation) = { mandatory: true, min_byte_length: 3 }];`
 * - `field.options` is flattened: `{ "(kik.validation.field_validation).mandatory": true,
 *   "(kik.validation.field_validation).min_byte_length": 3 }`;
 * - `field.parsedOptions` is a list of one-key objects as written:
 *   `[{ "(kik.validation.field_validation)": { mandatory: true, min_byte_length: 3 } }]`.
 * `fieldOption(field, "(kik.validation.field_validation)")` below returns the nested object
 * either way. Options of files loaded from a binary descriptor set only carry the standard
 * options (custom extensions inside options are not decoded there).
 */
import { Enum, Field, Root, Service, Type } from 'protobufjs';
import type { ReflectionObject } from 'protobufjs';
import { addFileDescriptor, applyCustomOptions, decodeDescriptorSet, descriptorProblems } from './descriptor-set';
import { findImport, positionOf, type SourcePosition } from './proto-source';
import { fixGroupFieldNames, parseWithName, toSchemaError, type ParseResultLike } from './proto-parse';
import { stripDot, walk } from './reflection';
import { SchemaError } from './schema-error';
import { checkDefinitions, checkProtoFile, checkSyntax, fieldNumberProblem } from './schema-check';
import { scanDeclarations } from './proto-declarations';
import { resolveSchemaRoot } from './schema-resolve';
import { WELL_KNOWN_PROTOS } from './well-known-protos';

/** Where a loaded file came from. */
export type SchemaFileOrigin = 'proto' | 'well-known' | 'descriptor-set';

/** One source file the registry tried to load. */
export interface SchemaFile {
  /** The import name ("livekit_models.proto", "google/protobuf/timestamp.proto"). */
  name: string;
  origin: SchemaFileOrigin;
  /** Where it was read from (a disk path, an upload name, a descriptor set path), when known. */
  source?: string;
  status: 'loaded' | 'error';
  /** The problem, when status is 'error'. */
  error?: SchemaError;
  /** Import names this file imports. */
  imports: string[];
  /** The package it declares, if any. */
  package?: string;
}

/** Contents of a .proto file found for an import name. */
export interface ResolvedSource {
  /** The file's contents. */
  contents: string;
  /** Where it came from (a path), for `SchemaFile.source`. */
  source?: string;
}

/** Finds the .proto file for an import name (as protoc's -I search does); undefined when there is none. */
export type ImportResolver = (importName: string) => ResolvedSource | undefined;

/** Options for adding sources. */
export interface AddSourcesOptions {
  /**
   * false (default): every problem is collected and, after all files were tried, thrown as one
   * SchemaError (an aggregate when there are several).
   * true: problems are recorded in `files()` and `problems()`; files that do not parse are
   * skipped and fields whose type does not resolve are dropped, so the rest stays usable.
   */
  tolerant?: boolean;
  /** Marks where the files come from (default 'proto'). */
  origin?: SchemaFileOrigin;
}

/**
 * A resolved set of schemas: message types, enums, services and extensions from .proto
 * files and descriptor sets, with Google's well-known types available to every import.
 */
export class SchemaRegistry {
  /** The protobufjs root holding every loaded definition (resolved). */
  readonly root: Root;
  private readonly fileList: SchemaFile[] = [];
  private readonly sources = new Map<string, string>();
  private readonly extraProblems: SchemaError[] = [];
  private typeCache: Type[] | null = null;

  /** An empty registry (or one around an existing Root, which should be resolved). */
  constructor(root: Root = new Root()) {
    this.root = root;
  }

  /** Every loaded file and its status, in load order. */
  files(): readonly SchemaFile[] {
    return this.fileList;
  }

  /** Every problem found in tolerant loads (file errors and dropped definitions). */
  problems(): readonly SchemaError[] {
    return [...this.fileList.flatMap((f) => (f.error ? [f.error] : [])), ...this.extraProblems];
  }

  /** Records a problem found outside the registry (a file that could not be read), for `problems()`. */
  noteProblem(error: SchemaError): void {
    for (const e of error.errors) if (!this.problems().includes(e)) this.extraProblems.push(e);
  }

  /** The .proto source text of a loaded file, when it was loaded from source. */
  sourceOf(fileName: string): string | undefined {
    return this.sources.get(fileName);
  }

  /** The full name of a type, enum, service or field, without the leading dot ("livekit.Room"). */
  fullName(object: ReflectionObject): string {
    return stripDot(object.fullName);
  }

  /** All message types, nested ones included, sorted by full name (no synthetic map-entry types). */
  messageTypes(): Type[] {
    if (!this.typeCache) {
      const out: Type[] = [];
      walk(this.root, (o) => {
        if (o instanceof Type && !(o.options && o.options['map_entry'])) out.push(o);
      });
      out.sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
      this.typeCache = out;
    }
    return this.typeCache;
  }

  /** All enums, nested ones included, sorted by full name. */
  enums(): Enum[] {
    const out: Enum[] = [];
    walk(this.root, (o) => {
      if (o instanceof Enum) out.push(o);
    });
    return out.sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
  }

  /** All services, sorted by full name. */
  services(): Service[] {
    const out: Service[] = [];
    walk(this.root, (o) => {
      if (o instanceof Service) out.push(o);
    });
    return out.sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
  }

  /** The message type with this full name (with or without a leading dot), or undefined. */
  findMessage(name: string): Type | undefined {
    const o = this.lookup(name);
    return o instanceof Type ? o : undefined;
  }

  /** The enum with this full name (with or without a leading dot), or undefined. */
  findEnum(name: string): Enum | undefined {
    const o = this.lookup(name);
    return o instanceof Enum ? o : undefined;
  }

  /** The service with this full name (with or without a leading dot), or undefined. */
  findService(name: string): Service | undefined {
    const o = this.lookup(name);
    return o instanceof Service ? o : undefined;
  }

  /**
   * The extension field with this full name ("pkg.ext" or "pkg.Msg.ext"), as the field that
   * sits in the extended type (its `declaringField` is the declaration); undefined if none.
   */
  findExtension(name: string): Field | undefined {
    const o = this.lookup(name);
    if (o instanceof Field && o.extend !== undefined) return o.extensionField ?? undefined;
    return undefined;
  }

  /** The extensions of a message type, by field number order. */
  extensionsOf(type: Type): Field[] {
    return type.fieldsArray.filter((f) => f.declaringField !== null).sort((a, b) => a.id - b.id);
  }

  /**
   * Message types whose full name contains `query` (case-insensitive), best first: exact full
   * name, exact simple name, simple name prefix, simple name contains, full name contains;
   * ties go to the shorter name, then alphabetical order.
   */
  search(query: string): Type[] {
    const q = stripDot(query.trim()).toLowerCase();
    if (!q) return [...this.messageTypes()];
    const scored: { t: Type; score: number; full: string }[] = [];
    for (const t of this.messageTypes()) {
      const full = stripDot(t.fullName);
      const lf = full.toLowerCase();
      if (!lf.includes(q)) continue;
      const simple = t.name.toLowerCase();
      const score = lf === q ? 0 : simple === q ? 1 : simple.startsWith(q) ? 2 : simple.includes(q) ? 3 : lf.endsWith(q) ? 4 : 5;
      scored.push({ t, score, full });
    }
    scored.sort((a, b) => a.score - b.score || a.full.length - b.full.length || (a.full < b.full ? -1 : a.full > b.full ? 1 : 0));
    return scored.map((s) => s.t);
  }

  /**
   * Loads .proto files by import name, following their imports through `resolve` (imports of
   * Google's well-known files are served from the built-in copies first). Files already
   * loaded are skipped. Throws a SchemaError unless `options.tolerant`; returns the files added.
   */
  addSources(entryNames: readonly string[], resolve: ImportResolver, options: AddSourcesOptions = {}): SchemaFile[] {
    const added: SchemaFile[] = [];
    const errors: SchemaError[] = [];
    const origin = options.origin ?? 'proto';
    /** Files whose imports are being followed, outermost first (an import of one of them is a cycle). */
    const stack: string[] = [];
    const visit = (name: string, importedFrom?: { file: string; at?: SourcePosition }): void => {
      const k = stack.indexOf(name);
      if (k >= 0) {
        errors.push(this.importCycle([...stack.slice(k), name]));
        return;
      }
      if (this.fileList.some((f) => f.name === name)) return;
      const builtin = WELL_KNOWN_PROTOS[name];
      const found: ResolvedSource | undefined = builtin !== undefined ? { contents: builtin, source: `<built-in ${name}>` } : resolve(name);
      const file: SchemaFile = { name, origin: builtin !== undefined ? 'well-known' : origin, status: 'loaded', imports: [] };
      if (found?.source) file.source = found.source;
      this.fileList.push(file);
      added.push(file);
      if (!found) {
        const where = importedFrom
          ? { file: importedFrom.file, line: importedFrom.at?.line, column: importedFrom.at?.column }
          : { file: name };
        const err = new SchemaError(importedFrom ? `import "${name}" was not found` : `file "${name}" was not found`, where);
        file.status = 'error';
        file.error = err;
        errors.push(err);
        return;
      }
      this.sources.set(name, found.contents);
      const badSyntax = checkSyntax(name, found.contents);
      if (badSyntax) {
        file.status = 'error';
        file.error = badSyntax;
        errors.push(badSyntax);
        return;
      }
      let result: ParseResultLike;
      try {
        // Parse into a scratch root first, so a syntax error leaves the real root untouched.
        parseWithName(found.contents, new Root(), name);
        result = parseWithName(found.contents, this.root, name);
      } catch (e) {
        const err = toSchemaError(e, name, found.contents);
        file.status = 'error';
        file.error = err;
        errors.push(err);
        return;
      }
      if (result.package) file.package = result.package;
      file.imports = [...(result.imports ?? []), ...(result.weakImports ?? [])];
      stack.push(name);
      for (const imp of file.imports) visit(imp, { file: name, at: findImport(found.contents, imp) });
      stack.pop();
    };
    for (const name of entryNames) visit(name);
    fixGroupFieldNames(this.root);
    this.typeCache = null;
    errors.push(...this.resolveCollecting(options.tolerant === true));
    // What protoc checks beyond parsing (field numbers, JSON names, ...), for the files that parsed.
    const checked = errors.length && !options.tolerant ? [] : added.filter((f) => f.status === 'loaded' && f.origin !== 'well-known');
    const problems = checked.flatMap((f) => checkProtoFile(this.root, f.name, this.sources.get(f.name) ?? ''));
    if (options.tolerant) for (const p of problems) this.extraProblems.push(p);
    else errors.push(...problems);
    if (errors.length && !options.tolerant) throw SchemaError.aggregate(errors);
    return added;
  }

  /** `File recursively imports itself: a.proto -> b.proto -> a.proto`, at the first file's import of the next. */
  private importCycle(cycle: string[]): SchemaError {
    const start = cycle[0];
    const src = this.sources.get(start);
    const imp = src ? scanDeclarations(src).imports.find((i) => i.name === cycle[1]) : undefined;
    const at = src && imp ? positionOf(src, imp.at.offset) : undefined;
    const err = new SchemaError(`File recursively imports itself: ${cycle.join(' -> ')}`, {
      file: start,
      line: at?.line,
      column: at?.column,
    });
    const file = this.fileList.find((f) => f.name === start);
    if (file) {
      file.status = 'error';
      file.error ??= err;
    }
    return err;
  }

  /**
   * Loads a binary FileDescriptorSet (protoc --descriptor_set_out, buf build -o x.binpb).
   * Files whose names are already loaded are skipped, so sets made with --include_imports mix
   * with .proto sources. Throws a SchemaError naming `sourceName` when the bytes do not decode.
   */
  addDescriptorSet(bytes: Uint8Array, sourceName = '<descriptor set>'): SchemaFile[] {
    const set = decodeDescriptorSet(bytes, sourceName);
    const added: SchemaFile[] = [];
    // A set made without --include_imports may depend on well-known files it does not hold: use the built-in ones.
    const inSet = new Set((set.file ?? []).map((f) => f.name));
    const missingWkt = [...new Set((set.file ?? []).flatMap((f) => f.dependency ?? []))].filter(
      (d) => !inSet.has(d) && WELL_KNOWN_PROTOS[d] !== undefined && !this.fileList.some((f) => f.name === d),
    );
    if (missingWkt.length) added.push(...this.addSources(missingWkt, () => undefined));
    for (const fd of set.file ?? []) {
      const name = fd.name || `${sourceName}#${added.length}`;
      if (this.fileList.some((f) => f.name === name)) continue;
      const file: SchemaFile = {
        name,
        origin: 'descriptor-set',
        source: sourceName,
        status: 'loaded',
        imports: [...(fd.dependency ?? [])],
      };
      if (fd.package) file.package = fd.package;
      this.fileList.push(file);
      added.push(file);
      try {
        const problems = descriptorProblems(fd, fieldNumberProblem);
        if (problems.length) throw new Error(problems.join('; '));
        addFileDescriptor(this.root, fd, name);
      } catch (e) {
        const err = new SchemaError(e instanceof Error ? e.message : String(e), { file: `${sourceName}(${name})` });
        file.status = 'error';
        file.error = err;
        this.typeCache = null;
        throw err;
      }
    }
    this.typeCache = null;
    const errors = this.resolveCollecting(false);
    // What protoc checks before it writes a set (open enums start at zero, JSON names, ...), for hand-made sets.
    if (!errors.length)
      for (const fd of set.file ?? []) {
        const file = added.find((f) => f.name === fd.name && f.origin === 'descriptor-set');
        if (!file) continue;
        const syntax = fd.syntax === 'proto3' || fd.syntax === 'editions' ? fd.syntax : 'proto2';
        checkDefinitions(this.root, file.name, null, syntax, (detail) => {
          const err = new SchemaError(detail, { file: `${sourceName}(${file.name})` });
          file.status = 'error';
          file.error ??= err;
          errors.push(err);
        });
      }
    if (errors.length) throw SchemaError.aggregate(errors);
    applyCustomOptions(
      this.root,
      this.findMessage('google.protobuf.FileDescriptorSet'),
      bytes,
      new Set(added.filter((f) => f.origin === 'descriptor-set').map((f) => f.name)),
    );
    return added;
  }

  private lookup(name: string): ReflectionObject | null {
    const n = name.trim();
    if (!n) return null;
    try {
      return this.root.lookup(n.startsWith('.') ? n : `.${n}`);
    } catch {
      return null;
    }
  }

  /**
   * Resolves every type reference and extension; returns one SchemaError per problem. When
   * `drop` is set, what does not resolve is dropped and the problems are kept for problems().
   */
  private resolveCollecting(drop: boolean): SchemaError[] {
    const errors = resolveSchemaRoot(this.root, (file) => this.sources.get(file), drop);
    this.typeCache = null;
    if (!drop) return errors;
    for (const e of errors) if (!this.extraProblems.includes(e)) this.extraProblems.push(e);
    return [];
  }
}

let wellKnown: SchemaRegistry | null = null;

/** A shared registry holding only Google's well-known types (for Any payloads a schema does not import). */
export function wellKnownRegistry(): SchemaRegistry {
  if (!wellKnown) {
    wellKnown = new SchemaRegistry();
    wellKnown.addSources(Object.keys(WELL_KNOWN_PROTOS), () => undefined);
  }
  return wellKnown;
}

/** Builds a registry from uploaded .proto file contents (browser mode: no disk). See SchemaRegistry.addSources. */
export function loadSchemaSources(
  files: readonly { name: string; contents: string }[],
  options: AddSourcesOptions & { registry?: SchemaRegistry } = {},
): SchemaRegistry {
  const registry = options.registry ?? new SchemaRegistry();
  const byName = new Map(files.map((f) => [normalizeName(f.name), f]));
  const resolve: ImportResolver = (importName) => {
    const n = normalizeName(importName);
    const exact = byName.get(n);
    if (exact) return { contents: exact.contents, source: exact.name };
    // Uploaded files may carry a longer or shorter path than the import: match on whole path segments.
    const candidates = files.filter((f) => {
      const fn = normalizeName(f.name);
      return fn.endsWith(`/${n}`) || n.endsWith(`/${fn}`);
    });
    return candidates.length === 1 ? { contents: candidates[0].contents, source: candidates[0].name } : undefined;
  };
  registry.addSources(
    files.map((f) => normalizeName(f.name)),
    resolve,
    options,
  );
  return registry;
}

function normalizeName(name: string): string {
  return name.replace(/\\/g, '/').replace(/^\.\//, '');
}
