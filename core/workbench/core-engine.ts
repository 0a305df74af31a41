/**
 * The workbench engine over the core modules: core/document (decode, edits, encode), core/raw
 * (candidate readings), core/stream (framing), core/detect (type ranking), core/format (JSON and
 * text format) and core/validate.
 */
import type { Type } from 'protobufjs';
import { decodeMessage, decodeMessageSteps, type DecodeOptions } from '../document/decode';
import { encodeMessage, encodeParts } from '../document/encode';
import type { EncodedBytes } from '../document/encoded-bytes';
import { applyEdit, updateNode, type Edit, type EditContext } from '../document/edits';
import type { FieldNode, MessageRoot } from '../document/model';
import { childrenAtPath, nodeAtPath } from '../document/tree';
import { readingsOf, type RawReading as CoreReading } from '../raw/raw-readings';
import { detectAndIndex } from '../stream/stream-framing';
import { rankTypes } from '../detect/detect-type';
import { WireWriter } from '../wire/wire-writer';
import { decodeUtf8Lossy, isValidUtf8 } from '../wire/utf8';
import type { NodePath, RawReading, TreeEdit } from '../api/contract';
import type { EditableMessage, OpenOptions, Schemas, StreamIndex, ValidationResult, WorkbenchEngine } from './engine';
import { hexPreview } from './tree-row';
import { hasValidationRules, validateMessage, type Violation } from '../validate';
import { toTextFormat } from './text-adapter';
import { planTextApply } from './text-apply/text-apply';
import type { SchemaRegistry } from '../schema/registry';
import { appendAll } from '../wire/append';

/** Maps a tree edit (from the UI) to core/document edits on a root. */
export function toCoreEdit(root: MessageRoot, edit: TreeEdit): Edit {
  const parentPath = edit.op === 'add-field' ? edit.parent : edit.path.slice(0, -1);
  const last = edit.op === 'add-field' ? -1 : edit.path[edit.path.length - 1];
  const parent = parentPath.length ? nodeAtPath(root, parentPath) : undefined;
  const inPacked = parent?.value.kind === 'packed';
  switch (edit.op) {
    case 'set':
      return inPacked
        ? { op: 'set-packed-element', path: parentPath, index: last, value: edit.value }
        : { op: 'set-value', path: edit.path, value: edit.value };
    case 'remove':
      return inPacked ? { op: 'remove-packed-element', path: parentPath, index: last } : { op: 'remove', path: edit.path };
    case 'add-field':
      return { op: 'add-field', path: edit.parent, fieldNumber: edit.fieldNumber };
    case 'add-element': {
      if (inPacked) return { op: 'insert-packed-element', path: parentPath, index: last + 1 };
      const node = nodeAtPath(root, edit.path);
      if (!node) throw new Error(`no node at ${edit.path.join('.')}`);
      if (node.value.kind === 'packed') return { op: 'insert-packed-element', path: edit.path, index: node.value.elements.length };
      return { op: 'add-field', path: parentPath, fieldNumber: node.fieldNumber, at: last + 1 };
    }
    case 'move': {
      if (inPacked) return { op: 'move-packed-element', path: parentPath, from: last, to: last + edit.delta };
      const siblings = childrenAtPath(root, parentPath) ?? [];
      const n = siblings[last];
      let j = last + edit.delta;
      while (j >= 0 && j < siblings.length && siblings[j].fieldNumber !== n.fieldNumber) j += edit.delta;
      if (j < 0 || j >= siblings.length) throw new Error('it is already the first or last of its field');
      return { op: 'move', path: edit.path, to: j };
    }
    case 'interpret':
      throw new Error('interpret is a view choice, not an edit');
  }
}

/**
 * A `set` of a string field to bytes: exactly those bytes (valid UTF-8 becomes the string, the
 * rest is kept as invalid UTF-8, as a decode keeps it). Null for any other edit.
 */
export function setStringBytes(root: MessageRoot, edit: TreeEdit): MessageRoot | null {
  if (edit.op !== 'set' || !(edit.value instanceof Uint8Array) || edit.path.length === 0) return null;
  const node = nodeAtPath(root, edit.path);
  if (!node || node.field === null || node.value.kind !== 'scalar' || node.value.type !== 'string') return null;
  const bytes = edit.value.slice();
  const value = decodeUtf8Lossy(bytes);
  return updateNode(root, edit.path, (n) => ({
    ...n,
    value: { kind: 'scalar', type: 'string', value, ...(isValidUtf8(bytes) ? {} : { invalidUtf8: bytes }) },
    modified: true,
  }));
}

