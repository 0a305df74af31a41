import { cpSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_IMAGE_FILE, restoreBundledRegistry, restoreBundledRegistryFor } from '../core-node/schema/bundled-image';
import { Enum, Service, Type, type Field, type ReflectionObject } from 'protobufjs';
import { graphDifference } from '../core-node/schema/graph-difference';
import { bundledEntries, defaultSchemasDir, loadSchemas } from '../core-node/schema/load-schemas';
import { bundledImageText } from '../scripts/make-schema-image';
import { PROTOC } from '../testing/protoc';

const SCHEMAS = defaultSchemasDir();

/** Renames livekit.ParticipantPermission to ImageOnlyPermission inside the image file in `dir` only. */
function renameInImage(dir: string): void {
  const path = join(dir, BUNDLED_IMAGE_FILE);
  // The file's lines: the head (strings and shapes shared by sections), then each section's part (its own).
  const [head, ...parts] = readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Tables);
  const rename = (s: string) => (s === 'ParticipantPermission' ? 'ImageOnlyPermission' : s);
  const tables = [(head as unknown as { image: Tables }).image, ...parts];
  expect(tables.some((t) => t.strings.includes('ParticipantPermission'))).toBe(true);
  for (const t of tables) {
    t.strings = t.strings.map(rename);
    t.shapes = t.shapes.map((keys) => keys.map(rename));
  }
  writeFileSync(path, `${[head, ...parts].map((x) => JSON.stringify(x)).join('\n')}\n`);
}

interface Tables {
  strings: string[];
  shapes: string[][];
}

/** A copy of schemas/ (the .proto files and the image) in a temporary directory. */
function schemasCopy(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'protodesk-image-')), 'schemas');
  cpSync(SCHEMAS, dir, { recursive: true, filter: (p) => !p.endsWith('.ts') });
  return dir;
}

