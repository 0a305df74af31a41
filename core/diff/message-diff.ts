/**
 * Compares two messages of one type (or two schema-less messages) field by field, in tree
 * form (diff-model.ts). Byte ranges are compared first and only fields whose bytes differ are
 * read and descended into, so two large messages that differ in one field cost about one pass
 * of byte comparisons. Values are compared by protobuf semantics: the last occurrence of a
 * singular scalar counts, occurrences of a singular message merge, map entries are keyed, and
 * equal values written differently are encoding differences, not changes.
 */
import type { Type } from 'protobufjs';
import { FieldKind, messageInfo, typeInfo, type FieldInfo, type TypeInfo } from '../document/schema-info';
import { DecodeError } from '../wire/decode-error';
import { decodeUtf8Strict } from '../wire/utf8';
import { align } from './align';
import { crossMoves } from './cross-moves';
import { EMPTY, fits, hasValueChange, join, msgText, push, sameRange, scanContents, side, spanOf, type Ctx } from './diff-context';
import type { DiffKind, DiffNode, MessageDiff } from './diff-model';
import { diffMap } from './map-diff';
import { diffRepeatedScalar, diffSingularScalar } from './scalar-diff';
import { encodingReasons, hexText, isPrintable, rawKey, rawText, wireTypeName } from './values';
import { commonEnds, hashBytes, scanAlike, scanFields, type WireField } from './wire-fields';

/** Options of diffMessages. */
export interface DiffOptions {
  /** The message type of both inputs; null or absent compares them without a schema. */
  type?: Type | null;
  /** Stop listing after this many nodes (default 100,000); the result says it was truncated. */
  maxNodes?: number;
  /** Nested messages deeper than this are compared as bytes (default 100). */
  maxDepth?: number;
}

/** Which input a malformed byte belongs to, with the offset and what was expected there. */
export class DiffInputError extends DecodeError {
  constructor(
    readonly side: 'A' | 'B',
    e: DecodeError,
  ) {
    super(e.offset, e.expected, e.path);
    this.message = `${side}: ${this.message}`;
  }
}

/** Compares two messages (see the module comment); throws DiffInputError when either does not parse at its top level. */
export function diffMessages(a: Uint8Array, b: Uint8Array, options: DiffOptions = {}): MessageDiff {
  const type = options.type ?? null;
  const counts: Record<DiffKind, number> = { added: 0, removed: 0, changed: 0, moved: 0, encoding: 0 };
  const typeName = type ? typeInfo(type).fullName : undefined;
  const ends = commonEnds(a, b);
  if (a.length === b.length && ends.prefix === a.length) return { typeName, identical: true, sameValues: true, nodes: [], counts };
  const guard = <T>(side: 'A' | 'B', read: () => T): T => {
    try {
      return read();
    } catch (e) {
      throw e instanceof DecodeError ? new DiffInputError(side, e) : e;
    }
  };
  const fa = guard('A', () => scanFields(a, 0, a.length));
  // B's fields where its bytes are A's are A's fields: only the part between the common ends is read.
  const fb = guard('B', () => scanAlike(b, fa, ends));
  const ctx: Ctx = {
    a,
    b,
    ends,
    nodes: 0,
    maxNodes: options.maxNodes ?? 100_000,
    maxDepth: options.maxDepth ?? 100,
    truncated: false,
    pair: diffMessagePair,
    unknown: diffUnknown,
  };
  const nodes = diffLevel(ctx, fa, fb, type ? typeInfo(type) : null, '', 0);
  crossMoves(nodes, a, b);
  const count = (list: DiffNode[]) => {
    for (const n of list) {
      counts[n.kind]++;
      if (n.children) count(n.children);
    }
  };
  count(nodes);
  // Past the node limit, what was not listed may differ in value: never claim it does not.
  const sameValues = !ctx.truncated && counts.added + counts.removed + counts.changed + counts.moved === 0;
  return { typeName, identical: false, sameValues, nodes, counts, ...(ctx.truncated ? { truncated: true } : {}) };
}

function groupByNumber(fields: readonly WireField[]): Map<number, WireField[]> {
  const m = new Map<number, WireField[]>();
  for (const f of fields) {
    const list = m.get(f.num);
    if (list) list.push(f);
    else m.set(f.num, [f]);
  }
  return m;
}

