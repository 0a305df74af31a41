/**
 * Comparisons of the open documents' messages (core/diff): a message as it is now, another
 * message of any open document, or its saved version (the file on disk). The session keeps the
 * last few comparisons, both sides' bytes with them, and answers them in small views: pages of
 * the difference tree (flattened depth-first, with collapsed rows hidden) and bytes of a side.
 */
import type { Type } from 'protobufjs';
import type { DiffResult, DiffRow, DiffRowKind, DiffSource, DocumentDiffSource } from '../../api/diff-contract';
import { diffMessages, diffSummary, DiffInputError, type DiffNode } from '../../diff';
import type { FileHost, SchemaHost, WorkbenchEngine } from '../engine';
import type { CaptureEntryMessage } from './captures';
import { typeName, type OpenDocument } from './document-state';
import type { OpenDocuments } from './open-documents';
import type { SessionApiPart } from './session-api';

/** The diff methods of the session. */
export type DiffMethodsPart = SessionApiPart<'compareMessages' | 'getDiffRows' | 'getDiffBytes' | 'closeDiff'>;

/** Comparisons kept at once: the oldest goes when another is made (each holds both sides' bytes). */
export const MAX_KEPT_DIFFS = 8;
/** The most rows one getDiffRows call answers. */
const MAX_ROWS_PER_PAGE = 2000;
/** The most bytes one getDiffBytes call answers. */
const MAX_BYTES_PER_CALL = 1024 * 1024;

/** A node of the flattened tree: depth and how many rows are below it. */
interface FlatNode {
  node: DiffNode;
  depth: number;
  descendants: number;
}

interface KeptDiff {
  a: Uint8Array;
  b: Uint8Array;
  flat: FlatNode[];
}

/** The encoding differences in a few words each, from core/diff's sentences. */
export function encodingLabels(reasons: readonly string[] | undefined): string[] {
  const out: string[] = [];
  const add = (l: string) => void (out.includes(l) || out.push(l));
  for (const r of reasons ?? []) {
    if (/varint written in|written in a different number of bytes/.test(r)) add('overlong varint');
    else if (/another order/.test(r)) add('field order');
    else if (/\bpacked\b/.test(r)) add('packed vs unpacked');
    else if (/length prefix/.test(r)) add('length prefix width');
    else if (/tag written in/.test(r)) add('overlong tag');
    else if (/default value written explicitly/.test(r)) add('explicit default');
    else if (/times in A|more than once|occurrences/.test(r)) add('repeated occurrences');
    else if (/wire type/.test(r)) add('wire type');
    else if (/compared as bytes/.test(r)) add('compared as bytes');
    else add('other bytes');
  }
  return out;
}

/** The tree depth-first, each node with its depth and the count of nodes below it. */
export function flattenDiff(nodes: readonly DiffNode[]): FlatNode[] {
  const out: FlatNode[] = [];
  // An explicit stack: a deep diff must not overflow the call stack.
  const stack: { list: readonly DiffNode[]; i: number; depth: number; at: number }[] = [{ list: nodes, i: 0, depth: 0, at: -1 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i >= top.list.length) {
      stack.pop();
      if (top.at >= 0) out[top.at].descendants = out.length - top.at - 1;
      continue;
    }
    const node = top.list[top.i++];
    out.push({ node, depth: top.depth, descendants: 0 });
    if (node.children?.length) stack.push({ list: node.children, i: 0, depth: top.depth + 1, at: out.length - 1 });
  }
  return out;
}

/** The rows [start, start+count) of the tree with the rows below `collapsed` ids hidden, and how many are visible. */
export function visibleRows(flat: readonly FlatNode[], collapsed: ReadonlySet<number>, start: number, count: number) {
  const rows: DiffRow[] = [];
  let visible = 0;
  for (let id = 0; id < flat.length; id++) {
    if (visible >= start && visible < start + count) rows.push(rowOf(flat[id], id));
    visible++;
    if (collapsed.has(id)) id += flat[id].descendants;
  }
  return { total: visible, rows };
}

function rowOf(f: FlatNode, id: number): DiffRow {
  const n = f.node;
  return {
    id,
    depth: f.depth,
    kind: n.kind,
    path: n.path,
    fieldNumber: n.fieldNumber,
    ...(n.unknown ? { unknown: true } : {}),
    ...(n.type ? { type: n.type } : {}),
    ...(n.a ? { a: { text: n.a.text, span: { ...n.a.span } } } : {}),
    ...(n.b ? { b: { text: n.b.text, span: { ...n.b.span } } } : {}),
    ...(n.from ? { from: n.from } : {}),
    ...(n.to ? { to: n.to } : {}),
    ...(n.encoding?.length ? { encoding: [...n.encoding] } : {}),
    labels: encodingLabels(n.encoding),
    descendants: f.descendants,
  };
}

