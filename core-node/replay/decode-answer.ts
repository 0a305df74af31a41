/** Reading answers the same way in every transport: error details, gRPC statuses, the response message. */
import protobuf from 'protobufjs';
import type { Root, Type } from 'protobufjs';
import { decodeBadRequest, decodeRpcStatus, type AnyDetail } from '../rpc/rpc-status';
import { bytesToJson } from '../rpc/proto-json';
import { describeMismatch, wireTypeMismatches } from '../rpc/wire-type-check';
import { decodeMessage } from '../../core/document/decode';
import { toJson } from '../../core/format';
import { base64ToBytes } from '../../core/wire/base64';
import { GRPC_CODE_NAMES } from '../../core/api/vocabulary';
import type { DecodedError, ErrorDetail } from './send-types';
import type { CallKind } from '../rpc/service-method';

/** One google.rpc.Status detail: its type and, when the type is known, its JSON. */
export function decodeDetail(root: Root, d: AnyDetail): ErrorDetail {
  const type = d.typeUrl.slice(d.typeUrl.lastIndexOf('/') + 1);
  let json: unknown;
  if (type === 'google.rpc.BadRequest') json = decodeBadRequest(d.value);
  else {
    try {
      const t = root.lookup(type);
      if (t instanceof protobuf.Type) json = bytesToJson(t, d.value);
    } catch {
      // unknown detail type: bytes only
    }
  }
  return { type, json, bytes: d.value };
}

/** A gRPC status as a decoded error, with its google.rpc.Status details. */
export function grpcError(root: Root, code: number, message: string, detailsBin: Uint8Array | undefined): DecodedError {
  const err: DecodedError = { code: GRPC_CODE_NAMES[code] ?? String(code), grpcCode: code, message };
  if (detailsBin?.length) {
    try {
      err.details = decodeRpcStatus(detailsBin).details.map((d) => decodeDetail(root, d));
    } catch {
      // undecodable details are left out
    }
  }
  return err;
}

/** Status details as sent (base64, either alphabet, padding optional); undefined when they are not base64 (then left out). */
export function detailBytes(s: unknown): Uint8Array | undefined {
  try {
    return typeof s === 'string' ? base64ToBytes(s) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The response message of a successful answer, binary and as JSON, and a warning for each field
 * whose wire type does not fit the schema (the JSON cannot hold it: it would be dropped unseen).
 */
export function okResult(responseType: Type, bytes: Uint8Array): { responseBytes: Uint8Array; responseJson: unknown; warnings?: string[] } {
  const root = decodeMessage(bytes, responseType);
  const warnings = wireTypeMismatches(root).map(describeMismatch);
  return { responseBytes: bytes, responseJson: toJson(root), ...(warnings.length ? { warnings } : {}) };
}

/**
 * The answer of a call as its kind has it: one message (unary, client streaming) as responseBytes
 * and responseJson, or every message of a server or bidi stream in `responses`; warnings from all.
 */
export function answerOf(
  responseType: Type,
  kind: CallKind,
  messages: readonly Uint8Array[],
): { responseBytes?: Uint8Array; responseJson?: unknown; responses?: { bytes: Uint8Array; json: unknown }[]; warnings?: string[] } {
  if (kind === 'unary' || kind === 'client-stream') return messages.length ? okResult(responseType, messages[0]) : {};
  const warnings: string[] = [];
  const responses = messages.map((bytes, i) => {
    const r = okResult(responseType, bytes);
    for (const w of r.warnings ?? []) warnings.push(`message ${i}: ${w}`);
    return { bytes, json: r.responseJson };
  });
  return { responses, ...(warnings.length ? { warnings } : {}) };
}
