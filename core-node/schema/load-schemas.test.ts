import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bundledSchemaRoots, defaultSchemasDir, listProtoFiles, loadSchemas } from './load-schemas';
import { SchemaError } from '../../core/schema/schema-error';
import { PROTOC } from '../../testing/protoc';

/** Writes files under a fresh temporary directory; returns its path. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'protodesk-load-'));
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), contents);
  }
  return dir;
}

const COMMON = 'syntax = "proto3";\npackage acme.common;\nmessage Id { string value = 1; }\n';
const API =
  'syntax = "proto3";\npackage acme.api;\nimport "acme/common/id.proto";\nimport "google/protobuf/timestamp.proto";\nmessage User { acme.common.Id id = 1; google.protobuf.Timestamp at = 2; }\n';

describe('loadSchemas', () => {
  it('resolves imports through the import paths in order (protoc -I)', async () => {
    const dir = tree({ 'protos/acme/common/id.proto': COMMON, 'api/acme/api/user.proto': API });
    const reg = await loadSchemas({
      cwd: dir,
      importPaths: ['api', 'protos'],
      protoFiles: ['api/acme/api/user.proto'],
      bundled: false,
    });
    expect(reg.findMessage('acme.api.User')?.fields['id'].resolvedType?.fullName).toBe('.acme.common.Id');
    const names = reg.files().map((f) => f.name);
    expect(names).toEqual(['acme/api/user.proto', 'acme/common/id.proto', 'google/protobuf/timestamp.proto']);
    expect(reg.files()[1].source).toBe(join(dir, 'protos/acme/common/id.proto'));
  });

  it('uses the first import path that has a file, like protoc', async () => {
    const dir = tree({
      'a/x.proto': 'syntax = "proto3";\nimport "dep.proto";\nmessage X { Dep d = 1; }\n',
      'a/dep.proto': 'syntax = "proto3";\nmessage Dep { int32 from_a = 1; }\n',
      'b/dep.proto': 'syntax = "proto3";\nmessage Dep { int32 from_b = 1; }\n',
    });
    const reg = await loadSchemas({ cwd: dir, importPaths: ['b', 'a'], protoFiles: ['a/x.proto'], bundled: false });
    expect(Object.keys(reg.findMessage('Dep')!.fields)).toEqual(['from_b']);
  });

  it("uses each file's directory as the import path when none is given", async () => {
    const dir = tree({
      'p/dep.proto': 'syntax = "proto3";\nmessage Dep {}\n',
      'p/x.proto': 'syntax = "proto3";\nimport "dep.proto";\nmessage X { Dep d = 1; }\n',
    });
    const reg = await loadSchemas({ protoFiles: [join(dir, 'p/x.proto')], bundled: false });
    expect(reg.findMessage('X')).toBeDefined();
  });

  it('rejects a file outside every import path, naming it', async () => {
    const dir = tree({ 'a/x.proto': 'syntax = "proto3";\nmessage X {}\n' });
    await expect(loadSchemas({ cwd: dir, importPaths: ['b'], protoFiles: ['a/x.proto'], bundled: false })).rejects.toThrowError(
      /^a\/x\.proto: file does not reside within any import path/,
    );
  });

  it('names file:line:column of a broken file, and collects every broken file', async () => {
    const dir = tree({
      'x.proto': 'syntax = "proto3";\nmessage X {\n  int32 a = 1\n}\n',
      'y.proto': 'syntax = "proto3";\nmessage Y { Nope n = 1; }\n',
    });
    const err = await loadSchemas({ cwd: dir, protoFiles: ['x.proto', 'y.proto'], bundled: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaError);
    expect((err as SchemaError).errors.map((e) => e.message)).toEqual([
      'x.proto:4:1: unexpected "}", expected ";"',
      'y.proto:2:13: field Y.n: unknown type "Nope"',
    ]);
  });

  it('loads descriptor sets first, so .proto files may import files they hold', async () => {
    const dir = tree({ 'lib/acme/common/id.proto': COMMON, 'app/user.proto': API.replace('package acme.api;', 'package app;') });
    execFileSync(PROTOC, [`-I${join(dir, 'lib')}`, `--descriptor_set_out=${join(dir, 'lib.protoset')}`, 'acme/common/id.proto']);
    const reg = await loadSchemas({ cwd: dir, descriptorSets: ['lib.protoset'], protoFiles: ['app/user.proto'], bundled: false });
    expect(reg.findMessage('app.User')?.fields['id'].resolvedType?.fullName).toBe('.acme.common.Id');
    expect(reg.files()[0]).toMatchObject({ name: 'acme/common/id.proto', origin: 'descriptor-set', source: 'lib.protoset' });
  });

  it('keeps going in tolerant mode and reports problems', async () => {
    const dir = tree({ 'ok.proto': 'syntax = "proto3";\nmessage Ok {}\n', 'bad.proto': 'syntax = "proto3";\nmessage {\n' });
    const reg = await loadSchemas({ cwd: dir, protoFiles: ['ok.proto', 'bad.proto', 'missing.proto'], bundled: false, tolerant: true });
    expect(reg.findMessage('Ok')).toBeDefined();
    expect(reg.problems().map((p) => p.file)).toEqual(['bad.proto', 'missing.proto']);
  });
});

describe('bundled schemas', () => {
  it('finds the repository schemas/ directory', () => {
    expect(defaultSchemasDir()).toBe(resolve(__dirname, '../../schemas'));
    expect(bundledSchemaRoots('/s')).toEqual([
      { family: 'livekit', dir: join('/s', 'livekit') },
      { family: 'kik-video', dir: join('/s', 'kik-video') },
    ]);
  });

  it('loads each family with its own import root, and copes with an empty or missing family', async () => {
    const dir = tree({
      'livekit/livekit_models.proto': 'syntax = "proto3";\npackage livekit;\nmessage Room { string name = 1; }\n',
      'livekit/livekit_rtc.proto':
        'syntax = "proto3";\npackage livekit;\nimport "livekit_models.proto";\nmessage Join { Room room = 1; }\n',
    });
    const reg = await loadSchemas({ schemasDir: dir });
    expect(reg.findMessage('livekit.Join')).toBeDefined();
    expect(listProtoFiles(join(dir, 'livekit'))).toEqual(['livekit_models.proto', 'livekit_rtc.proto']);
    expect(listProtoFiles(join(dir, 'kik-video'))).toEqual([]);
  });

  it('is loud about a broken bundled file', async () => {
    const dir = tree({ 'kik-video/video.proto': 'syntax = "proto3";\nmessage V { int32 a = 1 }\n' });
    await expect(loadSchemas({ schemasDir: dir })).rejects.toThrowError('video.proto:2:25: unexpected "}", expected ";"');
  });

  it('loads the real bundled schemas without errors', async () => {
    const reg = await loadSchemas({});
    for (const { dir } of bundledSchemaRoots()) {
      for (const name of listProtoFiles(dir)) expect(reg.files().find((f) => f.name === name)?.status).toBe('loaded');
    }
  });
});
