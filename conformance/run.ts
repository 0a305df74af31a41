/**
 * Runs the conformance suite for one schema: generated binary messages go through the product
 * and through the referees, and every result is compared.
 * - text out: our toText of the bytes against `protoc --decode` (protoc 36);
 * - text in: protoc's text read by our fromText and encoded, against `protoc --encode` of the
 *   same text, byte for byte. Text format has no input form for unknown fields, so where
 *   protoc's text holds them (`9001: 5`, `3 { ... }`) both read it without them; and our
 *   fromText with allowFieldNumbers (the workbench's reading) must read the whole text into
 *   bytes that `protoc --decode` prints as that same text;
 * - JSON out: our toJson against protobuf-es v2's toJson (JSON values compared, -0 apart from
 *   0; both refusing counts as agreement), cycling through --proto-names and --emit-defaults.
 *   A float field prints as the shortest decimal of its 32-bit value (as C++ and Go print it)
 *   where protobuf-es prints the widened double: the two count as the same number when both
 *   read back to the same float and ours is that float's shortest form;
 * - JSON in: protobuf-es' JSON read by our fromJson and encoded, against protobuf-es reading
 *   the same JSON (both binaries written again by protobuf-es; where they differ, which
 *   protobuf-es' extension order makes possible, compared as messages and as JSON values);
 * - JSON read back: our JSON read by protobuf-es, against its own JSON read by itself;
 * - deep recursion: chains of recursive fields around the depth limit, through all five (deep.ts).
 * One message in four may hold what only protoc referees: undeclared numbers of closed enums
 * (protoc parses them into unknown fields and leaves them out of JSON; protobuf-es prints the
 * number in lists and maps and then refuses its own output), MessageSet items (protobuf-es has
 * no MessageSet support), a singular message field sent twice (the parts merge; an Any merged
 * so may hold a value of another type, which protobuf-es reads without checking wire types and
 * refuses), and unknown fields. For that quarter protobuf-es reads protoc's bytes of the text
 * without unknown fields (what protoc makes of the message: closed-enum numbers gone, parts
 * merged) while we read the original; messages with MessageSet items are left out of the JSON
 * comparisons (docs/format-choices.md; json-dialect.test.ts, message-set.test.ts and
 * found.test.ts pin our side). Every skip is counted under its reason.
 * protoc runs once per direction over a `Batch` of all messages, so a run stays fast.
 */
import { decodeMessage } from '../core/document/decode';
import { encodeMessage } from '../core/document/encode';
import { fromJson, fromText, toJson, toText } from '../core/format';
import { loadSchemaSources } from '../core/schema/registry';
import { protocSchema, type ProtocSchema } from '../testing/protoc';
import {
  canonical,
  emptyResults,
  guard,
  hasUnknownFields,
  hex,
  indent,
  record,
  sameJson,
  show,
  skip,
  withoutUnknownFields,
  type CategoryResult,
} from './compare';
import { deepMessages, runDeep } from './deep';
import { ANY_TYPES, generateMessage, Rng } from './generate';
import { esReferee, type EsReferee } from './referees/protobuf-es';
import type { ConformanceSchema } from './schemas';

/** Why a message is left out of the JSON comparisons: MessageSet items, or protobuf-es refusing to print it. */
export const MESSAGE_SET = 'MessageSet items (protobuf-es has no MessageSet support)';
export const ES_REFUSES = 'protobuf-es refuses to print it (so nothing to read in)';

/**
 * The names protoc prints MessageSet items under (`[name]`): each extension of a MessageSet
 * type, and its message type's name (used when the extension is declared inside that type).
 */
function messageSetExtensionsOf(es: EsReferee): string[] {
  const out: string[] = [];
  for (const t of es.registry)
    if (t.kind === 'extension' && t.extendee.proto.options?.messageSetWireFormat === true) {
      out.push(t.typeName);
      if (t.fieldKind === 'message') out.push(t.message.typeName);
    }
  return out;
}

