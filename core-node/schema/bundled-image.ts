/**
 * The bundled schemas as a precompiled image (schemas/bundled-schemas.image.json, written by
 * scripts/make-schema-image.ts): the registry the loader builds from schemas/livekit and
 * schemas/kik-video, saved as an object graph (object-image.ts), so a start restores it in a few
 * milliseconds instead of parsing, resolving and checking the .proto text (about 400 ms).
 *
 * The image is used only when it still describes what is on disk: the same .proto files with the
 * same contents, the same built-in well-known files, and the same protobufjs (its version and the
 * shape of its reflection objects). Otherwise the loader parses the .proto files as before.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import protobuf, { Enum, Field, MapField, Method, Namespace, OneOf, Root, Service, Type, type ReflectionObject } from 'protobufjs';
import { SchemaRegistry } from '../../core/schema/registry';
import { stripDot, walk } from '../../core/schema/reflection';
import { WELL_KNOWN_PROTOS } from '../../core/schema/well-known-protos';
import { readRegularFileSync } from '../files/regular-file';
import {
  makeObjectImage,
  restoreObjectImageSections,
  splitObjectImage,
  type ImageHead,
  type ImagePart,
  type ObjectImage,
  type PartialGraph,
  type PrototypeTable,
  type SectionOf,
  type SingletonTable,
} from './object-image';

/** The image's file name inside the schemas directory. */
export const BUNDLED_IMAGE_FILE = 'bundled-schemas.image.json';

/**
 * What the image file holds. The file is lines of JSON: the first is this object with the
 * image's head only (`image` without its objects: names, shapes, strings, sections), then one
 * line per section of the image with its objects (an ImagePart), so a start reads just the
 * lines of the sections it restores.
 */
export interface BundledImageFile {
  /** protobufjs's version and the own keys of a fresh registry and of protobufjs's reflection objects when the image was made. */
  protobufjs: { version: string | null; shapes: Record<string, string[]> };
  /** Each bundled family's entry files (import names, as the loader lists them), in load order. */
  families: { family: string; files: string[] }[];
  /**
   * The registry after loading the families. Each .proto file's `source` is `<family>/<import name>`.
   * Sectioned by .proto file (each definition in the section of the file that declares it;
   * packages, the root and the registry's own records in the core), so that a start which
   * needs a few definitions restores only their files and what those refer to.
   */
  image: ObjectImage;
  /** The section (the file) of every message type, enum and service, by full name without the leading dot. */
  index: Record<string, string>;
}

const PROTOTYPES: PrototypeTable = {
  Object: Object.prototype,
  Array: Array.prototype,
  Map: Map.prototype,
  null: null,
  SchemaRegistry: SchemaRegistry.prototype,
  Root: Root.prototype,
  Namespace: Namespace.prototype,
  Type: Type.prototype,
  Field: Field.prototype,
  MapField: MapField.prototype,
  OneOf: OneOf.prototype,
  Enum: Enum.prototype,
  Service: Service.prototype,
  Method: Method.prototype,
  Long: (protobuf.util.Long as unknown as { prototype: object }).prototype,
};

const SINGLETONS: SingletonTable = {
  'protobuf.util.emptyArray': protobuf.util.emptyArray as unknown as object,
  'protobuf.util.emptyObject': protobuf.util.emptyObject as object,
};

/** protobufjs's version, when its package.json can be read (not inside a bundle that inlined it). */
function protobufjsVersion(): string | null {
  try {
    return (createRequire(import.meta.url)('protobufjs/package.json') as { version: string }).version;
  } catch {
    return null;
  }
}

/** The own keys of a fresh registry and fresh protobufjs reflection objects: an image made by other code would not match them. */
function protobufjsShapes(): Record<string, string[]> {
  const samples: Record<string, object> = {
    SchemaRegistry: new SchemaRegistry(),
    Root: new Root(),
    Type: new Type('T'),
    Field: new Field('f', 1, 'int32'),
    MapField: new MapField('m', 2, 'string', 'int32'),
    OneOf: new OneOf('o'),
    Enum: new Enum('E', { A: 0 }),
    Service: new Service('S'),
    Method: new Method('m', 'rpc', 'T', 'T'),
  };
  return Object.fromEntries(Object.entries(samples).map(([k, o]) => [k, Object.keys(o)]));
}

/** What the image records of protobufjs. */
function protobufjsFingerprint(): BundledImageFile['protobufjs'] {
  return { version: protobufjsVersion(), shapes: protobufjsShapes() };
}

/**
 * The image of a registry holding exactly the bundled families (loaded from `roots` by the
 * loader, nothing else). Throws when the registry holds anything the image cannot restore.
 */
