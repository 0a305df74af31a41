/**
 * Unapplied text of the JSON/text pane, per document, message and format. Text is applied only
 * when the user presses Apply; until then it is kept here, so leaving the pane (another tab,
 * message or format, the pane hidden) never drops it and never applies it.
 */

/** Text typed in the pane and not applied yet, with the document version it was read at. */
export interface TextDraft {
  text: string;
  /** The document version the text was read at: an Apply is refused when the document moved since. */
  baseVersion: number;
}

/** Which text a draft belongs to. */
export interface DraftKey {
  docId: string;
  message: number;
  format: 'json' | 'text';
}

const drafts = new Map<string, TextDraft>();
const keyOf = ({ docId, message, format }: DraftKey) => JSON.stringify([docId, message, format]);

/** The unapplied text for a document's message in a format, if any. */
export function draftOf(key: DraftKey): TextDraft | undefined {
  return drafts.get(keyOf(key));
}

/** Keeps unapplied text (null: there is none any more: applied, discarded, or typed back to what the document says). */
export function keepDraft(key: DraftKey, draft: TextDraft | null): void {
  if (draft) drafts.set(keyOf(key), draft);
  else drafts.delete(keyOf(key));
}

/** Whether a document has unapplied text anywhere (any message, either format). */
export function hasDrafts(docId: string): boolean {
  for (const k of drafts.keys()) if ((JSON.parse(k) as [string])[0] === docId) return true;
  return false;
}

/** Forgets a closed document's unapplied text. */
export function dropDrafts(docId: string): void {
  for (const k of [...drafts.keys()]) if ((JSON.parse(k) as [string])[0] === docId) drafts.delete(k);
}
