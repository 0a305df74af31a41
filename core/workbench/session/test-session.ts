/**
 * What the session's tests share: a small schema (t.Box, t.Item), in-memory files, a t.Box and
 * a big one built byte by byte, sessions over them, a fake clock and an in-memory recovery journal.
 */
import { loadSchemaSources } from '../../schema/registry';
import { WireWriter } from '../../wire/wire-writer';
import { WireType } from '../../wire/wire-types';
import type { SchemaStatus } from '../../api/contract';
import { decodeTagged, encodeTagged } from '../../api/tagged-json';
import type { FileHost, RecoveryHistory, RecoveryMeta, RecoveryStore, SchemaHost, Schemas } from '../engine';
import { createCoreEngine } from '../core-engine';
import { createSession, type SessionOptions } from './session';

/** t.Box and t.Item, with a repeated message, a packed field, an enum and a oneof. */
export const PROTO = `syntax = "proto3";
package t;
message Item { string label = 1; int64 count = 2; }
message Box {
  string name = 1;
  uint32 size = 2;
  repeated Item items = 3;
  repeated int32 codes = 4;
  bool open = 5;
  Kind kind = 6;
  oneof pick { string a = 7; int32 b = 8; }
}
enum Kind { KIND_UNSPECIFIED = 0; SMALL = 1; LARGE = 2; }
`;

/** UTF-8 bytes of a string. */
export const utf8 = (t: string) => new TextEncoder().encode(t);

const registry = loadSchemaSources([{ name: 't.proto', contents: PROTO }]);
/** The t.proto types as the session sees them. */
export const schemas: Schemas = {
  registry,
  types: () => registry.messageTypes().map((t) => ({ name: t.fullName.slice(1) })),
  messageTypes: () => registry.messageTypes(),
  find: (n) => registry.findMessage(n) ?? null,
  describe: () => [],
};
const status: SchemaStatus = { families: [], protoFiles: [], importPaths: [], descriptorSets: [], uploads: [], typeCount: 2, errors: [] };
/** Schemas that never change: t.proto. */
export const schemaHost: SchemaHost = {
  current: () => schemas,
  status: () => status,
  add: async () => status,
  remove: async () => status,
  reload: async () => status,
};

