/**
 * gRPC server reflection (grpc.reflection.v1 and v1alpha) on the mock's gRPC port, for what it
 * loaded, so grpcurl, Kreya, Postman, grpcui and `send --reflect` can read its schemas. The mock
 * holds a protobufjs Root, not the original files: it serves one FileDescriptorProto per package
 * ("<package>.proto", protobufjs' own descriptor output) with its dependencies filled in from the
 * types it refers to. As grpc-go does, file_containing_symbol answers a file with all it depends on.
 */
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import type { Root } from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor.js';
import {
  REFLECTION_V1,
  REFLECTION_V1ALPHA,
  decodeReflectionRequest,
  encodeReflectionResponse,
  type ReflectionAnswer,
} from '../rpc/reflection-wire';
import { allServices } from '../rpc/service-method';

/** The reflection protocol's own schema (both versions), so its service can be described too. */
const REFLECTION_PROTOS = ['v1', 'v1alpha'].map(
  (v) => `syntax = "proto3";
package grpc.reflection.${v};
service ServerReflection { rpc ServerReflectionInfo(stream ServerReflectionRequest) returns (stream ServerReflectionResponse); }
message ServerReflectionRequest { string host = 1; oneof message_request { string file_by_filename = 3; string file_containing_symbol = 4; ExtensionRequest file_containing_extension = 5; string all_extension_numbers_of_type = 6; string list_services = 7; } }
message ExtensionRequest { string containing_type = 1; int32 extension_number = 2; }
message ServerReflectionResponse { string valid_host = 1; ServerReflectionRequest original_request = 2; oneof message_response { FileDescriptorResponse file_descriptor_response = 4; ExtensionNumberResponse all_extension_numbers_response = 5; ListServiceResponse list_services_response = 6; ErrorResponse error_response = 7; } }
message FileDescriptorResponse { repeated bytes file_descriptor_proto = 1; }
message ExtensionNumberResponse { string base_type_name = 1; repeated int32 extension_number = 2; }
message ListServiceResponse { repeated ServiceResponse service = 1; }
message ServiceResponse { string name = 1; }
message ErrorResponse { int32 error_code = 1; string error_message = 2; }
`,
);

interface DescriptorLike {
  name?: string;
  package?: string;
  dependency?: string[];
  messageType?: MessageLike[];
  enumType?: { name?: string }[];
  service?: { name?: string; method?: { name?: string; inputType?: string; outputType?: string }[] }[];
  extension?: FieldLike[];
}
interface FieldLike {
  name?: string;
  number?: number;
  typeName?: string;
  extendee?: string;
}
interface MessageLike {
  name?: string;
  field?: FieldLike[];
  extension?: FieldLike[];
  nestedType?: MessageLike[];
  enumType?: { name?: string }[];
}

/** The files reflection serves for a root: by name, and which file defines each symbol. */
export interface ReflectionIndex {
  files: Map<string, { bytes: Uint8Array; dependencies: string[] }>;
  symbols: Map<string, string>;
  /** Extensions by extendee (full name without the dot): number → file. */
  extensions: Map<string, Map<number, string>>;
  services: string[];
}

/** A type name as the descriptor holds it, fully qualified (".pkg.Type"): protobufjs writes them relative to their scope. */
function fullTypeName(scope: protobuf.NamespaceBase | protobuf.ReflectionObject, name: string | undefined): string | undefined {
  if (!name || name.startsWith('.')) return name;
  try {
    const found = (scope as protobuf.Namespace).lookup(name);
    return found ? found.fullName : name;
  } catch {
    return name;
  }
}

function qualifyField(f: FieldLike, scope: protobuf.NamespaceBase | protobuf.ReflectionObject): FieldLike {
  f.typeName = fullTypeName(scope, f.typeName);
  f.extendee = fullTypeName(scope, f.extendee);
  return f;
}

/** A message descriptor with every type name fully qualified (map entries are its own nested types). */
function qualified(d: MessageLike, t: protobuf.Type): MessageLike {
  const entries = new Set(
    (d.nestedType ?? []).filter((n) => (n as { options?: { mapEntry?: boolean } }).options?.mapEntry).map((n) => n.name),
  );
  for (const f of d.field ?? []) {
    if (f.typeName && !f.typeName.startsWith('.') && entries.has(f.typeName)) f.typeName = `${t.fullName}.${f.typeName}`;
    else qualifyField(f, t);
  }
  for (const e of d.extension ?? []) qualifyField(e, t);
  for (const n of d.nestedType ?? []) {
    const inner = t.nested?.[n.name ?? ''];
    if (inner instanceof protobuf.Type) qualified(n, inner);
    else for (const f of n.field ?? []) qualifyField(f, t);
  }
  return d;
}

