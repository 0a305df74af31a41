/**
 * The second baseline, protobuf-es v2: message descriptors built at run time from a descriptor
 * set protoc writes for the given .proto files (protobuf-es has no .proto parser of its own).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileRegistry, fromBinary, type DescMessage } from 'protobuf-es-v2';
import { FileDescriptorSetSchema } from 'protobuf-es-v2/wkt';
import { PROTOC_INCLUDE, runProtoc } from '../testing/protoc';

/** The protobuf-es v2 descriptor of `typeName`, from `files` under the import root `protoDir`. */
export function esMessage(protoDir: string, files: readonly string[], typeName: string): DescMessage {
  const dir = mkdtempSync(join(tmpdir(), 'protodesk-es-'));
  try {
    const out = join(dir, 'set.binpb');
    runProtoc([`-I${protoDir}`, `-I${PROTOC_INCLUDE}`, '--include_imports', `--descriptor_set_out=${out}`, ...files]);
    const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, new Uint8Array(readFileSync(out))));
    const desc = registry.getMessage(typeName);
    if (!desc) throw new Error(`protobuf-es: no message ${typeName} in ${files.join(', ')}`);
    return desc;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
