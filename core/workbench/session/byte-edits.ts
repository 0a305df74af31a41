/**
 * Editing a message's bytes directly, for crafting edge cases: the hex editor's overwrite, insert
 * and delete, and encoding edits made from the tree (an overlong varint, a lying length prefix, a
 * wrong wire type …). Each is one undo step whose result is decoded again, so the tree shows what
 * is saved; what no longer decodes stays as raw bytes, placed and explained. Also the anomaly
 * list of a message and a byte-pattern search in it.
 */
import { applyEncodingEdit, type EncodingTarget } from '../../document/encoding-edits';
import { scanAnomalies } from '../../document/encoding-scan';
import { EditError } from '../../document/edits';
import type { FieldNode, MessageRoot } from '../../document/model';
import type { Anomaly, NodePath } from '../../api/contract';
import { undecodableText } from '../decode-error-text';
import type { WorkbenchEngine } from '../engine';
import type { DocumentEdits } from './edits';
import type { MessageRows } from './message-rows';
import type { OpenDocuments } from './open-documents';
import type { SessionApiPart } from './session-api';

/** The byte-level edit methods of the session. */
export type ByteEdits = SessionApiPart<'editBytes' | 'encodingEdit' | 'getAnomalies' | 'findBytes'>;

/** The encoding target at a tree path of a fully decoded message: the node, its ancestors and siblings, or the packed element. */
export function encodingTargetAt(root: MessageRoot, path: NodePath): EncodingTarget {
  if (path.length === 0) throw new EditError('choose a field: the message itself has no tag');
  const ancestors: FieldNode[] = [];
  let siblings: readonly FieldNode[] = root.fields;
  for (let depth = 0; depth < path.length; depth++) {
    const i = path[depth];
    const node = siblings[i];
    if (!node) throw new EditError(`no field at ${path.join('.')}: the tree changed, select the field again`);
    const last = depth === path.length - 1;
    if (last) return { ancestors, node, siblings, index: i };
    const v = node.value;
    if (v.kind === 'packed' && depth === path.length - 2) {
      const el = v.elements[path[depth + 1]];
      if (!el?.span) throw new EditError(`no element ${path[depth + 1]} in this packed run`);
      return { ancestors, node, siblings: [], index: 0, element: el.span };
    }
    if (v.kind === 'unknown' && v.raw instanceof Uint8Array) {
      throw new EditError('encoding edits work on fields the decoder reads as such: this field is shown as a message by choice');
    }
    ancestors.push(node);
    siblings = v.kind === 'message' ? v.fields : v.kind === 'unknown' && Array.isArray(v.raw) ? v.raw : [];
  }
  throw new EditError('no field at this path');
}

/** The offset of the next (or previous) occurrence of `pattern` in `bytes`, from `from` on, wrapping around; -1 when absent. */
export function findPattern(bytes: Uint8Array, pattern: Uint8Array, from: number, backwards = false): number {
  const n = bytes.length;
  const k = pattern.length;
  if (k === 0 || k > n) return -1;
  const matchesAt = (i: number) => {
    for (let j = 0; j < k; j++) if (bytes[i + j] !== pattern[j]) return false;
    return true;
  };
  const last = n - k;
  const start = Math.min(Math.max(0, from), last);
  if (!backwards) {
    for (let i = start; i <= last; i++) if (matchesAt(i)) return i;
    for (let i = 0; i < start; i++) if (matchesAt(i)) return i;
  } else {
    for (let i = start; i >= 0; i--) if (matchesAt(i)) return i;
    for (let i = last; i > start; i--) if (matchesAt(i)) return i;
  }
  return -1;
}

/** Creates the byte-level edit methods. */
export function createByteEdits(engine: WorkbenchEngine, documents: OpenDocuments, rows: MessageRows, edits: DocumentEdits): ByteEdits {
  const bytesOf = (docId: string, mi: number) => {
    const d = documents.get(docId);
    return { d, bytes: rows.view(documents.message(d, mi)).bytes };
  };

  return {
    async editBytes({ docId, message: mi, at, remove, insert }) {
      const { d, bytes } = bytesOf(docId, mi);
      if (at > bytes.length) throw new EditError(`byte ${at} is past the end of the message (${bytes.length} bytes)`);
      if (at + remove > bytes.length) {
        throw new EditError(`cannot remove ${remove} bytes at byte ${at}: the message ends ${bytes.length - at} bytes later`);
      }
      if (remove === 0 && insert.length === 0) return documents.summary(d);
      const out = new Uint8Array(bytes.length - remove + insert.length);
      out.set(bytes.subarray(0, at), 0);
      out.set(insert, at);
      out.set(bytes.subarray(at + remove), at + insert.length);
      edits.replaceBytes(d, mi, out);
      return documents.summary(d);
    },
    async encodingEdit({ docId, message: mi, path, edit }) {
      const { d, bytes } = bytesOf(docId, mi);
      // A full decode of the current bytes: spans absolute in them, nested messages read.
      const root = engine.decodeView(bytes, d.type);
      const out = applyEncodingEdit(bytes, encodingTargetAt(root, path), edit);
      edits.replaceBytes(d, mi, out);
      return documents.summary(d);
    },
    async getAnomalies({ docId, message: mi, limit }) {
      const { d, bytes } = bytesOf(docId, mi);
      const max = limit ?? 1000;
      const root = engine.decodeView(bytes, d.type);
      const found = scanAnomalies(root, bytes, { limit: max + 1, undecodable: undecodableText(root) });
      const anomalies: Anomaly[] = found
        .slice(0, max)
        .map((a) => ({ kind: a.kind, offset: a.offset, end: a.node.span?.end ?? a.offset, path: a.path, message: a.message }));
      return { anomalies, truncated: found.length > max };
    },
    async findBytes({ docId, message: mi, pattern, from, backwards }) {
      const { bytes } = bytesOf(docId, mi);
      const at = findPattern(bytes, pattern, from, backwards);
      return at < 0 ? null : { offset: at };
    },
  };
}
