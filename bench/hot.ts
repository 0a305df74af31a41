/**
 * Names the hot functions of one benchmarked operation: runs it a few times under the V8
 * profiler (node:inspector, so only the operation is sampled, not startup or input building)
 * and prints the process's CPU time, self time per function and per source folder.
 * usage: node --import tsx bench/hot.ts decode|decode-walk|hostile|edit-encode|raw-text|open-stream|open-tree|open-file [--quick] [--top=N]
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../core/document/decode';
import { ProtoDocument } from '../core/document/document';
import { writeRawText } from '../core/raw/raw-text';
import { RAW_TEXT_SYNC_CHUNK_BYTES } from '../core/raw/raw-text-sink';
import { createNodeWorkbench } from '../core-node/workbench/node-hosts';
import { benchConfig } from './case';
import { wellKnownRegistry } from '../core/schema/registry';
import { BENCH_DIR, benchProtoFile, benchTypes, datasetFile, descriptorFieldsFile, nodesFile, readInput, streamFile } from './inputs';
import { countNodes } from './tree-walk';
import { selfTimes } from './profile';

/** Self times summed per source folder (core/document, node:internal...); entries without a source by their name ("(garbage collector)"). */
function byFolder(rows: readonly { fn: string; ms: number; share: number }[]): { folder: string; ms: number; share: number }[] {
  const sums = new Map<string, { ms: number; share: number }>();
  for (const r of rows) {
    const where = / (\S+):\d+$/.exec(r.fn);
    const folder = where ? where[1].replace(/\/[^/]*$/, '') : r.fn;
    const e = sums.get(folder) ?? { ms: 0, share: 0 };
    e.ms += r.ms;
    e.share += r.share;
    sums.set(folder, e);
  }
  return [...sums.entries()].map(([folder, e]) => ({ folder, ...e })).sort((a, b) => b.ms - a.ms);
}

