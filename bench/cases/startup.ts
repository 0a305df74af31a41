/**
 * Case 10: the CLI's start-up as whole processes: `bin/protodesk --version`, `decode` of a small
 * message with the bundled schemas and with one small .proto instead, `raw` of it, `serve` to
 * its first answers, and `send` from start to its first byte on the wire; beside them, a bare
 * `node` and a `node` that only imports protobufjs, so the notes can say where the time goes.
 * Wall times are medians; on a loaded machine the CPU times (user + system) are steadier.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { closeSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshBundle } from '../../bin/cli-bundle.mjs';
import type { BenchCase } from '../case';
import { BENCH_DIR, benchProtoFile, benchTypes } from '../inputs';
import { infoRow, limitRow, type Row } from '../report';
import { formatMs, measure, median, summarize } from '../stats';
import { linkIn, signIn } from '../../testing/served-sign-in';
import { encodeTagged } from '../../core/api/tagged-json';
import { buildRendererIfNeeded } from '../ui/served-app';

/** Runs node with `args` (stdout to /dev/null); returns wall ms. */
function run(args: readonly string[]): number {
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

/** Wall and CPU (user + system of the child) medians of a node command. */
async function timeNode(args: readonly string[], runs: number): Promise<{ wall: Awaited<ReturnType<typeof measure>>; cpuMs: number }> {
  const cpu: number[] = [];
  const wall = await measure(
    () => {
      const c0 = childCpuMs();
      const ms = run(args);
      cpu.push(childCpuMs() - c0);
      return ms;
    },
    { runs, gcBetween: false },
  );
  return { wall, cpuMs: median(cpu.slice(-runs)) };
}

/** CPU time (ms) of the children that have ended, as getrusage(RUSAGE_CHILDREN) counts it. */
function childCpuMs(): number {
  // Node reports its own usage only: read cutime + cstime (fields 16 and 17) of /proc/self/stat, in clock ticks (100 a second).
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
  return ((Number(fields[16 - 3]) + Number(fields[17 - 3])) * 1000) / 100;
}

/** Milliseconds from spawning `bin/protodesk send` to the first byte reaching a local listener (which answers an empty Twirp response). */
async function sendFirstByte(body: string): Promise<{ firstByteMs: number; exitMs: number }> {
  let firstByte = 0;
  const server = createServer((socket) => {
    socket.once('data', () => {
      firstByte ||= performance.now();
      socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/protobuf\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  try {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [
        'bin/protodesk',
        'send',
        '--url',
        `http://127.0.0.1:${port}`,
        '--transport',
        'twirp',
        '--method',
        'livekit.RoomService/ListRooms',
        body,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    const exitMs = performance.now() - t0;
    if (code !== 0 || !firstByte) throw new Error(`protodesk send exited ${code}: ${stderr.slice(0, 300)}`);
    return { firstByteMs: firstByte - t0, exitMs };
  } finally {
    server.close();
  }
}

/** Milliseconds from spawning `bin/protodesk serve` to its link printed, and to the first answers a page needs (sign-in, then listTypes). */
async function serveFirstAnswer(): Promise<{ linkMs: number; typesMs: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/protodesk', 'serve', '--port', '0', '--no-state'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const link = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const printed = linkIn(out);
        if (printed) resolve(printed);
      });
      child.once('exit', (code) => reject(new Error(`protodesk serve exited ${code}: ${stderr.slice(-300)}`)));
    });
    const linkMs = performance.now() - t0;
    const session = await signIn(link);
    const res = await session.post('listTypes', encodeTagged({ limit: 5 }));
    if (!res.ok) throw new Error(`listTypes: HTTP ${res.status}`);
    await res.text();
    return { linkMs, typesMs: performance.now() - t0 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((done) => (child.exitCode !== null ? done(null) : child.once('exit', done)));
  }
}

/** Runs case 10. */
export const startupCase: BenchCase = async (config) => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-needed', '--only=cli'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (build.status !== 0) throw new Error(`building the CLI bundle failed: ${build.stderr.toString().slice(0, 300)}`);
  const rendererFailed = buildRendererIfNeeded(); // serve serves it (and would build it first)
  if (rendererFailed) throw new Error(rendererFailed);
  const runs = Math.max(config.runs, 5);
  const proto = benchProtoFile();
  const { event } = benchTypes();
  const small = join(BENCH_DIR, 'startup-event.bin');
  writeFileSync(
    small,
    event.encode(event.fromObject({ seq: 1, kind: 'join', ts: 1_700_000_000_000, vals: [1, 2, 3], payload: 'hello' })).finish(),
  );
  const room = 'samples/livekit/room.bin';
  const listRooms = join(BENCH_DIR, 'startup-list-rooms.json');
  writeFileSync(listRooms, '{"names": ["bench"]}\n');

  const bare = await timeNode(['-e', '0'], runs);
  const pbjs = await timeNode(['--input-type=module', '-e', "await import('protobufjs')"], runs);
  const version = await timeNode(['bin/protodesk', '--version'], runs);
  const decodeBundled = await timeNode(['bin/protodesk', 'decode', '--type', 'livekit.Room', room], runs);
  const decodeOwn = await timeNode(['bin/protodesk', 'decode', '--no-bundled', '--proto', proto, '--type', 'bench.Event', small], runs);
  const raw = await timeNode(['bin/protodesk', 'raw', small], runs);
  const sends: { firstByteMs: number; exitMs: number; cpuMs: number }[] = [];
  await sendFirstByte(listRooms); // warm-up: the page cache, like the other rows' warm-up run
  for (let i = 0; i < runs; i++) {
    const c0 = childCpuMs();
    const r = await sendFirstByte(listRooms);
    sends.push({ ...r, cpuMs: childCpuMs() - c0 });
  }
  const serves: { linkMs: number; typesMs: number; cpuMs: number }[] = [];
  await serveFirstAnswer();
  for (let i = 0; i < runs; i++) {
    const c0 = childCpuMs();
    const r = await serveFirstAnswer();
    serves.push({ ...r, cpuMs: childCpuMs() - c0 });
  }
  const launcher = freshBundle() ? 'the prebuilt bundle (dist/cli)' : 'the sources through tsx (the bundle was out of date)';
  const cpu = (x: { cpuMs: number }) => `${formatMs(x.cpuMs)} CPU`;
  const rows: Row[] = [
    infoRow('10a', 'CLI start: bin/protodesk --version (whole process)', version.wall.timing, [
      `${cpu(version)}; bare node -e 0: ${formatMs(bare.wall.timing.median)} wall, ${cpu(bare)}`,
      `bin/protodesk ran ${launcher}`,
    ]),
    infoRow(
      '10b',
      `CLI start: decode a ${statSync(room).size}-byte livekit.Room, bundled schemas (whole process)`,
      decodeBundled.wall.timing,
      [
        `${cpu(decodeBundled)}; with --no-bundled and one small .proto (bench.Event): ${formatMs(decodeOwn.wall.timing.median)} wall, ${cpu(decodeOwn)}`,
        `node importing protobufjs alone: ${formatMs(pbjs.wall.timing.median)} wall, ${cpu(pbjs)}; the bundled schemas are restored from schemas/bundled-schemas.image.json (the difference to --no-bundled): only the files that declare livekit.Room and what they refer to, the rest when a name outside them is looked up`,
      ],
    ),
    infoRow('10c', `CLI start: raw of a ${statSync(small).size}-byte message (whole process)`, raw.wall.timing, [
      `${cpu(raw)}; raw loads no schema code and no protobufjs`,
    ]),
    limitRow(
      '10d',
      'send: process start to the first request byte at a local listener (Twirp, bundled schemas)',
      summarize(sends.map((s) => s.firstByteMs)),
      250,
      [
        `to the process's exit after the (empty) response: ${formatMs(median(sends.map((s) => s.exitMs)))}, ${formatMs(median(sends.map((s) => s.cpuMs)))} CPU; bare node -e 0: ${formatMs(bare.wall.timing.median)}`,
        'before the request goes out, send restores only the part of the bundled schemas that declares livekit.RoomService and what it refers to; the rest right after the connection is made (in the exit time)',
      ],
    ),
    infoRow('10e', 'serve: process start to the first answers a page needs (sign-in, listTypes)', summarize(serves.map((s) => s.typesMs)), [
      `to the link printed (listening): ${formatMs(median(serves.map((s) => s.linkMs)))}; the server's CPU until it was stopped after those answers: ${formatMs(median(serves.map((s) => s.cpuMs)))}`,
    ]),
  ];
  return rows;
};
