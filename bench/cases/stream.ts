/** Case 4 (engine part): detectAndIndex (what the workbench runs: detectFraming + indexStream with a walk fewer) of a big varint-delimited stream in Node, with memory. */
import { performance } from 'node:perf_hooks';
import { detectAndIndex, detectFraming, indexStream } from '../../core/stream/stream-framing';
import type { BenchCase } from '../case';
import { readInput, streamFile } from '../inputs';
import { limitRow, valueRow } from '../report';
import { formatBytes, formatMs, measure, memoryNow } from '../stats';

/** Runs case 4's engine part. */
export const streamCase: BenchCase = async (config) => {
  const base = memoryNow();
  const file = streamFile(config.streamMessages, config.streamBytes);
  const t0 = performance.now();
  const bytes = readInput(file.path);
  const readMs = performance.now() - t0;
  const label = `${formatBytes(bytes.length)}, ${file.messages.toLocaleString()} msgs`;

  const detect = await measure(() => detectFraming(bytes), { runs: config.runs, inspect: (d) => d });
  const index = await measure(() => indexStream(bytes, 'delimited'), {
    runs: config.runs,
    inspect: (ix) => ({ count: ix.count, error: ix.error }),
  });
  const both = await measure(() => detectAndIndex(bytes).index.count, { runs: config.runs, inspect: (n) => n });

  // Memory held once the file is open: its bytes plus the index.
  const keep = detectAndIndex(bytes).index;
  const held = memoryNow();
  const rssOverFile = held.rss / bytes.length;
  const indexBytes = keep.offsets.byteLength + keep.lengths.byteLength + (keep.flags?.byteLength ?? 0);

  const d = detect.info!;
  const ok =
    d.framing === 'delimited' &&
    d.messageCount === file.messages &&
    index.info?.count === file.messages &&
    !index.info.error &&
    both.info === file.messages;
  return [
    limitRow('4a', `stream engine: detectAndIndex (${label})`, both.timing, 1000, [
      `separately: detectFraming ${formatMs(detect.timing.median)} (${d.framing}, ${d.messageCount.toLocaleString()} msgs, confidence ${d.confidence.toFixed(2)}), indexStream ${formatMs(index.timing.median)}; reading the file ${formatMs(readMs)} (not included)`,
      `check: ${ok ? `framing delimited and ${file.messages.toLocaleString()} messages indexed` : `WRONG: ${JSON.stringify({ framing: d.framing, count: d.messageCount, indexed: index.info })}`}`,
      'target is the UI budget of 4b (drop to list shown); this is the engine share of it',
    ]),
    valueRow(
      '4c',
      'stream engine: process memory with the file open',
      `${formatBytes(held.rss)} RSS (${rssOverFile.toFixed(2)}x)`,
      '≤ 3x file',
      rssOverFile <= 3,
      [
        `node process after reading + indexing (after GC): RSS ${formatBytes(held.rss)}, of which ${formatBytes(held.rss - base.rss)} (${((held.rss - base.rss) / bytes.length).toFixed(2)}x file) over the idle process, heap ${formatBytes(held.heapUsed)}, array buffers ${formatBytes(held.arrayBuffers)}; index ${formatBytes(indexBytes)} (${(indexBytes / keep.count).toFixed(0)} B/message)`,
      ],
    ),
  ];
};
