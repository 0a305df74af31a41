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
import { Enum, Field, MapField, Namespace, parse, Root, Service, Type } from 'protobufjs';
import type { OneOf, ReflectionObject } from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor.js';
import { SchemaError } from './schema-error';
import { columnOfToken, positionOf, findDeclaration, findExtend, findFieldType, findImport, type SourcePosition } from './proto-source';
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

/** File options with protobufjs' internal fields; only used when reading parse results. */
interface ParseResultLike {
  package?: string;
  imports?: string[];
  weakImports?: string[];
}

/** Parse options used for every .proto: field names kept as written, all comments kept. */
const PARSE_OPTIONS = { keepCase: true, alternateCommentMode: true } as const;

/** Removes a leading dot from a protobufjs full name. */
function stripDot(name: string): string {
  return name.startsWith('.') ? name.slice(1) : name;
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
    const visit = (name: string, importedFrom?: { file: string; at?: SourcePosition }): void => {
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
      for (const imp of file.imports) visit(imp, { file: name, at: findImport(found.contents, imp) });
    };
    for (const name of entryNames) visit(name);
    this.typeCache = null;
    errors.push(...this.resolveCollecting(options.tolerant === true));
    if (errors.length && !options.tolerant) throw SchemaError.aggregate(errors);
    return added;
  }

  /**
   * Loads a binary FileDescriptorSet (protoc --descriptor_set_out, buf build -o x.binpb).
   * Files whose names are already loaded are skipped, so sets made with --include_imports mix
   * with .proto sources. Throws a SchemaError naming `sourceName` when the bytes do not decode.
   */
  addDescriptorSet(bytes: Uint8Array, sourceName = '<descriptor set>'): SchemaFile[] {
    let set: DescriptorSetLike;
    try {
      set = descriptor.FileDescriptorSet.decode(bytes) as unknown as DescriptorSetLike;
    } catch (e) {
      throw new SchemaError(`not a FileDescriptorSet: ${e instanceof Error ? e.message : String(e)}`, { file: sourceName });
    }
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
    if (errors.length) throw SchemaError.aggregate(errors);
    this.applyCustomOptions(bytes, new Set(added.filter((f) => f.origin === 'descriptor-set').map((f) => f.name)));
    return added;
  }

  /**
   * Custom options in a descriptor set are extension fields of the *Options messages, which
   * protobufjs' descriptor reader drops. Once the set's own extensions are loaded, the set is
   * decoded again with this registry's descriptor types, and every custom option found is put
   * on its reflection object as a .proto parse would (`options` flattened, `parsedOptions`),
   * named with its full name: `(kik.validation.field_validation)`.
   */
  private applyCustomOptions(bytes: Uint8Array, fileNames: Set<string>): void {
    const setType = this.findMessage('google.protobuf.FileDescriptorSet');
    if (!setType || fileNames.size === 0) return;
    let decoded: DescriptorObject;
    try {
      decoded = setType.toObject(setType.decode(bytes), {
        longs: Number,
        enums: String,
        bytes: String,
        defaults: false,
      }) as DescriptorObject;
    } catch {
      return; // the standard options were read already; custom ones are a bonus
    }
    const root = this.root;
    const find = (name: string): ReflectionObject | null => {
      try {
        return root.lookup(name);
      } catch {
        return null;
      }
    };
    const visitMessage = (m: DescriptorObject, scope: string): void => {
      const full = `${scope}.${String(m['name'])}`;
      const t = find(full);
      if (!(t instanceof Type)) return;
      applyOptions(t, m['options']);
      for (const f of list(m['field'])) {
        const field = t.fields[String(f['name'])];
        if (field) applyOptions(field, f['options']);
      }
      for (const o of list(m['oneof_decl'])) {
        const oneof = t.oneofs?.[String(o['name'])];
        if (oneof) applyOptions(oneof, o['options']);
      }
      for (const x of list(m['extension'])) visitExtension(x, full);
      for (const n of list(m['nested_type'])) visitMessage(n, full);
      for (const e of list(m['enum_type'])) visitEnum(e, full);
    };
    const visitEnum = (e: DescriptorObject, scope: string): void => {
      const en = find(`${scope}.${String(e['name'])}`);
      if (!(en instanceof Enum)) return;
      applyOptions(en, e['options']);
      for (const v of list(e['value'])) {
        const custom = customOptions(v['options']);
        if (!custom.length) continue;
        const holder = en as Enum & { valuesOptions?: Record<string, Record<string, unknown>> };
        holder.valuesOptions ??= {};
        const opts = (holder.valuesOptions[String(v['name'])] ??= {});
        for (const [k, val] of custom) flattenInto(opts, k, val);
      }
    };
    const visitExtension = (x: DescriptorObject, scope: string): void => {
      const f = find(`${scope}.${String(x['name'])}`);
      if (f instanceof Field) {
        applyOptions(f, x['options']);
        if (f.extensionField) applyOptions(f.extensionField, x['options']);
      }
    };
    for (const file of list(decoded['file'])) {
      if (!fileNames.has(String(file['name']))) continue;
      const scope = file['package'] ? `.${String(file['package'])}` : '';
      for (const m of list(file['message_type'])) visitMessage(m, scope);
      for (const e of list(file['enum_type'])) visitEnum(e, scope);
      for (const x of list(file['extension'])) visitExtension(x, scope);
      for (const svc of list(file['service'])) {
        const sv = find(`${scope}.${String(svc['name'])}`);
        if (!(sv instanceof Service)) continue;
        applyOptions(sv, svc['options']);
        for (const md of list(svc['method'])) {
          const method = sv.methods[String(md['name'])];
          if (method) applyOptions(method, md['options']);
        }
      }
    }
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
   * Resolves every type reference and extension; returns one SchemaError per problem (naming
   * the file, position and type). When `drop` is set, unresolvable fields and extensions are
   * removed so the root resolves.
   */
  private resolveCollecting(drop: boolean): SchemaError[] {
    const errors: SchemaError[] = [];
    // Extensions whose extended type does not exist stay in root.deferred.
    for (const f of [...this.root.deferred]) {
      const file = fileOf(f);
      const src = file ? this.sources.get(file) : undefined;
      const at = src && f.extend ? findExtend(src, f.extend) : undefined;
      errors.push(
        new SchemaError(`extend ${f.extend}: no such message type (extension ${stripDot(f.fullName)})`, {
          file: file ?? '<unknown file>',
          line: at?.line,
          column: at?.column,
        }),
      );
      if (drop) f.parent?.remove(f);
    }
    if (drop) this.root.deferred.length = 0;
    walk(this.root, (o) => {
      if (!(o instanceof Type) && !(o instanceof Namespace && !(o instanceof Service))) return;
      const fields: Field[] = o instanceof Type ? o.fieldsArray : (o.nestedArray.filter((x) => x instanceof Field) as Field[]);
      for (const f of fields) {
        if (f.resolved) continue;
        try {
          f.resolve();
        } catch (e) {
          const file = fileOf(f) ?? fileOf(o);
          const src = file ? this.sources.get(file) : undefined;
          const missing = f.type;
          const at = src ? findFieldType(src, f.name, f.id, missing.split('.').pop() ?? missing) : undefined;
          const owner = stripDot(o.fullName);
          const why = e instanceof Error && !/no such Type or Enum/.test(e.message) ? e.message : `unknown type "${missing}"`;
          errors.push(
            new SchemaError(`field ${owner}.${f.name}: ${why}`, { file: file ?? '<unknown file>', line: at?.line, column: at?.column }),
          );
          if (drop) {
            if (f.partOf) f.partOf.remove(f);
            if (o instanceof Type) o.remove(f);
            else (o as Namespace).remove(f);
          }
        }
      }
    });
    for (const svc of this.services()) {
      for (const m of svc.methodsArray) {
        if (m.resolved) continue;
        try {
          m.resolve();
        } catch (e) {
          const file = fileOf(m) ?? fileOf(svc);
          const src = file ? this.sources.get(file) : undefined;
          const at = src ? findDeclaration(src, m.name) : undefined;
          errors.push(
            new SchemaError(`method ${stripDot(m.fullName)}: ${e instanceof Error ? e.message : String(e)}`, {
              file: file ?? '<unknown file>',
              line: at?.line,
              column: at?.column,
            }),
          );
          if (drop) svc.remove(m);
        }
      }
    }
    if (errors.length === 0 || drop) {
      try {
        this.root.resolveAll();
      } catch (e) {
        const err = new SchemaError(e instanceof Error ? e.message : String(e));
        if (!drop) errors.push(err);
        else this.extraProblems.push(err);
      }
    }
    if (drop) this.extraProblems.push(...errors.filter((x) => !this.extraProblems.includes(x)));
    this.typeCache = null;
    return drop ? [] : errors;
  }
}

