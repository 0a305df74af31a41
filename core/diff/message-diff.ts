/**
 * Compares two messages of one type (or two schema-less messages) field by field, in tree
 * form (diff-model.ts). Byte ranges are compared first and only fields whose bytes differ are
 * read and descended into, so two large messages that differ in one field cost about one pass
 * of byte comparisons. Values are compared by protobuf semantics: the last occurrence of a
 * singular scalar counts, occurrences of a singular message merge, map entries are keyed, and
 * equal values written differently are encoding differences, not changes.
 */
import type { Enum, Type } from 'protobufjs';
import { FieldKind, messageInfo, typeInfo, type FieldInfo, type TypeInfo } from '../document/schema-info';
import { DecodeError } from '../wire/decode-error';
import { align } from './align';
import { crossMoves } from './cross-moves';
import type { DiffKind, DiffNode, DiffSide, MessageDiff } from './diff-model';
import { bytesEqual, commonEnds, hashBytes, scanAlike, scanFields, type CommonEnds, type WireField } from './wire-fields';
import {
  byBytes,
  encodingReasons,
  hexText,
  isPrintable,
  rawKey,
  rawText,
  readPacked,
  readScalar,
  wireTypeName,
  type ReadValue,
} from './values';
import { decodeUtf8Strict } from '../wire/utf8';

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

interface Ctx {
  a: Uint8Array;
  b: Uint8Array;
  /** Where the inputs share bytes at their ends (ranges there need no comparison). */
  ends: CommonEnds;
  nodes: number;
  maxNodes: number;
  maxDepth: number;
  truncated: boolean;
}

const EMPTY: WireField[] = [];

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
  const ctx: Ctx = { a, b, ends, nodes: 0, maxNodes: options.maxNodes ?? 100_000, maxDepth: options.maxDepth ?? 100, truncated: false };
  const nodes = diffLevel(ctx, fa, fb, type ? typeInfo(type) : null, '', 0);
  crossMoves(nodes, a, b);
  const count = (list: DiffNode[]) => {
    for (const n of list) {
      counts[n.kind]++;
      if (n.children) count(n.children);
    }
  };
  count(nodes);
  const sameValues = counts.added + counts.removed + counts.changed + counts.moved === 0;
  return { typeName, identical: false, sameValues, nodes, counts, ...(ctx.truncated ? { truncated: true } : {}) };
}

/** Whether A[as, ae) and B[bs, be) hold the same bytes: known at once inside the inputs' common ends. */
function sameRange(ctx: Ctx, as: number, ae: number, bs: number, be: number): boolean {
  if (ae - as !== be - bs) return false;
  const { prefix, sufA, delta } = ctx.ends;
  if (as === bs && ae <= prefix) return true;
  if (as >= sufA && bs - as === delta) return true;
  return bytesEqual(ctx.a, as, ae, ctx.b, bs, be);
}

/** Adds a node unless the node limit is reached. */
function push(ctx: Ctx, list: DiffNode[], node: DiffNode): void {
  if (ctx.nodes >= ctx.maxNodes) {
    ctx.truncated = true;
    return;
  }
  ctx.nodes++;
  list.push(node);
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);
const side = (text: string, f: WireField): DiffSide => ({ text, span: { start: f.tagStart, valueStart: f.valueStart, end: f.end } });
const hasValueChange = (nodes: readonly DiffNode[]) => nodes.some((n) => n.kind !== 'encoding');
const msgText = (f: WireField, typeName?: string) => `${typeName ? `${typeName} ` : ''}{…} (${f.valueEnd - f.valueStart} bytes)`;

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

