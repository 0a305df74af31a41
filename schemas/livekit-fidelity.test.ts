/**
 * Proves schemas/livekit is wire-identical to @livekit/protocol (the version livekit-server-sdk
 * pins): same fields and enums for every exported type, and random messages that round-trip
 * between the package's classes and our schema byte for byte and JSON for JSON.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import protobuf from 'protobufjs';
import protojson from 'protobufjs/ext/protojson.js';
import * as livekit from '@livekit/protocol';
import type { EnumType, FieldInfo, MessageType } from '@bufbuild/protobuf';
import { loadSchemas } from '../core-node/schema/load-schemas';
import type { SchemaRegistry } from '../core/schema/registry';
import { decodeMessage } from '../core/document/decode';
import { encodeMessage } from '../core/document/encode';
import { fromJson, toJson } from '../core/format';
import { LIVEKIT_DIR, listProtoFiles, loadProtoRoot } from './schema-files';
import { runProtoc } from '../testing/protoc';
import { RandomMessages, collectExports } from './livekit-random';

const SCALARS: Record<number, string> = {
  1: 'double',
  2: 'float',
  3: 'int64',
  4: 'uint64',
  5: 'int32',
  6: 'fixed64',
  7: 'fixed32',
  8: 'bool',
  9: 'string',
  12: 'bytes',
  13: 'uint32',
  15: 'sfixed32',
  16: 'sfixed64',
  17: 'sint32',
  18: 'sint64',
};

const { messages, enums } = collectExports(livekit as unknown as Record<string, unknown>);
let root: protobuf.Root;
let registry: SchemaRegistry;

beforeAll(async () => {
  root = loadProtoRoot(LIVEKIT_DIR);
  registry = await loadSchemas({ bundled: true });
});

/** JSON with object keys sorted, so member order (not significant in JSON) does not matter. */
function canonical(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (typeof x === 'bigint') return x.toString();
    if (Array.isArray(x)) return x.map(sort);
    if (x && typeof x === 'object')
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, sort((x as Record<string, unknown>)[k])]),
      );
    return x;
  };
  return JSON.stringify(sort(v));
}

/** The proto3 JSON name protoc derives from a field name. */
function jsonNameOf(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/_/g, '');
}

/** How a field looks, reduced to what matters on the wire and in JSON. */
function describeEs(f: FieldInfo): string {
  const kindOf = (kind: string, T: unknown): string =>
    kind === 'scalar' ? SCALARS[T as number] : `${kind}:${(T as { typeName: string }).typeName}`;
  const type = f.kind === 'map' ? `map<${SCALARS[f.K]},${kindOf(f.V.kind, f.V.T)}>` : kindOf(f.kind, f.T);
  const label = f.kind === 'map' ? '' : f.repeated ? 'repeated ' : f.opt ? 'optional ' : '';
  const packed =
    f.repeated && f.kind !== 'map' && f.kind !== 'message' && !(f.kind === 'scalar' && (f.T === 9 || f.T === 12))
      ? f.packed
        ? ' packed'
        : ' unpacked'
      : '';
  const oneof = f.oneof ? ` oneof:${f.oneof.name}` : '';
  return `${f.no} ${f.name} ${label}${type}${oneof}${packed} json:${f.jsonName}`;
}

function describeOurs(f: protobuf.Field): string {
  const kindOf = (typeName: string, resolved: protobuf.Type | protobuf.Enum | null): string => {
    if (resolved instanceof protobuf.Enum) return `enum:${resolved.fullName.slice(1)}`;
    if (resolved instanceof protobuf.Type) return `message:${resolved.fullName.slice(1)}`;
    return typeName;
  };
  const type = f instanceof protobuf.MapField ? `map<${f.keyType},${kindOf(f.type, f.resolvedType)}>` : kindOf(f.type, f.resolvedType);
  const proto3Optional = !!f.options?.proto3_optional || (!!f.partOf && f.partOf.oneof.length === 1 && f.partOf.name === `_${f.name}`);
  const label = f instanceof protobuf.MapField ? '' : f.repeated ? 'repeated ' : proto3Optional ? 'optional ' : '';
  const isScalarPackable =
    f.repeated &&
    !(f instanceof protobuf.MapField) &&
    !(f.resolvedType instanceof protobuf.Type) &&
    f.type !== 'string' &&
    f.type !== 'bytes';
  const packed = isScalarPackable ? (f.packed ? ' packed' : ' unpacked') : '';
  const oneof = f.partOf && !proto3Optional ? ` oneof:${f.partOf.name}` : '';
  const json = (f.options?.json_name as string | undefined) ?? jsonNameOf(f.name);
  return `${f.id} ${f.name} ${label}${type}${oneof}${packed} json:${json}`;
}

describe('schemas/livekit compile', () => {
  it('every file compiles with protoc', () => {
    const files = listProtoFiles(LIVEKIT_DIR);
    expect(files.length).toBeGreaterThanOrEqual(12);
    runProtoc(['-I', LIVEKIT_DIR, '--descriptor_set_out=/dev/null', ...files]);
  });
});

