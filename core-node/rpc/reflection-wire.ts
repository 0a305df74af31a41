/**
 * The gRPC server reflection protocol's messages on the wire (grpc.reflection.v1 and v1alpha have
 * the same ones), hand-encoded as rpc-status.ts does: only the fields a client and a server of
 * list_services, file_by_filename and file_containing_symbol need.
 */
import protobuf from 'protobufjs';

/** The reflection service's method, in both versions. */
export const REFLECTION_V1 = '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo';
export const REFLECTION_V1ALPHA = '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo';

/** What a ServerReflectionRequest asks (its oneof message_request). */
export type ReflectionQuery =
  | { listServices: string }
  | { fileByFilename: string }
  | { fileContainingSymbol: string }
  | { allExtensionNumbersOfType: string }
  | { fileContainingExtension: { containingType: string; extensionNumber: number } };

/** Encodes ServerReflectionRequest { string host = 1; oneof message_request { 3..7 } }. */
export function encodeReflectionRequest(q: ReflectionQuery, host = ''): Uint8Array {
  const w = protobuf.Writer.create();
  if (host) w.uint32((1 << 3) | 2).string(host); // string host = 1
  if ('fileByFilename' in q)
    w.uint32((3 << 3) | 2).string(q.fileByFilename); // file_by_filename = 3
  else if ('fileContainingSymbol' in q)
    w.uint32((4 << 3) | 2).string(q.fileContainingSymbol); // file_containing_symbol = 4
  else if ('fileContainingExtension' in q) {
    w.uint32((5 << 3) | 2).fork(); // ExtensionRequest file_containing_extension = 5
    w.uint32((1 << 3) | 2).string(q.fileContainingExtension.containingType); // string containing_type = 1
    w.uint32((2 << 3) | 0).int32(q.fileContainingExtension.extensionNumber); // int32 extension_number = 2
    w.ldelim();
  } else if ('allExtensionNumbersOfType' in q)
    w.uint32((6 << 3) | 2).string(q.allExtensionNumbersOfType); // all_extension_numbers_of_type = 6
  else w.uint32((7 << 3) | 2).string(q.listServices); // string list_services = 7
  return w.finish();
}

/** Decodes a ServerReflectionRequest's question (unknown fields skipped); null when it asks nothing known. */
export function decodeReflectionRequest(bytes: Uint8Array): ReflectionQuery | null {
  const r = protobuf.Reader.create(bytes);
  let q: ReflectionQuery | null = null;
  while (r.pos < r.len) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field === 3 && (tag & 7) === 2) q = { fileByFilename: r.string() };
    else if (field === 4 && (tag & 7) === 2) q = { fileContainingSymbol: r.string() };
    else if (field === 5 && (tag & 7) === 2) {
      const end = r.uint32() + r.pos;
      const ext = { containingType: '', extensionNumber: 0 };
      while (r.pos < end) {
        const t = r.uint32();
        if (t === ((1 << 3) | 2)) ext.containingType = r.string();
        else if (t === ((2 << 3) | 0)) ext.extensionNumber = r.int32();
        else r.skipType(t & 7);
      }
      q = { fileContainingExtension: ext };
    } else if (field === 6 && (tag & 7) === 2) q = { allExtensionNumbersOfType: r.string() };
    else if (field === 7 && (tag & 7) === 2) q = { listServices: r.string() };
    else r.skipType(tag & 7);
  }
  return q;
}

/** What a ServerReflectionResponse answers (its oneof message_response). */
export type ReflectionAnswer =
  | { files: Uint8Array[] }
  | { services: string[] }
  | { extensionNumbers: { baseTypeName: string; numbers: number[] } }
  | { error: { code: number; message: string } };

/**
 * Encodes ServerReflectionResponse { string valid_host = 1; ServerReflectionRequest original_request = 2;
 * oneof message_response { FileDescriptorResponse = 4; ExtensionNumberResponse = 5; ListServiceResponse = 6; ErrorResponse = 7 } }.
 */
