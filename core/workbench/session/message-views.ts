/**
 * What the renderer is shown of a document's messages, in small views: a range of tree rows,
 * expand and collapse, the row of a byte, a range of bytes, a page of the stream list, the JSON
 * or text format, an export; and "interpret as", a view choice on an unknown field.
 */
import type { Type } from 'protobufjs';
import type { DocId, NodePath, RowsPage, StreamPage, TreeRow } from '../../api/contract';
import { positionOf } from '../../schema/proto-source';
import type { SchemaHost, WorkbenchEngine } from '../engine';
import type { FieldNode, MessageRoot } from '../../document/model';
import { nodeAtPath } from '../../document/tree';
import { rootLevelOf } from '../../document/decode';
import { childrenOf, countNodes, pathKey } from '../flat-rows';
import { jsonPathOf, locateJsonPath } from '../text-adapter';
import { hexPreview, missingFields } from '../tree-row';
import { valueChunk } from '../value-chunk';
import type { MessageState, OpenDocument, ViewCache } from './document-state';
import type { DocumentChanged } from './edits';
import { rowAt, setExpandedKey, type MessageRows } from './message-rows';
import type { OpenDocuments } from './open-documents';
import type { SessionApiPart } from './session-api';
import { currentOffsets } from './stream-tools';
import { decodeNestedMessages } from './nested-messages';

/** The view methods of the session. */
export interface MessageViews extends SessionApiPart<
  | 'getRows'
  | 'setExpanded'
  | 'rowAtOffset'
  | 'getBytes'
  | 'getValueChunk'
  | 'getStream'
  | 'getText'
  | 'jsonPosition'
  | 'exportMessage'
  | 'decodeNested'
> {
  /** Shows an unknown field as one of its readings (null: as it was); not an edit, no undo step. */
  interpret(docId: DocId, message: number, path: NodePath, as: string | null): void;
}

/** Expands or collapses a node and every node below it (packed elements have no children to show). */
function expandBelow(m: MessageState, root: MessageRoot, path: NodePath, expanded: boolean): void {
  const node = nodeAtPath(root, path);
  if (!node) throw new Error(`no node at ${path.join('.')}: the tree changed, select the row again`);
  const walk = (n: FieldNode, at: number[]) => {
    const children = childrenOf(n);
    if (!children || n.value.kind === 'packed') {
      if (n.value.kind === 'packed') setExpandedKey(m, pathKey(at), expanded);
      return;
    }
    setExpandedKey(m, pathKey(at), expanded);
    (children as readonly FieldNode[]).forEach((c, i) => walk(c, [...at, i]));
  };
  walk(node, [...path]);
}

