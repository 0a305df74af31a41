/**
 * Case 10: the CLI's start-up as whole processes: `bin/protodesk --version`, and `decode` of a
 * small message with the bundled schemas and with one small .proto instead; beside them, a bare
 * `node` and a `node` that only imports protobufjs, so the notes can say where the time goes.
 * Wall times are medians; on a loaded machine the CPU times (user + system) are steadier.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshBundle } from '../../bin/cli-bundle.mjs';
import type { BenchCase } from '../case';
import { BENCH_DIR, benchProtoFile, benchTypes } from '../inputs';
import { infoRow } from '../report';
import { formatMs, measure, median } from '../stats';

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

/** Runs case 10. */
export const startupCase: BenchCase = async (config) => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-needed', '--only=cli'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (build.status !== 0) throw new Error(`building the CLI bundle failed: ${build.stderr.toString().slice(0, 300)}`);
  const runs = Math.max(config.runs, 5);
  const proto = benchProtoFile();
  const { event } = benchTypes();
  const small = join(BENCH_DIR, 'startup-event.bin');
  writeFileSync(
    small,
    event.encode(event.fromObject({ seq: 1, kind: 'join', ts: 1_700_000_000_000, vals: [1, 2, 3], payload: 'hello' })).finish(),
  );
  const room = 'samples/livekit/room.bin';

  const bare = await timeNode(['-e', '0'], runs);
  const pbjs = await timeNode(['--input-type=module', '-e', "await import('protobufjs')"], runs);
  const version = await timeNode(['bin/protodesk', '--version'], runs);
  const decodeBundled = await timeNode(['bin/protodesk', 'decode', '--type', 'livekit.Room', room], runs);
  const decodeOwn = await timeNode(['bin/protodesk', 'decode', '--no-bundled', '--proto', proto, '--type', 'bench.Event', small], runs);
  const launcher = freshBundle() ? 'the prebuilt bundle (dist/cli)' : 'the sources through tsx (the bundle was out of date)';
  const cpu = (x: { cpuMs: number }) => `${formatMs(x.cpuMs)} CPU`;
  return [
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
        `node importing protobufjs alone: ${formatMs(pbjs.wall.timing.median)} wall, ${cpu(pbjs)}; the rest of the bundled-schema run is parsing the bundled .proto files at every start`,
      ],
    ),
  ];
};
