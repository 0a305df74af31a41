/**
 * Case 9: a 16 MB varint-delimited stream of livekit.SignalResponse messages (generated, seeded)
 * decoded and printed as JSON lines: in-process (JsonWriter over decodeMessage, what `decode
 * --format json` runs) against protobufjs decode + toObject + JSON.stringify and protobuf-es v2
 * fromBinary + toJsonString; `bin/protodesk decode --delimited` as a whole process against a
 * plain protobufjs script doing the same; decode with spans of every message of the stream
 * against protobufjs decode and protobuf-es v2 fromBinary; and printed as text format in-process
 * (TextWriter, what `decode --format text` runs) against the previous path, decodeMessage + toText
 * (neither runtime has a text format printer).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Type } from 'protobufjs';
import { fromBinary, toJsonString as esToJsonString } from 'protobuf-es-v2';
import { freshBundle } from '../../bin/cli-bundle.mjs';
import { loadSchemas } from '../../core-node/schema/load-schemas';
import { decodeMessage } from '../../core/document/decode';
import { toJsonString } from '../../core/format/json-print';
import { JsonWriter } from '../../core/format/json-print-fast';
import { toText } from '../../core/format/text-print';
import { TextWriter } from '../../core/format/text-print-fast';
import type { SchemaRegistry } from '../../core/schema/registry';
import { indexStream, messageAt, type StreamIndex } from '../../core/stream/stream-framing';
import { ByteSink } from '../../core/wire/byte-sink';
import type { BenchCase } from '../case';
import { esMessage } from '../es-baseline';
import { countNodes, walkColumnar } from '../tree-walk';
import { BENCH_DIR, Rng } from '../inputs';
import { infoRow, ratioRow } from '../report';
import { formatBytes, formatMs, mbPerSecond, measure } from '../stats';

const GENERATOR_VERSION = 1;
const TYPE = 'livekit.SignalResponse';
const MB = 1024 * 1024;

/** Writes a delimited stream of about `targetBytes` of SignalResponses to .bench/ (reused when there); returns its path. */
function signalStreamFile(registry: SchemaRegistry, targetBytes: number, seed = 9): string {
  const path = join(BENCH_DIR, `signal-v${GENERATOR_VERSION}-${targetBytes}-s${seed}.delimited`);
  if (existsSync(path)) return path;
  mkdirSync(BENCH_DIR, { recursive: true });
  const rng = new Rng(seed);
  const type = registry.findMessage(TYPE)!;
  const track = (i: number) => ({
    sid: `TR_${i}`,
    type: 1,
    name: 'camera',
    width: 1280,
    height: 720,
    mime_type: 'video/VP8',
    muted: i % 3 === 0,
  });
  const participant = (i: number) => ({
    sid: `PA_${i}`,
    identity: `user-${i}`,
    name: rng.text(12),
    state: 2,
    joined_at: 1_747_000_000 + i,
    metadata: rng.text(rng.int(10, 80)),
    tracks: [track(i), track(i + 1)],
    permission: { can_subscribe: true, can_publish: i % 2 === 0, can_publish_data: true },
    version: i,
  });
  const response = (n: number) => {
    switch (n % 6) {
      case 0:
        return { update: { participants: [participant(n % 500), participant((n + 1) % 500)] } };
      case 1:
        return { pong_resp: { last_ping_timestamp: 1_747_000_000_000 + n, timestamp: 1_747_000_000_009 + n } };
      case 2:
        return {
          trickle: {
            candidateInit: `{"candidate":"candidate:${n} 1 udp 2122260223 192.0.2.${n % 250} ${rng.int(1024, 65535)} typ host"}`,
            target: 1,
          },
        };
      case 3:
        return { speakers_changed: { speakers: [{ sid: `PA_${n % 500}`, level: rng.int(0, 100) / 100, active: true }] } };
      case 4:
        return { connection_quality: { updates: [{ participant_sid: `PA_${n % 500}`, quality: 1, score: 4.2 }] } };
      default:
        return n % 600 === 5
          ? {
              join: {
                room: { sid: 'RM_1', name: 'standup', metadata: rng.text(100) },
                participant: participant(0),
                other_participants: Array.from({ length: 20 }, (_, i) => participant(i + 1)),
                server_version: '1.8.0',
              },
            }
          : { room_update: { room: { sid: 'RM_1', name: 'standup', num_participants: n % 50, metadata: rng.text(rng.int(0, 60)) } } };
    }
  };
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    let written = 0;
    for (let n = 0; written < targetBytes; n++) {
      const b = type.encodeDelimited(type.fromObject(response(n))).finish();
      let off = 0;
      while (off < b.length) off += writeSync(fd, b, off, b.length - off);
      written += b.length;
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return path;
}

/** The plain protobufjs script of the whole-process baseline: the schema from JSON, then decode, toObject, JSON.stringify per message. */
const PBJS_SCRIPT = `import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
const [schemaPath, typeName, file] = process.argv.slice(2);
const T = protobuf.Root.fromJSON(JSON.parse(readFileSync(schemaPath, 'utf8'))).resolveAll().lookupType(typeName);
const bytes = readFileSync(file);
const r = protobuf.Reader.create(bytes);
const opts = { longs: String, enums: String, bytes: String, json: true };
let out = '';
while (r.pos < r.len) {
  out += JSON.stringify(T.toObject(T.decodeDelimited(r), opts)) + '\\n';
  if (out.length > 65536) { process.stdout.write(out); out = ''; }
}
process.stdout.write(out);
`;

/** Runs node with `args`, stdout to /dev/null; returns wall time in ms. */
function timeNode(args: readonly string[]): number {
  const out = openSync('/dev/null', 'w');
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', out, 'pipe'] });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 300)}`);
    return ms;
  } finally {
    closeSync(out);
  }
}

