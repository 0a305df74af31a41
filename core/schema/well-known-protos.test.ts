import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROTOC_INCLUDE } from '../../testing/protoc';
import { SchemaRegistry, wellKnownRegistry } from './registry';
import { WELL_KNOWN_PROTOS } from './well-known-protos';

/** Import names of every .proto under protoc's include/google/protobuf. */
function protocFiles(dir = 'google/protobuf'): string[] {
  return readdirSync(join(PROTOC_INCLUDE, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? protocFiles(`${dir}/${e.name}`) : e.name.endsWith('.proto') ? [`${dir}/${e.name}`] : [],
  );
}

describe('the embedded well-known protos', () => {
  it("are protoc's include directory, file for file and byte for byte (scripts/make-well-known-protos.ts)", () => {
    const names = protocFiles().sort();
    expect(Object.keys(WELL_KNOWN_PROTOS).sort()).toEqual(names);
    for (const name of names) expect(WELL_KNOWN_PROTOS[name], name).toBe(readFileSync(join(PROTOC_INCLUDE, name), 'utf8'));
  });

  it("hold the current descriptor.proto: FeatureSet and the editions types resolve, and protoc's feature extensions load", () => {
    const registry = wellKnownRegistry();
    expect(registry.findMessage('google.protobuf.FeatureSet')?.fields['field_presence']).toBeDefined();
    expect(registry.findMessage('google.protobuf.FeatureSetDefaults')).toBeDefined();
    expect(registry.findEnum('google.protobuf.Edition')?.values['EDITION_2023']).toBe(1000);
    expect(registry.findExtension('pb.cpp')).toBeDefined();
    expect(registry.findMessage('google.protobuf.compiler.CodeGeneratorRequest')).toBeDefined();
  });

  it("serve imports before the user's copies, so a user's old descriptor.proto does not hide FeatureSet", () => {
    const registry = new SchemaRegistry();
    const old = 'syntax = "proto2";\npackage google.protobuf;\nmessage FileDescriptorSet { repeated string file = 1; }\n';
    const user = 'syntax = "proto3";\nimport "google/protobuf/descriptor.proto";\nmessage Opts { google.protobuf.FeatureSet f = 1; }\n';
    registry.addSources(['user.proto'], (name) => ({ contents: name === 'user.proto' ? user : old }));
    expect(registry.findMessage('Opts')?.fields['f'].resolvedType?.fullName).toBe('.google.protobuf.FeatureSet');
  });
});
