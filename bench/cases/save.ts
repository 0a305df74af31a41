/** Case 2: save (encode) of an unmodified big document vs protobufjs encode; then one edit deep inside and encode. */
import { performance } from 'node:perf_hooks';
import { ProtoDocument } from '../../core/document/document';
import type { Edit } from '../../core/document/edits';
import type { FieldNode, MessageRoot } from '../../core/document/model';
import type { NodePath } from '../../core/document/tree';
import type { BenchCase } from '../case';
import { benchTypes, datasetFile, readInput } from '../inputs';
import { limitRow, ratioRow } from '../report';
import { collectGarbage, formatBytes, formatMs, measure, summarize } from '../stats';

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

/** Runs case 2. */
export const saveCase: BenchCase = async (config) => {
  const { dataset } = benchTypes();
  const file = datasetFile(config.bigMessageBytes);
  const bytes = readInput(file.path);

  // 2a baseline first, so our tree is not alive (and slowing its GCs) while protobufjs runs.
  let pbjsObject: unknown = dataset.decode(bytes);
  const base = await measure(() => dataset.encode(pbjsObject as never).finish(), { runs: config.runs, inspect: (out) => sameBytes(out, bytes) });
  pbjsObject = null;
  collectGarbage();

  // 2a: save of the unmodified document.
  const doc = ProtoDocument.decode(bytes, dataset);
  const ours = await measure(() => doc.encode(), { runs: config.runs, inspect: (out) => sameBytes(out, bytes) });

  // 2b: one edit deep inside (the label of the last record's inner leaf), then encode.
  const { path, record, label } = deepLabelPath(doc.root);
  const applyMs: number[] = [];
  const encodeMs: number[] = [];
  let checked = '';
  for (let i = -1; i < config.runs; i++) {
    const value = `edited label ${i + 1}`;
    const edit: Edit = { op: 'set-value', path, value };
    collectGarbage();
    const t0 = performance.now();
    doc.apply(edit);
    const t1 = performance.now();
    const out = doc.encode();
    const t2 = performance.now();
    if (i >= 0) {
      applyMs.push(t1 - t0);
      encodeMs.push(t2 - t1);
    }
    if (i === config.runs - 1) checked = checkEdited(out, bytes, record, label, value);
    doc.undo();
  }
  const apply = summarize(applyMs);
  const encode = summarize(encodeMs);

  return [
    ratioRow('2a', `save unmodified ${formatBytes(bytes.length)} document`, ours.timing, base.timing, 'protobufjs encode', 2, [
      `byte-exact: ours ${ours.info ? 'yes' : 'NO'}; protobufjs re-encode equal to input: ${base.info ? 'yes' : 'no'}`,
    ]),
    limitRow('2b', 'encode after one edit deep inside', encode, 10, [
      `edit: set-value at path [${path.join(', ')}] (records[last].inner.leaf.label); applyEdit median ${formatMs(apply.median)}, encode median ${formatMs(encode.median)}, min/max ${formatMs(encode.min)}/${formatMs(encode.max)}`,
      `check: ${checked}`,
    ]),
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
