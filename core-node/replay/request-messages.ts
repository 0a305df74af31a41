/**
 * The request messages of a send, from a file's bytes: one binary message; proto3 JSON (an array of
 * messages for a request stream); or, with `stream`, each frame of a varint-delimited or gRPC-framed
 * file, every frame checked to be a message of the method's input type (frame-check.ts) before
 * anything is sent.
 */
import type { Root, Type } from 'protobufjs';
import { detectFraming, indexStream, messageAt } from '../../core/stream/stream-framing';
import { jsonToBytes } from '../rpc/proto-json';
import { frameProblem, looksLike, messageTypesOf } from '../rpc/frame-check';
import type { CallKind } from '../rpc/service-method';

/** Input that is not what the method takes; the message says where and what. */
export class RequestInputError extends Error {
  override readonly name = 'RequestInputError';
}

/** How to read the input. */
export interface RequestInputOptions {
  /** proto3 JSON text (an object, or for a request stream an array of them). */
  json: boolean;
  /** A stream file: one request per frame (framing detected). */
  stream: boolean;
  /** Skip the per-frame type check (frames with fields the type does not have are then sent as they are). */
  unchecked?: boolean;
  requestType: Type;
  root: Root;
  kind: CallKind;
}

/** The messages read, and the framing of a stream file. */
export interface RequestMessages {
  messages: Uint8Array[];
  framing?: string;
}

/** Reads the request message(s) from `input`; throws RequestInputError for input that does not fit. */
export function requestMessages(input: Uint8Array, o: RequestInputOptions): RequestMessages {
  const typeName = o.requestType.fullName.slice(1);
  const streamsIn = o.kind === 'client-stream' || o.kind === 'bidi';
  if (o.json) {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(input));
    } catch (e) {
      throw new RequestInputError(`not JSON: ${(e as Error).message}`);
    }
    const values = Array.isArray(value) ? value : [value];
    if (Array.isArray(value) && !streamsIn)
      throw new RequestInputError(`a JSON array is a request stream, but ${typeName} goes to a ${o.kind} method, which takes one message`);
    return {
      messages: values.map((v, i) => {
        try {
          return jsonToBytes(o.requestType, v);
        } catch (e) {
          throw new RequestInputError(`${Array.isArray(value) ? `message ${i}: ` : ''}${(e as Error).message}`);
        }
      }),
    };
  }
  if (!o.stream) {
    try {
      o.requestType.decode(input);
    } catch (e) {
      throw new RequestInputError(`not a ${typeName}: ${(e as Error).message}`);
    }
    return { messages: [input] };
  }
  const framing = detectFraming(input).framing;
  const index = indexStream(input, framing);
  if (index.error) throw new RequestInputError(`the stream (${framing}) is broken at byte ${index.error.offset}: ${index.error.reason}`);
  const messages: Uint8Array[] = [];
  let candidates: Type[] | undefined;
  for (let i = 0; i < index.count; i++) {
    const frame = messageAt(index, i);
    const problem = o.unchecked ? null : frameProblem(frame, o.requestType);
    if (problem) {
      candidates ??= messageTypesOf(o.root);
      const guess = looksLike(frame, candidates);
      throw new RequestInputError(
        `message ${i} of the stream (${framing}): ${problem}${guess && guess !== typeName ? `; it looks like a ${guess}` : ''} (nothing was sent)`,
      );
    }
    messages.push(frame);
  }
  return { messages, framing };
}
