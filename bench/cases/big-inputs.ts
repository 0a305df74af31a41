/**
 * Case 11: big and hostile inputs on the host (the engine the server and the app run, without
 * a browser): Expand all of a message of about 3 M nodes to its last rows, a hostile 10 MB
 * DescriptorProto of tiny fields decoded and read in full, and a 200 MB file opened from disk
 * to its first rows. The UI rows (6b) include the browser; these say what the host's share is.
 */
import { decodeMessage, rootLevelOf } from '../../core/document/decode';
import { wellKnownRegistry } from '../../core/schema/registry';
import { createNodeWorkbench } from '../../core-node/workbench/node-hosts';
import type { BenchCase } from '../case';
import { BENCH_DIR, benchProtoFile, datasetFile, descriptorFieldsFile, nodesFile, readInput } from '../inputs';
import { limitRow, valueRow, type Row } from '../report';
import { countNodes, expandAllRows, walkColumnar } from '../tree-walk';
import { formatBytes, formatMs, measure, memoryNow, retainedBy } from '../stats';

type Workbench = Awaited<ReturnType<typeof createNodeWorkbench>>;

/** A workbench with the bench schema loaded (as a user adds it), the bundled ones too. */
async function benchWorkbench(): Promise<Workbench> {
  const wb = await createNodeWorkbench({ stateFile: null });
  await wb.api.addSchemas({ protoFiles: [benchProtoFile()], importPaths: [BENCH_DIR] });
  return wb;
}

/** Opens `path` as bench.Dataset and returns its id and the ms to its first 200 rows. */
async function openToFirstRows(wb: Workbench, path: string): Promise<{ docId: string; ms: number }> {
  const t0 = performance.now();
  let doc = await wb.api.openPath({ path });
  if (doc.typeName !== 'bench.Dataset') doc = await wb.api.setType({ docId: doc.docId, typeName: 'bench.Dataset' });
  await wb.api.getRows({ docId: doc.docId, message: 0, start: 0, count: 200 });
  return { docId: doc.docId, ms: performance.now() - t0 };
}

/** Closes a document and lets the host finish what closing stops (a hash under way ends at its next chunk). */
async function close(wb: Workbench, docId: string): Promise<void> {
  await wb.api.closeDocument({ docId });
  await new Promise((resolve) => setImmediate(resolve));
}

/** Heap plus array buffers now, after a full GC. */
function heapNow(): number {
  const m = memoryNow();
  return m.heapUsed + m.arrayBuffers;
}

