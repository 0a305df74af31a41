/**
 * Fuzz targets: each runs one input through one part of the engine and classifies what
 * happened. Shared by the fuzzer (fuzz/run.ts) and the corpus replay (fuzz/regressions.test.ts).
 *
 * Outcomes:
 * - ok: it decoded / parsed / printed and every check held;
 * - reject: a clean rejection: a DecodeError (or an error of the target's own kind) whose
 *   message names where: a byte offset for binary decoders (`at byte N`), a JSON path or
 *   line/column for JSON, `line:column` for text format;
 * - no-offset: an error of an expected kind that does not say where (or names an offset
 *   outside the input);
 * - crash: any other exception (TypeError, RangeError, stack overflow, ...);
 * - wrong: a round-trip or invariant check failed (re-encoding an untouched tree must give the
 *   input bytes; printed JSON / text must parse back to the same print; indexes in bounds ...).
 */
import type { Enum, Type } from 'protobufjs';
import { DecodeError } from '../core/wire/decode-error';
import { WireWriter } from '../core/wire/wire-writer';
import { WireType } from '../core/wire/wire-types';
import { decodeMessage } from '../core/document/decode';
import { encodeMessage, writeFields } from '../core/document/encode';
import type { FieldNode, MessageRoot, NodeValue } from '../core/document/model';
import { decodeRaw, rawToJson, rawToText, readingsOf } from '../core/raw';
import { detectAndIndex, detectFraming, indexStream, messageAt, type Framing } from '../core/stream/stream-framing';
import { rankTypes } from '../core/detect/detect-type';
import { fromJson, fromText, JsonFormatError, TextFormatError, toJsonString, toText } from '../core/format';
import { isClosedEnum } from '../core/format/message-state';
import type { SchemaRegistry } from '../core/schema/registry';

/** The parts of the engine the fuzzer drives. */
export const TARGETS = ['decode', 'raw', 'encode', 'json-print', 'text-print', 'json-parse', 'text-parse', 'stream', 'detect'] as const;

/** A target name (also the prefix of its corpus files). */
export type TargetName = (typeof TARGETS)[number];

/** How a decode runs: throwing (strict) or tolerant (partial). */
export type DecodeMode = 'strict' | 'partial';

/** One input for one target. */
export interface FuzzCase {
  target: TargetName;
  /** The bytes (for json-parse / text-parse: unused, see `text`). */
  bytes: Uint8Array;
  /** For the string targets: the JSON or text-format source. */
  text?: string;
  /** Message type (full name) for schema targets; null: schema-less. */
  typeName: string | null;
  mode: DecodeMode;
}

/** What happened. */
export type OutcomeKind = 'ok' | 'reject' | 'no-offset' | 'crash' | 'wrong';

/** A classified result. */
export interface Outcome {
  kind: OutcomeKind;
  /** The error or the failed check, in words. */
  detail: string;
  /** For exceptions: the error's class name. */
  errorName?: string;
  /** For crashes: the first stack frame inside the project (file:line). */
  where?: string;
  /** For wrong: the check that failed, and what distinguishes this kind of failure. */
  check?: string;
  key?: string;
}

/** What the targets need: the schemas. */
export interface FuzzEnv {
  registry: SchemaRegistry;
  types: Type[];
  typeByName: Map<string, Type>;
}

/** Builds a FuzzEnv from a loaded registry. */
export function makeEnv(registry: SchemaRegistry): FuzzEnv {
  const types = registry.messageTypes();
  const typeByName = new Map<string, Type>();
  for (const t of types) typeByName.set(t.fullName.replace(/^\./, ''), t);
  return { registry, types, typeByName };
}

const OK: Outcome = { kind: 'ok', detail: '' };

class CheckFailed extends Error {
  constructor(
    readonly check: string,
    detail: string,
    /** What distinguishes kinds of this failure (for the signature); '' when the check name says it all. */
    readonly key = '',
  ) {
    super(`${check}: ${detail}`);
  }
}

