/**
 * The row the renderer shows for one visible entry of a message's tree: depth, a short value
 * preview, an editor kind (with the value's range) and the node's bytes.
 */
import type { Field, Type } from 'protobufjs';
import type { FieldNode, NodeValue, ScalarType, ScalarValue } from '../document/model';
import type { RootLevel } from '../document/root-level';
import { WIRE_TYPE_NAMES } from '../wire/wire-types';
import { INT_RANGES } from '../document/int-ranges';
import type { MissingField, RowSpan, TreeRow, ValueEditor } from '../api/contract';
import { MAX_ROW_VALUE } from '../api/limits';
import { entryPath, type FlatEntry } from './flat-rows';

function enumValues(field: Field | null): { name: string; number: number }[] {
  const e = field?.resolvedType as { values?: Record<string, number> } | null | undefined;
  if (!e?.values) return [];
  return Object.entries(e.values).map(([name, number]) => ({ name, number }));
}

/** The editor that fits a scalar type. */
export function editorFor(type: ScalarType, field: Field | null): ValueEditor {
  const r = INT_RANGES[type];
  if (r) return { kind: 'int', min: r[0], max: r[1] };
  switch (type) {
    case 'double':
      return { kind: 'float', single: false };
    case 'float':
      return { kind: 'float', single: true };
    case 'bool':
      return { kind: 'bool' };
    case 'enum':
      return { kind: 'enum', values: enumValues(field) };
    case 'string':
      return { kind: 'string' };
    case 'bytes':
      return { kind: 'bytes' };
  }
  return { kind: 'none' };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Hex of the first bytes, with an ellipsis past `max`. */
export function hexPreview(bytes: Uint8Array, max = 24): string {
  let s = '';
  for (let i = 0; i < Math.min(bytes.length, max); i++) s += (i ? ' ' : '') + HEX[bytes[i]];
  return bytes.length > max ? `${s} … (${bytes.length} bytes)` : s;
}

function quote(s: string, max = 80): string {
  const t = s.length > max ? s.slice(0, max) + '…' : s;
  return JSON.stringify(t);
}

/** A short preview of a scalar value. */
export function scalarPreview(type: ScalarType, value: ScalarValue, field: Field | null): string {
  if (value instanceof Uint8Array) return value.length ? hexPreview(value) : '(empty)';
  if (typeof value === 'string') return quote(value);
  if (type === 'enum') {
    const name = enumValues(field).find((v) => v.number === value)?.name;
    return name ? `${name} (${value})` : `${value} (unknown enum value)`;
  }
  if (typeof value === 'number' && Object.is(value, -0)) return '-0';
  return String(value);
}

function unknownPreview(node: FieldNode): string {
  const v = node.value;
  if (v.kind !== 'unknown') return '';
  const raw = v.raw;
  if (Array.isArray(raw)) return `group {${raw.length} fields}`;
  if (raw instanceof Uint8Array) {
    // The preview shows 80 characters: a long field is judged by its start, not decoded whole each time.
    const text = looksLikeText(raw.length > MAX_ROW_VALUE ? raw.subarray(0, MAX_ROW_VALUE) : raw, raw.length > MAX_ROW_VALUE);
    return text !== null ? `${quote(text)} (${raw.length} bytes)` : hexPreview(raw as Uint8Array);
  }
  return String(raw);
}

/** The UTF-8 text of bytes when they are valid and printable, else null (`cut`: the bytes are a start, which may end mid-character). */
export function looksLikeText(bytes: Uint8Array, cut = false): string | null {
  if (bytes.length === 0) return null;
  try {
    const s = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, { stream: cut });
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u0008\u000e-\u001f\u007f]/.test(s) ? null : s;
  } catch {
    return null;
  }
}