/** Field numbers in wire order, runs collapsed, keeping only those in `keep`. */
function orderOf(fields: readonly WireField[], keep: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (const f of fields) if (keep.has(f.num) && out[out.length - 1] !== f.num) out.push(f.num);
  return out;
}

/** The differences between two lists of fields of one message level. */
function diffLevel(
  ctx: Ctx,
  fa: readonly WireField[],
  fb: readonly WireField[],
  info: TypeInfo | null,
  path: string,
  depth: number,
): DiffNode[] {
  const out: DiffNode[] = [];
  const ga = groupByNumber(fa);
  const gb = groupByNumber(fb);
  const common = new Set([...ga.keys()].filter((n) => gb.has(n)));
  const oa = orderOf(fa, common);
  const ob = orderOf(fb, common);
  if (oa.join(',') !== ob.join(',')) {
    push(ctx, out, {
      kind: 'encoding',
      path: path || '(message)',
      fieldNumber: 0,
      encoding: [`fields in another order: ${oa.join(', ')} in A, ${ob.join(', ')} in B`],
    });
  }
  const numbers = [...new Set([...ga.keys(), ...gb.keys()])].sort((x, y) => x - y);
  for (const num of numbers) {
    const occA = ga.get(num) ?? EMPTY;
    const occB = gb.get(num) ?? EMPTY;
    const fi = info?.byNumber.get(num);
    if (!fi) {
      diffUnknown(ctx, out, occA, occB, join(path, String(num)), num, depth);
      continue;
    }
    // Occurrences with the wire type the schema expects (nearly always all of them: no copy then).
    const known = (l: readonly WireField[]) => (l.every((f) => fits(fi, f)) ? l : l.filter((f) => fits(fi, f)));
    const ka = known(occA);
    const kb = known(occB);
    const odd = (l: readonly WireField[], k: readonly WireField[]) => (k === l ? EMPTY : l.filter((f) => !fits(fi, f)));
    const fpath = join(path, fi.name);
    if (ka.length || kb.length) {
      switch (fi.kind) {
        case FieldKind.SCALAR:
          if (fi.field.repeated) diffRepeatedScalar(ctx, out, fi, ka, kb, fpath);
          else diffSingularScalar(ctx, out, fi, ka, kb, fpath);
          break;
        case FieldKind.MAP:
          diffMap(ctx, out, fi, ka, kb, fpath, depth);
          break;
        default:
          if (fi.field.repeated) diffRepeatedMessages(ctx, out, fi, ka, kb, fpath, depth);
          else diffSingularMessage(ctx, out, fi, ka, kb, fpath, depth);
      }
    }
    const xa = odd(occA, ka);
    const xb = odd(occB, kb);
    if (xa.length || xb.length)
      diffUnknown(ctx, out, xa, xb, `${fpath}(${fi.wireType === 2 ? 'len' : wireTypeName(fi.wireType)} expected)`, num, depth);
  }
  return out;
}