/**
 * The root's top-level definitions grouped back into the files they came from (protobufjs keeps each
 * one's `filename`; a definition without one goes to "<package>.proto"), each file with its package
 * and syntax, as FileDescriptorProto-shaped objects (protobufjs' own toDescriptor for each definition).
 */
function filesOf(root: Root): (DescriptorLike & { name: string })[] {
  const files = new Map<string, DescriptorLike & { name: string; syntax?: string }>();
  const walk = (ns: protobuf.NamespaceBase, pkg: string): void => {
    for (const o of ns.nestedArray) {
      const isNamespace =
        o instanceof protobuf.Namespace &&
        !(o instanceof protobuf.Type) &&
        !(o instanceof protobuf.Service) &&
        !(o instanceof protobuf.Enum);
      if (isNamespace) {
        walk(o as unknown as protobuf.NamespaceBase, pkg ? `${pkg}.${o.name}` : o.name);
        continue;
      }
      const name = o.filename ?? `${pkg || 'root'}.proto`;
      const edition = (o as { _edition?: string })._edition ?? 'proto3';
      let file = files.get(name);
      if (!file) {
        file = {
          name,
          package: pkg,
          messageType: [],
          enumType: [],
          service: [],
          extension: [],
          ...(edition === 'proto2' ? {} : { syntax: 'proto3' }),
        };
        files.set(name, file);
      }
      if (o instanceof protobuf.Type) file.messageType!.push(qualified(o.toDescriptor(edition) as MessageLike, o));
      else if (o instanceof protobuf.Enum) file.enumType!.push(o.toDescriptor() as { name?: string });
      else if (o instanceof protobuf.Service) file.service!.push(o.toDescriptor() as NonNullable<DescriptorLike['service']>[number]);
      else if (o instanceof protobuf.Field) file.extension!.push(qualifyField(o.toDescriptor(edition) as FieldLike, ns));
    }
  };
  walk(root, '');
  return [...files.values()];
}

/** Builds the files and symbol index of a root (and of the reflection protocol itself). */
export function reflectionIndex(root: Root): ReflectionIndex {
  const reflectionRoot = new protobuf.Root();
  for (const [i, text] of REFLECTION_PROTOS.entries()) {
    protobuf.parse(text, reflectionRoot, { keepCase: true });
    const version = i ? 'v1alpha' : 'v1';
    for (const o of (reflectionRoot.lookup(`grpc.reflection.${version}`) as protobuf.Namespace).nestedArray)
      o.filename = `grpc/reflection/${version}/reflection.proto`;
  }
  const files = [...filesOf(root), ...filesOf(reflectionRoot)];
  const symbols = new Map<string, string>();
  const extensions = new Map<string, Map<number, string>>();
  const addExtension = (e: FieldLike, file: string): void => {
    const base = (e.extendee ?? '').replace(/^\./, '');
    if (!extensions.has(base)) extensions.set(base, new Map());
    extensions.get(base)!.set(e.number ?? 0, file);
  };
  const walkMessage = (m: MessageLike, scope: string, file: string): void => {
    const full = `${scope}.${m.name}`;
    symbols.set(full, file);
    for (const f of m.field ?? []) symbols.set(`${full}.${f.name}`, file);
    for (const e of m.extension ?? []) addExtension(e, file);
    for (const e of m.enumType ?? []) symbols.set(`${full}.${e.name}`, file);
    for (const n of m.nestedType ?? []) walkMessage(n, full, file);
  };
  for (const f of files) {
    const pkg = f.package ?? '';
    const scope = pkg ? pkg : '';
    const prefix = (n: string | undefined): string => (scope ? `${scope}.${n}` : `${n}`);
    for (const m of f.messageType ?? []) walkMessage(m, scope || '', f.name);
    for (const e of f.enumType ?? []) symbols.set(prefix(e.name), f.name);
    for (const s of f.service ?? []) {
      symbols.set(prefix(s.name), f.name);
      for (const m of s.method ?? []) symbols.set(`${prefix(s.name)}.${m.name}`, f.name);
    }
    for (const e of f.extension ?? []) {
      symbols.set(prefix(e.name), f.name);
      addExtension(e, f.name);
    }
  }
  // Walked with a leading "." for the top level when the package is empty: drop it.
  for (const [k, v] of [...symbols]) if (k.startsWith('.')) symbols.set(k.slice(1), v);
  const out = new Map<string, { bytes: Uint8Array; dependencies: string[] }>();
  for (const f of files) {
    const deps = new Set<string>();
    const need = (typeName: string | undefined): void => {
      const file = typeName ? symbols.get(typeName.replace(/^\./, '')) : undefined;
      if (file && file !== f.name) deps.add(file);
    };
    const walk = (m: MessageLike): void => {
      for (const fl of [...(m.field ?? []), ...(m.extension ?? [])]) {
        need(fl.typeName);
        need(fl.extendee);
      }
      for (const n of m.nestedType ?? []) walk(n);
    };
    for (const m of f.messageType ?? []) walk(m);
    for (const e of f.extension ?? []) {
      need(e.typeName);
      need(e.extendee);
    }
    for (const s of f.service ?? [])
      for (const m of s.method ?? []) {
        need(m.inputType);
        need(m.outputType);
      }
    f.dependency = [...deps].sort();
    out.set(f.name, { bytes: descriptor.FileDescriptorProto.encode(f as never).finish(), dependencies: f.dependency });
  }
  const services = [
    ...allServices(root).map((s) => s.fullName.slice(1)),
    'grpc.reflection.v1.ServerReflection',
    'grpc.reflection.v1alpha.ServerReflection',
  ];
  return { files: out, symbols, extensions, services };
}

