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
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import protobuf, { Enum, Field, MapField, Method, Namespace, OneOf, Root, Service, Type } from 'protobufjs';
import { SchemaRegistry } from '../../core/schema/registry';
import { WELL_KNOWN_PROTOS } from '../../core/schema/well-known-protos';
import { readRegularFileSync } from '../files/regular-file';
import { makeObjectImage, restoreObjectImage, type ObjectImage, type PrototypeTable, type SingletonTable } from './object-image';

/** The image's file name inside the schemas directory. */
export const BUNDLED_IMAGE_FILE = 'bundled-schemas.image.json';

/** What the image file holds. */
export interface BundledImageFile {
  /** protobufjs's version and the own keys of a fresh registry and of protobufjs's reflection objects when the image was made. */
  protobufjs: { version: string | null; shapes: Record<string, string[]> };
  /** Each bundled family's entry files (import names, as the loader lists them), in load order. */
  families: { family: string; files: string[] }[];
  /** The registry after loading the families. Each .proto file's `source` is `<family>/<import name>`. */
  image: ObjectImage;
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
  try {
    for (const f of files) {
      if (f.status !== 'loaded') throw new Error(`bundled image: ${f.name} did not load: ${f.error?.message ?? ''}`);
      if (f.origin === 'well-known') continue;
      const root = roots.find((r) => r.files.includes(f.name) && f.source === join(r.dir, f.name));
      if (f.origin !== 'proto' || !root)
        throw new Error(`bundled image: ${f.name} (${f.origin}, ${f.source ?? '?'}) is not a bundled file`);
      f.source = `${root.family}/${f.name}`;
    }
    if (registry.problems().length) throw new Error(`bundled image: the bundled schemas have problems: ${registry.problems()[0].message}`);
    const image = makeObjectImage(registry, PROTOTYPES, SINGLETONS);
    const text = JSON.stringify(image);
    for (const r of roots) if (text.includes(r.dir)) throw new Error(`bundled image: it would hold the path ${r.dir}`);
    return { protobufjs: protobufjsFingerprint(), families: roots.map((r) => ({ family: r.family, files: r.files })), image };
  } finally {
    files.forEach((f, i) => {
      if (saved[i] === undefined) delete f.source;
      else f.source = saved[i];
    });
  }
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The registry the image in `schemasDir` holds, when it matches `roots` (each family's directory
 * and entry files, as the loader would load them) and the running protobufjs; null otherwise
 * (no image, another protobufjs, a file added, removed or edited), and the caller parses.
 */
export function restoreBundledRegistry(
  schemasDir: string,
  roots: readonly { family: string; dir: string; files: string[] }[],
): SchemaRegistry | null {
  const path = join(schemasDir, BUNDLED_IMAGE_FILE);
  if (!existsSync(path)) return null;
  let file: BundledImageFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as BundledImageFile;
  } catch {
    return null;
  }
  const fp = protobufjsFingerprint();
  if (fp.version !== null && file.protobufjs.version !== fp.version) return null;
  for (const [k, keys] of Object.entries(fp.shapes)) if (!sameList(file.protobufjs.shapes[k] ?? [], keys)) return null;
  if (file.families.length !== roots.length) return null;
  for (let i = 0; i < roots.length; i++) {
    if (file.families[i].family !== roots[i].family || !sameList(file.families[i].files, roots[i].files)) return null;
  }
  let registry: SchemaRegistry;
  try {
    registry = restoreObjectImage(file.image, PROTOTYPES, SINGLETONS) as SchemaRegistry;
  } catch {
    return null;
  }
  if (!(registry instanceof SchemaRegistry)) return null;
  // Every file the image loaded must have the contents it had when the image was made.
  for (const f of registry.files()) {
    const text = registry.sourceOf(f.name);
    if (f.origin === 'well-known') {
      if (text !== WELL_KNOWN_PROTOS[f.name]) return null;
      continue;
    }
    const slash = f.source?.indexOf('/') ?? -1;
    const root = slash > 0 ? roots.find((r) => r.family === f.source!.slice(0, slash)) : undefined;
    if (!root || f.source!.slice(slash + 1) !== f.name) return null;
    const source = join(root.dir, f.name);
    try {
      if (readRegularFileSync(source).toString('utf8') !== text) return null;
    } catch {
      return null;
    }
    f.source = source;
  }
  return registry;
}
