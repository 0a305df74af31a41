import descriptor from 'protobufjs/ext/descriptor.js';
import { describe, expect, it } from 'vitest';
import { protocSchema } from '../../testing/protoc';
import { scanDeclarations } from './proto-declarations';
import { loadSchemaSources, SchemaRegistry } from './registry';
import { SchemaError } from './schema-error';

/** The first error protoc prints for a set of files, as `file:line:column: detail` without its temp directory. */
function protocError(files: Record<string, string>): string {
  try {
    protocSchema(files).descriptorSet();
  } catch (e) {
    const msg = (e as Error).message;
    const lines = msg
      .slice(msg.indexOf(' failed: ') + 9)
      .split('\n')
      .map((l) => l.replace(/^\S*\/protodesk-protoc-[^/]+\//, ''));
    const first = lines.find((l) => /^\S+\.proto(:\d+:\d+)?: (?!warning)/.test(l));
    return first ?? lines.join('\n');
  }
  return 'protoc accepted the files';
}

function ourError(files: Record<string, string>): SchemaError {
  try {
    loadSchemaSources(Object.entries(files).map(([name, contents]) => ({ name, contents })));
  } catch (e) {
    expect(e).toBeInstanceOf(SchemaError);
    return (e as SchemaError).errors[0];
  }
  throw new Error('the files loaded');
}

const p3 = (body: string) => ({ 'a.proto': `syntax = "proto3";\n${body}\n` });
const p2 = (body: string) => ({ 'a.proto': `syntax = "proto2";\n${body}\n` });

/** Schemas protoc refuses; ours must refuse them with protoc's message at protoc's file:line:column. */
const SAME: [string, Record<string, string>][] = [
  ['field number 0', p3('message M {\n  int32 a = 0;\n}')],
  ['a field number above 2^29-1', p3('message M { int32 a = 536870912; }')],
  ['an extension number above 2^29-1', p2('message M { extensions 100 to max; }\nextend M { optional int32 x = 536870912; }')],
  ['a file importing itself', { 'a.proto': 'syntax = "proto3";\nimport "a.proto";\nmessage M {}\n' }],
  [
    'an import cycle',
    {
      'a.proto': 'syntax = "proto3";\nimport "b.proto";\nmessage A {}\n',
      'b.proto': 'syntax = "proto3";\nimport "a.proto";\nmessage B {}\n',
    },
  ],
  ['a proto3 enum without a zero first value', p3('enum E {\n  ONE = 1;\n}')],
  ['an editions open enum without a zero first value', { 'a.proto': 'edition = "2023";\nenum E {\n  ONE = 1;\n}\n' }],
  ['an explicit default in proto3', p3('message M { int32 a = 1 [default = 5]; }')],
  ['an extension number outside the declared ranges', p2('message M { extensions 100 to 200; }\nextend M { optional int32 x = 5; }')],
  ['an extension of a message without ranges', p2('message M { }\nextend M { optional int32 x = 5; }')],
  ['a proto3 JSON name conflict', p3('message M {\n  int32 foo_bar = 1;\n  int32 fooBar = 2;\n}')],
  [
    'a custom JSON name conflict in proto2',
    p2('message M {\n  optional int32 a = 1 [json_name = "x"];\n  optional int32 b = 2 [json_name = "x"];\n}'),
  ],
  ['a custom JSON name against a default one in proto3', p3('message M {\n  int32 x = 1;\n  int32 b = 2 [json_name = "x"];\n}')],
  ['a duplicate field number', p3('message M {\n  int32 a = 1;\n  int32 b = 1;\n}')],
  [
    'a duplicate field number beside reserved and extension ranges',
    p2('message M {\n  reserved 3;\n  extensions 4 to 10;\n  optional int32 a = 1;\n  optional int32 b = 2;\n  optional int32 c = 1;\n}'),
  ],
  ['a duplicate enum number without allow_alias', p3('enum E { Z = 0; A = 1; B = 1; }')],
  ['a duplicate enum number, the next free value after it', p3('enum E {\n  reserved 4;\n  Z = 0;\n  A = 3;\n  C = 5;\n  B = 3;\n}')],
  ['a reserved field name', p3('message M {\n  reserved "a";\n  int32 a = 1;\n}')],
  ['a duplicate field name', p3('message M { int32 a = 1; string a = 2; }')],
  ['a bad syntax line', { 'a.proto': 'syntax = "proto4";\nmessage M {}\n' }],
  ['a closed enum without zero as a map value', p2('enum C { ONE = 1; }\nmessage M { map<string, C> m = 1; }')],
  ['a lower-case group name', p2('message M { optional group g = 1 {} }')],
  [
    'a closed enum field with implicit presence (editions)',
    {
      'a.proto':
        'edition = "2023";\nenum E { option features.enum_type = CLOSED; ONE = 1; }\nmessage M {\n  E e = 1 [features.field_presence = IMPLICIT];\n}\n',
    },
  ],
  [
    'an editions default JSON name conflict',
    { 'a.proto': 'edition = "2023";\nmessage M {\n  int32 foo_bar = 1;\n  int32 fooBar = 2;\n}\n' },
  ],
];

/** Refused by both; we place the error more usefully than protoc (same wording). */
const SAME_DETAIL: [string, Record<string, string>][] = [
  ['field numbers 19000 to 19999 (protoc gives no line; we point at the number)', p3('message M { int32 a = 19000; }')],
  [
    'a feature set where descriptor.proto does not allow it (protoc gives no line; we point at the option)',
    { 'a.proto': 'edition = "2023";\nmessage M {\n  option features.repeated_field_encoding = EXPANDED;\n  repeated int32 a = 1;\n}\n' },
  ],
  [
    'a field feature on an enum value',
    { 'a.proto': 'edition = "2023";\nenum E {\n  Z = 0;\n  A = 1 [features.field_presence = IMPLICIT];\n}\n' },
  ],
  [
    'an extension number in 19000 to 19999 inside a declared range',
    p2('message M { extensions 100 to max; }\nextend M { optional int32 x = 19000; }'),
  ],
  [
    'a field on a reserved number (protoc points at the reserved range; we point at the field)',
    p3('message M {\n  reserved 2;\n  int32 a = 2;\n}'),
  ],
];

describe('schema checks beside protoc', () => {
  it.each(SAME)("refuses %s with protoc's message and position", (_name, files) => {
    expect(ourError(files).message).toBe(protocError(files));
  });

  it.each(SAME_DETAIL)("refuses %s with protoc's message", (_name, files) => {
    const theirs = protocError(files).replace(/^\S+?(:\d+:\d+)?: /, '');
    expect(ourError(files).detail).toBe(theirs.replace(/ Next available field number is \d+\.$/, ''));
    expect(ourError(files).line).toBeDefined();
  });

  it('accepts what protoc accepts: proto2 default JSON name conflicts (a warning), legacy best effort, aliases, features where allowed', () => {
    for (const files of [
      p2('message M {\n  optional int32 foo_bar = 1;\n  optional int32 fooBar = 2;\n}'),
      p3('message M {\n  option deprecated_legacy_json_field_conflicts = true;\n  int32 foo_bar = 1;\n  int32 fooBar = 2;\n}'),
      p3('enum E { option allow_alias = true; Z = 0; A = 1; B = 1; }'),
      {
        'a.proto':
          'edition = "2023";\nmessage M {\n  option features.json_format = LEGACY_BEST_EFFORT;\n  int32 foo_bar = 1;\n  int32 fooBar = 2;\n}\n',
      },
      {
        'a.proto':
          'edition = "2023";\noption features.enum_type = CLOSED;\nenum E { ONE = 1; }\nmessage M { E e = 1; repeated E r = 2 [features.repeated_field_encoding = EXPANDED]; }\n',
      },
      p2('message M { extensions 4 to max; }\nextend M { optional int32 x = 536870911; }'),
      p2('message M { option message_set_wire_format = true; extensions 4 to max; }\nmessage E { extend M { optional E x = 536870913; } }'),
    ]) {
      expect(protocError(files)).toBe('protoc accepted the files');
      expect(() => loadSchemaSources(Object.entries(files).map(([name, contents]) => ({ name, contents })))).not.toThrow();
    }
  });

  it('refuses a package named __proto__, which protoc accepts but a JavaScript object cannot hold (its types vanished)', () => {
    const files = p3('package __proto__;\nmessage M { int32 a = 1; }');
    expect(protocError(files)).toBe('protoc accepted the files');
    expect(ourError(files).message).toBe(
      'a.proto:2:9: The name "__proto__" cannot be used here: JavaScript objects cannot hold it as a key, so its definitions would be lost.',
    );
  });

  it('records the problems in a tolerant load and keeps the rest usable', () => {
    const registry = loadSchemaSources(
      [{ name: 'a.proto', contents: 'syntax = "proto3";\nmessage M {\n  int32 a = 0;\n}\nmessage N { int32 b = 1; }\n' }],
      {
        tolerant: true,
      },
    );
    expect(registry.problems().map((p) => p.message)).toEqual(['a.proto:3:13: Field numbers must be positive integers.']);
    expect(registry.findMessage('N')).toBeDefined();
  });
});

describe('descriptor sets protoc would never write', () => {
  const set = (field: Record<string, unknown>) =>
    descriptor.FileDescriptorSet.encode({
      file: [
        { name: 'x.proto', package: 'x', messageType: [{ name: 'M', field: [{ name: 'a', number: 1, label: 1, type: 5, ...field }] }] },
      ],
    }).finish();

  it('refuse a field of type 99, a field number of 0 or 19000, naming the file and the field', () => {
    const load = (bytes: Uint8Array) => () => new SchemaRegistry().addDescriptorSet(bytes, 'bad.binpb');
    expect(load(set({ type: 99 }))).toThrowError(
      'bad.binpb(x.proto): field x.M.a has type 99, which is not a field type (FieldDescriptorProto.Type is 1 to 18)',
    );
    expect(load(set({ number: 0 }))).toThrowError('bad.binpb(x.proto): field x.M.a has number 0: Field numbers must be positive integers.');
    expect(load(set({ number: 19000 }))).toThrowError(/field x.M.a has number 19000: Field numbers 19000 through 19999 are reserved/);
    expect(load(set({}))).not.toThrow();
  });

  it('refuse what protoc checks on definitions: a proto3 enum starting at 1, a JSON name conflict', () => {
    const enumSet = descriptor.FileDescriptorSet.encode({
      file: [{ name: 'e.proto', package: 'x', syntax: 'proto3', enumType: [{ name: 'E', value: [{ name: 'ONE', number: 1 }] }] }],
    }).finish();
    expect(() => new SchemaRegistry().addDescriptorSet(enumSet, 'e.binpb')).toThrowError(
      'e.binpb(e.proto): The first enum value must be zero for open enums.',
    );
    const fields = [
      { name: 'foo_bar', number: 1, label: 1, type: 5 },
      { name: 'fooBar', number: 2, label: 1, type: 5 },
    ];
    const jsonSet = descriptor.FileDescriptorSet.encode({
      file: [{ name: 'j.proto', syntax: 'proto3', messageType: [{ name: 'M', field: fields }] }],
    }).finish();
    expect(() => new SchemaRegistry().addDescriptorSet(jsonSet, 'j.binpb')).toThrowError(
      /j.binpb\(j.proto\): The default JSON name of field "fooBar"/,
    );
  });
});

describe('the declaration scan', () => {
  it('steps over stray closers instead of standing still (a stray "]" or ")" hung the load)', () => {
    for (const src of ['syntax = "proto3";\n]\nmessage M {}\n', 'syntax = "proto3";\nmessage M { ) int32 a = 1; }\n', 'enum E { ] }\n']) {
      expect(scanDeclarations(src).names.length).toBeGreaterThanOrEqual(0);
      expect(() => loadSchemaSources([{ name: 'a.proto', contents: src }])).toThrow(SchemaError);
    }
  });
});