/** A decoded descriptor message as a plain object (snake_case keys). */
type DescriptorObject = Record<string, unknown>;

function list(v: unknown): DescriptorObject[] {
  return Array.isArray(v) ? (v as DescriptorObject[]) : [];
}

/** The custom options in a decoded *Options object: `[(full.name), value]` (extension fields are named ".full.name"). */
function customOptions(options: unknown): [string, unknown][] {
  if (!options || typeof options !== 'object') return [];
  return Object.entries(options as Record<string, unknown>)
    .filter(([k]) => k.startsWith('.'))
    .map(([k, v]) => [`(${k.slice(1)})`, v]);
}

/** Sets `name` and its nested leaves (`name.a.b`) in a flattened options object, as protobufjs' parser does. */
function flattenInto(target: Record<string, unknown>, name: string, value: unknown): void {
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) flattenInto(target, `${name}.${k}`, v);
  } else {
    target[name] = value;
  }
}

/** Puts custom options on a reflection object the way a .proto parse leaves them. */
function applyOptions(object: ReflectionObject, options: unknown): void {
  const custom = customOptions(options);
  if (!custom.length) return;
  const o = object as ReflectionObject & { parsedOptions: Record<string, unknown>[] | null };
  o.options ??= {};
  o.parsedOptions ??= [];
  for (const [name, value] of custom) {
    flattenInto(o.options, name, value);
    o.parsedOptions.push({ [name]: value });
  }
}

