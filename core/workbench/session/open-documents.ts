/**
 * The open documents: the registry by id, opening a document's messages (when first shown;
 * big ones lazily, the top level in steps), its file bytes as parts, and its summary.
 */
import type { DocId, DocumentSummary } from '../../api/contract';
import type { EditableMessage, StreamIndex, WorkbenchEngine } from '../engine';
import { rootLevelOf } from '../../document/decode';
import { countNodes } from '../flat-rows';
import { appendAll } from '../../wire/append';
import { errorSentence } from '../decode-error-text';
import { DocumentHistory } from './document-history';
import { typeName, type MessageState, type OpenDocument } from './document-state';
import { CancelledError, type TaskStep } from './tasks';

/** Messages with at most this many nodes open fully expanded. */
const AUTO_EXPAND_NODES = 400;

/** How messages are decoded (see SessionOptions). */
export interface DecodeLimits {
  /** Messages larger than this decode lazily. */
  lazyAboveBytes: number;
  /** A message decodes at most this many nodes. */
  maxNodes: number;
}

/** The open documents of a session and what reads them. */
export interface OpenDocuments {
  /** A new document id. */
  nextId(): DocId;
  /** Adds an opened document. */
  add(d: OpenDocument): void;
  /** The open document with this id; throws saying so when there is none. */
  get(docId: DocId): OpenDocument;
  /** The open document with this id, if there is one. */
  find(docId: DocId): OpenDocument | undefined;
  /** Closes a document; false when it was not open. */
  remove(docId: DocId): boolean;
  /** The open documents, in the order they were opened. */
  all(): OpenDocument[];
  /** The bytes of message i as in the document's source (without its framing prefix). */
  messageBytes(d: OpenDocument, i: number): Uint8Array;
  /** Message i, opened when first asked for (where it does not decode: what parses, and the error on the document). */
  message(d: OpenDocument, i: number): MessageState;
  /** Opens message i as `message` does, its top level decoded in steps that report progress (cancellable). */
  messageInSteps(d: OpenDocument, i: number, step: TaskStep): Promise<void>;
  /** The document's file bytes as parts: views of the source for everything unchanged. */
  fileParts(d: OpenDocument): readonly Uint8Array[];
  /** The document's file bytes in one buffer (the source itself while unchanged). */
  fileBytes(d: OpenDocument): Uint8Array;
  /** Makes `bytes` the document's source with no history (and unsaved). */
  reset(d: OpenDocument, bytes: Uint8Array): void;
  /** What the renderer shows of a document in its tab; `size` is what a save would write now. */
  summary(d: OpenDocument): DocumentSummary;
}

/** Where message i's length prefix or frame header starts: where the message before it ends (0 for the first). */
export function prefixStart(index: StreamIndex, i: number): number {
  return i === 0 ? 0 : index.offsets[i - 1] + index.lengths[i - 1];
}

/** Whether a message's current parts are still exactly its bytes in the file as read. */
function isSourceView(d: OpenDocument, i: number, parts: readonly Uint8Array[]): boolean {
  const p = parts.length === 1 ? parts[0] : null;
  return (
    p !== null &&
    p.buffer === d.source.buffer &&
    p.byteOffset === d.source.byteOffset + d.index.offsets[i] &&
    p.length === d.index.lengths[i]
  );
}

