import { cpSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_IMAGE_FILE, restoreBundledRegistry } from '../core-node/schema/bundled-image';
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
});
