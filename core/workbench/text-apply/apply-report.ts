/**
 * What an Apply of JSON or text changes that the text does not show, from what the merge did:
 * invalid UTF-8 replaced, non-canonical varints and length prefixes re-encoded, occurrences
 * merged, content the text never showed removed, fields written anew; and (for JSON) the unknown
 * fields kept. Warnings with `confirm` are applied only once the user agrees.
 */
import type { TextApplyWarning } from '../../api/contract';
import type { FieldNode, MessageRoot } from '../../document/model';
import { encodeNode, writeScalarValue } from '../../document/encode';
import { childrenOf } from '../../document/tree';
import { readVarint, type VarintResult } from '../../wire/varint';
import { WireType } from '../../wire/wire-types';
import { WireWriter } from '../../wire/wire-writer';
import type { MergeLog } from './merge-fields';
import { sameBytes } from './same-node';

/** At most this many paths are named in one warning. */
const MAX_PATHS = 5;

const VARINT: VarintResult = { lo: 0, hi: 0 };

/** "a, b and 3 more" */
function listPaths(paths: readonly string[]): string {
  const named = paths.slice(0, MAX_PATHS).map((p) => p || '(message)');
  return paths.length > MAX_PATHS ? `${named.join(', ')} and ${paths.length - MAX_PATHS} more` : named.join(', ');
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Unknown fields and undecodable bytes in a subtree (what JSON never shows; text shows the unknown fields). */
function hiddenIn(nodes: readonly FieldNode[], format: 'json' | 'text'): { unknown: number; raw: number } {
  const out = { unknown: 0, raw: 0 };
  const walk = (list: readonly FieldNode[]) => {
    for (const n of list) {
      if (n.value.kind === 'raw-bytes') out.raw++;
      else if (n.value.kind === 'unknown' && n.field === null) {
        if (format === 'json') out.unknown++;
      } else walk(childrenOf(n));
    }
  };
  walk(nodes);
  return out;
}

/** The canonical length of an old scalar or unknown varint node's value, when its bytes are longer than that (else null). */
function overlongVarint(node: FieldNode): { had: number; canonical: number } | null {
  const span = node.span;
  const v = node.value;
  if (!span || node.wireType !== WireType.VARINT) return null;
  const w = new WireWriter(16);
  if (v.kind === 'scalar') writeScalarValue(w, v.type, v.value);
  else if (v.kind === 'unknown') w.varint64(BigInt(v.raw as bigint | number));
  else return null;
  const canonical = w.finish().length;
  const had = span.end - span.valueStart;
  return had > canonical ? { had, canonical } : null;
}

/** The bytes of an old LEN node's length prefix in the source (after its tag). */
function prefixOf(node: FieldNode, source: Uint8Array): Uint8Array | null {
  const span = node.span;
  if (!span || node.wireType !== WireType.LEN) return null;
  const tagEnd = readVarint(source, span.tagStart, span.valueStart, VARINT);
  return tagEnd >= 0 ? source.subarray(tagEnd, span.valueStart) : null;
}

/** Whether an old length prefix is longer than its value needs. */
function overlongPrefix(node: FieldNode, source: Uint8Array): Uint8Array | null {
  const prefix = prefixOf(node, source);
  if (!prefix || !node.span) return null;
  const canonical = new WireWriter(10).uvarint(node.span.end - node.span.valueStart).finish().length;
  return prefix.length > canonical ? prefix : null;
}

/** Whether the new encoding of a modified node starts with the same tag and length prefix bytes as the old one. */
function keepsPrefix(after: FieldNode, prefix: Uint8Array, source: Uint8Array): boolean {
  const bytes = encodeNode(after, source);
  const tagEnd = readVarint(bytes, 0, bytes.length, VARINT);
  const end = tagEnd >= 0 ? readVarint(bytes, tagEnd, bytes.length, VARINT) : -1;
  return end >= 0 && sameBytes(bytes.subarray(tagEnd, end), prefix);
}

/** Paths of modified LEN nodes (messages, packed runs, strings) whose non-canonical length prefix is re-encoded. */
function reencodedPrefixes(root: MessageRoot, source: Uint8Array, name: (n: FieldNode) => string): string[] {
  const out: string[] = [];
  const walk = (fields: readonly FieldNode[], path: string) => {
    const seen = new Map<number, number>();
    for (const n of fields) {
      if (!n.modified) continue;
      const k = seen.get(n.fieldNumber) ?? 0;
      seen.set(n.fieldNumber, k + 1);
      const here = `${path ? `${path}.` : ''}${name(n)}${n.field?.repeated ? `[${k}]` : ''}`;
      const prefix = overlongPrefix(n, source);
      if (prefix && !keepsPrefix(n, prefix, source)) out.push(here);
      walk(childrenOf(n), here);
    }
  };
  walk(root.fields, '');
  return out;
}

/** What the report needs. */
export interface ReportInput {
  log: MergeLog;
  /** The message after the Apply. */
  root: MessageRoot;
  /** The bytes the old nodes' spans point into. */
  source: Uint8Array;
  format: 'json' | 'text';
  /** A node's field name as the text names it. */
  name: (node: FieldNode) => string;
}

/** The warnings of an Apply the merge made. */
export function applyWarnings({ log, root, source, format, name }: ReportInput): TextApplyWarning[] {
  const warnings: TextApplyWarning[] = [];
  const warn = (kind: TextApplyWarning['kind'], paths: string[], message: string, confirm = true) => {
    if (paths.length) warnings.push({ kind, path: paths[0], message, confirm });
  };

  const utf8 = log.replaced.filter(
    (r) => format === 'json' && r.before.value.kind === 'scalar' && r.before.value.invalidUtf8 && r.after.value.kind === 'scalar',
  );
  warn(
    'invalid-utf8-replaced',
    utf8.map((r) => r.path),
    `${listPaths(utf8.map((r) => r.path))} held bytes that are not valid UTF-8 (JSON shows them as U+FFFD): ` +
      `the new text replaces those bytes.`,
  );

  const varints = log.replaced.filter((r) => overlongVarint(r.before));
  const elements = log.replacedElements.filter(({ run, index }) => {
    const el = run.value.kind === 'packed' ? run.value.elements[index] : undefined;
    if (!el?.span || run.value.kind !== 'packed') return false;
    const w = new WireWriter(16);
    writeScalarValue(w, run.value.type, el.value);
    return el.span.end - el.span.valueStart > w.finish().length;
  });
  const prefixes = reencodedPrefixes(root, source, name);
  const reencoded = [...varints.map((r) => r.path), ...elements.map((e) => e.path), ...prefixes.map((p) => `${p} (length)`)];
  warn(
    'reencoded',
    reencoded,
    `${listPaths(reencoded)} ${reencoded.length === 1 ? 'was' : 'were'} written with more bytes than needed (a non-canonical varint); ` +
      `${reencoded.length === 1 ? 'its' : 'their'} new value is written in the shortest form.`,
  );

  warn(
    'occurrences-merged',
    log.merged.map((m) => m.path),
    log.merged.map((m) => `${m.path} occurs ${m.count} times on the wire`).join('; ') +
      ': a runtime reads them as one message, and the Apply writes them as one.',
  );

  const hidden = log.removed.filter((r) => r.hidden);
  warn(
    'hidden-removed',
    hidden.map((r) => r.path),
    `${listPaths(hidden.map((r) => r.path))}: ${plural(hidden.length, 'value')} the text does not show ` +
      `(an earlier occurrence, or another member of a oneof, that a runtime does not read) ${hidden.length === 1 ? 'is' : 'are'} removed.`,
  );
  for (const r of log.removed.filter((x) => !x.hidden)) {
    const h = hiddenIn([r.node], format);
    if (!h.unknown && !h.raw) continue;
    const what = [h.unknown ? plural(h.unknown, 'unknown field') : '', h.raw ? plural(h.raw, 'run', 'runs') + ' of undecodable bytes' : '']
      .filter(Boolean)
      .join(' and ');
    warn('hidden-removed', [r.path], `${r.path} is removed with ${what} the text does not show.`);
  }
  for (const r of log.replaced) {
    const v = r.before.value;
    if (v.kind !== 'scalar' || !v.embedded) continue;
    const h = hiddenIn(v.embedded.fields, format);
    if (h.unknown || h.raw)
      warn('hidden-removed', [r.path], `${r.path}: the new payload replaces one that held content the text does not show.`);
  }

  for (const r of log.rewritten) {
    warn(
      'rewritten',
      [r.path],
      `${r.path || '(message)'}: its ${plural(r.nodes.length, 'occurrence')} on the wire could not be matched to what the text showed, ` +
        `so ${r.nodes.length === 1 ? 'it is' : 'they are'} written anew from the text.`,
    );
  }

  if (format === 'json') {
    const kept = keptHidden(root, name);
    if (kept.length) {
      warnings.push({
        kind: 'unknown-kept',
        path: kept[0],
        message: `${plural(kept.length, 'unknown field')} that JSON does not show (${listPaths(kept)}) ${kept.length === 1 ? 'is' : 'are'} kept as ${kept.length === 1 ? 'it is' : 'they are'}.`,
        confirm: false,
      });
    }
  }
  return warnings;
}

/** Paths of the unknown fields (and undecodable bytes) in a message, in wire order. */
export function keptHidden(root: MessageRoot, name: (n: FieldNode) => string): string[] {
  const out: string[] = [];
  const walk = (fields: readonly FieldNode[], path: string) => {
    const seen = new Map<number, number>();
    for (const n of fields) {
      const k = seen.get(n.fieldNumber) ?? 0;
      seen.set(n.fieldNumber, k + 1);
      const here = `${path ? `${path}.` : ''}${name(n)}${n.field?.repeated ? `[${k}]` : ''}`;
      if ((n.value.kind === 'unknown' && n.field === null) || n.value.kind === 'raw-bytes') out.push(here);
      else walk(childrenOf(n), here);
    }
  };
  walk(root.fields, '');
  return out;
}