export function makeBundledImage(
  registry: SchemaRegistry,
  roots: readonly { family: string; dir: string; files: string[] }[],
): BundledImageFile {
  const files = registry.files();
  const saved = files.map((f) => f.source);
  const sources = sourceTexts(registry);
  const texts = new Map(sources);
  try {
    // The .proto texts are on disk (and the well-known ones in the code): the image holds their digests.
    for (const [name, text] of texts) sources.set(name, digest(text));
    for (const f of files) {
      if (f.status !== 'loaded') throw new Error(`bundled image: ${f.name} did not load: ${f.error?.message ?? ''}`);
      if (f.origin === 'well-known') continue;
      const root = roots.find((r) => r.files.includes(f.name) && f.source === join(r.dir, f.name));
      if (f.origin !== 'proto' || !root)
        throw new Error(`bundled image: ${f.name} (${f.origin}, ${f.source ?? '?'}) is not a bundled file`);
      f.source = `${root.family}/${f.name}`;
    }
    if (registry.problems().length) throw new Error(`bundled image: the bundled schemas have problems: ${registry.problems()[0].message}`);
    const image = makeObjectImage(registry, PROTOTYPES, SINGLETONS, sectionByFile);
    const text = JSON.stringify(image);
    for (const r of roots) if (text.includes(r.dir)) throw new Error(`bundled image: it would hold the path ${r.dir}`);
    const index: Record<string, string> = {};
    walk(registry.root, (o) => {
      if ((o instanceof Type || o instanceof Enum || o instanceof Service) && o.filename) index[stripDot(o.fullName)] = o.filename;
    });
    return { protobufjs: protobufjsFingerprint(), families: roots.map((r) => ({ family: r.family, files: r.files })), image, index };
  } finally {
    for (const [name, text] of texts) sources.set(name, text);
    files.forEach((f, i) => {
      if (saved[i] === undefined) delete f.source;
      else f.source = saved[i];
    });
  }
}

/**
 * The image's sections: a definition (message, enum, service, field, ...) belongs to the file
 * that declares it, and what hangs off it (options, field tables) with it; packages (plain
 * namespaces), the root and the registry are the core.
 */
const sectionByFile: SectionOf = (o) => {
  const proto = Object.getPrototypeOf(o) as object | null;
  if (proto === Namespace.prototype || proto === Root.prototype || proto === SchemaRegistry.prototype) return null;
  if (o instanceof protobuf.ReflectionObject && typeof o.filename === 'string') return o.filename;
  return undefined;
};

/** The image file's text (see BundledImageFile). */
export function bundledImageText(file: BundledImageFile): string {
  const { head, parts } = splitObjectImage(file.image);
  const lines = [JSON.stringify({ ...file, image: head }), ...parts.map((p) => JSON.stringify(p))];
  return `${lines.join('\n')}\n`;
}

/** The image file's head line and the offsets of its part lines; null when it is not such a file. */
function readImageFile(
  path: string,
): { file: Omit<BundledImageFile, 'image'> & { image: ImageHead }; part: (s: number) => ImagePart } | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return null;
  }
  const ends: number[] = [];
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) ends.push(at);
  if (!ends.length) return null;
  let file: Omit<BundledImageFile, 'image'> & { image: ImageHead };
  try {
    file = JSON.parse(bytes.toString('utf8', 0, ends[0])) as typeof file;
  } catch {
    return null;
  }
  const parts = file.image?.sections?.names.length ?? 0;
  if (ends.length !== parts + 1) return null;
  // A part holds numbers, letters, true, false and null only: ASCII, read as Latin-1.
  return { file, part: (s) => JSON.parse(bytes.toString('latin1', ends[s] + 1, ends[s + 1])) as ImagePart };
}

/** The registry's .proto texts by file name (its private table, which the image holds as digests). */
function sourceTexts(registry: SchemaRegistry): Map<string, string> {
  const sources = (registry as unknown as { sources?: unknown }).sources;
  if (!(sources instanceof Map)) throw new Error('bundled image: the registry keeps its sources elsewhere; update bundled-image.ts');
  return sources as Map<string, string>;
}