/** Total length of byte parts. */
export function partsLength(parts: readonly Uint8Array[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

/** Creates the registry of open documents. */
export function createOpenDocuments(engine: WorkbenchEngine, limits: DecodeLimits): OpenDocuments {
  const docs = new Map<DocId, OpenDocument>();
  let nextId = 1;
  const { lazyAboveBytes, maxNodes } = limits;

  // A big message decodes its top level now and nested messages when they are opened; their
  // errors then show on those rows (a lazy decode is always tolerant).
  const openOptions = (bytes: Uint8Array) => {
    const lazy = bytes.length > lazyAboveBytes;
    return { lazy, partial: lazy, maxNodes };
  };

  function messageBytes(d: OpenDocument, i: number): Uint8Array {
    if (!(i >= 0 && i < d.index.count)) throw new Error(`message ${i} is out of range (0..${d.index.count - 1})`);
    const off = d.index.offsets[i];
    return d.source.subarray(off, off + d.index.lengths[i]);
  }

  /** Keeps message i's opened version, or where it did not decode, a tolerant decode and the error. */
  function settle(d: OpenDocument, i: number, bytes: Uint8Array, opened: EditableMessage | Error): MessageState {
    let doc: EditableMessage;
    if (opened instanceof Error) {
      // Malformed or truncated: show what parses (the rest as raw bytes), and say where it stopped.
      d.error = errorSentence(opened);
      doc = engine.open(bytes, d.type, { partial: true, maxNodes });
    } else {
      doc = opened;
      d.error = doc.root.error ? errorSentence(doc.root.error) : undefined;
    }
    const m: MessageState = {
      doc,
      lazy: openOptions(bytes).lazy,
      expand: { all: false, except: new Set() },
      interpret: new Map(),
      layout: 0,
    };
    // A top level over the limit is counted from its bytes, without building its nodes.
    const level = rootLevelOf(doc.root);
    if ((!level || level.count <= AUTO_EXPAND_NODES) && countNodes(doc.root.fields, AUTO_EXPAND_NODES) <= AUTO_EXPAND_NODES)
      m.expand.all = true;
    d.messages.set(i, m);
    return m;
  }

  function fileParts(d: OpenDocument): readonly Uint8Array[] {
    if (d.index.framing === 'single' && d.index.count === 1) {
      const m = d.messages.get(0);
      return m ? m.doc.encodeParts().parts : [d.source];
    }
    // Only the messages that changed are framed again; everything else (the prefixes of the
    // untouched messages, overlong ones made on purpose included, and any bytes after the last
    // message) is written as it was read.
    const out: Uint8Array[] = [];
    let at = 0;
    const changed = [...d.messages.keys()].sort((a, b) => a - b);
    for (const i of changed) {
      const parts = d.messages.get(i)!.doc.encodeParts().parts;
      if (isSourceView(d, i, parts)) continue;
      const start = prefixStart(d.index, i);
      const end = d.index.offsets[i] + d.index.lengths[i];
      if (start > at) out.push(d.source.subarray(at, start));
      if (partsLength(parts) === d.index.lengths[i]) {
        // Same length: the prefix read from the file still tells it, byte for byte.
        out.push(d.source.subarray(start, d.index.offsets[i]));
        appendAll(out, parts);
      } else {
        const one: StreamIndex = { ...d.index, count: 1, flags: d.index.flags ? [d.index.flags[i]] : null };
        appendAll(out, engine.frame(one, [parts]));
      }
      at = end;
    }
    if (at < d.source.length) out.push(d.source.subarray(at));
    return out;
  }

  return {
    nextId: () => `d${nextId++}`,
    add: (d) => void docs.set(d.id, d),
    get(docId) {
      const d = docs.get(docId);
      if (!d) throw new Error(`no open document ${docId}`);
      return d;
    },
    find: (docId) => docs.get(docId),
    remove: (docId) => docs.delete(docId),
    all: () => [...docs.values()],
    messageBytes,
    message(d, i) {
      let m = d.messages.get(i);
      if (!m) {
        const bytes = messageBytes(d, i);
        let doc: EditableMessage | Error;
        try {
          doc = engine.open(bytes, d.type, openOptions(bytes));
        } catch (e) {
          doc = e as Error;
        }
        m = settle(d, i, bytes, doc);
      }
      return m;
    },
    async messageInSteps(d, i, step) {
      if (d.messages.has(i)) return;
      const bytes = messageBytes(d, i);
      let doc: EditableMessage | Error;
      try {
        const steps = engine.openSteps(bytes, d.type, openOptions(bytes));
        let next = steps.next();
        while (!next.done) {
          await step(next.value, bytes.length);
          next = steps.next();
        }
        doc = next.value;
      } catch (e) {
        if (e instanceof CancelledError) throw e;
        doc = e as Error;
      }
      settle(d, i, bytes, doc);
    },
    fileParts,
    fileBytes(d) {
      const parts = fileParts(d);
      if (parts.length === 1) return parts[0];
      const out = new Uint8Array(partsLength(parts));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    },
    reset(d, bytes) {
      d.source = bytes;
      d.index = engine.index(bytes);
      d.messages.clear();
      d.history = new DocumentHistory(false);
      d.version++;
    },
    summary(d) {
      const first = d.messages.get(0);
      return {
        docId: d.id,
        name: d.name,
        path: d.path,
        // The bytes a save would write now (the file as read until something changes).
        size: d.messages.size ? partsLength(fileParts(d)) : d.source.length,
        framing: d.index.framing,
        messageCount: d.index.count,
        typeName: d.type ? typeName(d.type) : null,
        ...(d.typeSource ? { typeSource: d.typeSource } : {}),
        ...(d.missingType ? { missingType: d.missingType } : {}),
        candidates: d.candidates,
        dirty: d.history.dirty,
        canUndo: d.history.canUndo,
        canRedo: d.history.canRedo,
        version: d.version,
        ...(d.error ? { error: d.error } : first?.doc.root.error ? { error: errorSentence(first.doc.root.error) } : {}),
      };
    },
  };
}
