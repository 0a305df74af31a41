/**
 * What the core/document decode tests share: the types of the field-shapes schema (one root),
 * byte builders, node accessors, a decode-encode round trip, and the DecodeError a call throws.
 */
import type { Type } from 'protobufjs';
import { expect } from 'vitest';
import { decodeMessage } from '../core/document/decode';
import { encodeMessage } from '../core/document/encode';
import type { FieldNode, MessageNodeValue, MessageRoot, ScalarNodeValue, UnknownNodeValue } from '../core/document/model';
import { DecodeError } from '../core/wire/decode-error';
import { testRoot } from './field-shapes-schema';

/** The resolved root of the field-shapes schema the decode tests use. */
export const root = testRoot();
/** test.Outer: every field shape. */
export const Outer: Type = root.lookupType('test.Outer');
/** test.Scalars: one field of each scalar type. */
export const Scalars: Type = root.lookupType('test.Scalars');
/** test.Deep: a recursive message. */
export const Deep: Type = root.lookupType('test.Deep');
/** test3.P3: proto3 packing, optional and oneof. */
export const P3: Type = root.lookupType('test3.P3');

/** Bytes from numbers. */
export const bytes = (...b: number[]) => new Uint8Array(b);
/** The character codes of an ASCII string, to spread into bytes(). */
export const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** A node's scalar value (throws for any other kind). */
export function scalar(n: FieldNode): ScalarNodeValue {
  if (n.value.kind !== 'scalar') throw new Error(`not scalar: ${n.value.kind}`);
  return n.value;
}

/** A node's message value (throws for any other kind). */
export function msg(n: FieldNode): MessageNodeValue {
  if (n.value.kind !== 'message') throw new Error(`not message: ${n.value.kind}`);
  return n.value;
}

/** A node's unknown value (throws for any other kind). */
export function unknown(n: FieldNode): UnknownNodeValue {
  if (n.value.kind !== 'unknown') throw new Error(`not unknown: ${n.value.kind}`);
  return n.value;
}

/** Decodes and checks that encode gives the same bytes back. */
export function roundTrip(buf: Uint8Array, type: Type = Outer): MessageRoot {
  const doc = decodeMessage(buf, type);
  expect(encodeMessage(doc, buf)).toEqual(buf);
  return doc;
}

/** The DecodeError `fn` throws (fails the test when it throws something else or nothing). */
export function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return e as DecodeError;
  }
  throw new Error('expected a DecodeError');
}