describe('the precompiled bundled schemas (schemas/bundled-schemas.image.json)', () => {
  it('are what scripts/make-schema-image.ts makes from the .proto files now (run it after changing them)', async () => {
    expect(readFileSync(join(SCHEMAS, BUNDLED_IMAGE_FILE), 'utf8') === (await bundledImageText())).toBe(true);
  });

  it('restore to the registry a parse of the .proto files builds, object for object', async () => {
    const parsed = await loadSchemas({ precompiled: false });
    const restored = restoreBundledRegistry(SCHEMAS, bundledEntries(SCHEMAS));
    expect(restored).not.toBeNull();
    expect(graphDifference(parsed, restored)).toBeNull();
    expect(restored!.files().find((f) => f.name === 'livekit_models.proto')?.source).toBe(join(SCHEMAS, 'livekit/livekit_models.proto'));
  });

  it('are what the loader uses while they match the files on disk, and not once a file changes', async () => {
    const dir = schemasCopy();
    // Rename a type inside the image only: a registry that has the new name came from the image.
    renameInImage(dir);
    const fromImage = await loadSchemas({ schemasDir: dir });
    expect(fromImage.findMessage('livekit.ImageOnlyPermission')).toBeDefined();
    expect(fromImage.files().every((f) => f.origin === 'well-known' || f.source?.startsWith(dir))).toBe(true);

    appendFileSync(join(dir, 'livekit/livekit_models.proto'), '\n// edited\n');
    const parsed = await loadSchemas({ schemasDir: dir });
    expect(parsed.findMessage('livekit.ImageOnlyPermission')).toBeUndefined();
    expect(parsed.findMessage('livekit.ParticipantPermission')).toBeDefined();
    expect(parsed.sourceOf('livekit_models.proto')).toMatch(/\/\/ edited\n$/);
  });

  it('are not used after descriptor sets, which load first and may hold files of the same names', async () => {
    const dir = schemasCopy();
    renameInImage(dir);
    expect((await loadSchemas({ schemasDir: dir })).findMessage('livekit.ImageOnlyPermission')).toBeDefined();
    writeFileSync(join(dir, '../x.proto'), 'syntax = "proto3";\npackage acme;\nmessage X { int32 a = 1; }\n');
    execFileSync(PROTOC, [`-I${join(dir, '..')}`, `--descriptor_set_out=${join(dir, '../set.binpb')}`, 'x.proto']);
    const set = await loadSchemas({ schemasDir: dir, descriptorSets: [join(dir, '../set.binpb')] });
    expect(set.findMessage('acme.X')).toBeDefined();
    expect(set.findMessage('livekit.ImageOnlyPermission')).toBeUndefined();
    const plain = await loadSchemas({ schemasDir: dir, precompiled: false });
    expect(plain.findMessage('livekit.ImageOnlyPermission')).toBeUndefined();
  });

  describe('restored in part, for the files that declare some definitions', () => {
    /** A definition as a user would see it: protobufjs' JSON of it, and the full name of every field's type and extension. */
    const described = (o: ReflectionObject): string => {
      const fields = o instanceof Type ? o.fieldsArray : [];
      return JSON.stringify({
        json: (o as unknown as { toJSON(options: { keepComments: boolean }): unknown }).toJSON({ keepComments: true }),
        fields: fields.map((f: Field) => [f.name, f.id, f.resolvedType?.fullName, f.declaringField?.fullName, f.jsonName]),
        methods:
          o instanceof Service
            ? o.methodsArray.map((m) => [m.name, m.resolvedRequestType?.fullName, m.resolvedResponseType?.fullName])
            : [],
        values: o instanceof Enum ? o.valuesById : null,
      });
    };

    it('hold every bundled definition as the whole registry has it', async () => {
      const whole = await loadSchemas();
      const file = readFileSync(join(SCHEMAS, BUNDLED_IMAGE_FILE), 'utf8');
      const index = (JSON.parse(file.slice(0, file.indexOf('\n'))) as { index: Record<string, string> }).index;
      const bySection = new Map<string, string[]>();
      for (const [name, section] of Object.entries(index)) bySection.set(section, [...(bySection.get(section) ?? []), name]);
      const defined = [...whole.messageTypes(), ...whole.enums(), ...whole.services()].map((o) => o.fullName.slice(1));
      expect(Object.keys(index).sort()).toEqual([...defined].sort());
      for (const names of bySection.values()) {
        const part = restoreBundledRegistryFor(SCHEMAS, bundledEntries(SCHEMAS), names)!;
        expect(part).not.toBeNull();
        for (const name of names) {
          // Looked up where the registry is incomplete: through the namespaces, not the root's lookup (which would complete it).
          const parts = name.split('.');
          let o: ReflectionObject | null = part.registry.root;
          for (const p of parts) o = (o as unknown as { get(n: string): ReflectionObject | null }).get(p);
          expect(o, name).not.toBeNull();
          expect(described(o!), name).toBe(described(whole.root.lookup(name)!));
        }
      }
    });

    it('hold only the files needed until completed, then are the whole registry, the objects restored first kept', async () => {
      const whole = restoreBundledRegistry(SCHEMAS, bundledEntries(SCHEMAS))!;
      const part = restoreBundledRegistryFor(SCHEMAS, bundledEntries(SCHEMAS), ['livekit.RoomService'])!;
      expect(part.whole).toBe(false);
      const service = part.registry.root.lookup('livekit.RoomService');
      expect(service).toBeInstanceOf(Service);
      const types = part.registry.messageTypes().length;
      expect(types).toBeLessThan(whole.messageTypes().length);
      expect(part.registry.messageTypes().some((t) => t.fullName === '.livekit.Room')).toBe(true);
      expect(part.registry.messageTypes().some((t) => t.fullName === '.livekit.SignalRequest')).toBe(false);
      // The files list and their texts are whole from the start.
      expect(part.registry.files().map((f) => [f.name, f.source])).toEqual(whole.files().map((f) => [f.name, f.source]));
      expect(part.registry.sourceOf('livekit_rtc.proto')).toBe(whole.sourceOf('livekit_rtc.proto'));

      part.complete();
      expect(part.whole).toBe(true);
      expect(graphDifference(restoreBundledRegistry(SCHEMAS, bundledEntries(SCHEMAS)), part.registry)).toBeNull();
      expect(part.registry.root.lookup('livekit.RoomService')).toBe(service);
    });

    it('complete themselves when the root is asked for a name they do not hold', () => {
      const whole = restoreBundledRegistry(SCHEMAS, bundledEntries(SCHEMAS))!;
      const part = restoreBundledRegistryFor(SCHEMAS, bundledEntries(SCHEMAS), ['livekit.RoomService'])!;
      // As an Any payload's type is found: an absolute name through the root.
      const signal = part.registry.root.lookup('.livekit.SignalRequest');
      expect(part.whole).toBe(true);
      expect(signal).toBeInstanceOf(Type);
      expect(described(signal!)).toBe(described(whole.root.lookup('.livekit.SignalRequest')!));
      expect(part.registry.findMessage('livekit.NoSuchType')).toBeUndefined();
      // Lookups leave the same caches behind as in a registry restored whole.
      expect(whole.findMessage('livekit.NoSuchType')).toBeUndefined();
      expect(graphDifference(whole, part.registry)).toBeNull();
    });

    it('complete themselves for a name protobufjs would search nested packages for, and find what the whole registry finds', () => {
      const whole = restoreBundledRegistry(SCHEMAS, bundledEntries(SCHEMAS))!;
      const part = restoreBundledRegistryFor(SCHEMAS, bundledEntries(SCHEMAS), ['livekit.RoomService'])!;
      // A restored name is found without completing.
      expect(part.registry.findMessage('livekit.Room')?.fullName).toBe('.livekit.Room');
      expect(part.whole).toBe(false);
      // 'Codec' is no full name: protobufjs searches the packages in order for one.
      expect(part.registry.findMessage('Codec')?.fullName).toBe(whole.findMessage('Codec')?.fullName);
      expect(part.whole).toBe(true);
    });

    it('are not offered for a name the bundled schemas do not define, nor once a file changed', () => {
      expect(restoreBundledRegistryFor(SCHEMAS, bundledEntries(SCHEMAS), ['livekit.NoSuchService'])).toBeNull();
      const dir = schemasCopy();
      appendFileSync(join(dir, 'livekit/livekit_metrics.proto'), '\n// edited\n');
      expect(restoreBundledRegistryFor(dir, bundledEntries(dir), ['livekit.RoomService'])).toBeNull();
    });
  });
});