/** Runs `count` messages generated from `seed` through every comparison, then the deep chains. */
export function runConformance(schema: ConformanceSchema, count: number, seed: number): CategoryResult[] {
  const protoc = protocSchema(schema.files);
  const es = esReferee(protoc.descriptorSet());
  const registry = loadSchemaSources(Object.entries(schema.files).map(([name, contents]) => ({ name, contents })));
  const top = registry.findMessage(schema.top)!;
  const resolveType = (name: string) => registry.findMessage(name);
  const rng = new Rng(seed);
  const topDesc = es.message(schema.top);
  const anyTypes = [...ANY_TYPES, ...(schema.syntax === 'proto3' ? ['c3.Scalars', 'c3.Recursive'] : [])];
  // One message in four may hold what only protoc referees (see the header): the quarter.
  const protocOnly = (i: number) => i % 4 === 3;
  const messages = Array.from({ length: count }, (_, i) =>
    generateMessage(topDesc, es.registry, rng, {
      anyTypes,
      undeclaredEnumValues: protocOnly(i),
      messageSetItems: protocOnly(i),
      repeatSingularMessages: protocOnly(i),
      unknownFields: protocOnly(i),
    }),
  );
  const results = emptyResults();
  const at = (i: number) => `${schema.syntax} #${i} (${hex(messages[i])})`;

  // text out: one protoc --decode over the batch, split into items.
  const theirText = splitItems(protoc.decode(schema.batch, batchOf(messages)));
  const ourText = messages.map((m) => guard(() => toText(decodeMessage(m, top, { resolveType }), { registry })));
  messages.forEach((_, i) => {
    const ours = ourText[i];
    record(results.get('text out')!, ours === theirText[i], () => `${at(i)}: ours ${show(ours)}\ntheirs ${JSON.stringify(theirText[i])}`);
  });

  const normalized = textIn(
    schema,
    protoc,
    theirText,
    results.get('text in')!,
    (text, allowFieldNumbers) => encodeMessage(fromText(text, top, { registry, allowFieldNumbers }), new Uint8Array(0)),
    at,
  );

  const messageSetExtensions = messageSetExtensionsOf(es);
  messages.forEach((m, i) => {
    if (protocOnly(i) && messageSetExtensions.some((name) => theirText[i].includes(`[${name}]`))) {
      for (const c of ['JSON out', 'JSON in', 'JSON read back'] as const) skip(results.get(c)!, MESSAGE_SET);
      return;
    }
    // protobuf-es reads the protoc-only quarter as protoc wrote it again (see the header).
    const esBytes = protocOnly(i) ? normalized[i] : m;
    // JSON out, cycling through the printing options.
    const options = { protoNames: (i & 1) === 1, emitDefaults: (i & 2) === 2 };
    const theirs = guard(() => es.toJson(schema.top, esBytes, options));
    const ours = guard(() => toJson(decodeMessage(m, top, { resolveType }), { ...options, registry }));
    const sameOut = theirs instanceof Error ? ours instanceof Error : !(ours instanceof Error) && sameJson(ours, theirs);
    record(results.get('JSON out')!, sameOut, () => `${at(i)}: ours ${show(ours, canonical)}\ntheirs ${show(theirs, canonical)}`);
    if (theirs instanceof Error) {
      skip(results.get('JSON in')!, ES_REFUSES);
      skip(results.get('JSON read back')!, ES_REFUSES);
      return;
    }
    // JSON in: protobuf-es' JSON read by us and by protobuf-es.
    const json = JSON.stringify(theirs);
    const expectedBytes = es.fromJson(schema.top, json);
    const expected = hex(expectedBytes);
    // protobuf-es writes extensions in the order it read them, so equal messages may differ in that
    // order: then they must be equal as messages, or print the same JSON (nested extensions).
    const expectedJson = canonical(es.toJson(schema.top, expectedBytes));
    const same = (x: Uint8Array) =>
      hex(x) === expected || es.sameMessage(schema.top, x, expectedBytes) || canonical(es.toJson(schema.top, x)) === expectedJson;
    const read = guard(() => es.reserialize(schema.top, encodeMessage(fromJson(json, top, { registry }), new Uint8Array(0))));
    record(
      results.get('JSON in')!,
      !(read instanceof Error) && same(read),
      () => `${at(i)}: json ${json}\nours ${show(read, (x) => hex(x as Uint8Array))}\ntheirs ${expected}`,
    );
    // JSON read back: our JSON text read by protobuf-es.
    const back = ours instanceof Error ? ours : guard(() => es.fromJson(schema.top, JSON.stringify(ours)));
    record(
      results.get('JSON read back')!,
      !(back instanceof Error) && same(back),
      () => `${at(i)}: ours ${show(ours, canonical)}\nread as ${show(back, (x) => hex(x as Uint8Array))}\ntheirs ${expected}`,
    );
  });

  runDeep(schema, deepMessages(schema, es, rng), protoc, es, registry, results.get('deep recursion')!);
  return [...results.values()];
}