describe('schemas/livekit structure matches @livekit/protocol', () => {
  it('has every exported message with the same fields', () => {
    let fieldCount = 0;
    const problems: string[] = [];
    for (const t of messages) {
      let ours: protobuf.Type;
      try {
        ours = root.lookupType(t.typeName);
      } catch {
        problems.push(`missing message ${t.typeName}`);
        continue;
      }
      const theirs = (t.fields.list() as FieldInfo[]).map(describeEs).sort();
      const mine = ours.fieldsArray.map(describeOurs).sort();
      if (JSON.stringify(theirs) !== JSON.stringify(mine)) {
        problems.push(`${t.typeName}:\n  theirs: ${theirs.join('\n          ')}\n  ours:   ${mine.join('\n          ')}`);
      }
      fieldCount += theirs.length;
    }
    expect(problems).toEqual([]);
    expect(messages.length).toBeGreaterThan(400);
    console.log(`livekit fidelity: ${messages.length} message types, ${fieldCount} fields checked`);
  });

  it('has every enum (exported or used by a field) with the same values', () => {
    const all = new Map<string, EnumType>(enums.map((e) => [e.typeName, e]));
    for (const t of messages) {
      for (const f of t.fields.list() as FieldInfo[]) {
        if (f.kind === 'enum') all.set(f.T.typeName, f.T);
        if (f.kind === 'map' && f.V.kind === 'enum') all.set(f.V.T.typeName, f.V.T);
      }
    }
    const problems: string[] = [];
    let valueCount = 0;
    for (const e of all.values()) {
      let ours: protobuf.Enum;
      try {
        ours = root.lookupEnum(e.typeName);
      } catch {
        problems.push(`missing enum ${e.typeName}`);
        continue;
      }
      const theirs = e.values.map((v) => `${v.name}=${v.no}`).sort();
      const mine = Object.entries(ours.values)
        .map(([k, v]) => `${k}=${v}`)
        .sort();
      if (JSON.stringify(theirs) !== JSON.stringify(mine)) problems.push(`${e.typeName}: theirs ${theirs} ours ${mine}`);
      valueCount += theirs.length;
    }
    expect(problems).toEqual([]);
    console.log(`livekit fidelity: ${all.size} enums, ${valueCount} enum values checked`);
  });

  it('defines no livekit type the package does not have', () => {
    const known = new Set<string>();
    for (const t of messages) known.add(t.typeName);
    for (const e of enums) known.add(e.typeName);
    const extra: string[] = [];
    const walk = (ns: protobuf.NamespaceBase): void => {
      for (const child of ns.nestedArray) {
        const name = child.fullName.slice(1);
        if ((child instanceof protobuf.Type || child instanceof protobuf.Enum) && name.startsWith('livekit.')) {
          // map entry types are synthetic; types only the package's unexported files define are allowed
          if (!known.has(name)) extra.push(name);
        }
        if (child instanceof protobuf.Namespace || child instanceof protobuf.Type) walk(child as protobuf.NamespaceBase);
      }
    };
    walk(root);
    // Types from the files the package ships in src/gen but does not re-export from its index are
    // fine (internal, cloud agent, agent DB, phone numbers, agent worker); nothing else may be extra.
    const unexported = [
      'livekit_internal.proto',
      'livekit_cloud_agent.proto',
      'livekit_agentdb.proto',
      'livekit_phone_number.proto',
      'livekit_agent_worker.proto',
    ];
    const stray = extra.filter((n) => {
      const file = (root.lookup(n) as protobuf.ReflectionObject).filename ?? '';
      return !unexported.some((u) => file.endsWith(`/${u}`));
    });
    expect(stray).toEqual([]);
    console.log(
      `livekit fidelity: ${extra.length} further types from the package's unexported files (internal, cloud agent, agent DB, phone numbers, worker)`,
    );
  });

  it('declares the services and rpcs of the public API', () => {
    const rpcs = (svc: string): string[] => Object.keys(root.lookupService(svc).methods).sort();
    expect(rpcs('livekit.RoomService')).toEqual(
      expect.arrayContaining([
        'CreateRoom',
        'ListRooms',
        'DeleteRoom',
        'ListParticipants',
        'GetParticipant',
        'RemoveParticipant',
        'MutePublishedTrack',
        'UpdateParticipant',
        'UpdateSubscriptions',
        'SendData',
        'UpdateRoomMetadata',
      ]),
    );
    expect(rpcs('livekit.Egress')).toEqual(
      expect.arrayContaining(['StartRoomCompositeEgress', 'StartTrackEgress', 'ListEgress', 'StopEgress']),
    );
    expect(rpcs('livekit.Ingress')).toEqual(expect.arrayContaining(['CreateIngress', 'UpdateIngress', 'ListIngress', 'DeleteIngress']));
    expect(rpcs('livekit.SIP')).toEqual(expect.arrayContaining(['CreateSIPParticipant', 'TransferSIPParticipant', 'ListSIPInboundTrunk']));
    expect(rpcs('livekit.AgentDispatchService')).toEqual(['CreateDispatch', 'DeleteDispatch', 'ListDispatch']);
    const m = root.lookupService('livekit.RoomService').methods.CreateRoom;
    expect([m.resolvedRequestType?.fullName, m.resolvedResponseType?.fullName]).toEqual(['.livekit.CreateRoomRequest', '.livekit.Room']);
  });
});