/** Whether a field occurrence has the wire type its schema field expects (LEN also for packable repeated scalars). */
function fits(fi: FieldInfo, f: WireField): boolean {
  return f.wt === fi.wireType || (fi.packable && f.wt === 2);
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

function enumOf(fi: FieldInfo): Enum | undefined {
  return fi.scalar === 'enum' ? (fi.field.resolvedType as Enum) : undefined;
}

function diffSingularScalar(
  ctx: Ctx,
  out: DiffNode[],
  fi: FieldInfo,
  occA: readonly WireField[],
  occB: readonly WireField[],
  path: string,
): void {
  const type = fi.scalar!;
  const la = occA[occA.length - 1];
  const lb = occB[occB.length - 1];
  const base = { path, fieldNumber: fi.field.id, type: type === 'enum' ? (enumOf(fi)?.fullName.replace(/^\./, '') ?? 'enum') : type };
  const va = la && readScalar(ctx.a, la, type, enumOf(fi));
  const vb = lb && readScalar(ctx.b, lb, type, enumOf(fi));
  if (!la || !lb) {
    const [f, v, which] = la ? ([la, va!, 'a'] as const) : ([lb, vb!, 'b'] as const);
    if (!fi.field.hasPresence && v.isDefault) {
      push(ctx, out, {
        ...base,
        kind: 'encoding',
        [which]: side(v.text, f),
        encoding: [`the default value written explicitly in ${la ? 'A' : 'B'} (the same as absent)`],
      });
    } else {
      push(ctx, out, { ...base, kind: la ? 'removed' : 'added', [which]: side(v.text, f) });
    }
    return;
  }
  const equal = byBytes(type) ? sameRange(ctx, la.valueStart, la.valueEnd, lb.valueStart, lb.valueEnd) : va!.key === vb!.key;
  if (!equal) {
    push(ctx, out, { ...base, kind: 'changed', a: side(va!.text, la), b: side(vb!.text, lb) });
    return;
  }
  const reasons: string[] = [];
  if (occA.length !== occB.length) reasons.push(`written ${occA.length} times in A and ${occB.length} in B (the last one counts)`);
  else {
    for (let i = 0; i < occA.length; i++) {
      if (i < occA.length - 1) {
        const ea = readScalar(ctx.a, occA[i], type);
        const eb = readScalar(ctx.b, occB[i], type);
        if (ea.key !== eb.key) {
          reasons.push('earlier occurrences (overridden by the last one) differ');
          break;
        }
      }
      for (const r of encodingReasons(ctx.a, occA[i], ctx.b, occB[i])) if (!reasons.includes(r)) reasons.push(r);
    }
  }
  if (reasons.length) push(ctx, out, { ...base, kind: 'encoding', a: side(va!.text, la), b: side(vb!.text, lb), encoding: reasons });
}

/** A repeated scalar element with where it sits. */
interface Element extends ReadValue {
  start: number;
  valueStart: number;
  end: number;
  packed: boolean;
}

function elementsOf(buf: Uint8Array, fi: FieldInfo, occ: readonly WireField[]): Element[] | string {
  const out: Element[] = [];
  for (const f of occ) {
    if (f.wt === 2 && fi.packable) {
      const run = readPacked(buf, f.valueStart, f.valueEnd, fi.scalar!, enumOf(fi));
      if (!run) return `a packed run at byte ${f.tagStart} does not split into ${fi.scalar} values`;
      for (const e of run) out.push({ ...e, valueStart: e.start, packed: true });
    } else {
      out.push({ ...readScalar(buf, f, fi.scalar!, enumOf(fi)), start: f.tagStart, valueStart: f.valueStart, end: f.end, packed: false });
    }
  }
  return out;
}

function layout(occ: readonly WireField[], fi: FieldInfo): string {
  const runs = occ.filter((f) => f.wt === 2 && fi.packable).length;
  const single = occ.length - runs;
  if (runs && single) return `${runs} packed run${runs > 1 ? 's' : ''} and ${single} unpacked`;
  return runs ? `packed in ${runs} run${runs > 1 ? 's' : ''}` : 'unpacked';
}

function diffRepeatedScalar(
  ctx: Ctx,
  out: DiffNode[],
  fi: FieldInfo,
  occA: readonly WireField[],
  occB: readonly WireField[],
  path: string,
): void {
  const type = fi.scalar!;
  const base = { fieldNumber: fi.field.id, type };
  const ea = elementsOf(ctx.a, fi, occA);
  const eb = elementsOf(ctx.b, fi, occB);
  if (typeof ea === 'string' || typeof eb === 'string') {
    // Not readable as the schema says: compare the occurrences as raw fields.
    diffUnknown(ctx, out, occA, occB, path, fi.field.id, 0);
    return;
  }
  const eq = byBytes(type)
    ? (i: number, j: number) => sameRange(ctx, ea[i].valueStart, ea[i].end, eb[j].valueStart, eb[j].end)
    : (i: number, j: number) => ea[i].key === eb[j].key;
  let widths = 0;
  const ops = align({
    lengthA: ea.length,
    lengthB: eb.length,
    equal: eq,
    hashA: (i) => ea[i].key,
    hashB: (j) => eb[j].key,
    keepSame: (i, j) => {
      if (ea[i].end - ea[i].valueStart !== eb[j].end - eb[j].valueStart) widths++;
      return false;
    },
  });
  const children: DiffNode[] = [];
  const sp = (e: Element) => ({ text: e.text, span: { start: e.start, valueStart: e.valueStart, end: e.end } });
  for (const op of ops) {
    if (op.op === 'same') {
      continue;
    } else if (op.op === 'paired') {
      push(ctx, children, { ...base, kind: 'changed', path: `${path}[${op.b}]`, a: sp(ea[op.a]), b: sp(eb[op.b]) });
    } else if (op.op === 'moved') {
      push(ctx, children, {
        ...base,
        kind: 'moved',
        path: `${path}[${op.b}]`,
        from: `${path}[${op.a}]`,
        to: `${path}[${op.b}]`,
        a: sp(ea[op.a]),
        b: sp(eb[op.b]),
      });
    } else if (op.op === 'removed') {
      push(ctx, children, { ...base, kind: 'removed', path: `${path}[${op.a}]`, a: sp(ea[op.a]) });
    } else {
      push(ctx, children, { ...base, kind: 'added', path: `${path}[${op.b}]`, b: sp(eb[op.b]) });
    }
  }
  const reasons: string[] = [];
  const la = layout(occA, fi);
  const lb = layout(occB, fi);
  if (occA.length && occB.length && la !== lb) reasons.push(`${la} in A, ${lb} in B`);
  if (widths) reasons.push(`${widths} element${widths > 1 ? 's' : ''} written in a different number of bytes`);
  if (!reasons.length && !children.length && occA.length === occB.length) {
    for (let i = 0; i < occA.length; i++)
      for (const r of encodingReasons(ctx.a, occA[i], ctx.b, occB[i])) if (!reasons.includes(r)) reasons.push(r);
  }
  if (children.length || reasons.length) {
    push(ctx, out, {
      ...base,
      kind: children.length ? 'changed' : 'encoding',
      path,
      a: occA.length ? { text: `${ea.length} values`, span: spanOf(occA) } : undefined,
      b: occB.length ? { text: `${eb.length} values`, span: spanOf(occB) } : undefined,
      ...(reasons.length ? { encoding: reasons } : {}),
      ...(children.length ? { children } : {}),
    });
  }
}

function spanOf(occ: readonly WireField[]) {
  return { start: occ[0].tagStart, valueStart: occ[0].valueStart, end: occ[occ.length - 1].end };
}

/** Scans the contents of message occurrences (merged, as protobuf merges them); a string says why they do not parse. */
function scanContents(buf: Uint8Array, occ: readonly WireField[]): WireField[] | string {
  const out: WireField[] = [];
  try {
    for (const f of occ) scanFields(buf, f.valueStart, f.valueEnd, out);
    return out;
  } catch (e) {
    if (e instanceof DecodeError) return e.message;
    throw e;
  }
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

function diffMap(
  ctx: Ctx,
  out: DiffNode[],
  fi: FieldInfo,
  occA: readonly WireField[],
  occB: readonly WireField[],
  path: string,
  depth: number,
): void {
  const entry = messageInfo(fi);
  const keyInfo = entry.byNumber.get(1)!;
  const valueInfo = entry.byNumber.get(2)!;
  const base = {
    fieldNumber: fi.field.id,
    type: `map<${keyInfo.scalar}, ${valueInfo.scalar ?? valueInfo.messageType?.fullName.replace(/^\./, '')}>`,
  };
  interface MapItem {
    key: ReadValue;
    value?: WireField;
    entry: WireField;
  }
  const read = (buf: Uint8Array, occ: readonly WireField[]): (Map<string, MapItem> & { dups: string[]; order: string[] }) | null => {
    const items = new Map<string, MapItem>() as Map<string, MapItem> & { dups: string[]; order: string[] };
    items.dups = [];
    items.order = [];
    for (const f of occ) {
      const fields = scanContents(buf, [f]);
      if (typeof fields === 'string') return null;
      const k = fields.filter((x) => x.num === 1 && x.wt === keyInfo.wireType).pop();
      const v = fields.filter((x) => x.num === 2 && fits(valueInfo, x)).pop();
      const key = k
        ? readScalar(buf, k, keyInfo.scalar!)
        : {
            key: keyInfo.scalar === 'string' ? 'L0:2166136261' : '0',
            text: keyInfo.scalar === 'string' ? '""' : keyInfo.scalar === 'bool' ? 'false' : '0',
            isDefault: true,
          };
      const id = keyInfo.scalar === 'string' ? key.text : key.key;
      if (items.has(id)) items.dups.push(key.text);
      else items.order.push(id);
      items.set(id, { key, value: v, entry: f });
    }
    return items;
  };
  const ma = read(ctx.a, occA);
  const mb = read(ctx.b, occB);
  if (!ma || !mb) {
    diffUnknown(ctx, out, occA, occB, path, fi.field.id, depth);
    return;
  }
  const children: DiffNode[] = [];
  const valueText = (buf: Uint8Array, it: MapItem) =>
    !it.value
      ? '(default)'
      : valueInfo.scalar
        ? readScalar(buf, it.value, valueInfo.scalar, enumOf(valueInfo)).text
        : msgText(it.value, messageInfo(valueInfo).fullName);
  for (const id of [...new Set([...mb.order, ...ma.order])]) {
    const x = ma.get(id);
    const y = mb.get(id);
    const p = `${path}[${(x ?? y)!.key.text}]`;
    if (!x || !y) {
      const it = (x ?? y)!;
      push(ctx, children, {
        ...base,
        kind: x ? 'removed' : 'added',
        path: p,
        [x ? 'a' : 'b']: side(valueText(x ? ctx.a : ctx.b, it), it.entry),
      });
      continue;
    }
    if (sameRange(ctx, x.entry.valueStart, x.entry.valueEnd, y.entry.valueStart, y.entry.valueEnd)) continue;
    if (valueInfo.kind === FieldKind.MESSAGE && x.value && y.value) {
      diffMessagePair(ctx, children, messageInfo(valueInfo), [x.value], [y.value], p, depth + 1, base);
      continue;
    }
    const va = valueText(ctx.a, x);
    const vb = valueText(ctx.b, y);
    const same = valueInfo.scalar
      ? x.value && y.value
        ? byBytes(valueInfo.scalar)
          ? sameRange(ctx, x.value.valueStart, x.value.valueEnd, y.value.valueStart, y.value.valueEnd)
          : readScalar(ctx.a, x.value, valueInfo.scalar).key === readScalar(ctx.b, y.value, valueInfo.scalar).key
        : (x.value ? readScalar(ctx.a, x.value, valueInfo.scalar).isDefault : true) &&
          (y.value ? readScalar(ctx.b, y.value, valueInfo.scalar).isDefault : true)
      : false;
    push(ctx, children, {
      ...base,
      kind: same ? 'encoding' : 'changed',
      path: p,
      a: side(va, x.entry),
      b: side(vb, y.entry),
      ...(same ? { encoding: ['the entry is written differently'] } : {}),
    });
  }
  const reasons: string[] = [];
  const commonA = ma.order.filter((k) => mb.has(k));
  const commonB = mb.order.filter((k) => ma.has(k));
  if (commonA.join('\u0000') !== commonB.join('\u0000')) reasons.push('entries in another order');
  if (ma.dups.length)
    reasons.push(`key${ma.dups.length > 1 ? 's' : ''} ${ma.dups.join(', ')} written more than once in A (the last one counts)`);
  if (mb.dups.length)
    reasons.push(`key${mb.dups.length > 1 ? 's' : ''} ${mb.dups.join(', ')} written more than once in B (the last one counts)`);
  if (children.length || reasons.length) {
    push(ctx, out, {
      ...base,
      kind: hasValueChange(children) ? 'changed' : 'encoding',
      path,
      ...(reasons.length ? { encoding: reasons } : {}),
      ...(children.length ? { children } : {}),
    });
  }
}
