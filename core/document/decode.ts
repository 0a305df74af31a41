/**
 * Schema-driven decode of protobuf bytes into the document tree (see model.ts). decode checks
 * every byte up front (scan.ts) and builds nodes only as they are read (materialize.ts), each
 * with its byte span, so encode.ts can write unmodified nodes back byte-exact.
 */
import type { Type } from 'protobufjs';
import { DecodeError } from '../wire/decode-error';
import type { DecodeContext, DecodeOptions } from './decode-context';
import { DecodedMessage, checkedMessage, readFields, type CheckedMessage } from './materialize';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits, type FieldNode, type MessageRoot } from './model';
import { scanMessage } from './scan';
import { ScanFacts } from './scan-facts';
import { readRootLevel, type RootLevel } from './root-level';
import { typeInfo, type TypeInfo } from './schema-info';

export type { DecodeOptions } from './decode-context';
export type { CheckedMessage } from './materialize';
export type { RootLevel } from './root-level';

function contextOf(bytes: Uint8Array, options: DecodeOptions): DecodeContext {
  const limits: DecodeLimits = options.limits ? { ...DEFAULT_DECODE_LIMITS, ...options.limits } : DEFAULT_DECODE_LIMITS;
  if (bytes.length > limits.maxBytes) {
    throw new DecodeError(limits.maxBytes, `an input of at most ${limits.maxBytes} bytes (decode limit; input has ${bytes.length})`);
  }
  return {
    buf: bytes,
    limits,
    partial: options.partial === true,
    lazy: options.lazy === true,
    transient: options.transient === true,
    expandAny: options.expandAny !== false,
    resolveType: options.resolveType ?? null,
    nodes: 0,
  };
}

/**
 * The checked bytes behind a root decodeMessage returned (see DecodedMessage.checked): null for
 * other roots (edited, built, decoded lazily or in steps, copies) and for tolerant decodes that stopped.
 */
export function checkedMessageOf(root: MessageRoot): CheckedMessage | null {
  return root instanceof DecodedRoot ? DecodedRoot.checkedOf(root) : null;
}

/** How many top-level nodes built alone a root keeps (several pages of rows). */
const RECENT_NODES = 4096;

/**
 * The top level of a root decodeMessage (or decodeMessageSteps) returned, read from its bytes
 * without building a node per field: for views of a top level of millions of fields. Null for
 * other roots, and when the top level holds a tolerant decode's stop or the root is an Any.
 */
export function rootLevelOf(root: MessageRoot): RootLevel | null {
  return root instanceof DecodedRoot ? DecodedRoot.levelOf(root) : null;
}

/** Top-level field `i` of a root that has a level (see rootLevelOf), built from its bytes when the root's fields are not built. */
export function rootNodeAt(root: MessageRoot, level: RootLevel, i: number): FieldNode {
  return root instanceof DecodedRoot ? DecodedRoot.nodeAt(root, level, i) : root.fields[i];
}

/**
 * A decoded root whose top-level fields are built when first read (an own accessor, like a
 * nested message's). Its DecodedMessage is made then too: a reader that goes to the checked bytes
 * (the fast JSON writer) never needs it.
 */
class DecodedRoot implements MessageRoot {
  readonly modified = false;
  declare readonly error?: DecodeError;
  readonly #ctx: DecodeContext;
  readonly #facts: ScanFacts;
  readonly #info: TypeInfo | null;
  #message: DecodedMessage | null = null;

  constructor(
    readonly type: Type | null,
    ctx: DecodeContext,
    facts: ScanFacts,
    info: TypeInfo | null,
    readonly nextId: number,
  ) {
    this.#ctx = ctx;
    this.#facts = facts;
    this.#info = info;
    if (facts.error) (this as { error?: DecodeError }).error = facts.error;
  }

  /**
   * The top-level nodes, built on first read. A getter on the class, not an own property: a
   * stream of small messages makes a root per message, and defining a property on each cost a
   * third of a scan.
   */
  get fields(): readonly FieldNode[] {
    this.#message ??= new DecodedMessage(this.#ctx, this.#facts, this.#info, 0, this.#ctx.buf.length, 0, 'message');
    return this.#message.read();
  }

