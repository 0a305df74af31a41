/**
 * Benchmark inputs: an inline bench schema and seeded, deterministic generators that write
 * their bytes to .bench/ (git-ignored). A file is rebuilt only when its name (which holds the
 * generator version, size and seed) is missing.
 */
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import type { Type } from 'protobufjs';

/** Where generated inputs live. */
export const BENCH_DIR = join(process.cwd(), '.bench');

/** Bumped whenever a generator changes its output, so stale files are not reused. */
const GENERATOR_VERSION = 2;

/** The bench schema: nested messages, strings, packed ints, 64-bit ints, bytes; and a small stream event. */
export const BENCH_PROTO = `
syntax = "proto3";
package bench;

message Dataset {
  repeated Record records = 1;
  string name = 2;
}

message Record {
  uint64 id = 1;
  string title = 2;
  repeated int32 samples = 3;        // packed
  Inner inner = 4;
  repeated string tags = 5;
  double score = 6;
  bytes blob = 7;
}

message Inner {
  int64 ts = 1;
  string note = 2;
  repeated sint32 deltas = 3;        // packed
  Leaf leaf = 4;
}

message Leaf {
  bool flag = 1;
  fixed32 code = 2;
  string label = 3;
}

message Event {
  uint64 seq = 1;
  string kind = 2;
  int64 ts = 3;
  repeated int32 vals = 4;           // packed
  string payload = 5;
}
`;

/** The parsed bench schema's types. */
export interface BenchTypes {
  dataset: Type;
  record: Type;
  event: Type;
}

/** Parses BENCH_PROTO with protobufjs (once per process). */
export function benchTypes(): BenchTypes {
  if (!cached) {
    const root = protobuf.parse(BENCH_PROTO, { keepCase: true }).root;
    root.resolveAll();
    cached = { dataset: root.lookupType('bench.Dataset'), record: root.lookupType('bench.Record'), event: root.lookupType('bench.Event') };
  }
  return cached;
}
let cached: BenchTypes | null = null;

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** A lowercase ASCII word-ish string of the given length. */
  text(len: number): string {
    let s = '';
    for (let i = 0; i < len; i++) s += i % 7 === 6 ? ' ' : String.fromCharCode(97 + this.int(0, 25));
    return s;
  }
  /** Random bytes. */
  bytes(len: number): Uint8Array {
    const b = new Uint8Array(len);
    for (let i = 0; i < len; i++) b[i] = this.int(0, 255);
    return b;
  }
}

/** One bench.Record as a plain object (protobufjs fromObject/encode input). */
export function makeRecord(rng: Rng, i: number): Record<string, unknown> {
  const samples: number[] = [];
  for (let k = rng.int(4, 24); k > 0; k--) samples.push(rng.int(-5000, 500000));
  const deltas: number[] = [];
  for (let k = rng.int(2, 12); k > 0; k--) deltas.push(rng.int(-300, 300));
  const tags: string[] = [];
  for (let k = rng.int(0, 3); k > 0; k--) tags.push(rng.text(rng.int(3, 10)));
  return {
    id: i * 7919 + 1,
    title: `record ${i} ${rng.text(rng.int(8, 40))}`,
    samples,
    inner: {
      ts: 1_700_000_000_000 + i * 1000,
      note: rng.text(rng.int(10, 60)),
      deltas,
      leaf: { flag: (i & 1) === 1, code: rng.int(0, 0xffffffff), label: `leaf-${i}` },
    },
    tags,
    score: rng.next() * 100,
    blob: rng.bytes(rng.int(0, 24)),
  };
}

function ensureDir(): void {
  if (!existsSync(BENCH_DIR)) mkdirSync(BENCH_DIR, { recursive: true });
}

