/** Case 1: schema decode with byte spans of one big message vs protobufjs Type.decode. */
import { cpuUsage } from 'node:process';
import { decodeMessage } from '../../core/document/decode';
import type { BenchCase } from '../case';
import { fromBinary } from 'protobuf-es-v2';
import { esMessage } from '../es-baseline';
import { BENCH_DIR, benchProtoFile, benchTypes, datasetFile, readInput } from '../inputs';
import { countNodes, expandAllRows, walkColumnar } from '../tree-walk';
import { infoRow, ratioRow, valueRow } from '../report';
import { formatBytes, formatMs, mbPerSecond, measure, retainedBy } from '../stats';

/** Runs `fn` and returns the share of its CPU time the kernel spent (page faults as the heap grows). */
async function kernelShare(fn: () => Promise<unknown>): Promise<number> {
  const before = cpuUsage();
  await fn();
  const d = cpuUsage(before);
  return d.system / Math.max(1, d.user + d.system);
}

/** Runs case 1. */
export const decodeCase: BenchCase = async (config) => {
  const { dataset } = benchTypes();
  const file = datasetFile(config.bigMessageBytes);
  const bytes = readInput(file.path);

  let ours!: Awaited<ReturnType<typeof measure<ReturnType<typeof decodeMessage>, number>>>;
  const oursKernel = await kernelShare(async () => {
    ours = await measure(() => decodeMessage(bytes, dataset), { runs: config.runs });
  });
  let base!: Awaited<ReturnType<typeof measure>>;
  const baseKernel = await kernelShare(async () => {
    base = await measure(() => dataset.decode(bytes), { runs: config.runs });
  });
  // decodeMessage checks every byte and builds nodes when read: reading every node (and value) is what compares with a
  // runtime's full decode. Columnar: what Expand all and whole-message readers run; objects: the FieldNode API.
  const walked = await measure(() => walkColumnar(decodeMessage(bytes, dataset)), { runs: config.runs, inspect: (n) => n });
  const objects = await measure(() => countNodes(decodeMessage(bytes, dataset).fields), { runs: Math.min(config.runs, 3) });
  benchProtoFile(); // .bench/bench.proto, for protoc
  const es = esMessage(BENCH_DIR, ['bench.proto'], 'bench.Dataset');
  const esDecode = await measure(() => fromBinary(es, bytes), { runs: config.runs });
  // What the workbench runs for a message over 1 MiB: the top level with spans, nested messages on open.
  const lazy = await measure(() => decodeMessage(bytes, dataset, { lazy: true }), { runs: config.runs });
  const treeBytes = retainedBy(() => decodeMessage(bytes, dataset));
  const pbjsBytes = retainedBy(() => dataset.decode(bytes));
  const lazyBytes = retainedBy(() => decodeMessage(bytes, dataset, { lazy: true }));
  // What the workbench holds for the message with every node shown: the lazily decoded document and the rows of Expand all.
  let rowCount = 0;
  const fullTreeBytes = retainedBy(() => {
    const m = decodeMessage(bytes, dataset, { lazy: true });
    const rows = expandAllRows(m);
    rowCount = rows.length;
    return [m, rows];
  });
  // The same tree with an object per node (every node read through the FieldNode API).
  const objectTreeBytes = retainedBy(() => {
    const m = decodeMessage(bytes, dataset);
    countNodes(m.fields);
    return m;
  });
  const memRatio = fullTreeBytes / bytes.length;

  const size = bytes.length;
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  return [
    ratioRow('1', `decode with spans, ${formatBytes(size)} message`, ours.timing, base.timing, 'protobufjs decode', 1, [
      `input ${formatBytes(size)}: ${file.records.toLocaleString()} records, ${(walked.info ?? 0).toLocaleString()} tree nodes (packed elements counted)`,
      `throughput: ours ${mbPerSecond(size, ours.timing.median).toFixed(0)} MB/s, protobufjs ${mbPerSecond(size, base.timing.median).toFixed(0)} MB/s; ours min/max ${ours.timing.min.toFixed(0)}/${ours.timing.max.toFixed(0)} ms over ${ours.timing.runs} runs`,
      `retained heap: our tree ${formatBytes(treeBytes)} (${(treeBytes / size).toFixed(1)}x input), protobufjs object ${formatBytes(pbjsBytes)} (${(pbjsBytes / size).toFixed(1)}x input)`,
      `kernel share of CPU time (page faults while the heap grows): ours ${pct(oursKernel)}, protobufjs ${pct(baseKernel)}`,
      'decodeMessage checks every byte (spans, errors) and builds nodes when they are read: retained heap is what it holds before any is read; row 1-walk reads every node',
      `protobuf-es v2 fromBinary: ${formatMs(esDecode.timing.median)} (row 1-es)`,
    ]),
    valueRow(
      '1-mem',
      `tree memory, ${formatBytes(size)} message, every node shown (Expand all)`,
      `${memRatio.toFixed(1)}x input`,
      '≤ 4x input',
      memRatio <= 4,
      [
        `the lazily decoded document and its ${rowCount.toLocaleString()} rows once expanded: ${formatBytes(fullTreeBytes)} retained (${(fullTreeBytes / Math.max(1, rowCount)).toFixed(1)} bytes per row; rows keep columns, nodes are built for the rows shown)${memRatio > 4 ? `: missed by ${(memRatio / 4).toFixed(1)}x` : ''}`,
        `with an object per node (every node read through the FieldNode API): ${formatBytes(objectTreeBytes)} (${(objectTreeBytes / size).toFixed(1)}x); before any node is read ${formatBytes(treeBytes)} (${(treeBytes / size).toFixed(1)}x), lazy ${formatBytes(lazyBytes)} (${(lazyBytes / size).toFixed(1)}x)`,
      ],
    ),
    ratioRow(
      '1-walk',
      `decode with spans and read every node and value, ${formatBytes(size)} message`,
      walked.timing,
      base.timing,
      'protobufjs decode',
      1,
      [
        'the columnar walk (core/document/node-walk.ts): number, kind, span and every scalar and packed value of each node, read from the checked bytes; what Expand all and whole-message readers run',
        `the same through node objects (the FieldNode API, an object per node): ${formatMs(objects.timing.median)} (${(base.timing.median / objects.timing.median).toFixed(2)}x protobufjs, row 1-objects)`,
      ],
    ),
    infoRow('1-objects', `decode with spans and build every node as an object, ${formatBytes(size)} message`, objects.timing, [], {
      timing: base.timing,
      name: 'protobufjs decode',
    }),
    infoRow(
      '1-es',
      `decode with spans, ${formatBytes(size)} message, against protobuf-es v2`,
      ours.timing,
      [
        `decoding and reading every node: ${formatMs(walked.timing.median)} (${(esDecode.timing.median / walked.timing.median).toFixed(2)}x protobuf-es)`,
      ],
      { timing: esDecode.timing, name: 'protobuf-es v2 fromBinary' },
    ),
    infoRow(
      '1-lazy',
      `lazy decode with spans (what the workbench runs over 1 MiB), ${formatBytes(size)}`,
      lazy.timing,
      [
        `top level decoded with spans, ${file.records.toLocaleString()} nested records left to decode when opened; retained ${formatBytes(lazyBytes)} (${(lazyBytes / size).toFixed(1)}x input)`,
      ],
      { timing: base.timing, name: 'protobufjs decode' },
    ),
  ];
};