  /** The checked bytes behind a root (see checkedMessageOf). */
  static checkedOf(root: DecodedRoot): CheckedMessage | null {
    return checkedMessage(root.#ctx, root.#facts, root.#info, 0, root.#ctx.buf.length, 0);
  }

  #level: RootLevel | null | undefined = undefined;

  /** The root's top level read from its bytes (see rootLevelOf), made once. */
  static levelOf(root: DecodedRoot): RootLevel | null {
    if (root.#level !== undefined) return root.#level;
    const ctx = root.#ctx;
    const facts = root.#facts;
    const info = root.#info;
    const plain = facts.error === null && facts.rawRest === null && !(info?.isAny && ctx.expandAny);
    root.#level = plain ? readRootLevel({ ctx, facts, info, start: 0, end: ctx.buf.length, depth: 0 }) : null;
    return root.#level;
  }

  /** Top-level field `i` of a root with a level: the node the root's fields hold when built, else one built alone from its bytes. */
  static nodeAt(root: DecodedRoot, level: RootLevel, i: number): FieldNode {
    const kept = root.#message?.keptFields();
    if (kept) return kept[i];
    const recent = (root.#built ??= new Map());
    let node = recent.get(i);
    if (node !== undefined) return node;
    const ctx = root.#ctx;
    const out: FieldNode[] = [];
    const end = i + 1 < level.count ? level.starts[i + 1] : ctx.buf.length;
    readFields(ctx, root.#facts, root.#info, 0, level.starts[i], end, 0, out);
    node = out[0];
    if (recent.size === RECENT_NODES) recent.delete(recent.keys().next().value!);
    recent.set(i, node);
    return node;
  }

  /** Top-level nodes built alone, the most recent RECENT_NODES (a page's rows then share their ancestors' nodes). */
  #built: Map<number, FieldNode> | null = null;
}

/**
 * Decodes `bytes` as a message of `type` (null: every field unknown) into a document tree with
 * byte spans. Throws DecodeError (offset, expectation, field path) on malformed input, unless
 * `options.partial`, which returns the fields read so far with `error` set. Every byte is checked
 * here (with `lazy`, nested messages are checked when opened); nodes are built as they are read.
 */
export function decodeMessage(bytes: Uint8Array, type: Type | null, options: DecodeOptions = {}): MessageRoot {
  const ctx = contextOf(bytes, options);
  const info = type ? typeInfo(type) : null;
  const facts = new ScanFacts();
  scanMessage(ctx, facts, info, { messageStart: 0, from: 0, limit: bytes.length, depth: 0, descend: !ctx.lazy, tolerant: ctx.partial });
  facts.trim();
  return new DecodedRoot(type, ctx, facts, info, bytes.length + 1);
}

/**
 * decodeMessage in steps, for a caller that must stay responsive (the top level of a big message
 * can be millions of fields): checks `fieldsPerStep` top-level fields, yields how many bytes it
 * has read, and so on; returns a root like decodeMessage's (nodes built when read; rootLevelOf
 * reads its top level without building them). A caller that stops early just drops the generator.
 */
export function* decodeMessageSteps(
  bytes: Uint8Array,
  type: Type | null,
  options: DecodeOptions = {},
  fieldsPerStep = 20_000,
): Generator<number, MessageRoot, void> {
  const ctx = contextOf(bytes, options);
  const info = type ? typeInfo(type) : null;
  const facts = new ScanFacts();
  const end = bytes.length;
  let pos = 0;
  for (;;) {
    pos = scanMessage(ctx, facts, info, {
      messageStart: 0,
      from: pos,
      limit: end,
      depth: 0,
      descend: !ctx.lazy,
      maxFields: fieldsPerStep,
      tolerant: ctx.partial,
    });
    if (pos >= end) break;
    yield pos;
  }
  facts.trim();
  return new DecodedRoot(type, ctx, facts, info, end + 1);
}
