/**
 * What the session holds per open document (one per tab) and per opened message of it: the
 * bytes, framing and type, the editable message versions, the one undo history, the tree's
 * expand state and the caches of what the renderer was last shown.
 */
import type { Type } from 'protobufjs';
import type { MessageRoot } from '../../document/model';
import type { DocId, TypeCandidate } from '../../api/contract';
import type { DiskStamp, EditableMessage, StreamIndex, ValidationResult } from '../engine';
import type { FlatRows } from '../flat-rows';
import type { DocumentHistory } from './document-history';

/**
 * Which nodes show their children: with `all` false the paths (keys) in `except` are expanded;
 * with `all` true every node is, except those. Expand all is then O(1), and a walk of a fully
 * expanded tree builds no path keys.
 */
export interface ExpandState {
  all: boolean;
  except: Set<string>;
}

/** What a view of a message's current version computed, kept until the version changes. */
export interface ViewCache {
  root: MessageRoot;
  bytes: Uint8Array;
  view: MessageRoot;
  /** True once every nested message of `view` has been decoded (always, when not lazy). */
  complete: boolean;
  /** The visible rows for a layout and filter (a promise while a long walk builds them). */
  flat?: { key: string; rows: Promise<FlatRows> };
  warnings?: ValidationResult;
  /** The same warnings by node id. */
  warningsById?: Map<number, string[]>;
  nodeCount?: number;
  /** The JSON and text format of these bytes, once asked for. */
  text?: Partial<Record<'json' | 'text', string>>;
}

/** One opened message of a document (messages are opened when first shown). */
export interface MessageState {
  /** The current version (the document's history holds the others). */
  doc: EditableMessage;
  /** Whether nested messages decode when first read (big messages, see SessionOptions.lazyAboveBytes). */
  lazy: boolean;
  expand: ExpandState;
  /** "Interpret as" choices of unknown fields, by path key. */
  interpret: Map<string, string>;
  /** Bumped when the expand state or an interpretation changes (the flat rows are then rebuilt). */
  layout: number;
  cache?: ViewCache;
}

/** An open document: a file or dropped bytes, one message or a stream of them. */
export interface OpenDocument {
  id: DocId;
  name: string;
  path: string | null;
  source: Uint8Array;
  index: StreamIndex;
  type: Type | null;
  /** How the type was chosen (none: raw by default). */
  typeSource: 'remembered' | 'detected' | 'recovered' | 'chosen' | null;
  /** A type it was to be read as (remembered or recovered) that no loaded schema has. */
  missingType: string | null;
  candidates: TypeCandidate[];
  messages: Map<number, MessageState>;
  /** The one undo history across the document's messages. */
  history: DocumentHistory;
  /** Bumped on every change the renderer must fetch again. */
  version: number;
  error?: string;
  /** The file's stamp when opened, saved or reloaded (null: not from disk, or unknown). */
  disk: DiskStamp | null;
  /** The changed stamp last reported in a 'file-changed' event (so each change is reported once). */
  diskReported: string | null;
  /** Saves of this document under way (its file is not watched for changes meanwhile: they are its own). */
  saving: number;
  /** A hash of the content `disk` stands for (opened or saved), while it is computed or once known; null: unknown. */
  diskHash: Promise<string | null> | null;
  /** The last stamp whose content was compared by hash, and whether it differed (a poll does not hash it again). */
  diskProbe: { key: string; changed: boolean } | null;
  /** Stops working out the hash of the bytes opened, when that is still under way (the document closed). */
  stopHash?: () => void;
  /** Begins the hash of the bytes opened now, if it was put off (knownHash calls it: whoever awaits the hash gets it). */
  needHash?: () => void;
}

/**
 * Makes sure the hash of a document's bytes as dropped or pasted is known before its source is
 * replaced (a type change reads the current bytes again): the type is remembered for those.
 */
export function hashSourceFirst(d: OpenDocument, hashBytes: ((b: Uint8Array) => Promise<string>) | undefined): void {
  if (!d.path && !d.diskHash && hashBytes) d.diskHash = hashBytes(d.source).catch(() => null);
}

/** Fully-qualified name of a type without the leading dot. */
export function typeName(type: Type): string {
  return type.fullName.replace(/^\./, '');
}
