/**
 * Case 8: listing a 100 MB HAR capture (readCapture, what opening a .har runs first) and
 * `protodesk decode FILE.har` printing the list as a whole process. The HAR is generated
 * (seeded) into .bench/: a page's scripts and images (not protobuf), Twirp calls with large
 * protobuf and JSON bodies, and a LiveKit /rtc WebSocket with many signal messages.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freshBundle } from '../../bin/cli-bundle.mjs';
import { loadSchemas } from '../../core-node/schema/load-schemas';
import { nodeDecompress } from '../../core-node/capture/decompress';
import { openEntry } from '../../core/capture/open-entry';
import { readCapture } from '../../core/capture/read-capture';
import { harHttpEntry, harWebSocketEntry } from '../../core/capture/har-builder';
import type { SchemaRegistry } from '../../core/schema/registry';
import type { BenchCase } from '../case';
import { BENCH_DIR, Rng } from '../inputs';
import { infoRow, limitRow } from '../report';
import { formatBytes, formatMs, measure, retainedBy } from '../stats';

const GENERATOR_VERSION = 1;
const T0 = 1_747_000_000_000;

/** Writes a HAR of about `targetBytes` to .bench/ (reused when there); returns its path. */
function captureFile(registry: SchemaRegistry, targetBytes: number, seed = 8): string {
  const path = join(BENCH_DIR, `capture-v${GENERATOR_VERSION}-${targetBytes}-s${seed}.har`);
  if (existsSync(path)) return path;
  mkdirSync(BENCH_DIR, { recursive: true });
  const rng = new Rng(seed);
  const enc = (type: string, obj: Record<string, unknown>) => {
    const t = registry.findMessage(type)!;
    return t.encode(t.fromObject(obj)).finish().slice();
  };
  const participant = (i: number) => ({
    sid: `PA_${i}`,
    identity: `user-${i}`,
    name: rng.text(12),
    state: 2,
    joined_at: 1_747_000_000 + i,
    metadata: rng.text(rng.int(10, 80)),
    tracks: [{ sid: `TR_${i}`, type: 1, name: 'camera', width: 1280, height: 720, mime_type: 'video/VP8' }],
  });
  const room = (i: number) => ({
    sid: `RM_${i}`,
    name: `room-${i}`,
    metadata: rng.text(rng.int(20, 200)),
    num_participants: rng.int(0, 50),
    creation_time: 1_747_000_000,
  });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  let written = 0;
  const write = (s: string) => {
    const b = Buffer.from(s);
    let off = 0;
    while (off < b.length) off += writeSync(fd, b, off, b.length - off);
    written += b.length;
  };
  try {
    write('{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":[\n');
    let first = true;
    const entry = (e: Record<string, unknown>) => {
      write(`${first ? '' : ',\n'}${JSON.stringify(e)}`);
      first = false;
    };
    let t = T0;
    // About a fifth each: scripts (text), images (base64), protobuf Twirp calls, JSON Twirp calls; the rest the WebSocket.
    const share = targetBytes / 5;
    for (let n = 0; written < share; n++) {
      entry(
        harHttpEntry({
          url: `https://meet.example.com/static/chunk-${n}.js`,
          method: 'GET',
          started: (t += 3),
          responseType: 'application/javascript',
          response: { text: `/* chunk ${n} */ ${rng.text(rng.int(20_000, 120_000))}` },
        }),
      );
    }
    for (let n = 0; written < 2 * share; n++) {
      entry(
        harHttpEntry({
          url: `https://meet.example.com/img/${n}.png`,
          method: 'GET',
          started: (t += 3),
          responseType: 'image/png',
          response: { base64: rng.bytes(rng.int(10_000, 80_000)) },
        }),
      );
    }
    const twirp = 'https://lk.example.com/twirp/livekit.RoomService/';
    for (let n = 0; written < 3 * share; n++) {
      const rooms = Array.from({ length: rng.int(100, 600) }, (_, i) => room(n * 1000 + i));
      entry(
        harHttpEntry({
          url: `${twirp}ListRooms`,
          started: (t += 20),
          requestHeaders: { 'content-type': 'application/protobuf' },
          request: { base64: enc('livekit.ListRoomsRequest', {}) },
          responseType: 'application/protobuf',
          response: { base64: enc('livekit.ListRoomsResponse', { rooms }) },
        }),
      );
    }
    const listType = registry.findMessage('livekit.ListParticipantsResponse')!;
    for (let n = 0; written < 4 * share; n++) {
      const msg = listType.fromObject({ participants: Array.from({ length: rng.int(50, 300) }, (_, i) => participant(i)) });
      entry(
        harHttpEntry({
          url: `${twirp}ListParticipants`,
          started: (t += 20),
          requestHeaders: { 'content-type': 'application/json' },
          request: { text: '{"room":"standup"}' },
          responseType: 'application/json',
          response: { text: JSON.stringify(listType.toObject(msg, { longs: String, enums: String, json: true })) },
        }),
      );
    }
    // The signal channel: pings and pongs, trickles, updates, until the file reaches its size.
    const messages: { type: 'send' | 'receive'; time: number; binary: Uint8Array }[] = [];
    let bytes = 0;
    for (let n = 0; written + bytes * 1.6 < targetBytes; n++) {
      const kind = n % 4;
      const binary =
        kind === 0
          ? enc('livekit.SignalRequest', { ping_req: { timestamp: T0 + n, rtt: rng.int(5, 80) } })
          : kind === 1
            ? enc('livekit.SignalResponse', { pong_resp: { last_ping_timestamp: T0 + n, timestamp: T0 + n + 9 } })
            : kind === 2
              ? enc('livekit.SignalRequest', {
                  trickle: {
                    candidateInit: `{"candidate":"candidate:${n} 1 udp 2122260223 192.0.2.${n % 250} ${rng.int(1024, 65535)} typ host"}`,
                    target: 1,
                  },
                })
              : enc('livekit.SignalResponse', { update: { participants: [participant(n % 1000)] } });
      messages.push({ type: kind === 0 || kind === 2 ? 'send' : 'receive', time: (t += 5), binary });
      bytes += binary.length + 60;
    }
    entry(harWebSocketEntry({ url: 'wss://lk.example.com/rtc?access_token=x', started: T0, messages }));
    write('\n]}}\n');
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return path;
}

/** Runs a command with stdout to /dev/null; returns wall time in ms. */
function timeProcess(args: readonly string[]): number {
  const out = openSync('/dev/null', 'w');
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', out, 'pipe'] });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 300)}`);
    return ms;
  } finally {
    closeSync(out);
  }
}

