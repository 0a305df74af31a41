/** The checks each fuzz target runs on one input: round trips, invariants, indexes in bounds; a failed one throws CheckFailed. */
import { DecodeError } from '../core/wire/decode-error';
import { decodeMessage } from '../core/document/decode';
import { encodeMessage } from '../core/document/encode';
import type { MessageRoot } from '../core/document/model';
import { decodeRaw, rawToJson, rawToText, readingsOf } from '../core/raw';
import { detectAndIndex, detectFraming, indexStream, messageAt, type Framing } from '../core/stream/stream-framing';
import { rankTypes } from '../core/detect/detect-type';
import { fromJson, fromText, TextFormatError, toJsonString, toText } from '../core/format';
import { writeJson } from '../core/format/json-print-fast';
import { writeText } from '../core/format/text-print-fast';
import { ByteSink } from '../core/wire/byte-sink';
import {
  canonicalCopy,
  check,
  CheckFailed,
  DecodeErrorLike,
  dumpFields,
  firstDiff,
  hasRawBytes,
  hasShadowedUnknown,
  hasUnterminatedGroup,
  hex,
  normalizeMessage,
  sameArray,
  sameBytes,
  SHADOWED,
  structuralCopy,
  typeOf,
  writeAll,
} from './check-helpers';
import type { FuzzCase, FuzzEnv } from './fuzz-case';

/** Decodes as the case says and checks the result's own invariants; throws what decodeMessage throws. */
export function decodeChecked(env: FuzzEnv, c: FuzzCase): MessageRoot {
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

/** The checks of the 'encode' target: byte-exact re-encode, structural re-encode, canonical re-encode that decodes to the same values. */
export function encodeChecks(env: FuzzEnv, c: FuzzCase, root: MessageRoot): void {
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

/** json-print: toJson runs and writeJson prints the same; after a strict decode without raw bytes, fromJson reads its print back to the same print, and that tree encodes to bytes that decode. */
export function jsonChecks(env: FuzzEnv, c: FuzzCase, root: MessageRoot): void {
  if (!root.type) return;
  const opts = { registry: env.registry };
  const s1 = toJsonString(root, { ...opts, indent: 0 });
  sameFromBytes('writeJson', s1, (sink) => writeJson(root, sink, { ...opts, indent: 0 }));
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

/** The CLI's byte printer (writeJson, writeText: from the checked bytes) prints what the parsed-view printer printed. */
function sameFromBytes(name: string, expected: string, write: (sink: ByteSink) => void): void {
  const sink = new ByteSink();
  write(sink);
  const want = new TextEncoder().encode(expected);
  check(sameBytes(sink.view(), want), `${name} prints other bytes than the parsed view`, () => firstDiff(sink.view(), want));
}

/** text-print: toText runs and writeText prints the same; after a strict decode without raw bytes, fromText reads its print back to the same print. */
export function textChecks(env: FuzzEnv, c: FuzzCase, root: MessageRoot): void {
  const t1 = toText(root);
  sameFromBytes('writeText', t1, (sink) => writeText(root, sink));
  if (!root.type || c.mode !== 'strict' || hasRawBytes(root.fields)) return;
  let r2: MessageRoot;
  try {
    r2 = fromText(t1, root.type, { registry: env.registry, allowFieldNumbers: true });
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

/** raw: decodeRaw stops at a usable offset, its node spans tile the parsed bytes, and the renderings run (all of them when `deep`). */
export function rawChecks(c: FuzzCase, deep: boolean): void {
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

/** stream: the detected framing and every framing's index stay in bounds and agree, and detectAndIndex gives what the separate calls give. */
export function streamChecks(c: FuzzCase): void {
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

/** detect: rankTypes scores stay within 0..1. */
export function detectChecks(env: FuzzEnv, c: FuzzCase): void {
  const ranks = rankTypes(c.bytes, env.types, { limit: 5 });
  for (const r of ranks)
    check(r.score >= 0 && r.score <= 1 && !Number.isNaN(r.score), 'rankTypes score outside 0..1', () => `${r.typeName}: ${r.score}`);
}

/** json-parse / text-parse: the parsed tree encodes to bytes that decode, and prints as text. */
export function parsedChecks(env: FuzzEnv, root: MessageRoot): void {
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