/** The file a reflection object was declared in (the nearest ancestor with a filename). */
function fileOf(o: ReflectionObject | null): string | undefined {
  for (let p: ReflectionObject | null = o; p; p = p.parent) if (p.filename) return p.filename;
  return undefined;
}

/** Visits every reflection object below a namespace (types, enums, services, fields of namespaces). */
function walk(ns: Namespace, visit: (o: ReflectionObject) => void): void {
  for (const o of ns.nestedArray) {
    visit(o);
    if (o instanceof Namespace) walk(o, visit);
  }
}

/** Parses .proto source into a root with `parse.filename` set, so objects record their file. */
function parseWithName(source: string, root: Root, name: string): ParseResultLike {
  const p = parse as typeof parse & { filename: string | null };
  p.filename = name;
  try {
    return parse(source, root, PARSE_OPTIONS) as ParseResultLike;
  } finally {
    p.filename = null;
  }
}

/** Turns a protobufjs parse error ("illegal token 'x' (file, line 3)") into `file:3:7: unexpected "x"`. */
export function toSchemaError(e: unknown, file: string, source: string): SchemaError {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /^illegal (.+?) '(.*?)'(.*?) \((?:.*?, )?line (\d+)\)$/s.exec(msg) ?? /^illegal (.+?) ()()\(line (\d+)\)$/.exec(msg);
  if (m) {
    const [, what, token, extra, lineStr] = m;
    const isEnd = what === 'end of input';
    // At end of input, point just past the last character (as protoc does).
    const line = isEnd ? positionOf(source, source.length).line : Number(lineStr);
    const column = isEnd ? positionOf(source, source.length).column : columnOfToken(source, line, token);
    let detail: string;
    if (isEnd) detail = 'unexpected end of input';
    else if (what === 'token') detail = `unexpected "${token}"${extra.replace(/^, '(.*)' expected$/, ', expected "$1"')}`;
    else detail = `invalid ${what} "${token}"${extra}`;
    return new SchemaError(detail, { file, line, column });
  }
  const lineOnly = /\(line (\d+)\)$/.exec(msg);
  if (lineOnly) {
    const line = Number(lineOnly[1]);
    return new SchemaError(msg.replace(/\s*\(line \d+\)$/, ''), { file, line, column: columnOfToken(source, line, '') });
  }
  // Errors raised while adding definitions (duplicate names, ids, reserved): locate the name.
  const dup = /^(?:duplicate name|name) '([^']+)'/.exec(msg) ?? /^duplicate id (\d+)/.exec(msg) ?? /^id (\d+) is reserved/.exec(msg);
  if (dup) {
    const at = /^\d+$/.test(dup[1]) ? undefined : findDeclaration(source, dup[1]);
    return new SchemaError(msg, { file, line: at?.line, column: at?.column });
  }
  return new SchemaError(msg, { file });
}

