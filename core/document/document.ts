/**
 * ProtoDocument: the source bytes, the current tree, its type, and an undo/redo history of
 * edits. Undo restores earlier roots as they were, so encode() is byte-exact again after undo.
 */
import type { Type } from 'protobufjs';
import { decodeMessage, decodeMessageSteps, type DecodeOptions } from './decode';
import { encodeMessage, encodeParts } from './encode';
import type { EncodedBytes } from './encoded-bytes';
import { applyEdit, type Edit, type EditContext } from './edits';
import { History } from './history';
import type { FieldNode, MessageRoot, NodeId } from './model';
import { nodeAtPath, nodeById, parentOf, pathOfId, type NodePath } from './tree';

/** An open message: source bytes, current root, edit history. */
export class ProtoDocument {
  private readonly history: History<MessageRoot>;
  /** The root as decoded from source, when unmodified: lets encode skip unchanged siblings by reference. */
  private readonly base: MessageRoot | undefined;

  constructor(
    /** The bytes the document was decoded from (spans point into them); never modified. */
    readonly source: Uint8Array,
    root: MessageRoot,
    /** Context for edits (type lookup for Any payloads). */
    readonly context: EditContext = {},
  ) {
    this.history = new History(root);
    this.base = root.modified ? undefined : root;
  }

  /** Decodes bytes as `type` into a new document (see decodeMessage for options). */
  static decode(bytes: Uint8Array, type: Type | null, options: DecodeOptions = {}): ProtoDocument {
    return new ProtoDocument(bytes, decodeMessage(bytes, type, options), { resolveType: options.resolveType });
  }

  /** ProtoDocument.decode in steps (see decodeMessageSteps): yields bytes read so far. */
  static *decodeSteps(
    bytes: Uint8Array,
    type: Type | null,
    options: DecodeOptions = {},
    fieldsPerStep?: number,
  ): Generator<number, ProtoDocument, void> {
    const root = yield* decodeMessageSteps(bytes, type, options, fieldsPerStep);
    return new ProtoDocument(bytes, root, { resolveType: options.resolveType });
  }

  /** The current root. */
  get root(): MessageRoot {
    return this.history.present;
  }

  /** The message type (null when decoded without a schema). */
  get type(): Type | null {
    return this.root.type;
  }

  /** Whether the current tree differs from the source bytes. */
  get modified(): boolean {
    return this.root.modified;
  }

  /** Applies an edit as one undo step; returns the new root. Throws EditError (state unchanged) if it does not apply. */
  apply(edit: Edit): MessageRoot {
    this.history.push(applyEdit(this.root, edit, this.context));
    return this.root;
  }

  /** Applies several edits as a single undo step (all or nothing). */
  applyAll(edits: readonly Edit[]): MessageRoot {
    let r = this.root;
    for (const e of edits) r = applyEdit(r, e, this.context);
    this.history.push(r);
    return r;
  }

  /** Whether there is an edit to undo. */
  get canUndo(): boolean {
    return this.history.canUndo;
  }

  /** Whether there is an undone edit to redo. */
  get canRedo(): boolean {
    return this.history.canRedo;
  }

  /** Undoes the last edit; returns the restored root. */
  undo(): MessageRoot {
    return this.history.undo();
  }

  /** Redoes the last undone edit; returns the root. */
  redo(): MessageRoot {
    return this.history.redo();
  }

  /** Encodes the current tree: the source bytes exactly when unmodified, else only edited paths re-encoded. */
  encode(): Uint8Array {
    return encodeMessage(this.root, this.source, this.base);
  }

  /**
   * Encodes the current tree as parts, copying no unchanged byte (what saving writes): [source]
   * when unmodified, else views of the source around the re-encoded paths.
   */
  encodeParts(): EncodedBytes {
    return encodeParts(this.root, this.source, this.base);
  }

  /** The node with this id in the current tree. */
  nodeById(id: NodeId): FieldNode | undefined {
    return nodeById(this.root, id);
  }

  /** The path (child indices) of the node with this id in the current tree. */
  pathOf(id: NodeId): NodePath | undefined {
    return pathOfId(this.root, id);
  }

  /** The node at a path in the current tree. */
  nodeAt(path: NodePath): FieldNode | undefined {
    return nodeAtPath(this.root, path);
  }

  /** The parent of the node with this id (null: the root message; undefined: no such node). */
  parentOf(id: NodeId): FieldNode | null | undefined {
    return parentOf(this.root, id);
  }
}
