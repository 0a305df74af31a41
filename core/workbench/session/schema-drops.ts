/**
 * Schema files opened or dropped as if they were messages: a `.proto` file, a descriptor set
 * (`.protoset`, `.desc`) or a folder is added to the schemas instead of being opened as bytes
 * (where it showed as garbage). The open then fails with an error named SchemaAddedError whose
 * message says so, and a 'schemas-changed' event carries the new status.
 */
import type { AppEvent, SchemaSources, SchemaStatus } from '../../api/contract';
import type { FileHost } from '../engine';
import type { DocumentOpener } from './document-open';
import type { MessageTypes } from './message-types';
import type { SessionApiPart } from './session-api';

const PROTO_FILE = /\.proto$/i;
const DESCRIPTOR_SET = /\.(protoset|desc)$/i;

/** Whether a file name is a schema's (a .proto file or a descriptor set), to be added rather than opened. */
export function isSchemaFileName(name: string): boolean {
  return PROTO_FILE.test(name) || DESCRIPTOR_SET.test(name);
}

/** Opening that sends schema files and folders to the schemas. */
export function createSchemaDrops(
  files: FileHost,
  types: MessageTypes,
  opener: DocumentOpener,
  emit: (event: AppEvent) => void,
): SessionApiPart<'openPath' | 'openBytes'> {
  async function add(name: string, sources: SchemaSources, key: string): Promise<never> {
    const status: SchemaStatus = await types.addSchemas(sources);
    emit({ kind: 'schemas-changed', status });
    const problems = status.errors.filter((e) => e.file === key || e.file.endsWith(`/${name}`)).length;
    throw Object.assign(
      new Error(
        `${name} is a schema, not a message: it was added to the schemas (${status.typeCount} types loaded now` +
          (problems ? `; ${problems} problem${problems === 1 ? '' : 's'} in it, listed in the Schemas panel).` : ').'),
      ),
      { name: 'SchemaAddedError' },
    );
  }

  return {
    async openPath(request) {
      const abs = files.resolve(request.path);
      const name = files.basename(abs);
      if (PROTO_FILE.test(name)) return add(name, { protoFiles: [abs] }, abs);
      if (DESCRIPTOR_SET.test(name)) return add(name, { descriptorSets: [abs] }, abs);
      if (await files.isFolder?.(abs)) {
        // A folder without .proto files is no schema: adding it would persist an empty entry.
        if ((await files.holdsProtoFiles?.(abs)) === false) {
          throw new Error(
            `${name} is a folder with no .proto files in it: open a message file, or a folder of .proto files to add them as schemas.`,
          );
        }
        return add(name, { importPaths: [abs] }, abs);
      }
      return opener.openPath(request);
    },
    async openBytes(request) {
      const name = String(request.name);
      if (isSchemaFileName(name)) return add(name, { uploads: [{ name, contents: request.bytes }] }, name);
      return opener.openBytes(request);
    },
  };
}