/** The parts of a decoded FileDescriptorProto used here. */
interface FileDescriptorLike {
  name?: string;
  package?: string;
  dependency?: string[];
  syntax?: string;
  edition?: number;
  messageType?: unknown[];
  enumType?: unknown[];
  extension?: { type?: number; typeName?: string }[];
  service?: unknown[];
  options?: unknown;
}

/** A decoded FileDescriptorSet. */
interface DescriptorSetLike {
  file?: FileDescriptorLike[];
}

/** Adds one FileDescriptorProto's definitions to a root (as Root.fromDescriptor does, file by file, names kept). */
function addFileDescriptor(root: Root, fd: FileDescriptorLike, fileName: string): void {
  const edition = fd.syntax === 'proto3' ? 'proto3' : fd.syntax === 'editions' ? editionName(fd.edition) : 'proto2';
  const ctx = { edition, keepCase: true };
  const ns: Namespace = fd.package ? root.define(fd.package) : root;
  const groupNames = new Set((fd.extension ?? []).filter((f) => f.type === 10 && f.typeName).map((f) => f.typeName!.split('.').pop()));
  const add = (o: ReflectionObject): void => {
    o.filename = fileName;
    ns.add(o);
  };
  for (const m of fd.messageType ?? []) {
    const t = Type.fromDescriptor(m as Parameters<typeof Type.fromDescriptor>[0], ctx);
    if (groupNames.has(t.name)) (t as Type & { group?: boolean }).group = true;
    add(t);
  }
  for (const e of fd.enumType ?? []) add(Enum.fromDescriptor(e as Parameters<typeof Enum.fromDescriptor>[0], ctx));
  for (const x of fd.extension ?? []) add(Field.fromDescriptor(x as Parameters<typeof Field.fromDescriptor>[0], ctx));
  for (const s of fd.service ?? []) add(Service.fromDescriptor(s as Parameters<typeof Service.fromDescriptor>[0], ctx));
}

/** protobufjs' edition string for a descriptor Edition number. */
function editionName(n: number | undefined): string {
  switch (n) {
    case 1000:
      return '2023';
    case 1001:
      return '2024';
    case 1002:
      return '2026';
    default:
      throw new Error(`unsupported edition ${n}`);
  }
}

/**
 * A field's custom (or standard) option by name, e.g. `fieldOption(f, "(kik.validation.field_validation)")`
 * returns `{ mandatory: true, min_byte_length: 3 }`, and `fieldOption(f, "(kik.validation.field_validation).mandatory")`
 * returns `true`. Works for any reflection object with options (types, enums, enum values excluded).
 */
export function fieldOption(object: ReflectionObject, name: string): unknown {
  const flat = object.options;
  if (flat && Object.prototype.hasOwnProperty.call(flat, name)) return flat[name];
  // Rebuild the nested value from the parsed list, or from the flattened "(x).a.b" keys.
  const parsed = (object as ReflectionObject & { parsedOptions?: Record<string, unknown>[] | null }).parsedOptions;
  let found: unknown = undefined;
  const merge = (value: unknown): void => {
    found = found !== undefined && isPlainObject(found) && isPlainObject(value) ? { ...found, ...value } : value;
  };
  for (const entry of parsed ?? []) {
    for (const [k, v] of Object.entries(entry)) {
      if (k === name) merge(v);
      else if (name.startsWith(`${k}.`)) {
        let cur: unknown = v;
        for (const part of name.slice(k.length + 1).split('.')) cur = isPlainObject(cur) ? cur[part] : undefined;
        if (cur !== undefined) merge(cur);
      }
    }
  }
  if (found !== undefined) return found;
  if (flat) {
    const prefix = `${name}.`;
    const obj: Record<string, unknown> = {};
    let any = false;
    for (const [k, v] of Object.entries(flat)) {
      if (!k.startsWith(prefix)) continue;
      any = true;
      const parts = k.slice(prefix.length).split('.');
      let cur = obj;
      for (const p of parts.slice(0, -1)) cur = (cur[p] = isPlainObject(cur[p]) ? cur[p] : {}) as Record<string, unknown>;
      cur[parts[parts.length - 1]] = v;
    }
    if (any) return obj;
  }
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** True for a field that is a map (`map<K, V>`). */
export function isMapField(field: Field): boolean {
  return field.map || (field as unknown) instanceof MapField;
}

/** True for a oneof that protoc synthesized for a proto3 `optional` field. */
export function isSyntheticOneof(oneof: OneOf): boolean {
  return oneof.fieldsArray.length === 1 && !!oneof.fieldsArray[0].options?.['proto3_optional'];
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
