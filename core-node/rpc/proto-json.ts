/**
 * proto3 JSON of binary messages for the transports, the mocks and the replay service: thin
 * adapters over the document decoder / encoder (core/document) and the canonical codec
 * (core/format), so every part of the app reads and writes the same JSON.
 */
import type { Type } from 'protobufjs';
import { decodeMessage } from '../../core/document/decode';
import { encodeMessage } from '../../core/document/encode';
import { fromJson, JsonFormatError, toJson, type FromJsonOptions, type ToJsonOptions } from '../../core/format';

/** Canonical proto3 JSON of binary message bytes; throws DecodeError (byte offset, what was expected) on malformed bytes. */
export function bytesToJson(type: Type, bytes: Uint8Array, options?: ToJsonOptions): unknown {
  return toJson(decodeMessage(bytes, type), options);
}

/** Binary bytes of a proto3 JSON value or JSON text; throws JsonFormatError naming the JSON path and what is wrong there. */
export function jsonToBytes(type: Type, json: unknown, options?: FromJsonOptions): Uint8Array {
  return encodeMessage(fromJson(json, type, options), new Uint8Array());
}

/**
 * Splits a JSON object's fields into those that `type` can hold as given (same name, a value
 * that fits) and the names of the rest: the mock's echo answer and converting a request
 * between types keep the first.
 */
export function fieldsThatFit(type: Type, json: Readonly<Record<string, unknown>>): { kept: Record<string, unknown>; dropped: string[] } {
  const kept: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [k, v] of Object.entries(json)) {
    try {
      fromJson({ [k]: v }, type);
      kept[k] = v;
    } catch (e) {
      if (!(e instanceof JsonFormatError)) throw e;
      dropped.push(k);
    }
  }
  return { kept, dropped };
}