export function encodeReflectionResponse(a: ReflectionAnswer, original: Uint8Array): Uint8Array {
  const w = protobuf.Writer.create();
  w.uint32((2 << 3) | 2).bytes(original); // original_request = 2
  if ('files' in a) {
    w.uint32((4 << 3) | 2).fork(); // FileDescriptorResponse = 4
    for (const f of a.files) w.uint32((1 << 3) | 2).bytes(f); // repeated bytes file_descriptor_proto = 1
    w.ldelim();
  } else if ('services' in a) {
    w.uint32((6 << 3) | 2).fork(); // ListServiceResponse = 6
    for (const name of a.services) {
      w.uint32((1 << 3) | 2).fork(); // repeated ServiceResponse service = 1
      w.uint32((1 << 3) | 2).string(name); // string name = 1
      w.ldelim();
    }
    w.ldelim();
  } else if ('extensionNumbers' in a) {
    w.uint32((5 << 3) | 2).fork(); // ExtensionNumberResponse = 5
    w.uint32((1 << 3) | 2).string(a.extensionNumbers.baseTypeName); // string base_type_name = 1
    if (a.extensionNumbers.numbers.length) {
      w.uint32((2 << 3) | 2).fork(); // repeated int32 extension_number = 2 (packed)
      for (const n of a.extensionNumbers.numbers) w.int32(n);
      w.ldelim();
    }
    w.ldelim();
  } else {
    w.uint32((7 << 3) | 2).fork(); // ErrorResponse = 7
    w.uint32((1 << 3) | 0).int32(a.error.code); // int32 error_code = 1
    w.uint32((2 << 3) | 2).string(a.error.message); // string error_message = 2
    w.ldelim();
  }
  return w.finish();
}

/** Decodes a ServerReflectionResponse's answer (unknown fields skipped). */
export function decodeReflectionResponse(bytes: Uint8Array): ReflectionAnswer | null {
  const r = protobuf.Reader.create(bytes);
  let a: ReflectionAnswer | null = null;
  const sub = (fn: (end: number) => void): void => {
    const end = r.uint32() + r.pos;
    fn(end);
    r.pos = end;
  };
  while (r.pos < r.len) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if ((tag & 7) !== 2 || ![4, 5, 6, 7].includes(field)) {
      r.skipType(tag & 7);
      continue;
    }
    if (field === 4)
      sub((end) => {
        const files: Uint8Array[] = [];
        while (r.pos < end) {
          const t = r.uint32();
          if (t === ((1 << 3) | 2)) files.push(r.bytes());
          else r.skipType(t & 7);
        }
        a = { files };
      });
    else if (field === 6)
      sub((end) => {
        const services: string[] = [];
        while (r.pos < end) {
          const t = r.uint32();
          if (t === ((1 << 3) | 2)) {
            const e = r.uint32() + r.pos;
            while (r.pos < e) {
              const u = r.uint32();
              if (u === ((1 << 3) | 2)) services.push(r.string());
              else r.skipType(u & 7);
            }
          } else r.skipType(t & 7);
        }
        a = { services };
      });
    else if (field === 7)
      sub((end) => {
        const error = { code: 0, message: '' };
        while (r.pos < end) {
          const t = r.uint32();
          if (t === ((1 << 3) | 0)) error.code = r.int32();
          else if (t === ((2 << 3) | 2)) error.message = r.string();
          else r.skipType(t & 7);
        }
        a = { error };
      });
    else sub(() => undefined);
  }
  return a;
}

/** A FileDescriptorProto's name (field 1) and dependencies (field 3), read without its schema. */
export function fileNameAndDeps(bytes: Uint8Array): { name: string; dependencies: string[] } {
  const r = protobuf.Reader.create(bytes);
  let name = '';
  const dependencies: string[] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | 2)) name = r.string();
    else if (tag === ((3 << 3) | 2)) dependencies.push(r.string());
    else r.skipType(tag & 7);
  }
  return { name, dependencies };
}
