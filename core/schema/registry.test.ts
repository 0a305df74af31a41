import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldOption, isMapField, isSyntheticOneof } from './reflection';
import { loadSchemaSources, SchemaRegistry } from './registry';
import { SchemaError } from './schema-error';
import { PROTOC, PROTOC_INCLUDE } from '../../testing/protoc';

const VALIDATION = `syntax = "proto2";
package kik.validation;
import "google/protobuf/descriptor.proto";
message FieldValidation {
  optional bool mandatory = 1;
  optional int32 min_byte_length = 2;
  optional int32 max_byte_length = 3;
}
extend google.protobuf.FieldOptions {
  optional FieldValidation field_validation = 76543;
}
`;

const PROTO3 = `syntax = "proto3";
package demo.v1;
import "google/protobuf/timestamp.proto";
import "google/protobuf/any.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/field_mask.proto";
import "validation.proto";

message Room {
  string room_name = 1 [(kik.validation.field_validation) = { mandatory: true, min_byte_length: 3 }];
  optional int32 max_participants = 2;
  map<string, Participant> participants_by_id = 3;
  oneof kind { string url = 4; bytes token = 5; }
  repeated int64 ids = 6;
  google.protobuf.Timestamp created_at = 7;
  int32 custom = 8 [json_name = "customName"];
  reserved 20, 21;
  reserved "old_name";
  message Participant { string identity = 1; }
  enum State { STATE_UNSPECIFIED = 0; STATE_OPEN = 1; }
  State state = 9;
}
service RoomService {
  rpc CreateRoom(Room) returns (Room);
  rpc Ping(google.protobuf.Empty) returns (google.protobuf.Empty);
}
`;

const PROTO2 = `syntax = "proto2";
package legacy;
message Old {
  required string name = 1;
  optional group Extra = 2 { optional int32 a = 1; }
  repeated int32 packed_ints = 3 [packed = true];
  optional int32 with_default = 4 [default = 7];
  extensions 100 to 199;
}
extend Old { optional string note = 100; }
message Holder { extend Old { repeated int32 nested_ext = 101; } }
`;

function files(extra: Record<string, string> = {}) {
  return Object.entries({ 'validation.proto': VALIDATION, 'demo.proto': PROTO3, 'legacy.proto': PROTO2, ...extra }).map(
    ([name, contents]) => ({ name, contents }),
  );
}

describe('SchemaRegistry', () => {
  const reg = loadSchemaSources(files());

  it('lists message types sorted by full name, nested ones included, without map entries', () => {
    const names = reg.messageTypes().map((t) => reg.fullName(t));
    expect(names).toEqual([...names].sort());
    expect(names).toContain('demo.v1.Room');
    expect(names).toContain('demo.v1.Room.Participant');
    expect(names).toContain('legacy.Old.Extra');
    expect(names).toContain('google.protobuf.Timestamp');
    expect(names.some((n) => n.endsWith('Entry'))).toBe(false);
  });

  it('finds messages and enums with or without a leading dot', () => {
    expect(reg.findMessage('demo.v1.Room')?.name).toBe('Room');
    expect(reg.findMessage('.demo.v1.Room')?.name).toBe('Room');
    expect(reg.findMessage('demo.v1.Nope')).toBeUndefined();
    expect(reg.findMessage('demo.v1.Room.State')).toBeUndefined();
    expect(reg.findEnum('demo.v1.Room.State')?.values).toEqual({ STATE_UNSPECIFIED: 0, STATE_OPEN: 1 });
    expect(reg.findMessage('')).toBeUndefined();
  });

  it('keeps field names as written and computes JSON names as protoc', () => {
    const room = reg.findMessage('demo.v1.Room')!;
    expect(room.fields['room_name'].jsonName).toBe('roomName');
    expect(room.fields['custom'].jsonName).toBe('customName');
    expect(room.fields['participants_by_id'].jsonName).toBe('participantsById');
  });

  it('reads custom options on a field', () => {
    const f = reg.findMessage('demo.v1.Room')!.fields['room_name'];
    expect(f.options?.['(kik.validation.field_validation).mandatory']).toBe(true);
    expect(fieldOption(f, '(kik.validation.field_validation)')).toEqual({ mandatory: true, min_byte_length: 3 });
    expect(fieldOption(f, '(kik.validation.field_validation).min_byte_length')).toBe(3);
    expect(fieldOption(f, '(kik.validation.field_validation).max_byte_length')).toBeUndefined();
  });

  it('models proto3 features: optional, maps, oneofs, reserved', () => {
    const room = reg.findMessage('demo.v1.Room')!;
    const maxP = room.fields['max_participants'];
    expect(maxP.hasPresence).toBeTruthy(); // protobufjs returns the oneof here, not `true`
    expect(isSyntheticOneof(maxP.partOf!)).toBe(true);
    expect(room.fields['room_name'].hasPresence).toBe(false);
    expect(isMapField(room.fields['participants_by_id'])).toBe(true);
    expect(room.oneofs['kind'].fieldsArray.map((f) => f.name)).toEqual(['url', 'token']);
    expect(isSyntheticOneof(room.oneofs['kind'])).toBe(false);
    expect(room.fields['ids'].packed).toBe(true);
    expect(room.reserved).toEqual([[20, 20], [21, 21], 'old_name']);
  });

  it('models proto2 features: required, groups, packed option, defaults, extensions', () => {
    const old = reg.findMessage('legacy.Old')!;
    expect(old.fields['name'].required).toBe(true);
    expect(old.fields['extra'].delimited).toBe(true);
    expect(reg.fullName(old.fields['extra'].resolvedType!)).toBe('legacy.Old.Extra');
    expect(old.fields['packed_ints'].packed).toBe(true);
    expect(old.fields['with_default'].typeDefault).toBe(7);
    const note = reg.findExtension('legacy.note')!;
    expect(note.id).toBe(100);
    expect(note.parent).toBe(old);
    expect(reg.findExtension('legacy.Holder.nested_ext')!.id).toBe(101);
    expect(reg.extensionsOf(old).map((f) => f.id)).toEqual([100, 101]);
  });

  it('lists services and searches types best match first', () => {
    expect(reg.services().map((s) => reg.fullName(s))).toEqual(['demo.v1.RoomService']);
    const hits = reg.search('room').map((t) => reg.fullName(t));
    expect(hits[0]).toBe('demo.v1.Room');
    expect(hits).toContain('demo.v1.Room.Participant');
    expect(reg.search('PARTICIPANT').map((t) => reg.fullName(t))[0]).toBe('demo.v1.Room.Participant');
    expect(reg.search('zzz')).toEqual([]);
  });

  it('reports which files were loaded', () => {
    const byName = Object.fromEntries(reg.files().map((f) => [f.name, f]));
    expect(byName['demo.proto'].status).toBe('loaded');
    expect(byName['google/protobuf/timestamp.proto'].origin).toBe('well-known');
    expect(byName['google/protobuf/descriptor.proto'].status).toBe('loaded');
    expect(byName['demo.proto'].imports).toContain('validation.proto');
  });
});