/** Compares two messages' contents; pushes one node for them (kind changed or encoding) when they differ. */
function diffMessagePair(
  ctx: Ctx,
  out: DiffNode[],
  info: TypeInfo | null,
  occA: readonly WireField[],
  occB: readonly WireField[],
  path: string,
  depth: number,
  base: Omit<DiffNode, 'kind' | 'path'>,
): void {
  const fa = occA[occA.length - 1];
  const fb = occB[occB.length - 1];
  const typeName = info?.fullName;
  const sides = { a: side(msgText(fa, undefined), fa), b: side(msgText(fb, undefined), fb) };
  const reasons: string[] = [];
  if (occA.length !== occB.length) reasons.push(`in ${occA.length} occurrences in A and ${occB.length} in B (merged)`);
  const contentsEqual =
    occA.length === occB.length && occA.every((x, i) => sameRange(ctx, x.valueStart, x.valueEnd, occB[i].valueStart, occB[i].valueEnd));
  if (contentsEqual) {
    for (let i = 0; i < occA.length; i++)
      for (const r of encodingReasons(ctx.a, occA[i], ctx.b, occB[i])) if (!reasons.includes(r)) reasons.push(r);
    if (reasons.length) push(ctx, out, { ...base, ...sides, kind: 'encoding', path, encoding: reasons });
    return;
  }
  if (depth >= ctx.maxDepth) {
    push(ctx, out, { ...base, ...sides, kind: 'changed', path, encoding: [`nested deeper than ${ctx.maxDepth}: compared as bytes`] });
    return;
  }
  const ca = scanContents(ctx.a, occA);
  const cb = scanContents(ctx.b, occB);
  if (typeof ca === 'string' || typeof cb === 'string') {
    const why = typeof ca === 'string' ? `A ${ca}` : `B ${cb}`;
    push(ctx, out, {
      ...base,
      kind: 'changed',
      path,
      a: side(hexText(ctx.a, fa.valueStart, fa.valueEnd), fa),
      b: side(hexText(ctx.b, fb.valueStart, fb.valueEnd), fb),
      encoding: [`${typeName ? `not a valid ${typeName}` : 'not a message'}: ${why}; compared as bytes`],
    });
    return;
  }
  const children = diffLevel(ctx, ca, cb, info, path, depth + 1);
  if (!children.length && !reasons.length) {
    for (let i = 0; i < Math.min(occA.length, occB.length); i++) {
      for (const r of encodingReasons(ctx.a, occA[i], ctx.b, occB[i])) if (!reasons.includes(r)) reasons.push(r);
    }
  }
  if (!children.length && !reasons.length) return;
  push(ctx, out, {
    ...base,
    ...sides,
    kind: hasValueChange(children) ? 'changed' : 'encoding',
    path,
    ...(reasons.length ? { encoding: reasons } : {}),
    ...(children.length ? { children } : {}),
  });
}

function diffSingularMessage(
  ctx: Ctx,
  out: DiffNode[],
  fi: FieldInfo,
  occA: readonly WireField[],
  occB: readonly WireField[],
  path: string,
  depth: number,
): void {
  const info = messageInfo(fi);
  const base = { fieldNumber: fi.field.id, type: info.fullName };
  if (!occA.length || !occB.length) {
    const [f, which] = occA.length ? [occA[occA.length - 1], 'a'] : [occB[occB.length - 1], 'b'];
    push(ctx, out, { ...base, kind: occA.length ? 'removed' : 'added', path, [which]: side(msgText(f, info.fullName), f) });
    return;
  }
  diffMessagePair(ctx, out, info, occA, occB, path, depth, base);
}

function diffRepeatedMessages(
  ctx: Ctx,
  out: DiffNode[],
  fi: FieldInfo,
  occA: readonly WireField[],
  occB: readonly WireField[],
  path: string,
  depth: number,
): void {
  const info = messageInfo(fi);
  const base = { fieldNumber: fi.field.id, type: info.fullName };
  const children: DiffNode[] = [];
  diffSequence(
    ctx,
    children,
    occA,
    occB,
    path,
    base,
    (a, b, p) => diffMessagePair(ctx, children, info, [a], [b], p, depth, base),
    (f) => msgText(f, info.fullName),
  );
  if (children.length) {
    push(ctx, out, {
      ...base,
      kind: hasValueChange(children) ? 'changed' : 'encoding',
      path,
      a: occA.length ? { text: `${occA.length} elements`, span: spanOf(occA) } : undefined,
      b: occB.length ? { text: `${occB.length} elements`, span: spanOf(occB) } : undefined,
      children,
    });
  }
}

/**
 * Aligns two lists of LEN/group occurrences by their value bytes and reports each element:
 * `pair` compares two elements that sit at corresponding positions but differ.
 */
