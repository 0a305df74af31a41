/**
 * Prints the hottest functions of a V8 CPU profile (from `node --cpu-prof`) by self time.
 * usage: node --import tsx bench/profile.ts [--top=20] FILE.cpuprofile...
 */
import { readFileSync } from 'node:fs';

/** A node of a .cpuprofile file (only the fields used here). */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** A .cpuprofile file (only the fields used here). */
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self time per function (name and source location), in ms, largest first. */
export function selfTimes(profile: CpuProfile): { fn: string; ms: number; share: number }[] {
  const byNode = new Map<number, ProfileNode>();
  for (const n of profile.nodes) byNode.set(n.id, n);
  const totals = new Map<string, number>();
  let all = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const n = byNode.get(profile.samples[i]);
    if (!n) continue;
    const f = n.callFrame;
    const where = f.url
      ? `${f.url.replace(/^file:\/\/.*?\/(node_modules|core|core-node|cli|server|bench)\//, '$1/')}:${f.lineNumber + 1}`
      : '';
    const key = `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    totals.set(key, (totals.get(key) ?? 0) + dt);
    all += dt;
  }
  return [...totals.entries()].map(([fn, ms]) => ({ fn, ms, share: ms / all })).sort((a, b) => b.ms - a.ms);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 20);
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length === 0) {
    process.stderr.write('usage: profile.ts [--top=N] FILE.cpuprofile...\n');
    process.exit(2);
  }
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    process.stdout.write(`${file}: ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms profiled\n`);
    for (const r of selfTimes(profile).slice(0, top))
      process.stdout.write(`${r.ms.toFixed(1).padStart(9)} ms ${(100 * r.share).toFixed(1).padStart(5)}%  ${r.fn}\n`);
  }
}