/** Creates the view methods. */
export function createMessageViews(
  engine: WorkbenchEngine,
  schemas: SchemaHost,
  documents: OpenDocuments,
  rows: MessageRows,
  changed: DocumentChanged,
): MessageViews {
  const message = documents.message;
  const view = rows.view;

  /** The message as JSON or text format (cached per version of its bytes). */
  function textOf(d: OpenDocument, v: ViewCache, format: 'json' | 'text'): string {
    v.text ??= {};
    return (v.text[format] ??= engine.toText(v.bytes, d.type, format, schemas.current()));
  }

  /** A one-line summary of a stream message: its top-level field names (or hex when that says nothing). */
  function streamPreview(bytes: Uint8Array, type: Type | null): string {
    if (!type || bytes.length > 64 * 1024) return hexPreview(bytes, 12);
    const root = engine.decodeView(bytes, type);
    const names = [...new Set(root.fields.map((f) => f.field?.name ?? `#${f.fieldNumber}`))];
    return names.length ? names.slice(0, 4).join(', ') + (names.length > 4 ? ', …' : '') : '(empty)';
  }

  return {
    async getRows({ docId, message: mi, start, count, filter }) {
      const d = documents.get(docId);
      const m = message(d, mi);
      const v = view(m);
      const flat = await rows.flatOf(d, m, v, filter);
      const out: TreeRow[] = [];
      for (let r = Math.max(0, start); r < Math.min(flat.length, start + Math.min(count, 2000)); r++)
        out.push(rows.rowOf(m, v, flat.entry(r)));
      // A lazy tree not read in full yet is not walked for a count: the top level is what is known.
      if (v.complete) v.nodeCount ??= countNodes(v.view.fields, Number.MAX_SAFE_INTEGER);
      return {
        total: flat.length,
        start,
        rows: out,
        nodeCount: v.complete ? v.nodeCount! : (rootLevelOf(v.view)?.count ?? v.view.fields.length),
        ...(v.complete ? {} : { nodeCountPartial: true }),
        rootMissing: missingFields(v.view.type, rootLevelOf(v.view) ?? v.view.fields),
        rootWarnings: rows.warningsOf(v)?.root ?? [],
      } satisfies RowsPage;
    },
    async setExpanded({ docId, message: mi, path, expanded, all }) {
      const d = documents.get(docId);
      const m = message(d, mi);
      const before = m.expand;
      if (all && path.length === 0) m.expand = { all: expanded, except: new Set() };
      else if (all) expandBelow(m, view(m).view, path, expanded);
      else setExpandedKey(m, pathKey(path), expanded);
      m.layout++;
      try {
        return { total: (await rows.flatOf(d, m, view(m))).length };
      } catch (e) {
        // Expand all was cancelled (or failed): the tree stays as it was.
        if (all) {
          m.expand = before;
          m.layout++;
        }
        throw e;
      }
    },
    async rowAtOffset({ docId, message: mi, offset, filter }) {
      const d = documents.get(docId);
      const m = message(d, mi);
      const v = view(m);
      const path = rowAt(v, offset);
      if (!path) return null;
      for (let i = 1; i < path.length; i++) setExpandedKey(m, pathKey(path.slice(0, i)), true);
      m.layout++;
      const flat = await rows.flatOf(d, m, v, filter);
      const row = flat.find(path);
      if (row < 0) return null;
      const e = flat.entry(row);
      const s = e.element ? e.element.value.span : e.node.span;
      return { row, path, span: s ? { start: s.tagStart, valueStart: s.valueStart, end: s.end } : null };
    },
    async getBytes({ docId, message: mi, start, end }) {
      const d = documents.get(docId);
      const bytes = view(message(d, mi)).bytes;
      return { total: bytes.length, bytes: bytes.slice(Math.max(0, start), Math.min(bytes.length, end)) };
    },
    async getValueChunk({ docId, message: mi, path, start, end }) {
      return valueChunk(view(message(documents.get(docId), mi)).root, path, start, end);
    },
    async getStream({ docId, start, count }) {
      const d = documents.get(docId);
      const items = [];
      const end = Math.min(d.index.count, start + Math.min(count, 5000));
      // Offsets in the file as it is now: edits of earlier messages move the later ones.
      const lengthOf = (i: number) => {
        const st = d.messages.get(i);
        return st ? view(st).bytes.length : d.index.lengths[i];
      };
      const offsets = currentOffsets(d, lengthOf, end);
      for (let i = Math.max(0, start); i < end; i++) {
        const st = d.messages.get(i);
        const b = st ? view(st).bytes : documents.messageBytes(d, i);
        items.push({
          index: i,
          offset: offsets[i],
          length: b.length,
          preview: `${streamPreview(b, d.type)}${st?.doc.root.modified ? ' (edited)' : ''}`,
        });
      }
      return { total: d.index.count, items } satisfies StreamPage;
    },
    async getText({ docId, message: mi, format }) {
      const d = documents.get(docId);
      const m = message(d, mi);
      try {
        return { text: textOf(d, view(m), format) };
      } catch (e) {
        return { text: '', error: (e as Error).message };
      }
    },
    async jsonPosition({ docId, message: mi, path }) {
      const d = documents.get(docId);
      const v = view(message(d, mi));
      if (!d.type) return null;
      const jsonPath = jsonPathOf(v.view, path);
      if (!jsonPath || jsonPath === '$') return null;
      let text: string;
      try {
        text = textOf(d, v, 'json');
      } catch {
        return null; // bytes that do not decode have no JSON to place the path in (the pane says why)
      }
      const at = locateJsonPath(text, jsonPath);
      return at > 0 ? positionOf(text, at) : null;
    },
    async exportMessage({ docId, message: mi, format }) {
      const d = documents.get(docId);
      const m = message(d, mi);
      const bytes = view(m).bytes;
      const base = d.name.replace(/\.[^.]*$/, '') + (d.index.count > 1 ? `-${mi}` : '');
      if (format === 'hex') {
        const lines: string[] = [];
        for (let i = 0; i < bytes.length; i += 16) lines.push(hexPreview(bytes.subarray(i, i + 16), 16));
        return { name: `${base}.hex`, text: lines.join('\n') + '\n' };
      }
      const text = textOf(d, view(m), format);
      return { name: `${base}.${format === 'json' ? 'json' : 'txtpb'}`, text };
    },
    async decodeNested({ docId, message: mi, on }) {
      const d = documents.get(docId);
      const m = message(d, mi);
      const count = decodeNestedMessages(engine, m, view(m).view.fields, on);
      changed(d, m);
      return { count, summary: documents.summary(d) };
    },
    interpret(docId, mi, path, as) {
      const d = documents.get(docId);
      const m = message(d, mi);
      const k = pathKey(path);
      if (as === null) m.interpret.delete(k);
      else m.interpret.set(k, as);
      if (as === 'message') setExpandedKey(m, k, true);
      changed(d, m);
    },
  };
}