function diffSequence(
  ctx: Ctx,
  out: DiffNode[],
  occA: readonly WireField[],
  occB: readonly WireField[],
  path: string,
  base: Omit<DiffNode, 'kind' | 'path'>,
  pair: (a: WireField, b: WireField, path: string) => void,
  text: (f: WireField, buf: Uint8Array) => string,
  keyOf?: (buf: Uint8Array, f: WireField) => string,
  indexed = true,
): void {
  const at = (i: number) => (indexed ? `${path}[${i}]` : path);
  const typed = (f: WireField) => (keyOf ? { ...base, type: wireTypeName(f.wt) } : base);
  const eq = (i: number, j: number) => {
    const x = occA[i];
    const y = occB[j];
    if (keyOf)
      return (
        x.wt === y.wt &&
        (x.wt === 0 ? keyOf(ctx.a, x) === keyOf(ctx.b, y) : sameRange(ctx, x.valueStart, x.valueEnd, y.valueStart, y.valueEnd))
      );
    return sameRange(ctx, x.valueStart, x.valueEnd, y.valueStart, y.valueEnd);
  };
  const hash = (buf: Uint8Array, f: WireField) => (keyOf ? keyOf(buf, f) : hashBytes(buf, f.valueStart, f.valueEnd));
  const ops = align({
    lengthA: occA.length,
    lengthB: occB.length,
    equal: eq,
    hashA: (i) => hash(ctx.a, occA[i]),
    hashB: (j) => hash(ctx.b, occB[j]),
    // Equal values: only the tag, the length prefix or a varint's width can differ; keep those pairs only.
    keepSame: (i, j) => {
      const x = occA[i];
      const y = occB[j];
      return !(
        x.wt === y.wt &&
        x.tagEnd - x.tagStart === y.tagEnd - y.tagStart &&
        x.valueStart - x.tagEnd === y.valueStart - y.tagEnd &&
        x.valueEnd - x.valueStart === y.valueEnd - y.valueStart
      );
    },
  });
  for (const op of ops) {
    if (op.op === 'same') {
      const x = occA[op.a];
      const y = occB[op.b];
      const reasons = encodingReasons(ctx.a, x, ctx.b, y);
      if (reasons.length)
        push(ctx, out, {
          ...typed(occB[op.b]),
          kind: 'encoding',
          path: at(op.b),
          a: side(text(occA[op.a], ctx.a), occA[op.a]),
          b: side(text(occB[op.b], ctx.b), occB[op.b]),
          encoding: reasons,
        });
    } else if (op.op === 'paired') {
      pair(occA[op.a], occB[op.b], at(op.b));
    } else if (op.op === 'moved') {
      const x = occA[op.a];
      const y = occB[op.b];
      push(ctx, out, {
        ...typed(y),
        kind: 'moved',
        path: at(op.b),
        from: at(op.a),
        to: at(op.b),
        a: side(text(x, ctx.a), x),
        b: side(text(y, ctx.b), y),
      });
    } else if (op.op === 'removed') {
      push(ctx, out, { ...typed(occA[op.a]), kind: 'removed', path: at(op.a), a: side(text(occA[op.a], ctx.a), occA[op.a]) });
    } else {
      push(ctx, out, { ...typed(occB[op.b]), kind: 'added', path: at(op.b), b: side(text(occB[op.b], ctx.b), occB[op.b]) });
    }
  }
}

/** Whether a LEN value reads better as a nested message than as text or bytes (schema-less comparison). */
function looksLikeMessage(buf: Uint8Array, f: WireField): boolean {
  if (f.valueEnd === f.valueStart) return false;
  const s = decodeUtf8Strict(buf, f.valueStart, f.valueEnd);
  if (s !== null && isPrintable(s)) return false;
  try {
    scanFields(buf, f.valueStart, f.valueEnd);
    return true;
  } catch {
    return false;
  }
}

/** Fields with no schema field (or read without a schema): compared by raw value, LEN values that parse descended into. */
function diffUnknown(
  ctx: Ctx,
  out: DiffNode[],
  occA: readonly WireField[],
  occB: readonly WireField[],
  path: string,
  num: number,
  depth: number,
): void {
  const base = { fieldNumber: num, unknown: true as const };
  const typeOf = (f: WireField) => wireTypeName(f.wt);
  const pair = (x: WireField, y: WireField, p: string) => {
    const b2 = { ...base, type: x.wt === y.wt ? typeOf(x) : `${typeOf(x)}/${typeOf(y)}` };
    const nested = x.wt === y.wt && (x.wt === 3 || (x.wt === 2 && looksLikeMessage(ctx.a, x) && looksLikeMessage(ctx.b, y)));
    if (nested) diffMessagePair(ctx, out, null, [x], [y], p, depth, b2);
    else push(ctx, out, { ...b2, kind: 'changed', path: p, a: side(rawText(ctx.a, x), x), b: side(rawText(ctx.b, y), y) });
  };
  const single = occA.length <= 1 && occB.length <= 1;
  diffSequence(ctx, out, occA, occB, path, base, pair, (f, buf) => rawText(buf, f), rawKey, !single);
}