/**
 * text in over protoc's texts: each read without its unknown fields by both (byte for byte),
 * and a text with unknown fields also read whole by us (allowFieldNumbers) into bytes protoc
 * prints as the same text. Returns protoc's bytes of each text without unknown fields.
 */
function textIn(
  schema: ConformanceSchema,
  protoc: ProtocSchema,
  theirText: string[],
  result: CategoryResult,
  ourEncode: (text: string, allowFieldNumbers: boolean) => Uint8Array,
  at: (i: number) => string,
): Uint8Array[] {
  const known = theirText.map(withoutUnknownFields);
  const encoded = splitBatch(protoc.encode(schema.batch, known.map((t) => `items {\n${indent(t)}}\n`).join('')));
  const unknown = theirText.flatMap((t, i) => (hasUnknownFields(t) ? [i] : []));
  const whole = new Map(unknown.map((i) => [i, guard(() => ourEncode(theirText[i], true))]));
  const read = [...whole.entries()].filter((e): e is [number, Uint8Array] => !(e[1] instanceof Error));
  const printed = new Map<number, string | Error>();
  const batch = guard(() => splitItems(protoc.decode(schema.batch, batchOf(read.map((e) => e[1])))));
  if (batch instanceof Error)
    for (const [i, bytes] of read)
      printed.set(
        i,
        guard(() => protoc.decode(schema.top, bytes)),
      );
  else read.forEach(([i], k) => printed.set(i, batch[k]));
  theirText.forEach((text, i) => {
    const theirs = hex(encoded[i]);
    const ours = guard(() => hex(ourEncode(known[i], false)));
    const detail: string[] = [];
    if (ours !== theirs) detail.push(`text ${JSON.stringify(known[i])}\nours ${show(ours)}\ntheirs ${theirs}`);
    if (whole.has(i)) {
      const back = whole.get(i) instanceof Error ? whole.get(i) : printed.get(i);
      if (back !== text) detail.push(`whole text ${JSON.stringify(text)}\nours, printed by protoc: ${show(back)}`);
    }
    record(result, detail.length === 0, () => `${at(i)}: ${detail.join('\n')}`);
  });
  return encoded;
}

/** `repeated T items = 1` holding each message. */
function batchOf(messages: Uint8Array[]): Uint8Array {
  const parts: number[] = [];
  for (const m of messages) {
    parts.push(0x0a);
    for (let n = m.length; ; n >>>= 7) {
      if (n < 0x80) {
        parts.push(n);
        break;
      }
      parts.push((n & 0x7f) | 0x80);
    }
    for (const b of m) parts.push(b);
  }
  return Uint8Array.from(parts);
}

/** The messages of a batch's binary (field 1, length-delimited, one after another). */
function splitBatch(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i++] !== 0x0a) throw new Error(`unexpected tag in batch at byte ${i - 1}`);
    let len = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[i++];
      len += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    out.push(bytes.subarray(i, i + len));
    i += len;
  }
  return out;
}

/** protoc's text of a batch, one text per item (`items {` ... `}` at the margin, unindented). */
function splitItems(text: string): string[] {
  const out: string[] = [];
  let current: string[] | null = null;
  for (const line of text.split('\n')) {
    if (line === 'items {') current = [];
    else if (line === '}' && current) {
      out.push(current.map((l) => `${l.slice(2)}\n`).join(''));
      current = null;
    } else if (current) current.push(line);
  }
  return out;
}