describe('schemas/livekit random cross-check with @livekit/protocol', () => {
  const ROUNDS = 5;
  const SLOW = 120_000; // thousands of messages; generous for loaded CI machines
  it(
    `schema files alone (protobufjs): random messages of every exported type give the same JSON and bytes (${ROUNDS} per type)`,
    () => {
      const gen = new RandomMessages(20260522);
      let checked = 0;
      const problems: string[] = [];
      for (const t of messages as MessageType[]) {
        const ours = root.lookupType(t.typeName);
        for (let i = 0; i < ROUNDS; i++) {
          const msg = gen.message(t);
          const bytes = msg.toBinary();
          const theirJson = msg.toJson();
          // our decode → JSON
          const decoded = ours.decode(bytes);
          const ourJson = protojson.toJson(ours, decoded);
          // our encode of their JSON
          const reencoded = ours.encode(protojson.fromJson(ours, theirJson)).finish();
          if (canonical(ourJson) !== canonical(theirJson)) {
            problems.push(`${t.typeName} #${i}: JSON differs\n theirs ${JSON.stringify(theirJson)}\n ours   ${JSON.stringify(ourJson)}`);
          } else if (Buffer.compare(Buffer.from(reencoded), Buffer.from(bytes)) !== 0) {
            problems.push(
              `${t.typeName} #${i}: bytes differ\n theirs ${Buffer.from(bytes).toString('hex')}\n ours   ${Buffer.from(reencoded).toString('hex')}`,
            );
          }
          checked++;
          if (problems.length > 20) break;
        }
      }
      expect(problems.slice(0, 10)).toEqual([]);
      console.log(`livekit fidelity (protobufjs): ${checked} random messages cross-checked (decode → JSON, JSON → encode)`);
    },
    SLOW,
  );

  it(
    `Protodesk engine (bundled loader, decodeMessage, toJson, fromJson, encodeMessage): same JSON and bytes (${ROUNDS} per type)`,
    () => {
      const gen = new RandomMessages(20261122);
      let checked = 0;
      const problems: string[] = [];
      for (const t of messages as MessageType[]) {
        const ours = registry.findMessage(t.typeName);
        if (!ours) {
          problems.push(`${t.typeName}: not in the bundled registry`);
          continue;
        }
        for (let i = 0; i < ROUNDS && problems.length <= 20; i++) {
          const msg = gen.message(t);
          const bytes = msg.toBinary();
          const theirJson = msg.toJson();
          try {
            const doc = decodeMessage(bytes, ours);
            // byte-exact round trip of an unmodified document
            if (Buffer.compare(Buffer.from(encodeMessage(doc, bytes)), Buffer.from(bytes)) !== 0)
              problems.push(`${t.typeName} #${i}: unmodified re-encode differs`);
            const ourJson = toJson(doc);
            if (canonical(ourJson) !== canonical(theirJson)) {
              problems.push(`${t.typeName} #${i}: JSON differs\n theirs ${JSON.stringify(theirJson)}\n ours   ${canonical(ourJson)}`);
              continue;
            }
            // As JSON text: fromJson reads a JS string as JSON text, and a Timestamp's JSON value is a string.
            const reencoded = encodeMessage(fromJson(msg.toJsonString(), ours), new Uint8Array(0));
            if (Buffer.compare(Buffer.from(reencoded), Buffer.from(bytes)) !== 0) {
              problems.push(
                `${t.typeName} #${i}: bytes differ\n theirs ${Buffer.from(bytes).toString('hex')}\n ours   ${Buffer.from(reencoded).toString('hex')}`,
              );
            }
          } catch (e) {
            problems.push(`${t.typeName} #${i}: ${(e as Error).message}`);
          }
          checked++;
        }
      }
      expect(problems.slice(0, 10)).toEqual([]);
      console.log(
        `livekit fidelity (engine): ${checked} random messages cross-checked (decode → toJson, fromJson → encode, unmodified re-encode)`,
      );
    },
    SLOW,
  );

  it('protoc decodes package-encoded messages with our schema (no unknown fields)', () => {
    const gen = new RandomMessages(7);
    for (const name of [
      'livekit.SignalResponse',
      'livekit.SignalRequest',
      'livekit.WebhookEvent',
      'livekit.EgressInfo',
      'livekit.DataPacket',
    ]) {
      const t = messages.find((m) => m.typeName === name)!;
      const bytes = gen.message(t).toBinary();
      const text = runProtoc(
        [
          '-I',
          LIVEKIT_DIR,
          `--decode=${name}`,
          'livekit_rtc.proto',
          'livekit_webhook.proto',
          'livekit_egress.proto',
          'livekit_models.proto',
        ],
        bytes,
      ).toString();
      // protoc prints unknown fields as bare numbers ("12: 3"); a faithful schema leaves none.
      expect(text).not.toMatch(/^\s*\d+\s*[:{]/m);
    }
  });
});
