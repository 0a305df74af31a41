/**
 * A user's edits to a document's messages, each one step of the document's one history: tree
 * edits, JSON/text Applies (a diff: only the fields the text changes), undo and redo; a fresh history when the
 * document is read again (another type, new schemas); replaying journaled steps on recovery.
 */
import { ApiError } from '../../api/api-error';
import type { DocId, SetTextResult, TreeEdit } from '../../api/contract';
import {
  TextInputError,
  type EditableMessage,
  type JournalStep,
  type RecoveryHistory,
  type SchemaHost,
  type TextApply,
  type WorkbenchEngine,
} from '../engine';
import { DocumentHistory, type HistoryStep } from './document-history';
import type { MessageState, OpenDocument } from './document-state';
import type { OpenDocuments } from './open-documents';
import type { SessionApiPart } from './session-api';

/** A document changed: a new version for the renderer, its rows rebuilt (when `m` is given), the journal told. */
export type DocumentChanged = (d: OpenDocument, m?: MessageState) => void;

/** Edits, undo and redo, over the documents' histories. */
export interface DocumentEdits extends SessionApiPart<'undo' | 'redo' | 'setText'> {
  /** Applies a tree edit to a message as one undo step (the 'interpret' view choice is not an edit). */
  edit(docId: DocId, message: number, edit: TreeEdit): void;
  /** Makes `bytes` message `mi`'s bytes as one undo step, decoded again (what does not decode is kept as raw bytes). */
  replaceBytes(d: OpenDocument, mi: number, bytes: Uint8Array): void;
  /** Undoes the last step without the bookkeeping of a user's undo; returns its message, or null when there is none. */
  undoStep(d: OpenDocument): MessageState | null;
  /** Starts a fresh history over the current bytes (messages are opened again); unsaved changes stay unsaved. */
  resetHistory(d: OpenDocument): void;
  /** Replays journaled steps over the document's current messages, as a history the last `undone` of which are undone. */
  replay(d: OpenDocument, replay: NonNullable<RecoveryHistory['replay']>): void;
}

/** Creates the edit operations; `changed` is called after each change. */
export function createDocumentEdits(
  engine: WorkbenchEngine,
  schemas: SchemaHost,
  documents: OpenDocuments,
  changed: DocumentChanged,
): DocumentEdits {
  /** Makes `step.after` the message's version, as one undo step. */
  function record(d: OpenDocument, m: MessageState, step: HistoryStep): void {
    m.doc = step.after;
    d.history.record(step);
    changed(d, m);
  }

  /** The version a journaled step gives from `doc`. */
  function replayStep(doc: EditableMessage, step: JournalStep): EditableMessage {
    if ('edit' in step) return doc.edit(step.edit);
    // Bytes as a hex edit or an encoding edit left them: what does not decode stays raw bytes.
    if ('text' in step) return engine.open(step.text, doc.root.type, { partial: true });
    if (!doc.root.type) throw new Error('a JSON/text step needs the message type');
    return engine.applyText(doc, step.apply.text, doc.root.type, step.apply.format, schemas.current()).after ?? doc;
  }

  function undoStep(d: OpenDocument): MessageState | null {
    const step = d.history.undo();
    if (!step) return null;
    const m = documents.message(d, step.message);
    m.doc = step.before;
    return m;
  }

  return {
    edit(docId, mi, edit) {
      const d = documents.get(docId);
      const m = documents.message(d, mi);
      const after = m.doc.edit(edit);
      record(d, m, { message: mi, before: m.doc, after, journal: { message: mi, edit } });
    },
    replaceBytes(d, mi, bytes) {
      const m = documents.message(d, mi);
      const after = engine.open(bytes, d.type, { partial: true, lazy: m.lazy });
      record(d, m, { message: mi, before: m.doc, after, journal: { message: mi, text: bytes } });
    },
    async setText({ docId, message: mi, format, text, dryRun, confirmed, baseVersion }) {
      const d = documents.get(docId);
      // A text read before another change would undo that change where it shows the old value.
      if (baseVersion !== undefined && baseVersion !== d.version) {
        throw new ApiError(
          'conflict',
          `${d.name} changed since this text was read (version ${baseVersion}, now ${d.version}): read the text again before applying it`,
        );
      }
      const m = documents.message(d, mi);
      if (!d.type) {
        return {
          ok: false,
          errors: [{ message: 'choose a message type first: JSON and text need a schema', line: 1, column: 1 }],
          summary: documents.summary(d),
        } satisfies SetTextResult;
      }
      let plan: TextApply;
      try {
        plan = engine.applyText(m.doc, text, d.type, format, schemas.current());
      } catch (e) {
        const errors = e instanceof TextInputError ? e.errors : [{ message: (e as Error).message, line: 1, column: 1 }];
        return { ok: false, errors, summary: documents.summary(d) };
      }
      const report = { errors: [], changes: plan.changes, warnings: plan.warnings };
      if (dryRun) return { ok: true, ...report, summary: documents.summary(d) };
      // What the text cannot show changes only once the user agreed to it.
      if (!confirmed && plan.warnings.some((w) => w.confirm)) {
        return { ok: false, needsConfirmation: true, ...report, summary: documents.summary(d) };
      }
      if (plan.after) record(d, m, { message: mi, before: m.doc, after: plan.after, journal: { message: mi, apply: { format, text } } });
      return { ok: true, ...report, summary: documents.summary(d) };
    },
    async undo({ docId }) {
      const d = documents.get(docId);
      const m = undoStep(d);
      if (m) changed(d, m);
      return documents.summary(d);
    },
    async redo({ docId }) {
      const d = documents.get(docId);
      const step = d.history.redo();
      if (!step) return documents.summary(d);
      const m = documents.message(d, step.message);
      m.doc = step.after;
      changed(d, m);
      return documents.summary(d);
    },
    undoStep,
    resetHistory(d) {
      d.messages.clear();
      d.history = new DocumentHistory(!d.history.dirty);
      changed(d);
    },
    replay(d, { steps, undone, savedAt }) {
      for (const step of steps) {
        const m = documents.message(d, step.message);
        const after = replayStep(m.doc, step);
        d.history.record({ message: step.message, before: m.doc, after, journal: step });
        m.doc = after;
      }
      for (let i = 0; i < undone; i++) undoStep(d);
      d.history.restoreSavedAt(savedAt);
    },
  };
}
