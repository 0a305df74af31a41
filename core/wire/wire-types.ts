/** Protobuf wire types. 6 and 7 are not valid on the wire; readers report them as errors. */
export const WireType = {
  VARINT: 0,
  I64: 1,
  LEN: 2,
  SGROUP: 3,
  EGROUP: 4,
  I32: 5,
} as const;

/** A valid wire type number (0..5). */
export type WireType = (typeof WireType)[keyof typeof WireType];

/** Short names for wire types, as used in messages and the UI. */
export const WIRE_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'varint',
  1: 'i64',
  2: 'len',
  3: 'sgroup',
  4: 'egroup',
  5: 'i32',
};

/** The largest legal field number (2^29 - 1). */
export const MAX_FIELD_NUMBER = 0x1fffffff;

/** Whether a wire type number is one of the six defined ones. */
export function isValidWireType(n: number): n is WireType {
  return n >= 0 && n <= 5;
}