/**
 * A decoded message as immutable versions driven by tree edits: an edit makes a new version
 * sharing every node it did not touch.
 */
class MessageVersion implements EditableMessage {
  constructor(
    /** The bytes it was decoded from (spans point into them); never modified. */
    readonly source: Uint8Array,
    readonly root: MessageRoot,
    /** The root as decoded, when every version since came from it by edits: encode copies unchanged siblings by reference. */
    private readonly base: MessageRoot | undefined,
    /** Context for edits (type lookup for Any payloads). */
    private readonly context: EditContext,
  ) {}

  /** The first version of a message decoded from `source`. */
  static decoded(source: Uint8Array, root: MessageRoot, context: EditContext): MessageVersion {
    return new MessageVersion(source, root, root.modified ? undefined : root, context);
  }

  edit(edit: TreeEdit): EditableMessage {
    const root = setStringBytes(this.root, edit) ?? applyEdit(this.root, toCoreEdit(this.root, edit), this.context);
    return new MessageVersion(this.source, root, this.base, this.context);
  }
  encode(): Uint8Array {
    return this.root.modified ? encodeMessage(this.root, this.source, this.base) : this.source;
  }
  encodeParts(): EncodedBytes {
    return encodeParts(this.root, this.source, this.base);
  }
  /** A version with another root derived from this one (its kept nodes' spans point into the same source). */
  withRoot(root: MessageRoot): MessageVersion {
    return new MessageVersion(this.source, root, this.base, this.context);
  }
  markModified(paths: readonly NodePath[]): EditableMessage {
    let root = this.root;
    for (const path of paths) {
      try {
        // The same path copying an edit does, changing nothing but the marks.
        root = path.length ? updateNode(root, path, (n) => ({ ...n, modified: true })) : { ...root, modified: true };
      } catch {
        // A path that leads nowhere (the schema changed since): that mark is lost, the bytes are not.
      }
    }
    return root === this.root ? this : MessageVersion.decoded(this.source, root, this.context);
  }
}

function readingPreview(r: CoreReading): string {
  switch (r.type) {
    case 'message':
      return `message {${r.fields.length} fields}`;
    case 'string':
      return JSON.stringify(r.value.length > 60 ? r.value.slice(0, 60) + '…' : r.value);
    case 'bytes':
      return hexPreview(r.value);
    case 'group':
      return `group {${r.fields.length} fields}`;
    case 'packed-varint':
    case 'packed-fixed32':
    case 'packed-fixed64':
      return `[${r.values.slice(0, 8).join(', ')}${r.values.length > 8 ? ', …' : ''}]`;
    default:
      return String(r.value);
  }
}

/**
 * Puts each violation on the node its path names (`items[2].label`, `attrs["k"]`); a path to a
 * missing field lands on the deepest node that exists (the root list when none does).
 */
export function placeViolations(root: MessageRoot, violations: readonly Violation[]): ValidationResult {
  const byNode = new Map<FieldNode, string[]>();
  const top: string[] = [];
  for (const v of violations) {
    const text = `${v.message} (${v.target === 'map-key' ? 'map key ' : ''}${v.rule})`;
    let fields: readonly FieldNode[] = root.fields;
    let at: FieldNode | null = null;
    const re = /([A-Za-z_][\w]*)(?:\[(\d+)\]|\[("(?:[^"\\]|\\.)*"|[^\]]*)\])?/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(v.path))) {
      const [, name, index, key] = m;
      const occ = fields.filter((f) => f.field?.name === name);
      let next: FieldNode | undefined;
      if (index !== undefined) {
        let k = Number(index);
        for (const f of occ) {
          const n = f.value.kind === 'packed' ? f.value.elements.length : 1;
          if (k < n) {
            next = f;
            break;
          }
          k -= n;
        }
      } else if (key !== undefined) {
        const want = key.startsWith('"') ? (JSON.parse(key) as string) : key;
        next = occ.find(
          (f) =>
            f.value.kind === 'message' &&
            f.value.fields.some((e) => e.fieldNumber === 1 && e.value.kind === 'scalar' && String(e.value.value) === want),
        );
      } else next = occ[0];
      if (!next) break;
      at = next;
      fields = childrenAtPath({ type: null, fields: [next], modified: false }, [0]) ?? [];
    }
    if (at) byNode.set(at, [...(byNode.get(at) ?? []), text]);
    else top.push(`${v.path || '(message)'}: ${text}`);
  }
  return { byNode, root: top };
}

