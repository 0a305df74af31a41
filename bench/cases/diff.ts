/** Case 7: diff of two 10 MB messages that differ in one field (with and without a schema), and of identical copies. */
import { performance } from 'node:perf_hooks';
import { diffSummary, diffToText } from '../../core/diff/diff-format';
import type { DiffNode } from '../../core/diff/diff-model';
import { diffMessages } from '../../core/diff/message-diff';
import type { BenchCase } from '../case';
import { benchTypes, datasetFile, readInput } from '../inputs';
import { infoRow, limitRow } from '../report';
import { formatBytes, formatMs, mbPerSecond, measure } from '../stats';

/** The deepest changed leaves of a diff, as "path: a -> b". */
function leaves(nodes: readonly DiffNode[]): string[] {
  return nodes.flatMap((n) => (n.children ? leaves(n.children) : [`${n.kind} ${n.path}: ${n.a?.text ?? ''} -> ${n.b?.text ?? ''}`]));
}

/** Runs case 7. */
export const diffCase: BenchCase = async (config) => {
  const { dataset } = benchTypes();
  const file = datasetFile(config.rawBytes, 3);
  const a = readInput(file.path);
  // B: the same dataset with one string deep inside one record in the middle changed (and so
  // the lengths of the three messages around it), encoded by protobufjs.
  const obj = dataset.decode(a) as unknown as { records: { inner: { leaf: { label: string } } }[] };
  const k = Math.floor(obj.records.length / 2);
  obj.records[k].inner.leaf.label = `${obj.records[k].inner.leaf.label} (edited)`;
  const b = dataset.encode(dataset.fromObject(obj)).finish().slice();
  const copy = a.slice();

  // The first runs over 10 MB are about twice as slow as the later ones while the JIT settles:
  // the first is timed on its own (noted), and each timing has three warm-up runs.
  const t0 = performance.now();
  diffMessages(a, b, { type: dataset });
  const cold = performance.now() - t0;
  const warmup = 3;
  const schema = await measure(() => diffMessages(a, b, { type: dataset }), { runs: config.runs, warmup, inspect: (d) => d });
  const raw = await measure(() => diffMessages(a, b), { runs: config.runs, warmup, inspect: (d) => d });
  const same = await measure(() => diffMessages(a, copy, { type: dataset }), { runs: config.runs, warmup, inspect: (d) => d.identical });
  const text = await measure(() => diffToText(diffMessages(a, b, { type: dataset })).length, { runs: config.runs, warmup });

  const found = schema.info ? leaves(schema.info.nodes) : [];
  const rawFound = raw.info ? leaves(raw.info.nodes) : [];
  const size = `${formatBytes(a.length)} vs ${formatBytes(b.length)}`;
  return [
    limitRow('7a', `diff: two ${formatBytes(a.length)} messages, one field differs (with schema)`, schema.timing, 200, [
      `inputs ${size}: bench.Dataset of ${file.records.toLocaleString()} records; record ${k}'s inner.leaf.label changed`,
      `found: ${found.join('; ')} (${schema.info ? diffSummary(schema.info) : '?'}); correct: ${found.length === 1 && found[0].startsWith(`changed records[${k}].inner.leaf.label`) ? 'yes' : 'NO'}`,
      `throughput ${mbPerSecond(a.length + b.length, schema.timing.median).toFixed(0)} MB/s over both inputs; min/max ${formatMs(schema.timing.min)}/${formatMs(schema.timing.max)} over ${schema.timing.runs} runs`,
      `with the text rendering (what protodesk diff prints): ${formatMs(text.timing.median)}; the very first run, before any warm-up: ${formatMs(cold)}`,
    ]),
    infoRow('7b', `diff: the same, without a schema`, raw.timing, [`found: ${rawFound.join('; ')}`]),
    infoRow('7c', `diff: two identical ${formatBytes(a.length)} copies`, same.timing, [
      `identical: ${same.info ? 'yes' : 'NO'} (one byte comparison)`,
    ]),
  ];
};