/** The operations that can be profiled: each returns the function to sample (called `times` times). */
const OPERATIONS: Record<string, (quick: boolean) => Promise<{ run: () => unknown; times: number }>> = {
  async decode(quick) {
    const bytes = readInput(datasetFile(benchConfig(quick).bigMessageBytes).path);
    return { run: () => decodeMessage(bytes, benchTypes().dataset), times: 2 };
  },
  /** decode and read every node (what JSON, text and Expand all need; bench row 1-walk). */
  async 'decode-walk'(quick) {
    const bytes = readInput(datasetFile(benchConfig(quick).bigMessageBytes).path);
    return { run: () => countNodes(decodeMessage(bytes, benchTypes().dataset).fields), times: 2 };
  },
  /** The hostile DescriptorProto of tiny fields, decoded and read (bench row 11b). */
  async hostile(quick) {
    const bytes = readInput(descriptorFieldsFile(benchConfig(quick).hostileBytes).path);
    const type = wellKnownRegistry().findMessage('google.protobuf.DescriptorProto')!;
    return { run: () => countNodes(decodeMessage(bytes, type).fields), times: 2 };
  },
  async 'edit-encode'(quick) {
    const bytes = readInput(datasetFile(benchConfig(quick).bigMessageBytes).path);
    const doc = ProtoDocument.decode(bytes, benchTypes().dataset);
    const ri = doc.root.fields.length - 2;
    return {
      run: () => {
        doc.apply({ op: 'set-value', path: [ri, 1], value: 'edited title' });
        doc.encodeParts(); // what a save writes (bench case 2b)
        doc.undo();
      },
      times: 20,
    };
  },
  async 'raw-text'(quick) {
    const bytes = readInput(datasetFile(benchConfig(quick).rawBytes, 3).path);
    return { run: () => writeRawText(bytes, () => undefined, { chunkBytes: RAW_TEXT_SYNC_CHUNK_BYTES, reuseChunks: true }), times: 2 }; // what `protodesk raw` runs
  },
  /** What the server does for a dropped stream (its body arrives as raw bytes): openBytes, then the first page of the list. */
  async 'open-stream'(quick) {
    const c = benchConfig(quick);
    const bytes = readInput(streamFile(c.streamMessages, c.streamBytes).path);
    const wb = await createNodeWorkbench({ stateFile: null });
    return {
      run: async () => {
        const s = await wb.api.openBytes({ name: 'stream.delimited', bytes });
        await wb.api.getStream({ docId: s.docId, start: 0, count: 500 });
        await wb.api.closeDocument({ docId: s.docId });
      },
      times: 2,
    };
  },
  /** A big file opened from disk to its first rows (bench row 11d): openPath, the type, the first 200 rows. */
  async 'open-file'(quick) {
    const path = datasetFile(benchConfig(quick).openFileBytes, 7).path;
    const wb = await createNodeWorkbench({ stateFile: null });
    await wb.api.addSchemas({ protoFiles: [benchProtoFile()], importPaths: [BENCH_DIR] });
    return {
      run: async () => {
        let doc = await wb.api.openPath({ path });
        if (doc.typeName !== 'bench.Dataset') doc = await wb.api.setType({ docId: doc.docId, typeName: 'bench.Dataset' });
        await wb.api.getRows({ docId: doc.docId, message: 0, start: 0, count: 200 });
        await wb.api.closeDocument({ docId: doc.docId });
      },
      times: 2,
    };
  },
  /** What the server does for a dropped big message: openBytes, first rows, expand all, last rows. */
  async 'open-tree'(quick) {
    const bytes = readInput(nodesFile(benchConfig(quick).uiNodes).path);
    const wb = await createNodeWorkbench({ stateFile: null });
    await wb.api.addSchemas({ protoFiles: [benchProtoFile()], importPaths: [BENCH_DIR] });
    return {
      run: async () => {
        const s = await wb.api.openBytes({ name: 'tree.bin', bytes });
        await wb.api.getRows({ docId: s.docId, message: 0, start: 0, count: 200 });
        const { total } = await wb.api.setExpanded({ docId: s.docId, message: 0, path: [], expanded: true, all: true });
        await wb.api.getRows({ docId: s.docId, message: 0, start: Math.max(0, total - 200), count: 200 });
        await wb.api.closeDocument({ docId: s.docId });
      },
      times: 2,
    };
  },
};

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--')) ?? '';
const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 20);
const make = OPERATIONS[name];
if (!make) {
  process.stderr.write(`usage: hot.ts ${Object.keys(OPERATIONS).join('|')} [--quick] [--top=N]\n`);
  process.exit(2);
}
const { run, times } = await make(args.includes('--quick'));
await run(); // warm-up, not sampled
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let i = 0; i < times; i++) await run();
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const { profile } = await session.post('Profiler.stop');
session.disconnect();
const out = join(BENCH_DIR, `hot-${name}.cpuprofile`);
writeFileSync(out, JSON.stringify(profile));
process.stdout.write(`${name}: ${times} runs in ${ms.toFixed(0)} ms (${(ms / times).toFixed(1)} ms each); profile: ${out}\n`);
// System time is mostly the kernel faulting in fresh memory (the input's buffer, a growing heap).
process.stdout.write(
  `process CPU per run: user ${(cpu.user / 1000 / times).toFixed(0)} ms, system ${(cpu.system / 1000 / times).toFixed(0)} ms (wall ${(ms / times).toFixed(0)} ms)\n`,
);
const self = selfTimes(profile as never);
for (const r of self.slice(0, top))
  process.stdout.write(`${r.ms.toFixed(1).padStart(9)} ms ${(100 * r.share).toFixed(1).padStart(5)}%  ${r.fn}\n`);
process.stdout.write('by folder (self time):\n');
for (const r of byFolder(self))
  process.stdout.write(`${r.ms.toFixed(1).padStart(9)} ms ${(100 * r.share).toFixed(1).padStart(5)}%  ${r.folder}\n`);
process.exit(0);
