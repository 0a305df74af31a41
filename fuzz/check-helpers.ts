/** What the target checks share: the failed-check error, byte comparisons, canonical and structural tree copies, tree dumps. */
import type { Enum, Type } from 'protobufjs';
import { WireWriter } from '../core/wire/wire-writer';
import { WireType } from '../core/wire/wire-types';
import { writeFields } from '../core/document/encode';
import type { FieldNode, NodeValue } from '../core/document/model';
import { isClosedEnum } from '../core/format/message-state';
import type { FuzzEnv } from './fuzz-case';

/** A check that did not hold: its name, what was seen, and what tells kinds of this failure apart. */
export class CheckFailed extends Error {
  constructor(
    readonly check: string,
    detail: string,
    /** What distinguishes kinds of this failure (for the signature); '' when the check name says it all. */
    readonly key = '',
  ) {
    super(`${check}: ${detail}`);
  }
}

/** Throws CheckFailed `name` unless `cond` holds. */
export function check(cond: boolean, name: string, detail: string | (() => string) = ''): void {
  if (!cond) throw new CheckFailed(name, typeof detail === 'function' ? detail() : detail);
}

/** An error message with positions, numbers and quoted text blanked (for signatures). */
export function normalizeMessage(m: string): string {
  return m
    .replace(/^\d+:\d+: /, '')
    .replace(/^at \$[^:]*: /, '')
    .replace(/"(?:[^"\\]|\\.)*"/g, 'S')
    .replace(/\d+/g, 'N')
    .slice(0, 80);
}

/** A raw stop that names no usable offset: reported as no-offset. */
export class DecodeErrorLike extends Error {}

/** Whether two byte arrays are equal. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Where two byte arrays first differ, in words. */
export function firstDiff(a: Uint8Array, b: Uint8Array): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `lengths ${a.length} vs ${b.length}, first difference at byte ${i}`;
}

/** Bytes as lowercase hex. */
export function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

/** Writes nodes through the encoder (no shortcut for unmodified roots). */
export function writeAll(fields: readonly FieldNode[], src: Uint8Array): Uint8Array {
  const w = new WireWriter(Math.max(64, src.length + 16));
  writeFields(w, fields, src);
  return w.finish().slice();
}

/** A copy with every message and group marked modified (spans kept): the encoder rebuilds the structure, reusing tag and length bytes. */
export function structuralCopy(fields: readonly FieldNode[]): FieldNode[] {
  return fields.map((n) => {
    const v = n.value;
    if (v.kind === 'message') return { ...n, modified: true, value: { ...v, fields: structuralCopy(v.fields) } };
    if (v.kind === 'unknown' && Array.isArray(v.raw))
      return { ...n, modified: true, value: { ...v, raw: structuralCopy(v.raw as FieldNode[]) } };
    return n;
  });
}

/** A copy without spans, all modified: the encoder writes every value canonically. */
export function canonicalCopy(fields: readonly FieldNode[]): FieldNode[] {
  return fields.map((n) => {
    const v = n.value;
    let value: NodeValue = v;
    if (v.kind === 'message') value = { ...v, fields: canonicalCopy(v.fields), endTagStart: undefined };
    else if (v.kind === 'unknown' && Array.isArray(v.raw)) value = { kind: 'unknown', raw: canonicalCopy(v.raw as FieldNode[]) };
    else if (v.kind === 'packed') value = { ...v, elements: v.elements.map((e) => ({ value: e.value })) };
    else if (v.kind === 'scalar' && v.embedded) value = { ...v, embedded: { ...v.embedded, fields: canonicalCopy(v.embedded.fields) } };
    return { ...n, span: null, modified: true, value };
  });
}

