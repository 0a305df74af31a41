/** google.rpc.Status and google.rpc.BadRequest on the wire (hand-encoded: three tiny messages). */
import protobuf from 'protobufjs';

/** A google.protobuf.Any: type URL and the packed message bytes. */
export interface AnyDetail {
  typeUrl: string;
  value: Uint8Array;
}

/** Encodes google.rpc.Status { int32 code = 1; string message = 2; repeated Any details = 3; }. */
export function encodeRpcStatus(code: number, message: string, details: readonly AnyDetail[] = []): Uint8Array {
  const w = protobuf.Writer.create();
  if (code) w.uint32((1 << 3) | 0).int32(code); // int32 code = 1
  if (message) w.uint32((2 << 3) | 2).string(message); // string message = 2
  for (const d of details) {
    w.uint32((3 << 3) | 2).fork(); // repeated Any details = 3
    w.uint32((1 << 3) | 2).string(d.typeUrl); // string type_url = 1
    w.uint32((2 << 3) | 2).bytes(d.value); // bytes value = 2
    w.ldelim();
  }
  return w.finish();
}

/** Decodes google.rpc.Status; unknown fields are skipped. */
export function decodeRpcStatus(bytes: Uint8Array): { code: number; message: string; details: AnyDetail[] } {
  const r = protobuf.Reader.create(bytes);
  const out = { code: 0, message: '', details: [] as AnyDetail[] };
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | 0)) out.code = r.int32();
    else if (tag === ((2 << 3) | 2)) out.message = r.string();
    else if (tag === ((3 << 3) | 2)) {
      const end = r.uint32() + r.pos;
      const d: AnyDetail = { typeUrl: '', value: new Uint8Array() };
      while (r.pos < end) {
        const t = r.uint32();
        if (t === ((1 << 3) | 2)) d.typeUrl = r.string();
        else if (t === ((2 << 3) | 2)) d.value = r.bytes();
        else r.skipType(t & 7);
      }
      out.details.push(d);
    } else r.skipType(tag & 7);
  }
  return out;
}

/** Encodes google.rpc.BadRequest { repeated FieldViolation field_violations = 1; } as an Any detail. */
export function badRequestDetail(violations: readonly { field: string; description: string }[]): AnyDetail {
  const w = protobuf.Writer.create();
  for (const v of violations) {
    w.uint32((1 << 3) | 2).fork(); // FieldViolation field_violations = 1
    w.uint32((1 << 3) | 2).string(v.field); // string field = 1
    w.uint32((2 << 3) | 2).string(v.description); // string description = 2
    w.ldelim();
  }
  return { typeUrl: 'type.googleapis.com/google.rpc.BadRequest', value: w.finish() };
}

/** Decodes a google.rpc.BadRequest detail's value. */
export function decodeBadRequest(bytes: Uint8Array): { fieldViolations: { field: string; description: string }[] } {
  const r = protobuf.Reader.create(bytes);
  const fieldViolations: { field: string; description: string }[] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | 2)) {
      const end = r.uint32() + r.pos;
      const v = { field: '', description: '' };
      while (r.pos < end) {
        const t = r.uint32();
        if (t === ((1 << 3) | 2)) v.field = r.string();
        else if (t === ((2 << 3) | 2)) v.description = r.string();
        else r.skipType(t & 7);
      }
      fieldViolations.push(v);
    } else r.skipType(tag & 7);
  }
  return { fieldViolations };
}