/** Creates the diff methods. */
export function createDiffs(
  engine: WorkbenchEngine,
  schemas: SchemaHost,
  files: FileHost,
  documents: OpenDocuments,
  entryMessage: (captureId: string, index: number, message: number) => CaptureEntryMessage,
): DiffMethodsPart {
  const kept = new Map<string, KeptDiff>();
  let nextId = 1;

  function get(diffId: string): KeptDiff {
    const k = kept.get(diffId);
    if (!k) throw Object.assign(new Error(`no comparison ${diffId} (it was closed, or replaced by newer ones)`), { name: 'NotFoundError' });
    return k;
  }

  /** The bytes of a message as saved: the file on disk (for a document from one), else as opened. */
  async function savedBytes(d: OpenDocument, i: number): Promise<Uint8Array> {
    if (!d.path) return documents.messageBytes(d, i);
    let file: Uint8Array;
    try {
      file = await files.read(d.path);
    } catch (e) {
      throw new Error(`${d.name}: the saved version cannot be read: ${(e as Error).message}`, { cause: e });
    }
    if (d.index.framing === 'single') return file;
    const index = engine.index(file);
    if (index.framing !== d.index.framing || i >= index.count) {
      throw new Error(
        `${d.name} on disk no longer holds message ${i} as a ${d.index.framing} stream (it reads as ${index.count} ${index.framing} message${index.count === 1 ? '' : 's'})`,
      );
    }
    return file.subarray(index.offsets[i], index.offsets[i] + index.lengths[i]);
  }

  /** A side's bytes, label and the name of the type it is read as (null: none). */
  async function sideOf(s: DiffSource): Promise<{ bytes: Uint8Array; label: string; typeName: string | null }> {
    if ('captureId' in s) return entryMessage(s.captureId, s.entry, s.message ?? 0);
    return documentSide(s);
  }

  async function documentSide(s: DocumentDiffSource): Promise<{ bytes: Uint8Array; label: string; typeName: string | null }> {
    const d = documents.get(s.docId);
    if (!(s.message >= 0 && s.message < d.index.count)) {
      throw new RangeError(`${d.name} has no message ${s.message} (it has ${d.index.count})`);
    }
    const open = d.messages.get(s.message);
    const bytes = s.saved ? await savedBytes(d, s.message) : open ? open.doc.encode() : documents.messageBytes(d, s.message);
    const label = `${d.name}${d.index.count > 1 || d.index.framing !== 'single' ? ` #${s.message}` : ''}${s.saved ? ' (saved)' : ''}`;
    return { bytes, label, typeName: d.type ? typeName(d.type) : null };
  }

  /** The type to compare by: the one asked for, else the sides' (raw when they are read as different types). */
  function typeFor(requested: string | null | undefined, ta: string | null, tb: string | null): { type: Type | null; note?: string } {
    if (requested === null) return { type: null };
    const find = (name: string) => {
      const t = schemas.current().find(name);
      if (!t) throw Object.assign(new Error(`unknown message type: ${name}`), { name: 'NotFoundError' });
      return t;
    };
    if (requested !== undefined) return { type: find(requested) };
    // A side's type that is not loaded (a capture entry's chosen type whose schema went) reads as none.
    const loaded = (name: string | null) => (name && schemas.current().find(name) ? name : null);
    [ta, tb] = [loaded(ta), loaded(tb)];
    if (ta === tb) return { type: ta ? find(ta) : null };
    if (ta && tb) {
      return { type: null, note: `A is read as ${ta} and B as ${tb}: compared without a schema (choose a type to compare by)` };
    }
    const only = (ta ?? tb)!;
    return { type: find(only), note: `compared as ${only}, the type of ${ta ? 'A' : 'B'} (the other is read without a schema)` };
  }

  return {
    async compareMessages({ a: sa, b: sb, typeName: requested }) {
      const a = await sideOf(sa);
      const b = await sideOf(sb);
      const { type, note } = typeFor(requested, a.typeName, b.typeName);
      let diff;
      try {
        diff = diffMessages(a.bytes, b.bytes, { type });
      } catch (e) {
        if (e instanceof DiffInputError) {
          const which = e.side === 'A' ? a.label : b.label;
          throw Object.assign(new Error(`${which} ${e.message.replace(/^[AB]: /, '')}`, { cause: e }), { code: 'invalid-input' });
        }
        throw e;
      }
      const diffId = `diff-${nextId++}`;
      const flat = flattenDiff(diff.nodes);
      kept.set(diffId, { a: a.bytes, b: b.bytes, flat });
      while (kept.size > MAX_KEPT_DIFFS) kept.delete(kept.keys().next().value!);
      const counts: Record<DiffRowKind, number> = { ...diff.counts };
      const result: DiffResult = {
        diffId,
        typeName: diff.typeName ?? null,
        identical: diff.identical,
        sameValues: diff.sameValues,
        counts,
        truncated: diff.truncated === true,
        summary: diffSummary(diff),
        a: { label: a.label, size: a.bytes.length },
        b: { label: b.label, size: b.bytes.length },
        nodeCount: flat.length,
        ...(note ? { note } : {}),
      };
      return result;
    },
    async getDiffRows({ diffId, start, count, collapsed }) {
      return visibleRows(get(diffId).flat, new Set(collapsed ?? []), start, Math.min(count, MAX_ROWS_PER_PAGE));
    },
    async getDiffBytes({ diffId, side, start, end }) {
      const bytes = side === 'a' ? get(diffId).a : get(diffId).b;
      const from = Math.min(start, bytes.length);
      return { total: bytes.length, bytes: bytes.slice(from, Math.min(bytes.length, end, from + MAX_BYTES_PER_CALL)) };
    },
    async closeDiff({ diffId }) {
      return { closed: kept.delete(diffId) };
    },
  };
}
