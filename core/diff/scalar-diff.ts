/** Scalar fields in the message diff: singular (the last occurrence counts) and repeated (packed or not). */
import type { FieldInfo } from '../document/schema-info';
import type { DiffNode } from './diff-model';
import { enumOf, push, sameRange, side, spanOf, type Ctx } from './diff-context';
import { align } from './align';
import type { WireField } from './wire-fields';
import { byBytes, encodingReasons, readPacked, readScalar, type ReadValue } from './values';

/** A singular scalar field: its last occurrence compared by value; a proto3 default written explicitly, repeats and widths as encoding. */
export function diffSingularScalar(
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

/** A repeated scalar field: its values aligned (changed, moved, added, removed); packing and element widths as encoding. */
export function diffRepeatedScalar(
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
    ctx.unknown(ctx, out, occA, occB, path, fi.field.id, 0);
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