/** A file and everything it depends on, the file first. */
function withDependencies(index: ReflectionIndex, name: string): Uint8Array[] {
  const order: string[] = [];
  const visit = (n: string): void => {
    if (order.includes(n) || !index.files.has(n)) return;
    order.push(n);
    for (const d of index.files.get(n)!.dependencies) visit(d);
  };
  visit(name);
  return order.map((n) => index.files.get(n)!.bytes);
}

/** The answer to one reflection request. */
export function answerReflection(index: ReflectionIndex, request: Uint8Array): ReflectionAnswer {
  const q = decodeReflectionRequest(request);
  const notFound = (what: string): ReflectionAnswer => ({ error: { code: grpc.status.NOT_FOUND, message: `${what} not found` } });
  if (!q) return { error: { code: grpc.status.INVALID_ARGUMENT, message: 'the request asks nothing this server knows' } };
  if ('listServices' in q) return { services: index.services };
  if ('fileByFilename' in q)
    return index.files.has(q.fileByFilename) ? { files: withDependencies(index, q.fileByFilename) } : notFound(`file ${q.fileByFilename}`);
  if ('fileContainingSymbol' in q) {
    const file = index.symbols.get(q.fileContainingSymbol.replace(/^\./, ''));
    return file ? { files: withDependencies(index, file) } : notFound(`symbol ${q.fileContainingSymbol}`);
  }
  if ('allExtensionNumbersOfType' in q) {
    const base = q.allExtensionNumbersOfType.replace(/^\./, '');
    if (!index.symbols.has(base)) return notFound(`type ${base}`);
    return { extensionNumbers: { baseTypeName: base, numbers: [...(index.extensions.get(base)?.keys() ?? [])].sort((a, b) => a - b) } };
  }
  const file = index.extensions
    .get(q.fileContainingExtension.containingType.replace(/^\./, ''))
    ?.get(q.fileContainingExtension.extensionNumber);
  return file
    ? { files: withDependencies(index, file) }
    : notFound(`extension ${q.fileContainingExtension.extensionNumber} of ${q.fileContainingExtension.containingType}`);
}

/** Adds the reflection service, both versions, to a grpc-js server (the index is built on the first request). */
export function addReflectionService(server: grpc.Server, root: Root): void {
  let index: ReflectionIndex | undefined;
  const ident = (b: Buffer): Buffer => b;
  for (const path of [REFLECTION_V1, REFLECTION_V1ALPHA]) {
    server.addService(
      {
        ServerReflectionInfo: {
          path,
          requestStream: true,
          responseStream: true,
          requestSerialize: ident,
          requestDeserialize: ident,
          responseSerialize: ident,
          responseDeserialize: ident,
        },
      },
      {
        ServerReflectionInfo: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
          call.on('data', (b: Buffer) => {
            let answer: ReflectionAnswer;
            try {
              index ??= reflectionIndex(root);
              answer = answerReflection(index, b);
            } catch (e) {
              answer = {
                error: { code: grpc.status.INTERNAL, message: `the mock could not describe its schemas: ${(e as Error).message}` },
              };
            }
            call.write(Buffer.from(encodeReflectionResponse(answer, b)));
          });
          call.on('end', () => call.end());
          call.on('error', () => undefined);
        },
      },
    );
  }
}