function num(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** A value-level dump of a tree (no spans, no ids) for comparing two decodes. */
export function dumpFields(fields: readonly FieldNode[]): string {
  const out: string[] = [];
  for (const n of fields) out.push(`${n.fieldNumber}/${n.wireType}=${dumpValue(n.value)}`);
  return out.join(' ');
}

function dumpScalar(x: unknown): string {
  if (typeof x === 'number') return num(x);
  if (typeof x === 'bigint') return `${x}n`;
  if (x instanceof Uint8Array) return `0x${hex(x)}`;
  return JSON.stringify(x);
}

function dumpValue(v: NodeValue): string {
  switch (v.kind) {
    case 'scalar':
      if (v.embedded) return `${v.type}{${dumpFields(v.embedded.fields)}}`;
      if (v.invalidUtf8) return `${v.type}:0x${hex(v.invalidUtf8)}`;
      return `${v.type}:${dumpScalar(v.value)}`;
    case 'packed':
      return `${v.type}[${v.elements.map((e) => dumpScalar(e.value)).join(',')}]`;
    case 'message':
      return `{${dumpFields(v.fields)}}`;
    case 'unknown':
      return Array.isArray(v.raw) ? `?{${dumpFields(v.raw as FieldNode[])}}` : `?${dumpScalar(v.raw)}`;
    case 'raw-bytes':
      return `raw:0x${hex(v.bytes)}`;
  }
}

/** The message type of a case (null: schema-less). */
export function typeOf(env: FuzzEnv, name: string | null): Type | null {
  if (name === null) return null;
  const t = env.typeByName.get(name);
  if (!t) throw new Error(`fuzz: unknown type ${name}`);
  return t;
}

/** Whether a tree holds a raw-bytes node (what a tolerant decode keeps unread) anywhere. */
export function hasRawBytes(fields: readonly FieldNode[]): boolean {
  for (const n of fields) {
    const v = n.value;
    if (v.kind === 'raw-bytes') return true;
    if (v.kind === 'message' && hasRawBytes(v.fields)) return true;
    if (v.kind === 'unknown' && Array.isArray(v.raw) && hasRawBytes(v.raw as FieldNode[])) return true;
  }
  return false;
}

/** True when a decoded group has no end tag (a partial decode stopped inside it). */
export function hasUnterminatedGroup(fields: readonly FieldNode[]): boolean {
  for (const n of fields) {
    const v = n.value;
    if (n.wireType === WireType.SGROUP && (v.kind === 'message' || v.kind === 'unknown') && v.endTagStart === undefined && n.span)
      return true;
    if (v.kind === 'message' && hasUnterminatedGroup(v.fields)) return true;
    if (v.kind === 'unknown' && Array.isArray(v.raw) && hasUnterminatedGroup(v.raw as FieldNode[])) return true;
  }
  return false;
}

/**
 * True when some unknown field has the number of a field its message declares (it came with
 * another wire type): text format prints it as `N: value`, and a parser maps N to the declared
 * field. One known cause of text round-trip failures, reported under one signature.
 */
export function hasShadowedUnknown(fields: readonly FieldNode[], type: Type | null): boolean {
  for (const n of fields) {
    const v = n.value;
    if (n.field === null && v.kind === 'unknown' && type && type.fieldsById[n.fieldNumber]) return true;
    // A closed (proto2) enum value the enum does not declare prints as an unknown field too.
    if (v.kind === 'scalar' && v.type === 'enum' && n.field?.resolvedType && 'valuesById' in n.field.resolvedType) {
      const e = n.field.resolvedType as Enum;
      if (isClosedEnum(e) && !(Number(v.value) in e.valuesById)) return true;
    }
    if (v.kind === 'message' && v.mapEntry) {
      // A map entry declares key = 1 and value = 2.
      for (const e of v.fields) if (e.field === null && (e.fieldNumber === 1 || e.fieldNumber === 2)) return true;
      const t = n.field?.resolvedType;
      if (
        hasShadowedUnknown(
          v.fields.filter((e) => e.fieldNumber === 2 && e.value.kind === 'message'),
          null,
        )
      )
        return true;
      if (t && 'fieldsById' in t)
        for (const e of v.fields)
          if (e.fieldNumber === 2 && e.value.kind === 'message' && hasShadowedUnknown(e.value.fields, t as Type)) return true;
    } else if (v.kind === 'message') {
      const t = n.field?.resolvedType;
      if (hasShadowedUnknown(v.fields, t && 'fieldsById' in t ? (t as Type) : null)) return true;
    }
    if (v.kind === 'unknown' && Array.isArray(v.raw) && hasShadowedUnknown(v.raw as FieldNode[], null)) return true;
  }
  return false;
}

/** The key of text round-trip failures caused by an unknown field with the number of a declared field. */
export const SHADOWED =
  'an unknown field with the number of a declared field (other wire type, or a closed-enum value the enum lacks) prints as `N: value` and reads back as the declared field';

/** Whether two arrays of numbers are equal. */
export function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
