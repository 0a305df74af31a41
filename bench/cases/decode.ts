/** Case 1: schema decode with byte spans of one big message vs protobufjs Type.decode. */
import { decodeMessage } from '../../core/document/decode';
import type { BenchCase } from '../case';
import { benchTypes, datasetFile, readInput } from '../inputs';
import { ratioRow } from '../report';
import { formatBytes, mbPerSecond, measure, retainedBy } from '../stats';

/** Runs case 1. */
export const decodeCase: BenchCase = async (config) => {
  const { dataset } = benchTypes();
  const file = datasetFile(config.bigMessageBytes);
  const bytes = readInput(file.path);

  const ours = await measure(() => decodeMessage(bytes, dataset), { runs: config.runs, inspect: (root) => (root.nextId ?? 1) - 1 });
  const nodes = ours.info ?? 0;
  const base = await measure(() => dataset.decode(bytes), { runs: config.runs });
  const treeBytes = retainedBy(() => decodeMessage(bytes, dataset));
  const pbjsBytes = retainedBy(() => dataset.decode(bytes));

  const size = bytes.length;
  return [
    ratioRow('1', `decode with spans, ${formatBytes(size)} message`, ours.timing, base.timing, 'protobufjs decode', 0.5, [
      `input ${formatBytes(size)}: ${file.records.toLocaleString()} records, ${nodes.toLocaleString()} tree nodes (packed elements not counted)`,
      `throughput: ours ${mbPerSecond(size, ours.timing.median).toFixed(0)} MB/s, protobufjs ${mbPerSecond(size, base.timing.median).toFixed(0)} MB/s; ours min/max ${ours.timing.min.toFixed(0)}/${ours.timing.max.toFixed(0)} ms over ${ours.timing.runs} runs`,
      `retained heap: our tree ${formatBytes(treeBytes)} (${(treeBytes / size).toFixed(1)}x input), protobufjs object ${formatBytes(pbjsBytes)} (${(pbjsBytes / size).toFixed(1)}x input)`,
    ]),
  ];
};
