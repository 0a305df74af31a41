/**
 * The deep-recursion category of the conformance suite: chains of a schema's recursive fields
 * (a message in itself, in a list, in a map; Struct and ListValue inside Value; DELIMITED
 * groups) nested 50 deep and around the limit of 100 that protoc 36 and protobuf-es v2 keep
 * when they read binary (and protobuf-es when it reads JSON), and past it. Each chain runs
 * through the five comparisons of the suite on its own (so protoc refusing one does not refuse
 * a batch): both sides refusing counts as agreement. Text input past protoc's binary limit
 * reads our text of the chain (protoc reads text at any depth); JSON input reads protobuf-es'
 * JSON only where protoc decodes the binary.
 */
import { ScalarType, type DescField, type DescMessage } from 'protobuf-es-v2';
import { BinaryWriter, WireType } from 'protobuf-es-v2/wire';
import { decodeMessage } from '../core/document/decode';
import { encodeMessage } from '../core/document/encode';
import { fromJson, fromText, toJson, toText } from '../core/format';
import type { SchemaRegistry } from '../core/schema/registry';
import type { ProtocSchema } from '../testing/protoc';
import { canonical, guard, hex, record, sameJson, show, type CategoryResult } from './compare';
import { generateMessage, type Rng } from './generate';
import type { EsReferee } from './referees/protobuf-es';
import type { ConformanceSchema, DeepChain } from './schemas';

/** How deep the chains nest, in messages from the top one (1) to the innermost, map entries counted. */
export const DEEP_TARGETS = [50, 98, 99, 100, 101, 102, 150] as const;

/** One deep message: what it is, and its bytes. */
export interface DeepMessage {
  label: string;
  bytes: Uint8Array;
}

/** The deep messages of a schema: every chain at every target depth. */
export function deepMessages(schema: ConformanceSchema, es: EsReferee, rng: Rng): DeepMessage[] {
  const out: DeepMessage[] = [];
  for (const chain of schema.deep)
    for (const target of DEEP_TARGETS) {
      const { bytes, depth } = buildChain(es, es.message(schema.top), chain, target, rng);
      out.push({ label: `${chain.label}, ${depth} deep`, bytes });
    }
  return out;
}

/**
 * protobuf-es reads binary at most 100 messages deep counting the top one and not map entries;
 * protoc 100 below the top one, map entries counted. Where they disagree the product follows
 * protoc (docs/format-choices.md), so the JSON comparisons read the binary with protobuf-es'
 * limit lifted to this, and a message protoc refuses must be refused for JSON too.
 */
const LIFTED = 10_000;

/** Runs every deep message through the five comparisons; passed when all that apply agree. */
export function runDeep(
  schema: ConformanceSchema,
  deep: readonly DeepMessage[],
  protoc: ProtocSchema,
  es: EsReferee,
  registry: SchemaRegistry,
  result: CategoryResult,
): void {
  const top = registry.findMessage(schema.top)!;
  const resolveType = (name: string) => registry.findMessage(name);
  const lifted = { recursionLimit: LIFTED };
  for (const { label, bytes } of deep) {
    const differ: string[] = [];
    const check = (what: string, same: boolean, detail: () => string) => {
      if (!same) differ.push(`${what}: ${detail()}`);
    };
    // text out
    const theirText = guard(() => protoc.decode(schema.top, bytes));
    const ourText = guard(() => toText(decodeMessage(bytes, top, { resolveType }), { registry }));
    check('text out', bothRefuse(ourText, theirText) || ourText === theirText, () => `ours ${show(ourText)} theirs ${show(theirText)}`);
    // text in, from protoc's text; past protoc's binary limit (its text reader has none), from
    // ours printed with the decode limit lifted.
    const text =
      theirText instanceof Error
        ? guard(() => toText(decodeMessage(bytes, top, { resolveType, limits: { maxDepth: LIFTED } }), { registry }))
        : theirText;
    if (!(text instanceof Error)) {
      const theirs = guard(() => hex(protoc.encode(schema.top, text)));
      const ours = guard(() => hex(encodeMessage(fromText(text, top, { registry }), new Uint8Array(0))));
      check('text in', bothRefuse(ours, theirs) || ours === theirs, () => `ours ${show(ours)} theirs ${show(theirs)}`);
    } else check('text in', false, () => `printing with the limit lifted failed: ${text.message}`);
    // JSON out: refused where protoc refuses the binary, else as protobuf-es prints it.
    const ourJson = guard(() => toJson(decodeMessage(bytes, top, { resolveType }), { registry }));
    const theirJson = theirText instanceof Error ? theirText : guard(() => es.toJson(schema.top, bytes, lifted));
    const sameOut =
      bothRefuse(ourJson, theirJson) || (!(ourJson instanceof Error) && !(theirJson instanceof Error) && sameJson(ourJson, theirJson));
    check('JSON out', sameOut, () => `ours ${show(ourJson, canonical)} theirs ${show(theirJson, canonical)}`);
    // JSON in, from protobuf-es' JSON; JSON read back, our JSON read by protobuf-es
    if (!(theirJson instanceof Error)) {
      const json = JSON.stringify(theirJson);
      const theirs = guard(() => hex(es.fromJson(schema.top, json)));
      const ours = guard(() =>
        hex(es.reserialize(schema.top, encodeMessage(fromJson(json, top, { registry }), new Uint8Array(0)), lifted)),
      );
      check('JSON in', bothRefuse(ours, theirs) || ours === theirs, () => `ours ${show(ours)} theirs ${show(theirs)}`);
      if (!(ourJson instanceof Error)) {
        const back = guard(() => hex(es.fromJson(schema.top, JSON.stringify(ourJson))));
        check('JSON read back', bothRefuse(back, theirs) || back === theirs, () => `read as ${show(back)} theirs ${show(theirs)}`);
      }
    }
    record(result, differ.length === 0, () => `${schema.syntax} ${label} (${hex(bytes)}):\n${differ.join('\n').slice(0, 4000)}`);
  }
}

