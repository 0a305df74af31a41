/** What the parts of the message diff share while comparing: the inputs, limits, and small helpers. */
import type { Enum } from 'protobufjs';
import type { FieldInfo, TypeInfo } from '../document/schema-info';
import { DecodeError } from '../wire/decode-error';
import type { DiffNode, DiffSide } from './diff-model';
import { bytesEqual, scanFields, type CommonEnds, type WireField } from './wire-fields';

/** One comparison's state, and the comparisons the field kinds hand nested work to. */
export interface Ctx {
  a: Uint8Array;
  b: Uint8Array;
  /** Where the inputs share bytes at their ends (ranges there need no comparison). */
  ends: CommonEnds;
  nodes: number;
  maxNodes: number;
  maxDepth: number;
  truncated: boolean;
  /** Compares two messages' contents (see message-diff.ts). */
  pair(
    ctx: Ctx,
    out: DiffNode[],
    info: TypeInfo | null,
    occA: readonly WireField[],
    occB: readonly WireField[],
    path: string,
    depth: number,
    base: Omit<DiffNode, 'kind' | 'path'>,
  ): void;
  /** Compares fields by raw value (see message-diff.ts). */
  unknown(
    ctx: Ctx,
    out: DiffNode[],
    occA: readonly WireField[],
    occB: readonly WireField[],
    path: string,
    num: number,
    depth: number,
  ): void;
}

/** An empty occurrence list. */
export const EMPTY: readonly WireField[] = [];

/** Whether A[as, ae) and B[bs, be) hold the same bytes: known at once inside the inputs' common ends. */
export function sameRange(ctx: Ctx, as: number, ae: number, bs: number, be: number): boolean {
  if (ae - as !== be - bs) return false;
  const { prefix, sufA, delta } = ctx.ends;
  if (as === bs && ae <= prefix) return true;
  if (as >= sufA && bs - as === delta) return true;
  return bytesEqual(ctx.a, as, ae, ctx.b, bs, be);
}

/**
 * Adds a node unless the node limit is reached; a node holding children already listed is
 * added past it (else they would hang from nothing, and a level of removals would read as none).
 */
export function push(ctx: Ctx, list: DiffNode[], node: DiffNode): void {
  if (ctx.nodes >= ctx.maxNodes && !node.children?.length) {
    ctx.truncated = true;
    return;
  }
  ctx.nodes++;
  list.push(node);
}

/** A child path. */
export const join = (path: string, name: string) => (path ? `${path}.${name}` : name);
/** One side of a difference: printed value and span. */
export const side = (text: string, f: WireField): DiffSide => ({ text, span: { start: f.tagStart, valueStart: f.valueStart, end: f.end } });
/** Whether any node is more than an encoding difference. */
export const hasValueChange = (nodes: readonly DiffNode[]) => nodes.some((n) => n.kind !== 'encoding');
/** A message value, printed. */
export const msgText = (f: WireField, typeName?: string) => `${typeName ? `${typeName} ` : ''}{…} (${f.valueEnd - f.valueStart} bytes)`;

/** Whether a field occurrence has the wire type its schema field expects (LEN also for packable repeated scalars). */
export function fits(fi: FieldInfo, f: WireField): boolean {
  return f.wt === fi.wireType || (fi.packable && f.wt === 2);
}

/** The enum of an enum field. */
export function enumOf(fi: FieldInfo): Enum | undefined {
  return fi.scalar === 'enum' ? (fi.field.resolvedType as Enum) : undefined;
}

/** The span from the first occurrence's tag to the last one's end. */
export function spanOf(occ: readonly WireField[]): DiffSide['span'] {
  return { start: occ[0].tagStart, valueStart: occ[0].valueStart, end: occ[occ.length - 1].end };
}

/** Scans the contents of message occurrences (merged, as protobuf merges them); a string says why they do not parse. */
export function scanContents(buf: Uint8Array, occ: readonly WireField[]): WireField[] | string {
  const out: WireField[] = [];
  try {
    for (const f of occ) scanFields(buf, f.valueStart, f.valueEnd, out);
    return out;
  } catch (e) {
    if (e instanceof DecodeError) return e.message;
    throw e;
  }
}