/** What `decode --format json` runs per message, into chunks that are counted and dropped. */
function oursJson(index: StreamIndex, type: Type, registry: SchemaRegistry): number {
  let n = 0;
  const sink = new ByteSink(null, 1 << 16, 1 << 17);
  const writer = new JsonWriter(sink, { registry, indent: 0 });
  const options = { resolveType: (name: string) => registry.findMessage(name), transient: true };
  for (let i = 0; i < index.count; i++) {
    writer.write(decodeMessage(messageAt(index, i), type, options));
    sink.byte(0x0a);
    if (sink.pos >= 1 << 16) n += sink.take().length;
  }
  return n + sink.take().length;
}

/** What `decode --format text` runs per message of a stream (`# message N` headers included), into chunks that are counted and dropped. */
function oursText(index: StreamIndex, type: Type, registry: SchemaRegistry): number {
  let n = 0;
  const sink = new ByteSink(null, 1 << 16, 1 << 17);
  const writer = new TextWriter(sink);
  const options = { resolveType: (name: string) => registry.findMessage(name), transient: true };
  for (let i = 0; i < index.count; i++) {
    const root = decodeMessage(messageAt(index, i), type, options);
    sink.ascii('# message ');
    sink.int(i);
    sink.byte(0x0a);
    writer.write(root);
    sink.byte(0x0a);
    if (sink.pos >= 1 << 16) n += sink.take().length;
  }
  return n + sink.take().length;
}

/** Whether TextWriter prints what toText prints, on about 2,000 messages sampled across the stream. */
function sameAsToText(index: StreamIndex, type: Type, registry: SchemaRegistry): boolean {
  const sink = new ByteSink();
  const writer = new TextWriter(sink);
  for (let i = 0; i < index.count; i += Math.max(1, Math.floor(index.count / 2000))) {
    const root = decodeMessage(messageAt(index, i), type, { resolveType: (n) => registry.findMessage(n) });
    sink.pos = 0;
    writer.write(root);
    if (new TextDecoder().decode(sink.view()) !== toText(root)) return false;
  }
  return true;
}