const bothRefuse = (a: unknown, b: unknown) => a instanceof Error && b instanceof Error;

/**
 * A chain from `top`: the fields of `chain.path`, then `chain.step` over and over until the
 * chain holds `target` messages (a map field adds two: its entry and the value), each level
 * with generated scalars of its own, ending in a generated message without nested ones.
 * Returns the bytes and the depth reached.
 */
function buildChain(es: EsReferee, top: DescMessage, chain: DeepChain, target: number, rng: Rng): { bytes: Uint8Array; depth: number } {
  const levels: DescField[] = [];
  const holders: DescMessage[] = []; // the message holding each level's field
  let desc = top;
  let depth = 1;
  const follow = (name: string) => {
    const field = desc.fields.find((f) => f.name === name);
    const next = field && messageOf(field);
    if (!field || !next) throw new Error(`deep chain ${chain.label}: ${desc.typeName} has no message field ${name}`);
    levels.push(field);
    holders.push(desc);
    depth += field.fieldKind === 'map' ? 2 : 1;
    desc = next;
  };
  for (const name of chain.path) follow(name);
  for (let i = 0; depth < target; i++) follow(chain.step[i % chain.step.length]);
  const flat = (d: DescMessage) =>
    generateMessage(d, es.registry, rng, {
      maxDepth: 0,
      undeclaredEnumValues: false,
      messageSetItems: false,
      repeatSingularMessages: false,
      unknownFields: false,
    });
  // Every level holds scalars of its own (required ones always) beside the next, but the
  // well-known types, whose kinds would compete with the chain's.
  const own = (d: DescMessage) => (d.typeName.startsWith('google.protobuf.') ? new Uint8Array(0) : flat(d));
  let bytes = flat(desc);
  for (let k = levels.length - 1; k >= 0; k--) bytes = concat(own(holders[k]), wrap(levels[k], bytes));
  return { bytes, depth };
}

const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/** The message type a field holds (singular, listed or as map values), if it holds one. */
function messageOf(field: DescField): DescMessage | undefined {
  if (field.fieldKind === 'message') return field.message;
  if (field.fieldKind === 'list' && field.listKind === 'message') return field.message;
  if (field.fieldKind === 'map' && field.mapKind === 'message') return field.message;
  return undefined;
}

/** `inner` as the value of `field` in a message holding only it. */
function wrap(field: DescField, inner: Uint8Array): Uint8Array {
  const w = new BinaryWriter();
  if (field.fieldKind === 'map') {
    if (field.mapKey !== ScalarType.STRING) throw new Error(`deep chains step through string-keyed maps only (${field.name})`);
    const entry = new BinaryWriter().tag(1, WireType.LengthDelimited).string('k').tag(2, WireType.LengthDelimited).bytes(inner).finish();
    w.tag(field.number, WireType.LengthDelimited).bytes(entry);
  } else if ((field.fieldKind === 'message' || (field.fieldKind === 'list' && field.listKind === 'message')) && field.delimitedEncoding)
    w.tag(field.number, WireType.StartGroup).raw(inner).tag(field.number, WireType.EndGroup);
  else w.tag(field.number, WireType.LengthDelimited).bytes(inner);
  return w.finish();
}
