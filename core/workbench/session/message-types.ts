/**
 * Which message type each document is read as: searching the loaded types, choosing one (the
 * bytes are read again, edits so far kept as bytes), and re-finding each document's type by name
 * after the schemas change.
 */
import type { FileHost, SchemaHost, WorkbenchEngine } from '../engine';
import type { Type } from 'protobufjs';
import { hashSourceFirst, typeName, type OpenDocument } from './document-state';
import type { DocumentEdits } from './edits';
import { rememberType } from './file-memory';
import type { OpenDocuments } from './open-documents';
import type { SessionApiPart } from './session-api';

/** The type and schema methods. */
export type MessageTypes = SessionApiPart<
  'listTypes' | 'setType' | 'describeType' | 'schemaStatus' | 'addSchemas' | 'removeSchema' | 'reloadSchemas'
>;

/** How well a type's name matches a search: its short name exactly, then by prefix, then its full name by prefix. */
function rank(name: string, q: string): number {
  const short = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  if (short === q) return 0;
  if (short.startsWith(q)) return 1;
  if (name.toLowerCase().startsWith(q)) return 2;
  return 3;
}

/** Creates the type and schema methods. */
export function createMessageTypes(
  engine: WorkbenchEngine,
  schemas: SchemaHost,
  files: FileHost,
  documents: OpenDocuments,
  edits: DocumentEdits,
): MessageTypes {
  /** Reads a document again as `type` (edits so far kept as bytes, the history starts afresh). */
  function reread(d: OpenDocument, type: Type | null): void {
    hashSourceFirst(d, files.hashBytes);
    const current = documents.fileBytes(d);
    if (current !== d.source) {
      d.source = current;
      d.index = engine.index(current);
    }
    d.type = type;
    edits.resetHistory(d);
  }

  /**
   * After schemas change: re-find each document's type by name in the new registry; a document
   * whose type was missing gets it once its schema is back (while it has no undo history to lose).
   */
  function rebind(): void {
    const s = schemas.current();
    for (const d of documents.all()) {
      if (d.missingType && !d.history.canUndo && !d.history.canRedo) {
        const t = s.find(d.missingType);
        if (t) {
          reread(d, t);
          d.typeSource = d.typeSource ?? 'remembered';
          d.missingType = null;
        }
        continue;
      }
      if (!d.type) continue;
      const t = s.find(typeName(d.type));
      if (t && t !== d.type) reread(d, t);
    }
  }

  return {
    async listTypes({ query, limit }) {
      const all = schemas.current().types();
      const q = query?.trim().toLowerCase();
      const hits = q ? all.filter((t) => t.name.toLowerCase().includes(q)) : all;
      if (q) hits.sort((a, b) => rank(a.name, q) - rank(b.name, q) || a.name.localeCompare(b.name));
      return hits.slice(0, limit ?? 5000);
    },
    async setType({ docId, typeName: name }) {
      const d = documents.get(docId);
      const type = name === null ? null : schemas.current().find(name);
      if (name !== null && !type) throw new Error(`unknown message type: ${name}`);
      // Changing the type re-reads the current bytes (edits so far are kept as bytes).
      reread(d, type);
      d.typeSource = 'chosen';
      d.missingType = null;
      await rememberType(files, d, name);
      documents.message(d, 0);
      return documents.summary(d);
    },
    async describeType({ typeName: name }) {
      return schemas.current().describe(name);
    },
    async schemaStatus() {
      return schemas.status();
    },
    async addSchemas(sources) {
      const st = await schemas.add(sources);
      rebind();
      return st;
    },
    async removeSchema({ source }) {
      if (typeof source !== 'string') throw new TypeError('removeSchema: field "source" must be string');
      const st = await schemas.remove(source);
      rebind();
      return st;
    },
    async reloadSchemas() {
      const st = await schemas.reload();
      rebind();
      return st;
    },
  };
}