/** A stand-in content hash (FNV-1a, 32 bits, hex) of bytes or parts. */
export function contentHash(bytes: Uint8Array | readonly Uint8Array[]): string {
  let h = 0x811c9dc5;
  for (const part of bytes instanceof Uint8Array ? [bytes] : bytes) {
    for (const b of part) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Files and host state in memory (`disk` and `state` to look at them). */
export function memoryFiles(initial: Record<string, Uint8Array> = {}) {
  const disk = new Map(Object.entries(initial));
  const state = new Map<string, unknown>();
  const host: FileHost = {
    read: async (p) => {
      const b = disk.get(p);
      if (!b) throw new Error(`${p}: no such file`);
      return b;
    },
    writeAtomic: async (p, b, options) => {
      if (options?.refuseExisting && disk.has(p)) throw Object.assign(new Error(`${p} exists`), { name: 'FileExistsError' });
      disk.set(p, b instanceof Uint8Array ? b.slice() : new Uint8Array((b as Uint8Array[]).flatMap((x) => [...x])));
    },
    resolve: (p, from = '/work') => (p.startsWith('/') ? p : `${from}/${p}`),
    isAbsolute: (p) => p.startsWith('/'),
    hashBytes: async (b) => contentHash(b),
    hashFile: async (p) => (disk.has(p) ? contentHash(disk.get(p)!) : null),
    basename: (p) => p.slice(p.lastIndexOf('/') + 1),
    dirname: (p) => p.slice(0, Math.max(1, p.lastIndexOf('/'))),
    getState: <T>(k: string) => state.get(k) as T | undefined,
    setState: (k, v) => void state.set(k, v),
  };
  return { host, disk, state };
}

/** A t.Box: name "crate", size 12, two items, packed codes [1, 300], open true, kind LARGE. */
export function boxBytes(): Uint8Array {
  const item = (label: string, count: bigint) =>
    new WireWriter().tag(1, WireType.LEN).lengthDelimited(utf8(label)).tag(2, WireType.VARINT).varint64(count).finish().slice();
  const w = new WireWriter();
  w.tag(1, WireType.LEN).lengthDelimited(utf8('crate')); // string name = 1
  w.tag(2, WireType.VARINT).uvarint(12); // uint32 size = 2
  const i1 = item('apple', 3n);
  w.tag(3, WireType.LEN).uvarint(i1.length).raw(i1); // Item items = 3
  const i2 = item('pear', 9007199254740993n);
  w.tag(3, WireType.LEN).uvarint(i2.length).raw(i2); // Item items = 3 (a count beyond 2^53)
  w.tag(4, WireType.LEN).uvarint(3).uvarint(1).uvarint(300); // packed int32 codes = 4: 1, 300
  w.tag(5, WireType.VARINT).uvarint(1); // bool open = 5
  w.tag(6, WireType.VARINT).uvarint(2); // Kind kind = 6: LARGE
  return w.finish().slice();
}

/** A session over t.proto and in-memory files. */
export function session(files = memoryFiles().host) {
  return createSession({ engine: createCoreEngine(), schemas: schemaHost, files });
}

/** A t.Box with `n` items (label "item-<i>", count i): 1 + 3n nodes, the items being nested messages. */
export function manyItems(n: number): Uint8Array {
  const w = new WireWriter();
  w.tag(1, WireType.LEN).lengthDelimited(utf8('crate')); // string name = 1
  for (let i = 0; i < n; i++) {
    const item = new WireWriter()
      .tag(1, WireType.LEN)
      .lengthDelimited(utf8(`item-${i}`))
      .tag(2, WireType.VARINT)
      .uvarint(i)
      .finish()
      .slice();
    w.tag(3, WireType.LEN).uvarint(item.length).raw(item); // Item items = 3 { label = 1, count = 2 }
  }
  return w.finish().slice();
}

/** A scheduler whose clock moves 100 ms per reading; counts the yields of long operations. */
export function fakeClock() {
  let t = 0;
  const clock = {
    yields: 0,
    scheduler: {
      after: () => () => undefined,
      every: () => () => undefined,
      now: () => (t += 100),
      yieldToEvents: async () => {
        clock.yields++;
      },
    },
  };
  return clock;
}

/** Rows as their names, a dot per level of depth. */
export const names = (rows: readonly { depth: number; name: string }[]) => rows.map((r) => `${'.'.repeat(r.depth)}${r.name}`);

/**
 * A recovery journal in memory, shared by the sessions made from it; each session sees only the
 * others' entries (as after a crash). What it keeps goes through tagged JSON, as on disk.
 */
export function memoryJournal() {
  const entries = new Map<string, { text: string; bytes: Uint8Array }>();
  let sessions = 0;
  const store = (): RecoveryStore => {
    const own = `s${++sessions}`;
    const others = () => [...entries.keys()].filter((k) => !k.startsWith(`${own}-`));
    const read = (id: string) => {
      const e = entries.get(id);
      if (!e || !others().includes(id)) throw new Error(`no recoverable document ${id}`);
      return { ...decodeTagged<{ meta: RecoveryMeta; history?: RecoveryHistory }>(e.text), bytes: e.bytes };
    };
    return {
      write: async (docId, meta, bytes, history) => {
        const parts = bytes instanceof Uint8Array ? [bytes] : bytes;
        entries.set(`${own}-${docId}`, { text: encodeTagged({ meta, history }), bytes: new Uint8Array(parts.flatMap((p) => [...p])) });
      },
      remove: async (docId) => void entries.delete(`${own}-${docId}`),
      list: async () => others().map((id) => ({ id, meta: read(id).meta, size: entries.get(id)!.bytes.length })),
      read: async (id) => read(id),
      discard: async (id) => void entries.delete(id),
    };
  };
  return {
    entries,
    session: (options: Partial<SessionOptions> = {}) =>
      createSession({ engine: createCoreEngine(), schemas: schemaHost, files: memoryFiles().host, recovery: store(), ...options }),
  };
}

/** Whether each row is marked modified, by its name (with its repeated index). */
export async function marks(s: ReturnType<typeof session>, docId: string): Promise<string[]> {
  const { rows } = await s.api.getRows({ docId, message: 0, start: 0, count: 100 });
  return rows.filter((r) => r.modified).map((r) => `${r.name}${r.repeated ? `[${r.repeated.index}]` : ''}`);
}
