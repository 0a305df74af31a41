/**
 * Child-process entry: runs one case and writes its rows as JSON to the file named on the
 * command line (bench/run.ts starts one process per case, so cases do not share heaps or JIT state).
 * usage: node --expose-gc --import tsx bench/run-case.ts CASE OUT.json [--quick] [--runs=N]
 */
import { writeFileSync } from 'node:fs';
import { benchConfig } from './case';
import { CASES } from './cases';
import { notMeasuredRow, type Row } from './report';

const [name, out] = process.argv.slice(2);
const quick = process.argv.includes('--quick');
const runsArg = process.argv.find((a) => a.startsWith('--runs='));
const entry = CASES.find((c) => c.name === name);
if (!entry || !out) {
  process.stderr.write(`usage: run-case.ts CASE OUT.json [--quick] [--runs=N]; cases: ${CASES.map((c) => c.name).join(', ')}\n`);
  process.exit(2);
}
let rows: Row[];
try {
  rows = await (await entry.load())(benchConfig(quick, runsArg ? Number(runsArg.slice(7)) : undefined));
} catch (e) {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  rows = [notMeasuredRow(entry.id, entry.title, '', `failed: ${(e as Error).message.split('\n')[0]}`)];
}
writeFileSync(
  out,
  JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
);
process.exit(0);
