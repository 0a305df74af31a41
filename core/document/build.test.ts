import { describe, expect, it } from 'vitest';
import {
  coerceScalar,
  defaultNode,
  mapEntryNode,
  messageNode,
  newRoot,
  packedNode,
  rawBytesNode,
  scalarNode,
  scalarTypeOf,
  unknownNode,
} from './build';
import { encodeMessage } from './encode';
import { testRoot } from '../../testing/field-shapes-schema';
import { WireType } from '../wire/wire-types';

const root = testRoot();
const Outer = root.lookupType('test.Outer');
const Scalars = root.lookupType('test.Scalars');
const Person = root.lookupType('test.Person');
const P3 = root.lookupType('test3.P3');
const f = (t: typeof Outer, name: string) => t.fields[name];

describe('coerceScalar', () => {
  it('checks integer ranges with a clear message', () => {
    expect(coerceScalar('uint32', 4294967295)).toBe(4294967295);
    expect(() => coerceScalar('uint32', 4294967296)).toThrow('value 4294967296 is out of range for uint32');
    expect(() => coerceScalar('uint32', -1)).toThrow('value -1 is out of range for uint32');
    expect(() => coerceScalar('int32', 2147483648)).toThrow('value 2147483648 is out of range for int32');
    expect(coerceScalar('int32', '-2147483648')).toBe(-2147483648);
    expect(() => coerceScalar('int32', 1.5)).toThrow('value 1.5 is not an integer (int32)');
    expect(() => coerceScalar('int32', 'abc')).toThrow('value "abc" is not a valid int32');
  });

  it('uses BigInt for 64-bit types, from numbers, strings and bigints', () => {
    expect(coerceScalar('int64', '-9223372036854775808')).toBe(-(2n ** 63n));
    expect(() => coerceScalar('int64', '9223372036854775808')).toThrow('value "9223372036854775808" is out of range for int64');
    expect(coerceScalar('uint64', '18446744073709551615')).toBe(2n ** 64n - 1n);
    expect(() => coerceScalar('uint64', -1n)).toThrow('value -1 is out of range for uint64');
    expect(coerceScalar('sint64', 5)).toBe(5n);
    expect(() => coerceScalar('fixed64', 2 ** 60)).toThrow(/not exact as a JS number/);
  });

  it('handles floats, bools, strings and bytes', () => {
    expect(Number.isNaN(coerceScalar('double', 'NaN'))).toBe(true);
    expect(coerceScalar('double', '-Infinity')).toBe(-Infinity);
    expect(Object.is(coerceScalar('double', -0), -0)).toBe(true);
    expect(coerceScalar('float', 0.1)).toBe(Math.fround(0.1));
    expect(() => coerceScalar('float', 1e39)).toThrow('value 1e+39 is out of range for float');
    expect(coerceScalar('bool', 'true')).toBe(true);
    expect(() => coerceScalar('bool', 'yes')).toThrow('value "yes" is not a valid bool');
    expect(coerceScalar('string', 'é')).toBe('é');
    expect(() => coerceScalar('string', 5)).toThrow('value 5 is not a valid string');
    expect(coerceScalar('bytes', 'AP8=')).toEqual(new Uint8Array([0x00, 0xff]));
    expect(coerceScalar('bytes', 'AP8')).toEqual(new Uint8Array([0x00, 0xff]));
    expect(coerceScalar('bytes', '_-8')).toEqual(new Uint8Array([0xff, 0xef]));
    expect(() => coerceScalar('bytes', 'A')).toThrow(/not valid base64/);
  });
});

describe('builders', () => {
  it('scalarTypeOf maps fields to scalar types (null for messages and maps)', () => {
    expect(Scalars.fieldsArray.map((x) => scalarTypeOf(x))).toEqual([
      'double',
      'float',
      'int32',
      'int64',
      'uint32',
      'uint64',
      'sint32',
      'sint64',
      'fixed32',
      'fixed64',
      'sfixed32',
      'sfixed64',
      'bool',
      'string',
      'bytes',
      'enum',
    ]);
    expect(scalarTypeOf(f(Outer, 'participants'))).toBeNull();
    expect(scalarTypeOf(f(Outer, 'counts'))).toBeNull();
    expect(scalarTypeOf(f(Outer, 'grp'))).toBeNull();
  });

  it('built nodes encode canonically, as protoc would', () => {
    const doc = newRoot(Outer, [
      scalarNode(f(Outer, 'name'), 'hi'),
      messageNode(f(Outer, 'participants'), [scalarNode(f(Person, 'id'), -1)]),
      packedNode(f(Outer, 'nums'), [1, 300]),
      scalarNode(f(Outer, 'unpacked'), 2),
      mapEntryNode(f(Outer, 'counts'), 'a', 1),
      messageNode(f(Outer, 'grp'), []),
      unknownNode(50, WireType.LEN, 'x'),
      rawBytesNode(new Uint8Array([0x68, 0x02])), // tag 13: color = BLUE, written raw
      defaultNode(f(Outer, 'color')),
    ]);
    const out = encodeMessage(doc, new Uint8Array());
    expect([...out]).toEqual([
      0x0a,
      0x02,
      0x68,
      0x69, //                                 name = "hi"
      0x12,
      0x0b,
      0x10,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0x01, // participants { id = -1 (10 bytes) }
      0x1a,
      0x03,
      0x01,
      0xac,
      0x02, //                           nums packed [1, 300]
      0x20,
      0x02, //                                             unpacked = 2
      0x2a,
      0x05,
      0x0a,
      0x01,
      0x61,
      0x10,
      0x01, //               counts { key = "a", value = 1 }
      0x3b,
      0x3c, //                                             group Grp {}
      0x92,
      0x03,
      0x01,
      0x78, //                                 unknown 50 LEN "x"
      0x68,
      0x02, //                                             raw bytes
      0x68,
      0x00, //                                             color = RED (default)
    ]);
    const decoded = Outer.toObject(Outer.decode(out), { longs: String }) as Record<string, unknown>;
    expect(decoded).toMatchObject({ name: 'hi', participants: [{ id: -1 }], nums: [1, 300], unpacked: [2], counts: { a: 1 }, color: 0 });
  });

  it('builders reject values that do not fit the field', () => {
    expect(() => scalarNode(f(Outer, 'participants'), 1)).toThrow(/not a scalar field/);
    expect(() => packedNode(f(Person, 'emails'), ['a'])).toThrow(/cannot be packed/);
    expect(() => unknownNode(0, WireType.VARINT, 1)).toThrow(/field number 0 is out of range/);
    expect(() => unknownNode(1, WireType.EGROUP, 1)).toThrow(/cannot start a field/);
    expect(defaultNode(f(P3, 'maybe')).value).toEqual({ kind: 'scalar', type: 'int32', value: 0 });
  });
});