/** Runs case 11. */
export const bigInputsCase: BenchCase = async (config) => {
  const rows: Row[] = [];
  const runs = Math.min(config.runs, 3); // each run opens hundreds of MB: three medians are enough

  // 11a: Expand all of ~3 M nodes, then the last rows (what the Expand all button and a scroll to the end ask of the host).
  const expandFile = nodesFile(config.expandNodes);
  const wb = await benchWorkbench();
  let expandedRows = 0;
  let expandMemory = 0;
  const expand = await measure(
    async () => {
      const before = heapNow();
      const { docId } = await openToFirstRows(wb, expandFile.path);
      const t0 = performance.now();
      const { total } = await wb.api.setExpanded({ docId, message: 0, path: [], expanded: true, all: true });
      await wb.api.getRows({ docId, message: 0, start: Math.max(0, total - 200), count: 200 });
      const ms = performance.now() - t0;
      expandedRows = total;
      expandMemory = heapNow() - before;
      await close(wb, docId);
      return ms;
    },
    { runs, inspect: (ms) => ms },
  );
  const expandTiming = { ...expand.timing };
  rows.push(
    limitRow(
      '11a',
      `host: Expand all + last rows, ${formatBytes(expandFile.bytes)} message (~${(config.expandNodes / 1e6).toFixed(1)} M nodes)`,
      expandTiming,
      2000,
      [
        `${expandedRows.toLocaleString()} rows once expanded; the document held ${formatBytes(expandMemory)} of heap when expanded (${(expandMemory / expandFile.bytes).toFixed(1)}x input); the time excludes opening (first rows), which 11d times`,
        'in-process engine calls, as the server runs them for the UI (no HTTP, no browser); row 6b is the same through the browser on a 1 M-node message',
      ],
    ),
  );

  // 11b/11c: a hostile DescriptorProto of tiny fields, decoded with spans and read in full.
  const hostile = descriptorFieldsFile(config.hostileBytes);
  const bytes = readInput(hostile.path);
  const type = wellKnownRegistry().findMessage('google.protobuf.DescriptorProto')!;
  const decode = await measure(() => walkColumnar(decodeMessage(bytes, type)), { runs, inspect: (n) => n });
  const objects = await measure(() => countNodes(decodeMessage(bytes, type).fields), { runs: 1 });
  let rowCount = 0;
  let columnBytes = 0;
  let levelBytes = 0;
  let levelCount = 0;
  const held = retainedBy(() => {
    const m = decodeMessage(bytes, type, { lazy: true });
    const rows = expandAllRows(m);
    rowCount = rows.length;
    columnBytes = rows.columnBytes;
    const level = rootLevelOf(m);
    levelBytes = level?.byteLength ?? 0;
    levelCount = level?.count ?? 0;
    return [m, rows];
  });
  const objectHeld = retainedBy(() => {
    const m = decodeMessage(bytes, type);
    countNodes(m.fields);
    return m;
  });
  const ratio = held / bytes.length;
  const perRow = (n: number) => (n / Math.max(1, rowCount)).toFixed(1);
  rows.push(
    limitRow(
      '11b',
      `hostile ${formatBytes(bytes.length)} DescriptorProto of tiny fields: decode + read every node and value`,
      decode.timing,
      2000,
      [
        `${hostile.fields.toLocaleString()} field entries, ${(decode.info ?? 0).toLocaleString()} nodes, read by the columnar walk; through node objects ${formatMs(objects.timing.median)}`,
      ],
    ),
    valueRow(
      '11c',
      `hostile ${formatBytes(bytes.length)} DescriptorProto: tree memory, every node shown (Expand all)`,
      `${ratio.toFixed(1)}x input`,
      '≤ 4x input',
      ratio <= 4,
      [
        `the lazily decoded document and its ${rowCount.toLocaleString()} rows once expanded: ${formatBytes(held)} retained (${perRow(held)} bytes per row, about ${perRow(bytes.length)} bytes of input a row)${ratio > 4 ? `: missed by ${(ratio / 4).toFixed(1)}x` : ''}; of it the rows' columns ${formatBytes(columnBytes)} (${perRow(columnBytes)} bytes a row), the top level read from the bytes ${formatBytes(levelBytes)} (${(levelBytes / Math.max(1, levelCount)).toFixed(1)} bytes for each of its ${levelCount.toLocaleString()} fields), the rest ${formatBytes(held - columnBytes - levelBytes)}; with an object per node ${formatBytes(objectHeld)} (${(objectHeld / bytes.length).toFixed(1)}x)`,
      ],
    ),
  );

  // 11d: a 200 MB message opened from disk to its first rows.
  const big = datasetFile(config.openFileBytes, 7);
  let openMemory = 0;
  const open = await measure(
    async () => {
      const before = heapNow();
      const { docId, ms } = await openToFirstRows(wb, big.path);
      openMemory = heapNow() - before;
      await close(wb, docId);
      return ms;
    },
    { runs },
  );
  rows.push(
    limitRow('11d', `open a ${formatBytes(big.bytes)} file to its first rows (host)`, open.timing, 3000, [
      `openPath + type + first 200 rows, in-process; heap held while open ${formatBytes(openMemory)} (${(openMemory / big.bytes).toFixed(2)}x input); median of ${open.timing.runs}, ${formatMs(open.timing.min)} to ${formatMs(open.timing.max)}`,
    ]),
  );
  wb.dispose();
  return rows;
};