/** Describes a field's type for display: 'int64', 'livekit.Room', 'map<string, int32>'. */
export function fieldTypeLabel(node: FieldNode): string {
  const v = node.value;
  if (v.kind === 'unknown') return 'unknown';
  if (v.kind === 'raw-bytes') return 'raw bytes';
  const f = node.field;
  if (v.kind === 'message') {
    if (v.mapEntry && f) {
      const m = f as unknown as { keyType?: string; type: string };
      return `map<${m.keyType}, ${m.type}>`;
    }
    return v.typeName ?? f?.type ?? 'message';
  }
  if (v.type === 'enum') return `enum ${f?.type ?? ''}`.trim();
  return v.kind === 'packed' ? `packed ${v.type}` : v.type;
}

function spanOf(s: { tagStart: number; valueStart: number; end: number } | null | undefined): RowSpan | null {
  return s ? { start: s.tagStart, valueStart: s.valueStart, end: s.end } : null;
}

/** Fields of a message type not present among the given nodes (offered as "add field"). */
export function missingFields(type: Type | null, fields: readonly FieldNode[] | RootLevel): MissingField[] {
  if (!type) return [];
  // The singular fields set, found in one pass that allocates nothing per field and stops once all
  // are found (asked for every page of rows: a top level can hold millions of fields).
  const singular = new Set<number>();
  for (const f of type.fieldsArray) if (!f.repeated) singular.add(f.id);
  const present = new Set<number>();
  const level = Array.isArray(fields) ? null : (fields as RootLevel);
  const count = level ? level.count : (fields as readonly FieldNode[]).length;
  for (let i = 0; i < count && present.size < singular.size; i++) {
    const n = level ? level.numberAt(i) : (fields as readonly FieldNode[])[i].fieldNumber;
    if (singular.has(n)) present.add(n);
  }
  const out: MissingField[] = [];
  for (const f of type.fieldsArray) {
    if (present.has(f.id) && !f.repeated) continue;
    const partOf = f.partOf;
    out.push({
      name: f.name,
      number: f.id,
      type: f.type,
      repeated: f.repeated || (f as { map?: boolean }).map === true,
      ...(partOf && !partOf.name.startsWith('_') ? { oneof: partOf.name } : {}),
    });
  }
  return out;
}

function messageTypeOf(node: FieldNode): Type | null {
  const f = node.field;
  const rt = f?.resolvedType as Type | null | undefined;
  return rt && 'fieldsArray' in rt ? rt : null;
}

/** A value cut to its first MAX_ROW_VALUE (bytes or UTF-16 code units; never half a surrogate pair), or null when it fits. */
function cutValue(v: string | Uint8Array): string | Uint8Array | null {
  if (v.length <= MAX_ROW_VALUE) return null;
  if (v instanceof Uint8Array) return v.slice(0, MAX_ROW_VALUE);
  const last = v.charCodeAt(MAX_ROW_VALUE - 1);
  return v.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_ROW_VALUE - 1 : MAX_ROW_VALUE);
}

/**
 * A row as it crosses the boundary: a string or bytes value longer than MAX_ROW_VALUE carries
 * only its start and its whole length (valueLength), and is not edited inline (an editor that
 * starts from the start would cut the value); small bytes are copied out of the message's buffer
 * (a view would carry the whole buffer over Electron's structured clone).
 */
export function boundedRow(row: TreeRow): TreeRow {
  const v = row.value;
  if (!(v instanceof Uint8Array) && typeof v !== 'string') return row;
  const start = cutValue(v);
  if (start === null)
    return {
      ...row,
      ...(v instanceof Uint8Array ? { value: v.slice() } : {}),
      ...(row.invalidUtf8 ? { invalidUtf8: row.invalidUtf8.slice() } : {}),
    };
  return {
    ...row,
    value: start,
    valueLength: v.length,
    editor: { kind: 'none' },
    ...(row.invalidUtf8 ? { invalidUtf8: row.invalidUtf8.slice(0, MAX_ROW_VALUE) } : {}),
  };
}

