/** Case 2: save (encode) of an unmodified big document vs protobufjs encode; then one edit deep inside and encodeParts (eager and lazy decode). */
import { closeSync, fsyncSync, openSync, readFileSync, rmSync, writevSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ProtoDocument } from '../../core/document/document';
import type { Edit } from '../../core/document/edits';
import type { FieldNode, MessageRoot } from '../../core/document/model';
import type { NodePath } from '../../core/document/tree';
import type { BenchCase } from '../case';
import { BENCH_DIR, benchTypes, datasetFile, readInput } from '../inputs';
import { limitRow, ratioRow, type Row } from '../report';
import { collectGarbage, formatBytes, formatMs, measure, summarize, type Timing } from '../stats';

/** Index of the last child with this field number. */
function lastIndexOf(fields: readonly FieldNode[], fieldNumber: number): number {
  for (let i = fields.length - 1; i >= 0; i--) if (fields[i].fieldNumber === fieldNumber) return i;
  throw new Error(`no field ${fieldNumber} here`);
}

function childFields(node: FieldNode): readonly FieldNode[] {
  if (node.value.kind !== 'message') throw new Error(`field ${node.fieldNumber} is not a message`);
  return node.value.fields;
}

/** Path of Dataset.records[last].inner.leaf.label, and the record node. */
function deepLabelPath(root: MessageRoot): { path: NodePath; record: FieldNode; label: FieldNode } {
  const ri = lastIndexOf(root.fields, 1); // records = 1
  const record = root.fields[ri];
  const ii = lastIndexOf(childFields(record), 4); // inner = 4
  const inner = childFields(record)[ii];
  const li = lastIndexOf(childFields(inner), 4); // leaf = 4
  const leaf = childFields(inner)[li];
  const ti = lastIndexOf(childFields(leaf), 3); // label = 3
  return { path: [ri, ii, li, ti], record, label: childFields(leaf)[ti] };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/**
 * A full GC that also finishes sweeping before it returns (V8's memory-reducing "last resort"
 * flavor): after a plain gc() of the ~1.7 GB eager tree, concurrent sweeping goes on for
 * hundreds of ms and, on a busy machine, slows a millisecond measurement taken meanwhile up to
 * 50x. A no-op without --expose-gc.
 */
function collectGarbageAndSweep(): void {
  const gc = (globalThis as { gc?: (options?: object) => void }).gc;
  if (gc) gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

/** Writes the parts to a new file the way a save does (one writev, then fsync). */
function writeParts(path: string, parts: readonly Uint8Array[]): number {
  const fd = openSync(path, 'w');
  try {
    const written = writevSync(fd, parts as Uint8Array[]);
    fsyncSync(fd);
    return written;
  } finally {
    closeSync(fd);
  }
}

/** What case 2b measured on one document. */
interface EditedSave {
  path: NodePath;
  apply: Timing;
  /** doc.encodeParts() after the edit: the judged number. */
  encode: Timing;
  /** Flattening the parts into one buffer (for callers that need contiguous bytes). */
  flatten: Timing;
  /** Writing the parts to a temp file with fsync. */
  write: Timing;
  parts: number;
  checked: string;
}

/**
 * Case 2b on one document: set-value deep inside, then encodeParts (timed), undo; then, apart,
 * the same edit with flattening and writing the parts (info). Each loop runs `runs` times after a
 * warm-up, with the heap collected and swept once before it (not per run: the runs make next to
 * no garbage, and the 64 MB buffers of the second loop are kept out of the first).
 */
function editThenSave(doc: ProtoDocument, source: Uint8Array, runs: number): EditedSave {
  const { path, record, label } = deepLabelPath(doc.root);
  const edit = (i: number): Edit => ({ op: 'set-value', path, value: `edited label ${i}` });
  const applyMs: number[] = [];
  const encodeMs: number[] = [];
  let parts = 0;
  collectGarbageAndSweep();
  for (let i = -1; i < runs; i++) {
    const t0 = performance.now();
    doc.apply(edit(i));
    const t1 = performance.now();
    const out = doc.encodeParts();
    const t2 = performance.now();
    if (i >= 0) {
      applyMs.push(t1 - t0);
      encodeMs.push(t2 - t1);
    }
    parts = out.parts.length;
    doc.undo();
  }

  const tmp = join(BENCH_DIR, `save-${process.pid}.tmp`);
  const flattenMs: number[] = [];
  const writeMs: number[] = [];
  let checked = '';
  collectGarbageAndSweep();
  try {
    for (let i = -1; i < runs; i++) {
      doc.apply(edit(i));
      const out = doc.encodeParts();
      const t0 = performance.now();
      const flat = out.toUint8Array();
      const t1 = performance.now();
      const written = writeParts(tmp, out.parts);
      const t2 = performance.now();
      if (written !== out.length) throw new Error(`wrote ${written} of ${out.length} bytes`);
      if (i >= 0) {
        flattenMs.push(t1 - t0);
        writeMs.push(t2 - t1);
      }
      if (i === runs - 1) {
        checked = checkEdited(flat, source, record, label, `edited label ${i}`);
        if (!sameBytes(readFileSync(tmp), flat)) checked += '; the written file differs from the flattened bytes';
      }
      doc.undo();
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  return {
    path,
    apply: summarize(applyMs),
    encode: summarize(encodeMs),
    flatten: summarize(flattenMs),
    write: summarize(writeMs),
    parts,
    checked,
  };
}

/** The 2b row of one document. */
function editedRow(id: string, how: string, r: EditedSave, size: number): Row {
  return limitRow(id, `encodeParts after one edit deep inside (${how})`, r.encode, 10, [
    `edit: set-value at path [${r.path.join(', ')}] (records[last].inner.leaf.label); applyEdit median ${formatMs(r.apply.median)}; encodeParts median ${formatMs(r.encode.median)}, min/max ${formatMs(r.encode.min)}/${formatMs(r.encode.max)}, ${r.parts} parts`,
    `info: flatten to one ${formatBytes(size)} buffer median ${formatMs(r.flatten.median)}; write the parts to a file (writev + fsync) median ${formatMs(r.write.median)}`,
    `check: ${r.checked}`,
  ]);
}

/** Runs case 2. */
export const saveCase: BenchCase = async (config) => {
  const { dataset } = benchTypes();
  const file = datasetFile(config.bigMessageBytes);
  const bytes = readInput(file.path);

  // 2a baseline first, so our tree is not alive (and slowing its GCs) while protobufjs runs.
  let pbjsObject: unknown = dataset.decode(bytes);
  const base = await measure(() => dataset.encode(pbjsObject as never).finish(), {
    runs: config.runs,
    inspect: (out) => sameBytes(out, bytes),
  });
  pbjsObject = null;
  collectGarbage();

  // 2a: save of the unmodified document.
  let eager: ProtoDocument | null = ProtoDocument.decode(bytes, dataset);
  const ours = await measure(() => eager!.encode(), { runs: config.runs, inspect: (out) => sameBytes(out, bytes) });

  // 2b: one edit deep inside (the label of the last record's inner leaf), then encodeParts; eager, then lazy.
  const eagerSave = editThenSave(eager, bytes, config.runs);
  eager = null;
  collectGarbage();
  const lazySave = editThenSave(ProtoDocument.decode(bytes, dataset, { lazy: true }), bytes, config.runs);

  return [
    ratioRow('2a', `save unmodified ${formatBytes(bytes.length)} document`, ours.timing, base.timing, 'protobufjs encode', 2, [
      `byte-exact: ours ${ours.info ? 'yes' : 'NO'}; protobufjs re-encode equal to input: ${base.info ? 'yes' : 'no'}`,
    ]),
    editedRow('2b', 'eager decode', eagerSave, bytes.length),
    editedRow('2b-lazy', 'lazy decode', lazySave, bytes.length),
  ];
};

/** Checks an edited encode: bytes before the edited record unchanged, the label decodes back, the size as expected. */
function checkEdited(out: Uint8Array, source: Uint8Array, record: FieldNode, label: FieldNode, value: string): string {
  const { dataset } = benchTypes();
  const problems: string[] = [];
  const start = record.span!.tagStart;
  if (!sameBytes(out.subarray(0, start), source.subarray(0, start))) problems.push('bytes before the edited record changed');
  const oldLen = label.span!.end - label.span!.valueStart;
  const delta = Buffer.byteLength(value) - oldLen;
  // Length prefixes on the path may grow by a byte each when crossing 128, 16384, ... (3 levels).
  const grown = out.length - source.length - delta;
  if (grown < 0 || grown > 3) problems.push(`size ${out.length}, expected ${source.length + delta} (+0..3)`);
  const decoded = dataset.decode(out) as unknown as { records: { inner: { leaf: { label: string } } }[] };
  if (decoded.records[decoded.records.length - 1].inner.leaf.label !== value) problems.push('label did not decode back');
  return problems.length ? problems.join('; ') : 'prefix unchanged, size right, label decodes back (protobufjs)';
}