/** Whether a type has validation rules anywhere below it (types do not change once loaded). */
const rulesOf = new WeakMap<Type, boolean>();

function hasRules(type: Type | null): boolean {
  if (!type) return false;
  let has = rulesOf.get(type);
  if (has === undefined) rulesOf.set(type, (has = hasValidationRules(type)));
  return has;
}

function decodeOptions({ partial, lazy, maxNodes }: OpenOptions): DecodeOptions {
  return { partial: partial === true, lazy: lazy === true, ...(maxNodes !== undefined ? { limits: { maxNodes } } : {}) };
}

/** Creates the engine over the core modules. */
export function createCoreEngine(): WorkbenchEngine {
  return {
    open(bytes, type, options = {}) {
      const decode = decodeOptions(options);
      return MessageVersion.decoded(bytes, decodeMessage(bytes, type, decode), { resolveType: decode.resolveType });
    },
    *openSteps(bytes, type, options = {}) {
      const decode = decodeOptions(options);
      const root = yield* decodeMessageSteps(bytes, type, decode);
      return MessageVersion.decoded(bytes, root, { resolveType: decode.resolveType });
    },
    decodeView(bytes, type, options = {}) {
      return decodeMessage(bytes, type, decodeOptions({ ...options, partial: true }));
    },
    detect(bytes, schemas: Schemas, limit = 12) {
      return rankTypes(bytes, schemas.messageTypes(), { limit, reasonsFor: 3 }).map((r) => ({
        typeName: r.typeName,
        score: r.score,
        ...(r.reasons?.length ? { reason: r.reasons.join('; ') } : {}),
      }));
    },
    index(bytes): StreamIndex {
      // The message is decoded next, which checks every byte: no whole-file parse just to say how sure 'single' is.
      const { detection: det, index: idx } = detectAndIndex(bytes, { checkSingle: false });
      return {
        framing: det.framing,
        count: Math.max(1, idx.count),
        offsets: idx.count ? idx.offsets : [0],
        lengths: idx.count ? idx.lengths : [bytes.length],
        flags: idx.flags,
        error: idx.error,
      };
    },
    frame(index, messages) {
      if (index.framing === 'single') return [...(messages[0] ?? [])];
      const out: Uint8Array[] = [];
      messages.forEach((parts, i) => {
        const n = parts.reduce((sum, p) => sum + p.length, 0);
        if (index.framing === 'grpc') {
          out.push(new Uint8Array([index.flags?.[i] ?? 0, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]));
        } else {
          out.push(new WireWriter(10).uvarint(n).finish().slice());
        }
        appendAll(out, parts);
      });
      return out;
    },
    readings(node: FieldNode) {
      const rs = readingsOf(node);
      const msg = rs.find((r) => r.type === 'message');
      const readings: RawReading[] = rs.map((r) => ({ as: r.type, preview: readingPreview(r) }));
      return { readings, ...(msg && msg.type === 'message' ? { message: msg.fields } : {}) };
    },
    toText(bytes, type, format, schemas) {
      return toTextFormat(bytes, type, format, schemas);
    },
    applyText(current, text, type, format, schemas) {
      if (!(current instanceof MessageVersion)) throw new TypeError('applyText: not a message version of this engine');
      const plan = planTextApply(current.root, current.source, text, type, format, schemas.registry as SchemaRegistry);
      return { after: plan.root === current.root ? null : current.withRoot(plan.root), changes: plan.changes, warnings: plan.warnings };
    },
    hasRules,
    validate(root) {
      if (!hasRules(root.type)) return { byNode: new Map(), root: [] };
      return placeViolations(root, validateMessage(root));
    },
  };
}