/** Writes a file by chunks from `produce` (which calls write until done), atomically (temp file, then rename). */
function writeFileChunked(path: string, produce: (write: (chunk: Uint8Array) => void) => void): void {
  ensureDir();
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    produce((chunk) => {
      let off = 0;
      while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
    });
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Information about a generated bench.Dataset file. */
export interface DatasetFile {
  path: string;
  bytes: number;
  records: number;
}

/**
 * A bench.Dataset message of at least `targetBytes` (records appended until reached), encoded
 * by protobufjs, written to .bench/ and reused when already there.
 */
export function datasetFile(targetBytes: number, seed = 1): DatasetFile {
  const { record } = benchTypes();
  const path = join(BENCH_DIR, `dataset-v${GENERATOR_VERSION}-${targetBytes}-s${seed}.bin`);
  const meta = `${path}.records`;
  if (existsSync(path) && existsSync(meta)) {
    return { path, bytes: readFileSync(path).length, records: Number(readFileSync(meta, 'utf8')) };
  }
  const rng = new Rng(seed);
  let records = 0;
  let total = 0;
  writeFileChunked(path, (write) => {
    while (total < targetBytes) {
      // Records are appended in batches: Dataset.records is field 1 (LEN), so each record is tag 0x0a + length + body.
      const w = protobuf.Writer.create();
      for (let k = 0; k < 1000 && total + w.len < targetBytes; k++) {
        record.encode(record.fromObject(makeRecord(rng, records++)), w.uint32(0x0a).fork()).ldelim();
      }
      const chunk = w.finish();
      total += chunk.length;
      write(chunk);
    }
    const tail = protobuf.Writer.create().uint32(0x12).string(`bench dataset ${targetBytes} bytes, seed ${seed}`).finish(); // string name = 2
    total += tail.length;
    write(tail);
  });
  writeFileChunked(meta, (write) => write(new TextEncoder().encode(String(records))));
  return { path, bytes: total, records };
}

/** Bytes per node of the Dataset generator, counting packed elements as nodes (as the UI's tree does), measured on its output. */
const DATASET_BYTES_PER_NODE = 5.69;

/** A bench.Dataset message of about `nodes` tree nodes, packed elements included (for the UI tree case). */
export function nodesFile(nodes: number, seed = 6): DatasetFile {
  return datasetFile(Math.round(nodes * DATASET_BYTES_PER_NODE), seed);
}

/** BENCH_PROTO written to .bench/bench.proto (for loading into the app); returns its path. */
export function benchProtoFile(): string {
  const path = join(BENCH_DIR, 'bench.proto');
  writeFileChunked(path, (write) => write(new TextEncoder().encode(BENCH_PROTO)));
  return path;
}

/** Information about a generated stream file. */
export interface StreamFile {
  path: string;
  bytes: number;
  messages: number;
}

/**
 * A varint-delimited stream of `messages` bench.Event messages of about `targetBytes` in total
 * (payload strings sized to hit it), written to .bench/ and reused when already there.
 */
export function streamFile(messages: number, targetBytes: number, seed = 2): StreamFile {
  const { event } = benchTypes();
  const path = join(BENCH_DIR, `stream-v${GENERATOR_VERSION}-${messages}-${targetBytes}-s${seed}.delimited`);
  if (existsSync(path)) return { path, bytes: readFileSync(path).length, messages };
  const rng = new Rng(seed);
  // Everything but the payload takes about 40 bytes per message (prefixes, seq, kind, ts, 6 packed vals).
  const payloadMean = Math.max(0, Math.round(targetBytes / messages - 40));
  let total = 0;
  writeFileChunked(path, (write) => {
    for (let i = 0; i < messages;) {
      const w = protobuf.Writer.create();
      for (let k = 0; k < 10_000 && i < messages; k++, i++) {
        const vals: number[] = [];
        for (let v = 0; v < 6; v++) vals.push(rng.int(0, 100000));
        const msg = {
          seq: i + 1,
          kind: ['join', 'leave', 'publish', 'mute', 'data'][i % 5],
          ts: 1_700_000_000_000 + i * 17,
          vals,
          payload: rng.text(Math.max(0, payloadMean + rng.int(-8, 8))),
        };
        event.encodeDelimited(event.fromObject(msg), w);
      }
      const chunk = w.finish();
      total += chunk.length;
      write(chunk);
    }
  });
  return { path, bytes: total, messages };
}

/** Reads a generated file into memory. */
export function readInput(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/**
 * A hostile google.protobuf.DescriptorProto of about `targetBytes`: nothing but tiny `field`
 * entries (field 2, a FieldDescriptorProto holding `number: N`, 4 to 6 bytes each), so the
 * tree has about one node per two bytes of input. Written to .bench/ and reused when there.
 */
export function descriptorFieldsFile(targetBytes: number): { path: string; bytes: number; fields: number } {
  const path = join(BENCH_DIR, `descriptor-fields-v${GENERATOR_VERSION}-${targetBytes}.bin`);
  if (existsSync(path)) {
    const bytes = readFileSync(path).length;
    return { path, bytes, fields: Number(readFileSync(`${path}.fields`, 'utf8')) };
  }
  let fields = 0;
  let total = 0;
  writeFileChunked(path, (write) => {
    while (total < targetBytes) {
      const w = protobuf.Writer.create();
      for (let k = 0; k < 10_000 && total + w.len < targetBytes; k++) {
        fields++;
        w.uint32(0x12)
          .fork()
          .uint32(0x18)
          .uint32(fields & 0x1fffffff)
          .ldelim(); // field { number: N }
      }
      const chunk = w.finish();
      total += chunk.length;
      write(chunk);
    }
  });
  writeFileChunked(`${path}.fields`, (write) => write(new TextEncoder().encode(String(fields))));
  return { path, bytes: total, fields };
}