/** Runs case 8. */
export const captureCase: BenchCase = async (config) => {
  const registry = await loadSchemas({ bundled: true });
  const target = config.quick ? 10 * 1024 * 1024 : 100 * 1024 * 1024;
  const path = captureFile(registry, target);
  const bytes = new Uint8Array(readFileSync(path));
  const size = formatBytes(bytes.length);

  const list = await measure(() => readCapture(bytes, { schemas: registry }), { runs: config.runs, inspect: (c) => c });
  const capture = list.info!;
  const kept = retainedBy(() => readCapture(bytes, { schemas: registry }));
  const byProtocol = new Map<string, number>();
  for (const e of capture.entries) byProtocol.set(e.protocol, (byProtocol.get(e.protocol) ?? 0) + 1);
  const t0 = performance.now();
  let messages = 0;
  let problems = 0;
  for (const e of capture.entries) {
    const opened = openEntry(capture, e, { schemas: registry, decompress: nodeDecompress });
    messages += opened.messages.length;
    if (opened.problem) problems++;
  }
  const openAll = performance.now() - t0;

  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-needed', '--only=cli'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (build.status !== 0) throw new Error(`building the CLI bundle failed: ${build.stderr.toString().slice(0, 300)}`);
  const cli = await measure(() => timeProcess(['bin/protodesk', 'decode', path]), { runs: config.runs });

  return [
    limitRow('8a', `capture: list a ${size} HAR (readCapture)`, list.timing, 2000, [
      `${capture.entries.length.toLocaleString()} protobuf exchanges (${[...byProtocol].map(([p, n]) => `${n.toLocaleString()} ${p}`).join(', ')}); ${capture.skippedEntries} other HAR entries skipped`,
      `retained by the listed capture: ${formatBytes(kept)} beside the file's own ${size} (bodies stay spans of the file)`,
      `opening every entry afterwards (base64, JSON bodies through the schema, types): ${formatMs(openAll)}, ${messages.toLocaleString()} messages, ${problems} problems`,
    ]),
    infoRow('8b', `capture: protodesk decode ${size} HAR (whole process, list to /dev/null)`, cli.timing, [
      `includes Node's start and loading the bundled schemas; bin/protodesk ran ${freshBundle() ? 'the prebuilt bundle' : 'the sources through tsx'}`,
    ]),
  ];
};
