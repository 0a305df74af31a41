/**
 * Schema-driven decode of protobuf bytes into the document tree (see model.ts). decode checks
 * every byte up front (scan.ts) and builds nodes only as they are read (materialize.ts), each
 * with its byte span, so encode.ts can write unmodified nodes back byte-exact.
 */
import type { Type } from 'protobufjs';
import { DecodeError } from '../wire/decode-error';
import type { DecodeContext, DecodeOptions } from './decode-context';
import { DecodedMessage, checkedMessage, expandAnyPayload, readFields, type CheckedMessage } from './materialize';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits, type FieldNode, type MessageRoot } from './model';
import { scanMessage } from './scan';
import { ScanFacts } from './scan-facts';
import { typeInfo, type TypeInfo } from './schema-info';

export type { DecodeOptions } from './decode-context';
export type { CheckedMessage } from './materialize';

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

/**
 * A decoded root whose top-level fields are built when first read (an own accessor, like a
 * nested message's). Its DecodedMessage is made then too: a reader that goes to the checked bytes
 * (the fast JSON writer) never needs it.
 */
class DecodedRoot implements MessageRoot {
  declare readonly fields: readonly FieldNode[];
  readonly modified = false;
  declare readonly error?: DecodeError;
  readonly #ctx: DecodeContext;
  readonly #facts: ScanFacts;
  readonly #info: TypeInfo | null;
  #message: DecodedMessage | null = null;

  /** The `fields` accessor every root gets (one shared descriptor, no closure per root). */
  static readonly #FIELDS: PropertyDescriptor = {
    get(this: DecodedRoot) {
      this.#message ??= new DecodedMessage(this.#ctx, this.#facts, this.#info, 0, this.#ctx.buf.length, 0, 'message');
      return this.#message.read();
    },
    enumerable: true,
    configurable: true,
  };

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
    Object.defineProperty(this, 'fields', DecodedRoot.#FIELDS);
    if (facts.error) (this as { error?: DecodeError }).error = facts.error;
  }

  /** The checked bytes behind a root (see checkedMessageOf). */
  static checkedOf(root: DecodedRoot): CheckedMessage | null {
    return checkedMessage(root.#ctx, root.#facts, root.#info, 0, root.#ctx.buf.length, 0);
  }
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
 * can be millions of fields): checks and builds `fieldsPerStep` top-level fields, yields how many
 * bytes it has read, and so on; returns a root equal to decodeMessage's, its top level already
 * built. A caller that stops early just drops the generator.
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
  const fields: FieldNode[] = [];
  const end = bytes.length;
  let pos = 0;
  for (;;) {
    const from = pos;
    pos = scanMessage(ctx, facts, info, {
      messageStart: 0,
      from,
      limit: end,
      depth: 0,
      descend: !ctx.lazy,
      maxFields: fieldsPerStep,
      tolerant: ctx.partial,
    });
    readFields(ctx, facts, info, 0, from, pos, 0, fields);
    if (pos >= end) break;
    yield pos;
  }
  facts.trim();
  if (info?.isAny && ctx.expandAny) expandAnyPayload(ctx, info, fields, 0);
  const root: MessageRoot = facts.error
    ? { type, fields, modified: false, error: facts.error, nextId: end + 1 }
    : { type, fields, modified: false, nextId: end + 1 };
  return root;
}
