/**
 * Schema-driven decode of protobuf bytes into the document tree (see model.ts).
 * Every node keeps its byte span, so encode.ts can write unmodified nodes back byte-exact.
 */
import type { Type } from 'protobufjs';
import { DecodeError } from '../wire/decode-error';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits, type FieldNode, type MessageRoot } from './model';
import { Decoder, type DecodeOptions, type DecodeShared } from './decoder';
import { typeInfo } from './schema-info';

export type { DecodeOptions } from './decoder';

/**
 * Decodes `bytes` as a message of `type` (null: every field unknown) into a document tree with
 * byte spans. Throws DecodeError (offset, expectation, field path) on malformed input, unless
 * `options.partial`, which returns the fields read so far with `error` set.
 */
export function decodeMessage(bytes: Uint8Array, type: Type | null, options: DecodeOptions = {}): MessageRoot {
  const steps = decodeMessageSteps(bytes, type, options, Infinity);
  let next = steps.next();
  while (!next.done) next = steps.next();
  return next.value;
}

/**
 * decodeMessage in steps, for a caller that must stay responsive (a lazily decoded top level of
 * a big message is millions of fields): reads `fieldsPerStep` top-level fields, yields how many
 * bytes it has read, and so on; returns the same root decodeMessage would. A caller that stops
 * early just drops the generator.
 */
export function* decodeMessageSteps(
  bytes: Uint8Array,
  type: Type | null,
  options: DecodeOptions = {},
  fieldsPerStep = 20_000,
): Generator<number, MessageRoot, void> {
  const limits: DecodeLimits = { ...DEFAULT_DECODE_LIMITS, ...options.limits };
  if (bytes.length > limits.maxBytes) {
    throw new DecodeError(limits.maxBytes, `an input of at most ${limits.maxBytes} bytes (decode limit; input has ${bytes.length})`);
  }
  const shared: DecodeShared = { buf: bytes, limits, options, nextId: 1, nodes: 0 };
  const d = new Decoder(shared);
  const info = type ? typeInfo(type) : null;
  const fields: FieldNode[] = [];
  d.decodeFields(info, 0, 0, 0, fields, fieldsPerStep);
  while (d.r.pos < d.r.limit) {
    yield d.r.pos;
    d.decodeFields(info, 0, 0, 0, fields, fieldsPerStep);
  }
  if (info?.isAny && d.expandAny) d.expandAnyPayload(info, fields, 0);
  shared.nextId = d.nextId;
  shared.nodes = d.nodes;
  const root: MessageRoot = d.error
    ? { type, fields, modified: false, error: d.error, nextId: d.nextId }
    : { type, fields, modified: false, nextId: d.nextId };
  return root;
}
