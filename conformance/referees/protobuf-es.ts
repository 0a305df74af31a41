/**
 * protobuf-es v2 as the JSON referee: a registry built from the FileDescriptorSet protoc writes
 * for a schema, and its JSON printing and parsing (toJson / fromJsonString) over binary messages.
 * v2 is installed under the npm alias "protobuf-es-v2" (v1 stays for the connect v1 tests).
 */
import {
  createFileRegistry,
  equals,
  fromBinary,
  fromJsonString,
  toBinary,
  toJson,
  type DescMessage,
  type FileRegistry,
} from 'protobuf-es-v2';
import { FileDescriptorSetSchema } from 'protobuf-es-v2/wkt';

/** JSON printing options, as the product names them. */
export interface EsJsonOptions {
  protoNames?: boolean;
  emitDefaults?: boolean;
  /** How deep protobuf-es reads the binary (its default: 100 messages, the top one counted, map entries not). */
  recursionLimit?: number;
}

/** protobuf-es v2 over one schema. */
export interface EsReferee {
  readonly registry: FileRegistry;
  /** The message type of this full name; throws when the set has none. */
  message(typeName: string): DescMessage;
  /** Binary in, protobuf-es's JSON out (a plain JS value). */
  toJson(typeName: string, bytes: Uint8Array, options?: EsJsonOptions): unknown;
  /** JSON text in, protobuf-es's binary out (fields in its own order; unknown fields last). */
  fromJson(typeName: string, json: string, options?: { ignoreUnknown?: boolean }): Uint8Array;
  /** Binary read by protobuf-es and written again: the form two encodings are compared in. */
  reserialize(typeName: string, bytes: Uint8Array, options?: { recursionLimit?: number }): Uint8Array;
  /** Whether two binaries hold the same message, extensions included, whatever their field order (unknown fields not compared). */
  sameMessage(typeName: string, a: Uint8Array, b: Uint8Array): boolean;
}

/** protobuf-es v2 over the files of a binary FileDescriptorSet (protoc --include_imports --descriptor_set_out). */
export function esReferee(descriptorSet: Uint8Array): EsReferee {
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, descriptorSet));
  const message = (typeName: string): DescMessage => {
    const desc = registry.getMessage(typeName);
    if (!desc) throw new Error(`protobuf-es registry has no message ${typeName}`);
    return desc;
  };
  return {
    registry,
    message,
    toJson: (typeName, bytes, options = {}) =>
      toJson(message(typeName), fromBinary(message(typeName), bytes, readOptions(options)), {
        registry,
        useProtoFieldName: options.protoNames ?? false,
        alwaysEmitImplicit: options.emitDefaults ?? false,
      }),
    fromJson: (typeName, json, options = {}) =>
      toBinary(
        message(typeName),
        fromJsonString(message(typeName), json, { registry, ignoreUnknownFields: options.ignoreUnknown ?? false }),
      ),
    reserialize: (typeName, bytes, options = {}) => toBinary(message(typeName), fromBinary(message(typeName), bytes, readOptions(options))),
    sameMessage: (typeName, a, b) =>
      equals(message(typeName), fromBinary(message(typeName), a), fromBinary(message(typeName), b), {
        registry,
        extensions: true,
        unknown: true,
      }),
  };
}

/** protobuf-es' binary read options: its defaults unless a limit is given (an undefined one would lift it). */
function readOptions(options: { recursionLimit?: number }): { recursionLimit?: number } {
  return options.recursionLimit === undefined ? {} : { recursionLimit: options.recursionLimit };
}