/** Builds the row the renderer shows for one flat entry. */
export function toRow(
  entry: FlatEntry,
  ctx: {
    expanded: boolean;
    repeated?: { index: number; count: number };
    readings?: TreeRow['readings'];
    interpretedAs?: string;
    warnings?: readonly string[];
    anomalies?: readonly string[];
    modified: boolean;
  },
): TreeRow {
  const { node, element } = entry;
  const v: NodeValue = node.value;
  const base = {
    path: entryPath(entry),
    depth: entry.depth,
    wire: WIRE_TYPE_NAMES[node.wireType] ?? String(node.wireType),
    modified: ctx.modified,
    expanded: ctx.expanded,
    ...(ctx.warnings?.length ? { warnings: ctx.warnings } : {}),
    ...(ctx.anomalies?.length ? { anomalies: ctx.anomalies } : {}),
  };
  if (element && v.kind === 'packed') {
    const value = element.value.value;
    return {
      ...base,
      kind: 'element',
      name: `[${element.index}]`,
      number: element.index,
      type: v.type,
      preview: scalarPreview(v.type, value, node.field),
      value,
      editor: editorFor(v.type, node.field),
      expandable: false,
      expanded: false,
      span: spanOf(element.value.span),
      wire: 'packed',
    };
  }
  const name = node.field?.name ?? '';
  const oneof = node.field?.partOf && !node.field.partOf.name.startsWith('_') ? node.field.partOf.name : undefined;
  const common = {
    ...base,
    name,
    number: node.fieldNumber,
    type: fieldTypeLabel(node),
    span: spanOf(node.span),
    ...(oneof ? { oneof } : {}),
    ...(ctx.repeated ? { repeated: ctx.repeated } : {}),
  };
  switch (v.kind) {
    case 'message': {
      const t = messageTypeOf(node);
      const entryPreview = v.mapEntry ? mapEntryPreview(v.fields) : `{${v.fields.length} field${v.fields.length === 1 ? '' : 's'}}`;
      return {
        ...common,
        kind: 'message',
        preview: entryPreview,
        editor: { kind: 'none' },
        expandable: true,
        missing: missingFields(t, v.fields),
      };
    }
    case 'packed':
      return {
        ...common,
        kind: 'packed',
        preview: `[${v.elements.length} values]`,
        editor: { kind: 'none' },
        expandable: v.elements.length > 0,
      };
    case 'scalar': {
      const row: TreeRow = {
        ...common,
        kind: 'scalar',
        preview: scalarPreview(v.type, v.value, node.field),
        value: v.value,
        editor: editorFor(v.type, node.field),
        expandable: !!v.embedded,
      };
      if (v.invalidUtf8)
        return boundedRow({
          ...row,
          invalidUtf8: v.invalidUtf8,
          preview: `${row.preview} (invalid UTF-8: ${hexPreview(v.invalidUtf8, 16)})`,
        });
      return boundedRow(row);
    }
    case 'unknown':
      return {
        ...common,
        kind: 'unknown',
        preview: entry.interpreted
          ? `message {${entry.interpreted.length} fields}`
          : ctx.interpretedAs && ctx.readings
            ? (ctx.readings.find((r) => r.as === ctx.interpretedAs)?.preview ?? unknownPreview(node))
            : unknownPreview(node),
        editor: { kind: 'none' },
        expandable: Array.isArray(v.raw) || !!entry.interpreted,
        ...(ctx.readings ? { readings: ctx.readings } : {}),
        ...(ctx.interpretedAs ? { interpretedAs: ctx.interpretedAs } : {}),
      };
    case 'raw-bytes':
      return boundedRow({
        ...common,
        kind: 'raw-bytes',
        preview: hexPreview(v.bytes),
        value: v.bytes,
        editor: { kind: 'bytes' },
        expandable: false,
      });
  }
}

function mapEntryPreview(fields: readonly FieldNode[]): string {
  const part = (n: number) => {
    const f = fields.find((x) => x.fieldNumber === n);
    if (!f) return '∅';
    const v = f.value;
    return v.kind === 'scalar' ? scalarPreview(v.type, v.value, f.field) : v.kind === 'message' ? '{…}' : '…';
  };
  return `${part(1)} → ${part(2)}`;
}

/** The text a filter is matched against: name, dotted path of names, and the value preview. */
export function filterText(entry: FlatEntry, row: TreeRow, namePath: string): string {
  return `${row.name}\n${namePath}\n${row.preview}\n${row.number}`.toLowerCase();
}
