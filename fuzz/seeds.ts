/**
 * Seeds for the fuzzer: the binary samples in samples/ (with their types from
 * samples/index.json), the first messages of the stream samples, and a few built-in seeds
 * used when samples/ is not there. Each single-message seed also carries its JSON and text
 * prints (the starting points for JSON / text-parse mutations).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Type } from 'protobufjs';
import { decodeMessage } from '../core/document/decode';
import { indexStream, messageAt } from '../core/stream/stream-framing';
import { toJsonString, toText } from '../core/format';
import type { FuzzEnv } from './fuzz-case';
import { tag, varint } from './wire-map';

/** One seed input. */
export interface Seed {
  /** Where it came from (a sample file, or "builtin:..."). */
  name: string;
  bytes: Uint8Array;
  /** Its message type (full name); null when none is known. */
  typeName: string | null;
  /** True for a multi-message stream file. */
  stream: boolean;
  /** Printed JSON / text of the decoded seed (when it decodes and prints). */
  json?: string;
  text?: string;
  /** Field names (proto and JSON) of the type and its nested types, for name swaps. */
  fieldNames: string[];
}

interface SampleEntry {
  file: string;
  type: string;
  framing: 'single' | 'delimited' | 'grpc';
}

const bytesOf = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());
const str = (s: string): number[] => [...new TextEncoder().encode(s)];
const len = (fn: number, body: number[]): number[] => [...tag(fn, 2), ...varint(body.length), ...body];

/** Small hand-made seeds (every wire type, nesting, a group, packed values), used when samples/ is missing. */
export function builtinSeeds(): { name: string; bytes: Uint8Array; typeName: string }[] {
  return [
    // livekit.Room: sid = 1 "RM_1", name = 2 "room", empty_timeout = 3 300, creation_time = 5 (int64), num_participants = 9 3
    {
      name: 'builtin:room',
      typeName: 'livekit.Room',
      bytes: bytesOf(len(1, str('RM_1')), len(2, str('room')), tag(3, 0), varint(300), tag(5, 0), varint(1_700_000_000n), tag(9, 0), [3]),
    },
    // livekit.DataPacket: kind = 1 LOSSY, user = 2 { payload = 2 "hi" }, destination_identities = 5 "a", "b"
    {
      name: 'builtin:data-packet',
      typeName: 'livekit.DataPacket',
      bytes: bytesOf(tag(1, 0), [1], len(2, len(2, str('hi'))), len(5, str('a')), len(5, str('b'))),
    },
    // livekit.Room with unknown fields of every wire type: 900 varint, 901 i64, 902 len, 903 group { 1: 1 }, 904 i32
    {
      name: 'builtin:unknown',
      typeName: 'livekit.Room',
      bytes: bytesOf(
        len(2, str('x')),
        tag(900, 0),
        varint(2n ** 63n),
        tag(901, 1),
        [1, 2, 3, 4, 5, 6, 7, 8],
        len(902, [1, 2]),
        tag(903, 3),
        tag(1, 0),
        [1],
        tag(903, 4),
        tag(904, 5),
        [9, 9, 9, 9],
      ),
    },
    // livekit.SignalRequest: trickle = 3 { candidateInit = 1 "c", target = 2 SUBSCRIBER }
    {
      name: 'builtin:signal-request',
      typeName: 'livekit.SignalRequest',
      bytes: bytesOf(len(3, [...len(1, str('candidate:1')), ...tag(2, 0), 1])),
    },
    // livekit.SignalRequest ping = 14 (int64) as a 10-byte negative varint
    { name: 'builtin:ping', typeName: 'livekit.SignalRequest', bytes: bytesOf(tag(14, 0), varint(2n ** 64n - 1n)) },
  ];
}

function fieldNamesOf(type: Type | undefined): string[] {
  const names = new Set<string>();
  const visit = (t: Type, depth: number): void => {
    for (const f of t.fieldsArray) {
      names.add(f.name);
      if (f.jsonName) names.add(f.jsonName);
      if (depth < 2 && f.resolvedType && 'fieldsArray' in f.resolvedType) visit(f.resolvedType as Type, depth + 1);
    }
  };
  if (type) visit(type, 0);
  return [...names].slice(0, 200);
}

function withPrints(env: FuzzEnv, seed: Omit<Seed, 'fieldNames'>): Seed {
  const type = seed.typeName ? env.typeByName.get(seed.typeName) : undefined;
  const out: Seed = { ...seed, fieldNames: fieldNamesOf(type) };
  if (!type || seed.stream) return out;
  try {
    const root = decodeMessage(seed.bytes, type, { resolveType: (n) => env.registry.findMessage(n) });
    try {
      out.json = toJsonString(root, { registry: env.registry });
    } catch {
      // not printable as JSON: no JSON seed
    }
    try {
      out.text = toText(root);
    } catch {
      // not printable as text
    }
  } catch {
    // does not decode strictly: no prints
  }
  return out;
}

/** Loads the seeds: samples/ (index.json) when present, plus the built-in ones; types must exist in env. */
export function loadSeeds(env: FuzzEnv, samplesDir: string): Seed[] {
  const seeds: Seed[] = [];
  const indexFile = join(samplesDir, 'index.json');
  if (existsSync(indexFile)) {
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as { samples: SampleEntry[] };
    for (const s of index.samples) {
      const p = join(samplesDir, s.file);
      if (!existsSync(p)) continue;
      const bytes = new Uint8Array(readFileSync(p));
      const typeName = env.typeByName.has(s.type) ? s.type : null;
      if (s.framing === 'single') {
        seeds.push(withPrints(env, { name: s.file, bytes, typeName, stream: false }));
        continue;
      }
      seeds.push(withPrints(env, { name: s.file, bytes, typeName, stream: true }));
      // The first messages of a stream are single-message seeds too, and so is a short stream of them.
      const ix = indexStream(bytes, s.framing);
      let end = 0;
      for (let i = 0; i < Math.min(3, ix.count); i++) {
        seeds.push(withPrints(env, { name: `${s.file}#${i}`, bytes: messageAt(ix, i).slice(), typeName, stream: false }));
        end = ix.offsets[i] + ix.lengths[i];
      }
      if (end > 0) seeds.push(withPrints(env, { name: `${s.file}[0..3]`, bytes: bytes.slice(0, end), typeName, stream: true }));
    }
  }
  for (const b of builtinSeeds()) {
    if (env.typeByName.has(b.typeName)) seeds.push(withPrints(env, { name: b.name, bytes: b.bytes, typeName: b.typeName, stream: false }));
    else seeds.push(withPrints(env, { name: b.name, bytes: b.bytes, typeName: null, stream: false }));
  }
  return seeds;
}