/** What the image holds of a .proto text. */
function digest(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The registry the image holds, restored in part until completed (restoreBundledRegistryFor). */
export interface PartialRegistry {
  registry: SchemaRegistry;
  /** Whether the registry is whole (completed, or nothing was left out). */
  readonly whole: boolean;
  /** Restores the rest of the registry in place: afterwards it is what restoreBundledRegistry returns. */
  complete(): void;
}

/**
 * The registry the image in `schemasDir` holds, when it matches `roots` (each family's directory
 * and entry files, as the loader would load them) and the running protobufjs; null otherwise
 * (no image, another protobufjs, a file added, removed or edited), and the caller parses.
 */
export function restoreBundledRegistry(
  schemasDir: string,
  roots: readonly { family: string; dir: string; files: string[] }[],
): SchemaRegistry | null {
  const partial = restoreBundled(schemasDir, roots, null);
  return partial?.registry ?? null;
}

/**
 * The bundled registry with, at first, only the files that declare the named definitions
 * (full names: messages, enums, services) and everything those refer to (imports, types of
 * fields, extensions of their messages): those definitions are the very objects the whole
 * registry has, and behave the same. Until `complete()` the rest is missing: its lookups
 * (root.lookup) of anything else complete the registry first, but walks over the root or the
 * registry's lists see only what is restored, so the caller completes it before any such use.
 * null where restoreBundledRegistry is null, and when a name is not a bundled definition.
 */
export function restoreBundledRegistryFor(
  schemasDir: string,
  roots: readonly { family: string; dir: string; files: string[] }[],
  names: readonly string[],
): PartialRegistry | null {
  return restoreBundled(schemasDir, roots, names);
}

function restoreBundled(
  schemasDir: string,
  roots: readonly { family: string; dir: string; files: string[] }[],
  names: readonly string[] | null,
): PartialRegistry | null {
  const read = readImageFile(join(schemasDir, BUNDLED_IMAGE_FILE));
  if (!read) return null;
  const { file } = read;
  const fp = protobufjsFingerprint();
  if (fp.version !== null && file.protobufjs.version !== fp.version) return null;
  for (const [k, keys] of Object.entries(fp.shapes)) if (!sameList(file.protobufjs.shapes[k] ?? [], keys)) return null;
  if (file.families.length !== roots.length) return null;
  for (let i = 0; i < roots.length; i++) {
    if (file.families[i].family !== roots[i].family || !sameList(file.families[i].files, roots[i].files)) return null;
  }
  let wanted: string[] | null = null;
  if (names) {
    if (!file.index || !file.image.sections) return null;
    wanted = [];
    for (const n of names) {
      const section = Object.hasOwn(file.index, n) ? file.index[n] : undefined;
      if (section === undefined) return null;
      wanted.push(section);
    }
  }
  let graph: PartialGraph;
  try {
    graph = restoreObjectImageSections(file.image, read.part, PROTOTYPES, SINGLETONS, wanted ?? file.image.sections?.names.slice(1) ?? []);
  } catch {
    return null;
  }
  const registry = graph.root;
  if (!(registry instanceof SchemaRegistry)) return null;
  // Every file the image loaded must have the contents it had when the image was made.
  const texts = new Map<string, string>();
  /** Where each bundled file is on disk (the image names it `<family>/<name>`). */
  const paths = new Map<string, string>();
  for (const f of registry.files()) {
    let text: string | undefined;
    if (f.origin === 'well-known') text = WELL_KNOWN_PROTOS[f.name];
    else {
      const slash = f.source?.indexOf('/') ?? -1;
      const root = slash > 0 ? roots.find((r) => r.family === f.source!.slice(0, slash)) : undefined;
      if (!root || f.source!.slice(slash + 1) !== f.name) return null;
      const path = join(root.dir, f.name);
      try {
        text = readRegularFileSync(path).toString('utf8');
      } catch {
        return null;
      }
      paths.set(f.name, path);
    }
    if (text === undefined || registry.sourceOf(f.name) !== digest(text)) return null;
    texts.set(f.name, text);
  }
  /** The registry's file records name their disk files and hold their texts (again after completion restores the records). */
  const placeFiles = (): void => {
    const sources = sourceTexts(registry);
    for (const f of registry.files()) {
      sources.set(f.name, texts.get(f.name)!);
      const path = paths.get(f.name);
      if (path !== undefined) f.source = path;
    }
  };
  placeFiles();
  if (graph.whole) return { registry, whole: true, complete: () => {} };
  const root = registry.root;
  const complete = (): void => {
    if (graph.whole) return;
    // The core (the file records, and the packages with the lookups set below, included) goes back
    // to the image, and so do protobufjs's lookup caches (objects without prototype), which may
    // remember names as missing. Throws only on a damaged image.
    graph.complete((o) => Object.getPrototypeOf(o) === null);
    placeFiles();
  };
  // Lookups through the packages (the root included: every absolute name) see the restored
  // definitions only when the name is exactly one of them (a message, enum, service or field):
  // anything else (another name, or a partial name protobufjs would search for in nested
  // namespaces) completes the registry first, so it finds what the whole registry finds.
  const restored = new Set(Object.keys(file.index).filter((n) => graph.restored.has(file.index[n])));
  const fields = (root as unknown as { _fullyQualifiedObjects: Record<string, unknown> })._fullyQualifiedObjects;
  const lookupImpl = (Namespace.prototype as unknown as { _lookupImpl: LookupImpl })._lookupImpl;
  function lookupOrComplete(this: Namespace, path: string[], flat: string): ReflectionObject | null {
    if (!graph.whole) {
      const full = (this.fullName ? `${this.fullName.slice(1)}.` : '') + path.join('.');
      if (!restored.has(full) && !Object.hasOwn(fields, `.${full}`)) complete();
    }
    return lookupImpl.call(this, path, flat);
  }
  const guard = (ns: Namespace): void => {
    Object.defineProperty(ns, '_lookupImpl', { configurable: true, enumerable: false, writable: true, value: lookupOrComplete });
    for (const o of ns.nestedArray) if (Object.getPrototypeOf(o) === Namespace.prototype) guard(o as Namespace);
  };
  guard(root);
  return {
    registry,
    get whole() {
      return graph.whole;
    },
    complete,
  };
}

type LookupImpl = (this: Namespace, path: string[], flat: string) => ReflectionObject | null;