/** An error message with positions, numbers and quoted text blanked (for signatures). */
function normalizeMessage(m: string): string {
  return m
    .replace(/^\d+:\d+: /, '')
    .replace(/^at \$[^:]*: /, '')
    .replace(/"(?:[^"\\]|\\.)*"/g, 'S')
    .replace(/\d+/g, 'N')
    .slice(0, 80);
}

function check(cond: boolean, name: string, detail: string | (() => string) = ''): void {
  if (!cond) throw new CheckFailed(name, typeof detail === 'function' ? detail() : detail);
}

const CRASH_TYPES = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError];

/** The first stack frame in this repository (outside fuzz/), as `path:line`. */
export function projectFrame(e: unknown): string | undefined {
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /((?:core|core-node)\/[\w./-]+\.ts):(\d+)/.exec(line);
    if (m) return `${m[1]}:${m[2]}`;
  }
  return undefined;
}

/** How a target's rejections must say where: a byte offset, a JSON position, a text line:column. */
type Where = 'byte' | 'json' | 'text';

const WHERE_RE: Record<Where, RegExp> = {
  byte: /\bat byte \d+|\boffset \d+/,
  json: /^at \$|line \d+, column \d+/,
  text: /^\d+:\d+: /,
};

/** Classifies an exception thrown by a target. */
export function classifyError(e: unknown, where: Where, inputLength: number): Outcome {
  if (e instanceof CheckFailed) return { kind: 'wrong', detail: e.message, check: e.check, key: e.key };
  const name = e instanceof Error ? e.constructor.name : typeof e;
  const message = e instanceof Error ? e.message : String(e);
  const detail = message.length > 300 ? message.slice(0, 300) + '…' : message;
  if (!(e instanceof Error)) return { kind: 'crash', detail: `threw a non-Error: ${detail}`, errorName: name };
  if (e instanceof RangeError && /call stack/i.test(message)) {
    return { kind: 'crash', detail: `stack overflow: ${detail}`, errorName: name, where: projectFrame(e) };
  }
  if (CRASH_TYPES.some((c) => e.constructor === c)) return { kind: 'crash', detail, errorName: name, where: projectFrame(e) };
  if (e instanceof DecodeError) {
    const inRange = Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= inputLength;
    if (where === 'byte' && inRange && WHERE_RE.byte.test(message)) return { kind: 'reject', detail, errorName: name };
    if (where !== 'byte' && inRange) return { kind: 'reject', detail, errorName: name };
    return {
      kind: 'no-offset',
      detail: inRange ? `${detail} (no "at byte N")` : `${detail} (offset ${e.offset} outside 0..${inputLength})`,
      errorName: name,
      where: projectFrame(e),
    };
  }
  if (WHERE_RE[where].test(message)) return { kind: 'reject', detail, errorName: name };
  return { kind: 'no-offset', detail, errorName: name, where: projectFrame(e) };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function firstDiff(a: Uint8Array, b: Uint8Array): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `lengths ${a.length} vs ${b.length}, first difference at byte ${i}`;
}

function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

/** Writes nodes through the encoder (no shortcut for unmodified roots). */
function writeAll(fields: readonly FieldNode[], src: Uint8Array): Uint8Array {
  const w = new WireWriter(Math.max(64, src.length + 16));
  writeFields(w, fields, src);
  return w.finish().slice();
}

/** A copy with every message and group marked modified (spans kept): the encoder rebuilds the structure, reusing tag and length bytes. */
function structuralCopy(fields: readonly FieldNode[]): FieldNode[] {
  return fields.map((n) => {
    const v = n.value;
    if (v.kind === 'message') return { ...n, modified: true, value: { ...v, fields: structuralCopy(v.fields) } };
    if (v.kind === 'unknown' && Array.isArray(v.raw))
      return { ...n, modified: true, value: { ...v, raw: structuralCopy(v.raw as FieldNode[]) } };
    return n;
  });
}

