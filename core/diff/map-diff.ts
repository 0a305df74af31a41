/** Map fields in the message diff: entries compared by key, order and repeated keys as encoding. */
import { FieldKind, messageInfo, type FieldInfo } from '../document/schema-info';
import type { DiffNode } from './diff-model';
import { enumOf, fits, hasValueChange, msgText, push, sameRange, scanContents, side, type Ctx } from './diff-context';
import type { WireField } from './wire-fields';
import { byBytes, readScalar, type ReadValue } from './values';

/** A map field: entries matched by key (the last of a repeated key counts), values compared; entry order as encoding. */
export function diffMap(
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
    ctx.unknown(ctx, out, occA, occB, path, fi.field.id, depth);
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
      ctx.pair(ctx, children, messageInfo(valueInfo), [x.value], [y.value], p, depth + 1, base);
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
