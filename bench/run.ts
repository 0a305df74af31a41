/**
 * `npm run bench [-- --quick] [-- --only=decode,raw] [-- --runs=N] [-- --processes=N]`: builds
 * the inputs in .bench/, runs each case in its own node process (--expose-gc), prints the
 * results table and writes .bench/results.json and .bench/results.md. With --processes=N each
 * case runs in N processes one after another and each row is the median process's (see
 * medianOfProcesses): a process's JIT and the machine's state move some rows by 10-40 %.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CASES } from './cases';
import { BENCH_DIR } from './inputs';
import { formatMarkdown, formatTable, medianOfProcesses, notMeasuredRow, type Row } from './report';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const runs = args.find((a) => a.startsWith('--runs='));
const processArg = args.find((a) => a.startsWith('--processes='));
const processes = processArg ? Number(processArg.slice(12)) : 1;
if (!Number.isInteger(processes) || processes < 1 || processes > 9) {
  process.stderr.write(`--processes must be a whole number from 1 to 9, not '${processArg?.slice(12)}'\n`);
  process.exit(2);
}
const selected = CASES.filter((c) => !only || only.includes(c.name) || only.includes(c.id));
if (selected.length === 0) {
  process.stderr.write(`no such case; cases: ${CASES.map((c) => c.name).join(', ')}\n`);
  process.exit(2);
}

if (!existsSync(BENCH_DIR)) mkdirSync(BENCH_DIR, { recursive: true });
const started = new Date();
process.stdout.write(
  `protodesk bench (${quick ? 'quick' : 'full'}${processes > 1 ? `, ${processes} processes per case` : ''}) on node ${process.version}, started ${started.toISOString()}\n`,
);

const build = spawnSync(
  process.execPath,
  ['--max-old-space-size=4096', '--import', 'tsx', 'bench/build-inputs.ts', ...(quick ? ['--quick'] : [])],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
if (build.status !== 0) {
  process.stderr.write('building the inputs failed\n');
  process.exit(1);
}

/** Runs case `c` in a node process of its own; its rows, or one row saying why it could not be measured. */
function runCase(c: (typeof CASES)[number]): Row[] {
  const out = join(BENCH_DIR, `rows-${c.name}.json`);
  rmSync(out, { force: true });
  const r = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      `--max-old-space-size=${c.heapMb}`,
      '--import',
      'tsx',
      'bench/run-case.ts',
      c.name,
      out,
      ...(quick ? ['--quick'] : []),
      ...(runs ? [runs] : []),
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return r.status === 0 && existsSync(out)
    ? (JSON.parse(readFileSync(out, 'utf8')) as Row[])
    : [notMeasuredRow(c.id, c.title, '', `its process failed (exit ${r.status ?? r.signal})`)];
}

const rows: Row[] = [];
for (const c of selected) {
  const t0 = Date.now();
  const each: Row[][] = [];
  for (let p = 0; p < processes; p++) {
    process.stdout.write(`case ${c.id} ${c.name}${processes > 1 ? ` (process ${p + 1} of ${processes})` : ''} ... `);
    each.push(runCase(c));
    process.stdout.write(p + 1 < processes ? 'done\n' : '');
  }
  const got = medianOfProcesses(each);
  rows.push(...got);
  process.stdout.write(`${((Date.now() - t0) / 1000).toFixed(1)} s\n${formatTable(got)}\n`);
}

rows.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
const table = formatTable(rows);
process.stdout.write(`\n${table}\n`);
writeFileSync(
  join(BENCH_DIR, 'results.json'),
  JSON.stringify({ started: started.toISOString(), quick, processes, node: process.version, rows }, null, 2),
);
writeFileSync(join(BENCH_DIR, 'results.md'), formatMarkdown(rows) + '\n');
process.stdout.write(
  `\nwritten: .bench/results.json, .bench/results.md (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s in all)\n`,
);