/** A copy without spans, all modified: the encoder writes every value canonically. */
function canonicalCopy(fields: readonly FieldNode[]): FieldNode[] {
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

function typeOf(env: FuzzEnv, name: string | null): Type | null {
  if (name === null) return null;
  const t = env.typeByName.get(name);
  if (!t) throw new Error(`fuzz: unknown type ${name}`);
  return t;
}

function hasRawBytes(fields: readonly FieldNode[]): boolean {
  for (const n of fields) {
    const v = n.value;
    if (v.kind === 'raw-bytes') return true;
    if (v.kind === 'message' && hasRawBytes(v.fields)) return true;
    if (v.kind === 'unknown' && Array.isArray(v.raw) && hasRawBytes(v.raw as FieldNode[])) return true;
  }
  return false;
}

/** Decodes as the case says and checks the result's own invariants; throws what decodeMessage throws. */
function decodeChecked(env: FuzzEnv, c: FuzzCase): MessageRoot {
  const type = typeOf(env, c.typeName);
  const resolveType = (n: string) => env.registry.findMessage(n);
  if (c.mode === 'strict') {
    const root = decodeMessage(c.bytes, type, { resolveType });
    check(root.error === undefined, 'strict decode returned an error instead of throwing');
    return root;
  }
  let root: MessageRoot;
  try {
    root = decodeMessage(c.bytes, type, { partial: true, resolveType });
  } catch (e) {
    if (e instanceof DecodeError) throw new CheckFailed('partial decode threw instead of returning what parsed', e.message);
    throw e;
  }
  if (root.error) {
    const off = root.error.offset;
    check(
      Number.isInteger(off) && off >= 0 && off <= c.bytes.length && /at byte \d+/.test(root.error.message),
      'partial decode error has no offset in range',
      () => root.error!.message,
    );
  }
  return root;
}

/** True when a decoded group has no end tag (a partial decode stopped inside it). */
function hasUnterminatedGroup(fields: readonly FieldNode[]): boolean {
  for (const n of fields) {
    const v = n.value;
    if (n.wireType === WireType.SGROUP && (v.kind === 'message' || v.kind === 'unknown') && v.endTagStart === undefined && n.span)
      return true;
    if (v.kind === 'message' && hasUnterminatedGroup(v.fields)) return true;
    if (v.kind === 'unknown' && Array.isArray(v.raw) && hasUnterminatedGroup(v.raw as FieldNode[])) return true;
  }
  return false;
}

/** The checks of the 'encode' target: byte-exact re-encode, structural re-encode, canonical re-encode that decodes to the same values. */
function encodeChecks(env: FuzzEnv, c: FuzzCase, root: MessageRoot): void {
  const src = c.bytes;
  const enc = encodeMessage(root, src);
  check(sameBytes(enc, src), 'encodeMessage(untouched tree) != input', () => firstDiff(enc, src));
  const all = writeAll(root.fields, src);
  check(sameBytes(all, src), 'node spans do not tile the input (writeFields of untouched nodes != input)', () => firstDiff(all, src));
  const structural = writeAll(structuralCopy(root.fields), src);
  if (!sameBytes(structural, src)) {
    const key = hasUnterminatedGroup(root.fields) ? 'a group left open by a partial decode gains an end-group tag' : '';
    throw new CheckFailed('re-encoding with every message/group marked modified != input', firstDiff(structural, src), key);
  }
  if (c.mode === 'strict' && !hasRawBytes(root.fields)) {
    const canon = writeAll(canonicalCopy(root.fields), src);
    let again: MessageRoot;
    try {
      again = decodeMessage(canon, root.type, { resolveType: (n) => env.registry.findMessage(n) });
    } catch (e) {
      throw new CheckFailed(
        'canonical re-encode does not decode',
        `${(e as Error).message}; re-encoded ${hex(canon).slice(0, 200)}`,
        normalizeMessage((e as DecodeError).expected ?? (e as Error).message),
      );
    }
    const a = dumpFields(root.fields);
    const b = dumpFields(again.fields);
    check(a === b, 'canonical re-encode decodes to different values', () => `${a.slice(0, 300)} !== ${b.slice(0, 300)}`);
  }
}

function jsonChecks(env: FuzzEnv, c: FuzzCase, root: MessageRoot): void {
  if (!root.type) return;
  const opts = { registry: env.registry };
  const s1 = toJsonString(root, { ...opts, indent: 0 });
  if (c.mode !== 'strict' || hasRawBytes(root.fields)) return;
  let r2: MessageRoot;
  try {
    r2 = fromJson(s1, root.type, opts);
  } catch (e) {
    throw new CheckFailed(
      'fromJson rejects what toJson printed',
      `${(e as Error).message}; json ${s1.slice(0, 300)}`,
      normalizeMessage((e as Error).message),
    );
  }
  const s2 = toJsonString(r2, { ...opts, indent: 0 });
  check(s1 === s2, 'JSON round trip changes the print', () => `${s1.slice(0, 300)} !== ${s2.slice(0, 300)}`);
  const bytes = encodeMessage(r2, new Uint8Array(0));
  try {
    decodeMessage(bytes, root.type, { resolveType: (n) => env.registry.findMessage(n) });
  } catch (e) {
    throw new CheckFailed(
      'the tree fromJson built encodes to bytes that do not decode',
      (e as Error).message,
      normalizeMessage((e as DecodeError).expected ?? (e as Error).message),
    );
  }
}

/**
 * True when some unknown field has the number of a field its message declares (it came with
 * another wire type): text format prints it as `N: value`, and a parser maps N to the declared
 * field. One known cause of text round-trip failures, reported under one signature.
 */
function hasShadowedUnknown(fields: readonly FieldNode[], type: Type | null): boolean {
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

const SHADOWED =
  'an unknown field with the number of a declared field (other wire type, or a closed-enum value the enum lacks) prints as `N: value` and reads back as the declared field';

function textChecks(env: FuzzEnv, c: FuzzCase, root: MessageRoot): void {
  const t1 = toText(root);
  if (!root.type || c.mode !== 'strict' || hasRawBytes(root.fields)) return;
  let r2: MessageRoot;
  try {
    r2 = fromText(t1, root.type, { registry: env.registry });
  } catch (e) {
    // An unknown field that shares its number with a declared field has no unambiguous text
    // form; the parser saying so (a clean TextFormatError) is the documented behaviour.
    if (e instanceof TextFormatError && /is declared as/.test(e.message)) return;
    const shadowed = hasShadowedUnknown(root.fields, root.type);
    throw new CheckFailed(
      'fromText rejects what toText printed',
      `${(e as Error).message}; text ${t1.slice(0, 300)}`,
      shadowed ? SHADOWED : normalizeMessage((e as Error).message),
    );
  }
  const t2 = toText(r2);
  if (t1 !== t2) {
    const shadowed = hasShadowedUnknown(root.fields, root.type);
    throw new CheckFailed(
      'text round trip changes the print',
      `${JSON.stringify(t1.slice(0, 300))} !== ${JSON.stringify(t2.slice(0, 300))}`,
      shadowed ? SHADOWED : '',
    );
  }
}

function rawChecks(c: FuzzCase, deep: boolean): void {
  const b = c.bytes;
  const r = decodeRaw(b);
  const end = r.stoppedAt ? r.parsedEnd : b.length;
  if (r.stoppedAt) {
    const off = r.stoppedAt.offset;
    if (!(Number.isInteger(off) && off >= 0 && off <= b.length) || !r.stoppedAt.reason) {
      throw new DecodeErrorLike(`raw stop without a usable offset: ${off} (${r.stoppedAt.reason})`);
    }
    check(r.parsedEnd >= 0 && r.parsedEnd <= off, 'raw parsedEnd past the stop offset', () => `${r.parsedEnd} > ${off}`);
  } else {
    check(r.parsedEnd === b.length, 'raw decode complete but parsedEnd != input length', () => `${r.parsedEnd} != ${b.length}`);
  }
  const tiles = writeAll(r.root.fields, b);
  check(sameBytes(tiles, b.subarray(0, end)), 'raw node spans do not tile the parsed bytes', () => firstDiff(tiles, b.subarray(0, end)));
  rawToText(r);
  if (deep) {
    rawToText(r, { mode: 'best' });
    rawToJson(r);
    for (const f of r.root.fields) readingsOf(f);
  }
}

/** A raw stop that names no usable offset: reported as no-offset. */
class DecodeErrorLike extends Error {}

function streamChecks(c: FuzzCase): void {
  const b = c.bytes;
  const d = detectFraming(b);
  check(['single', 'delimited', 'grpc'].includes(d.framing), 'detectFraming returned an unknown framing', () => String(d.framing));
  check(d.confidence >= 0 && d.confidence <= 1, 'detectFraming confidence outside 0..1', () => String(d.confidence));
  check(Number.isInteger(d.messageCount) && d.messageCount >= 0, 'detectFraming messageCount is not a count', () => String(d.messageCount));
  for (const framing of ['delimited', 'grpc', 'single'] as Framing[]) {
    const ix = indexStream(b, framing);
    check(
      ix.count === ix.offsets.length && ix.count === ix.lengths.length,
      'index arrays disagree with count',
      () => `${framing}: ${ix.count}`,
    );
    let prev = 0;
    for (let i = 0; i < ix.count; i++) {
      const o = ix.offsets[i];
      const l = ix.lengths[i];
      check(
        o >= prev && o + l <= b.length,
        'indexed message outside the input or out of order',
        () => `${framing} #${i}: ${o}+${l} of ${b.length}`,
      );
      prev = o + l;
    }
    if (ix.error)
      check(
        Number.isInteger(ix.error.offset) && ix.error.offset >= 0 && ix.error.offset <= b.length,
        'stream index error offset outside the input',
        () => `${framing}: ${ix.error!.offset}`,
      );
    if (framing === d.framing && !ix.error && framing !== 'single')
      check(ix.count === d.messageCount, 'detectFraming count != indexStream count', () => `${d.messageCount} vs ${ix.count}`);
    if (ix.count > 0) messageAt(ix, ix.count - 1);
  }
  // The one-walk detect + index the workbench runs gives what the two separate calls give.
  const both = detectAndIndex(b);
  check(
    JSON.stringify(both.detection) === JSON.stringify(d),
    'detectAndIndex detection != detectFraming',
    () => `${JSON.stringify(both.detection)} vs ${JSON.stringify(d)}`,
  );
  const sep = indexStream(b, d.framing);
  check(
    both.index.count === sep.count &&
      both.index.framing === sep.framing &&
      JSON.stringify(both.index.error) === JSON.stringify(sep.error) &&
      sameArray(both.index.offsets, sep.offsets) &&
      sameArray(both.index.lengths, sep.lengths) &&
      sameArray(both.index.flags ?? [], sep.flags ?? []),
    'detectAndIndex index != indexStream',
    () => `${both.index.count} vs ${sep.count} (${d.framing})`,
  );
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function detectChecks(env: FuzzEnv, c: FuzzCase): void {
  const ranks = rankTypes(c.bytes, env.types, { limit: 5 });
  for (const r of ranks)
    check(r.score >= 0 && r.score <= 1 && !Number.isNaN(r.score), 'rankTypes score outside 0..1', () => `${r.typeName}: ${r.score}`);
}

function parsedChecks(env: FuzzEnv, root: MessageRoot): void {
  const bytes = encodeMessage(root, new Uint8Array(0));
  let again: MessageRoot;
  try {
    again = decodeMessage(bytes, root.type, { resolveType: (n) => env.registry.findMessage(n) });
  } catch (e) {
    throw new CheckFailed(
      'the parsed tree encodes to bytes that do not decode',
      (e as Error).message,
      normalizeMessage((e as DecodeError).expected ?? (e as Error).message),
    );
  }
  toText(again);
}

/**
 * Runs one case through its target and classifies the outcome. `decoded` may pass a root the
 * caller already decoded from the same bytes, type and mode (the fuzzer reuses one decode).
 */
export function runCase(env: FuzzEnv, c: FuzzCase, decoded?: MessageRoot, out?: { root?: MessageRoot }): Outcome {
  const len = c.target === 'json-parse' || c.target === 'text-parse' ? (c.text ?? '').length : c.bytes.length;
  const where: Where = c.target === 'json-parse' || c.target === 'json-print' ? 'json' : c.target === 'text-parse' ? 'text' : 'byte';
  try {
    switch (c.target) {
      case 'decode': {
        const root = decodeChecked(env, c);
        if (out) out.root = root;
        return OK;
      }
      case 'encode':
        encodeChecks(env, c, decoded ?? decodeChecked(env, c));
        return OK;
      case 'json-print': {
        let root: MessageRoot;
        try {
          root = decoded ?? decodeChecked(env, c);
        } catch (e) {
          return classifyError(e, 'byte', c.bytes.length);
        }
        jsonChecks(env, c, root);
        return OK;
      }
      case 'text-print': {
        let root: MessageRoot;
        try {
          root = decoded ?? decodeChecked(env, c);
        } catch (e) {
          return classifyError(e, 'byte', c.bytes.length);
        }
        textChecks(env, c, root);
        return OK;
      }
      case 'raw':
        rawChecks(c, c.mode === 'partial');
        return OK;
      case 'stream':
        streamChecks(c);
        return OK;
      case 'detect':
        detectChecks(env, c);
        return OK;
      case 'json-parse': {
        const root = fromJson(c.text ?? '', typeOf(env, c.typeName)!, { registry: env.registry });
        parsedChecks(env, root);
        return OK;
      }
      case 'text-parse': {
        const root = fromText(c.text ?? '', typeOf(env, c.typeName)!, { registry: env.registry });
        parsedChecks(env, root);
        return OK;
      }
    }
  } catch (e) {
    if (e instanceof DecodeErrorLike) return { kind: 'no-offset', detail: e.message };
    if (c.target === 'raw' || c.target === 'stream' || c.target === 'detect') {
      // These never throw by contract: any exception is a crash.
      const o = classifyError(e, where, len);
      return o.kind === 'wrong' ? o : { ...o, kind: 'crash', where: o.where ?? projectFrame(e) };
    }
    if (c.target === 'encode' && !(e instanceof CheckFailed) && !(e instanceof DecodeError)) {
      return { ...classifyError(e, where, len), kind: 'crash', where: projectFrame(e) };
    }
    return classifyError(e, where, len);
  }
}

/** Whether an outcome is a finding (anything but ok and clean rejections). */
export function isFailure(o: Outcome): boolean {
  return o.kind !== 'ok' && o.kind !== 'reject';
}

/** A dedup key for failures: target, kind, and the code location or normalized message. */
export function signatureOf(target: TargetName, o: Outcome): string {
  if (o.kind === 'wrong') return `${target}|wrong|${o.check ?? o.detail.slice(0, 60)}${o.key ? `|${o.key}` : ''}`;
  if (o.kind === 'crash' && o.where) return `${target}|crash|${o.errorName}@${o.where}`;
  const m = o.detail.replace(/\([^)]*\)/g, '');
  return `${target}|${o.kind}|${o.errorName ?? ''}:${normalizeMessage(m.replace(/^at byte \d+\s*:?\s*/, ''))}`;
}

/** Re-exports for the tests. */
export { TextFormatError, JsonFormatError };