describe('schema errors', () => {
  it('names file:line:column for a syntax error', () => {
    const src = 'syntax = "proto3";\nmessage X {\n  int32 a = 1\n  int32 b = 2;\n}\n';
    try {
      loadSchemaSources([{ name: 'broken.proto', contents: src }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SchemaError);
      const err = e as SchemaError;
      expect(err.name).toBe('SchemaError');
      expect(err.message).toBe('broken.proto:4:3: unexpected "int32", expected ";"');
      expect([err.file, err.line, err.column]).toEqual(['broken.proto', 4, 3]);
    }
  });

  it('names the column of a bad token later on its line', () => {
    const src = 'syntax = "proto3";\nmessage X {\n  int32 a = 1; int32 9b = 2;\n}\n';
    expect(() => loadSchemaSources([{ name: 'b.proto', contents: src }])).toThrowError(/^b\.proto:3:22: /);
  });

  it('names the end of input for an unterminated message', () => {
    const src = 'syntax = "proto3";\nmessage X {\n  int32 a = 1;\n';
    expect(() => loadSchemaSources([{ name: 'e.proto', contents: src }])).toThrowError('e.proto:4:1: unexpected end of input');
  });

  it('names the file, position and type of an unresolved reference', () => {
    const src = 'syntax = "proto3";\npackage p;\nmessage X {\n  int32 a = 1;\n  Missing b = 2;\n}\n';
    expect(() => loadSchemaSources([{ name: 'u.proto', contents: src }])).toThrowError('u.proto:5:3: field p.X.b: unknown type "Missing"');
  });

  it('names the importing file and position of a missing import', () => {
    const src = 'syntax = "proto3";\nimport "nope/gone.proto";\nmessage X {}\n';
    expect(() => loadSchemaSources([{ name: 'i.proto', contents: src }])).toThrowError(
      'i.proto:2:8: import "nope/gone.proto" was not found',
    );
  });

  it('collects every broken file into one aggregate', () => {
    try {
      loadSchemaSources([
        { name: 'a.proto', contents: 'syntax = "proto3";\nmessage A { int32 x = 1 }\n' },
        { name: 'ok.proto', contents: 'syntax = "proto3";\nmessage Ok { int32 x = 1; }\n' },
        { name: 'c.proto', contents: 'syntax = "proto3";\nmessage C { Nope x = 1; }\n' },
      ]);
      expect.unreachable();
    } catch (e) {
      const err = e as SchemaError;
      expect(err.errors.map((x) => x.file)).toEqual(['a.proto', 'c.proto']);
      expect(err.message).toMatch(/^2 schema errors:\n {2}a\.proto:2:25: .*\n {2}c\.proto:2:13: field C\.x: unknown type "Nope"$/);
    }
  });

  it('keeps the good files in tolerant mode', () => {
    const reg = loadSchemaSources(
      [
        { name: 'a.proto', contents: 'syntax = "proto3";\nmessage A { int32 x = 1 }\n' },
        { name: 'ok.proto', contents: 'syntax = "proto3";\nmessage Ok { int32 x = 1; Nope y = 2; }\n' },
      ],
      { tolerant: true },
    );
    expect(reg.findMessage('Ok')?.fieldsArray.map((f) => f.name)).toEqual(['x']);
    expect(reg.findMessage('A')).toBeUndefined();
    expect(reg.files().find((f) => f.name === 'a.proto')?.status).toBe('error');
    expect(reg.problems().map((p) => p.file)).toEqual(['a.proto', 'ok.proto']);
  });
});

describe('descriptor sets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'protodesk-schema-'));
  for (const f of files()) writeFileSync(join(dir, f.name), f.contents);
  const out = join(dir, 'set.binpb');
  execFileSync(PROTOC, [
    `-I${dir}`,
    `-I${PROTOC_INCLUDE}`,
    '--include_imports',
    `--descriptor_set_out=${out}`,
    'demo.proto',
    'legacy.proto',
  ]);
  const bytes = new Uint8Array(readFileSync(out));

  it('loads a FileDescriptorSet from protoc --include_imports with names kept', () => {
    const reg = new SchemaRegistry();
    const added = reg.addDescriptorSet(bytes, 'set.binpb');
    expect(added.map((f) => f.name)).toContain('google/protobuf/timestamp.proto');
    const room = reg.findMessage('demo.v1.Room')!;
    expect(Object.keys(room.fields)).toContain('room_name');
    expect(room.fields['custom'].jsonName).toBe('customName');
    expect(room.fields['max_participants'].hasPresence).toBeTruthy();
    expect(room.fields['ids'].packed).toBe(true);
    expect(isMapField(room.fields['participants_by_id'])).toBe(true);
    const old = reg.findMessage('legacy.Old')!;
    expect(old.fields['extra'].delimited).toBe(true);
    expect(old.fields['packed_ints'].packed).toBe(true);
    expect(reg.findExtension('legacy.note')?.id).toBe(100);
    expect(reg.services()[0].methodsArray.map((m) => m.name)).toEqual(['CreateRoom', 'Ping']);
    expect(reg.messageTypes().some((t) => t.name.endsWith('Entry'))).toBe(false);
  });

  it('reads custom options from the set, named in full', () => {
    const reg = new SchemaRegistry();
    reg.addDescriptorSet(bytes, 'set.binpb');
    const f = reg.findMessage('demo.v1.Room')!.fields['room_name'];
    expect(fieldOption(f, '(kik.validation.field_validation)')).toEqual({ mandatory: true, min_byte_length: 3 });
    expect(f.options?.['(kik.validation.field_validation).mandatory']).toBe(true);
    expect(f.options?.['(kik.validation.field_validation).min_byte_length']).toBe(3);
  });

  it('loads a set made without --include_imports when it only lacks well-known files', () => {
    const lone = join(dir, 'lone.binpb');
    writeFileSync(
      join(dir, 'lone.proto'),
      'syntax = "proto3";\npackage lone;\nimport "google/protobuf/timestamp.proto";\nmessage L { google.protobuf.Timestamp at = 1; }\n',
    );
    execFileSync(PROTOC, [`-I${dir}`, `--descriptor_set_out=${lone}`, 'lone.proto']);
    const reg = new SchemaRegistry();
    reg.addDescriptorSet(new Uint8Array(readFileSync(lone)), 'lone.binpb');
    expect(reg.findMessage('lone.L')!.fields['at'].resolvedType?.fullName).toBe('.google.protobuf.Timestamp');
    expect(reg.files().map((f) => [f.name, f.origin])).toEqual([
      ['google/protobuf/timestamp.proto', 'well-known'],
      ['lone.proto', 'descriptor-set'],
    ]);
  });

  it('mixes with .proto sources, skipping files already loaded', () => {
    const reg = loadSchemaSources(files());
    const before = reg.files().length;
    const added = reg.addDescriptorSet(bytes, 'set.binpb');
    expect(added).toEqual([]);
    expect(reg.files().length).toBe(before);
  });

  it('rejects bytes that are not a descriptor set', () => {
    expect(() => new SchemaRegistry().addDescriptorSet(new Uint8Array([0x0a, 0x05, 0x01]), 'junk.pb')).toThrowError(
      /^junk\.pb: not a FileDescriptorSet/,
    );
  });
});