/** Runs case 9. */
export const jsonCase: BenchCase = async (config) => {
  const registry = await loadSchemas({ bundled: true });
  const type = registry.findMessage(TYPE)!;
  const path = signalStreamFile(registry, config.quick ? 2 * MB : 16 * MB);
  const bytes = new Uint8Array(readFileSync(path));
  const size = formatBytes(bytes.length);
  const index = indexStream(bytes, 'delimited');
  const es = esMessage(join(process.cwd(), 'schemas/livekit'), ['livekit_rtc.proto'], TYPE);
  const enc = new TextEncoder();
  const pbjsOptions = { longs: String, enums: String, bytes: String, json: true };

  // Same output as the reference printer? (outside the timings)
  const sink = new ByteSink();
  const writer = new JsonWriter(sink, { registry, indent: 0 });
  let same = true;
  for (let i = 0; i < index.count && same; i += Math.max(1, Math.floor(index.count / 2000))) {
    const root = decodeMessage(messageAt(index, i), type, { resolveType: (n) => registry.findMessage(n) });
    sink.pos = 0;
    writer.write(root);
    same = new TextDecoder().decode(sink.view()) === toJsonString(root, { registry, indent: 0 });
  }

  const ours = await measure(() => oursJson(index, type, registry), { runs: config.runs, inspect: (n) => n });
  const reference = await measure(
    () => {
      let n = 0;
      for (let i = 0; i < index.count; i++)
        n += enc.encode(toJsonString(decodeMessage(messageAt(index, i), type), { registry, indent: 0 }) + '\n').length;
      return n;
    },
    { runs: config.runs },
  );
  const pbjs = await measure(
    () => {
      let n = 0;
      let out = '';
      for (let i = 0; i < index.count; i++) {
        out += JSON.stringify(type.toObject(type.decode(messageAt(index, i)), pbjsOptions)) + '\n';
        if (out.length > 65536) {
          n += enc.encode(out).length;
          out = '';
        }
      }
      return n + enc.encode(out).length;
    },
    { runs: config.runs },
  );
  const esJson = await measure(
    () => {
      let n = 0;
      let out = '';
      for (let i = 0; i < index.count; i++) {
        out += esToJsonString(es, fromBinary(es, messageAt(index, i))) + '\n';
        if (out.length > 65536) {
          n += enc.encode(out).length;
          out = '';
        }
      }
      return n + enc.encode(out).length;
    },
    { runs: config.runs },
  );

  // Text format: the byte path against the previous one (a node tree, toText's parsed view and strings per message).
  const sameText = sameAsToText(index, type, registry);
  const text = await measure(() => oursText(index, type, registry), { runs: config.runs, inspect: (n) => n });
  const textBefore = await measure(
    () => {
      let n = 0;
      const options = { resolveType: (name: string) => registry.findMessage(name) };
      for (let i = 0; i < index.count; i++)
        n += enc.encode(`# message ${i}\n${toText(decodeMessage(messageAt(index, i), type, options))}\n`).length;
      return n;
    },
    { runs: config.runs, inspect: (n) => n },
  );
  if (textBefore.info !== text.info)
    throw new Error(`9d: the byte path wrote ${text.info} bytes of text, the toText path ${textBefore.info}`);

  // Decode with spans of every message against the two runtimes' decoders. decodeMessage checks every byte; every
  // node is then read with the columnar walk (number, kind, span and value from the bytes), as protobufjs builds
  // every object. The same read through an object per node (the FieldNode API) is printed beside it.
  const decodeOurs = await measure(
    () => {
      let nodes = 0;
      for (let i = 0; i < index.count; i++) nodes += walkColumnar(decodeMessage(messageAt(index, i), type));
      return nodes;
    },
    { runs: config.runs, inspect: (n) => n },
  );
  const decodeObjects = await measure(
    () => {
      let nodes = 0;
      for (let i = 0; i < index.count; i++) nodes += countNodes(decodeMessage(messageAt(index, i), type).fields);
      return nodes;
    },
    { runs: config.runs, inspect: (n) => n },
  );
  if (decodeObjects.info !== decodeOurs.info)
    throw new Error(`9c: the columnar walk read ${decodeOurs.info} nodes, the node tree ${decodeObjects.info}`);
  const scanOnly = await measure(
    () => {
      for (let i = 0; i < index.count; i++) decodeMessage(messageAt(index, i), type);
    },
    { runs: config.runs },
  );
  const decodePbjs = await measure(
    () => {
      for (let i = 0; i < index.count; i++) type.decode(messageAt(index, i));
    },
    { runs: config.runs },
  );
  const decodeEs = await measure(
    () => {
      for (let i = 0; i < index.count; i++) fromBinary(es, messageAt(index, i));
    },
    { runs: config.runs },
  );

  // Whole processes: bin/protodesk decode against the plain protobufjs script.
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-needed', '--only=cli'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (build.status !== 0) throw new Error(`building the CLI bundle failed: ${build.stderr.toString().slice(0, 300)}`);
  const schemaJson = join(BENCH_DIR, 'livekit-root.json');
  writeFileSync(schemaJson, JSON.stringify(registry.root.toJSON()));
  const script = join(BENCH_DIR, 'pbjs-json-script.mjs'); // under the repo, so it finds protobufjs in node_modules
  writeFileSync(script, PBJS_SCRIPT);
  const cli = ['bin/protodesk', 'decode', '--type', TYPE, '--delimited', path];
  const procOurs = await measure(() => timeNode(cli), { runs: config.runs });
  const procPbjs = await measure(() => timeNode([script, schemaJson, TYPE, path]), { runs: config.runs });
  const launcher = freshBundle() ? 'the prebuilt bundle (dist/cli)' : 'the sources through tsx (the bundle was out of date)';

  const mbs = (ms: number) => `${mbPerSecond(bytes.length, ms).toFixed(0)} MB/s`;
  const jsonBytes = ours.info ?? 0;
  return [
    ratioRow(
      '9a',
      `decode --format json in-process, ${size} stream (${index.count.toLocaleString()} msgs)`,
      ours.timing,
      pbjs.timing,
      'protobufjs decode+toObject+stringify',
      1,
      [
        `${formatBytes(jsonBytes)} of JSON lines; byte-identical to toJsonString on ${Math.min(index.count, 2000).toLocaleString()} sampled messages: ${same ? 'yes' : 'NO'}`,
        `protobuf-es v2 fromBinary + toJsonString: ${formatMs(esJson.timing.median)} (ours ${(esJson.timing.median / ours.timing.median).toFixed(2)}x its speed)`,
        `the previous path (decodeMessage + toJsonString per message): ${formatMs(reference.timing.median)} (${(reference.timing.median / ours.timing.median).toFixed(2)}x slower than ours)`,
        `throughput: ours ${mbs(ours.timing.median)}, protobufjs ${mbs(pbjs.timing.median)}, protobuf-es ${mbs(esJson.timing.median)}`,
      ],
    ),
    ratioRow(
      '9b',
      `protodesk decode --delimited --format json, ${size} (whole process)`,
      procOurs.timing,
      procPbjs.timing,
      'protobufjs script',
      1,
      [
        'stdout to /dev/null; the script loads the same schema from protobufjs JSON, decodes each message, prints JSON.stringify(toObject(...)) lines',
        `bin/protodesk ran ${launcher}`,
      ],
    ),
    ratioRow('9c', `decode with spans, every node read, ${size} stream`, decodeOurs.timing, decodePbjs.timing, 'protobufjs decode', 1, [
      `${(decodeOurs.info ?? 0).toLocaleString()} nodes read (packed elements counted) with the columnar walk; decodeMessage alone (checks every byte, builds nodes when read): ${formatMs(scanOnly.timing.median)}`,
      `the same read through an object per node (FieldNode API): ${formatMs(decodeObjects.timing.median)} (${(decodePbjs.timing.median / decodeObjects.timing.median).toFixed(2)}x protobufjs)`,
      `protobuf-es v2 fromBinary: ${formatMs(decodeEs.timing.median)} (ours ${(decodeEs.timing.median / decodeOurs.timing.median).toFixed(2)}x its speed)`,
    ]),
    ratioRow(
      '9d',
      `decode --format text in-process, ${size} stream (${index.count.toLocaleString()} msgs)`,
      text.timing,
      textBefore.timing,
      'previous path: decodeMessage + toText',
      2,
      [
        `baseline: our own previous text path (protobufjs and protobuf-es print no text format); ${formatBytes(text.info ?? 0)} of text with '# message N' headers, the same size from both`,
        `byte-identical to toText on ${Math.min(index.count, 2000).toLocaleString()} sampled messages: ${sameText ? 'yes' : 'NO'}`,
        `throughput: ours ${mbs(text.timing.median)}, the previous path ${mbs(textBefore.timing.median)}; for scale, 9a's JSON lines ${mbs(ours.timing.median)}`,
      ],
    ),
    infoRow('9c-es', `decode with spans, ${size} stream, against protobuf-es v2`, decodeOurs.timing, [], {
      timing: decodeEs.timing,
      name: 'protobuf-es v2 fromBinary',
    }),
    infoRow('9a-es', `decode --format json in-process, ${size} stream, against protobuf-es v2`, ours.timing, [], {
      timing: esJson.timing,
      name: 'protobuf-es v2 fromBinary+toJsonString',
    }),
  ];
};
