/**
 * Applying JSON or text format to a message as a diff: only the fields whose values the new
 * text changes are edited (see merge-fields.ts), so everything the text does not show keeps its
 * bytes. The result is checked: read back through the same format, it must mean what the new
 * text means (map entries in any order); where it does not, the message is written anew from
 * the text and the report says so. The report lists the changes in the text's terms and what
 * changes that the text does not show (apply-report.ts).
 */
import type { Field, Type } from 'protobufjs';
import type { TextApplyWarning, TextChange } from '../../api/contract';
import type { FieldNode, MessageRoot } from '../../document/model';
import type { SchemaRegistry } from '../../schema/registry';
import { parseTextFormat, printTextFormat } from '../text-adapter';
import { applyWarnings, keptHidden } from './apply-report';
import { FieldMerger, newMergeLog } from './merge-fields';
import { sameNodes } from './same-node';

/** What applying a text would do. */
export interface TextApplyPlan {
  /** The message after the Apply; the current root itself when the text changes nothing. */
  root: MessageRoot;
  /** The changes, in the text's terms (paths like `items[1].label`). */
  changes: TextChange[];
  /** What changes (or is kept) that the text does not show. */
  warnings: TextApplyWarning[];
}

/** A field's name as the format writes it. */
function namer(format: 'json' | 'text'): (field: Field) => string {
  return format === 'json' ? (f) => (f as Field & { jsonName?: string }).jsonName ?? f.name : (f) => f.name;
}

/**
 * Map entries of each map field deduplicated (the last one per key wins, as a runtime reads
 * them) and sorted by key, all the way down: two parsed trees that mean the same compare equal.
 */
function normalized(fields: readonly FieldNode[]): FieldNode[] {
  const out: FieldNode[] = [];
  const maps = new Map<number, Map<string, FieldNode>>();
  for (const n of fields) {
    const v = n.value;
    if (v.kind !== 'message') {
      out.push(n);
      continue;
    }
    const inner = { ...n, value: { ...v, fields: normalized(v.fields) } };
    if (!v.mapEntry) {
      out.push(inner);
      continue;
    }
    const key = [...v.fields].reverse().find((k) => k.fieldNumber === 1);
    const entries = maps.get(n.fieldNumber) ?? new Map<string, FieldNode>();
    if (!maps.has(n.fieldNumber)) {
      maps.set(n.fieldNumber, entries);
      out.push(n); // the map's place; replaced below
    }
    const k = key && key.value.kind === 'scalar' ? String(key.value.value) : '';
    entries.delete(k);
    entries.set(k, inner);
  }
  return out.flatMap((n) => {
    const entries = n.value.kind === 'message' && n.value.mapEntry ? maps.get(n.fieldNumber) : undefined;
    return entries ? [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e) : [n];
  });
}

/** Whether two parsed trees mean the same message. */
function sameMeaning(a: MessageRoot, b: MessageRoot): boolean {
  return sameNodes(normalized(a.fields), normalized(b.fields));
}

/**
 * Plans applying `text` (JSON or text format, of `type`) to the message `current`, whose spans
 * point into `source`. Throws TextInputError, with positions, when the text does not parse.
 */
export function planTextApply(
  current: MessageRoot,
  source: Uint8Array,
  text: string,
  type: Type,
  format: 'json' | 'text',
  registry: SchemaRegistry,
): TextApplyPlan {
  const next = parseTextFormat(text, type, format, registry);
  const read = (root: MessageRoot) => parseTextFormat(printTextFormat(root, format, registry), type, format, registry);
  const fieldName = namer(format);
  const name = (n: FieldNode) => (n.field ? fieldName(n.field) : n.value.kind === 'raw-bytes' ? '(bytes)' : String(n.fieldNumber));
  let shown: MessageRoot | null;
  try {
    shown = read(current);
  } catch {
    // The message cannot be printed in this format: there is nothing to compare with.
    shown = null;
  }
  if (shown && sameMeaning(shown, next)) {
    return { root: current, changes: [], warnings: format === 'json' ? keptWarning(current, name) : [] };
  }
  if (shown) {
    const log = newMergeLog();
    const fields = new FieldMerger(log, fieldName).merge(current.fields, shown.fields, next.fields, type, '');
    const root: MessageRoot = { ...current, fields, modified: true };
    let same: boolean;
    try {
      same = sameMeaning(read(root), next);
    } catch {
      same = false;
    }
    if (same) return { root, changes: log.changes, warnings: applyWarnings({ log, root, source, format, name }) };
  }
  return rewritten(current, source, next, format, name);
}

/** The note that JSON leaves a message's unknown fields as they are. */
function keptWarning(root: MessageRoot, name: (n: FieldNode) => string): TextApplyWarning[] {
  const kept = keptHidden(root, name);
  if (!kept.length) return [];
  return [
    {
      kind: 'unknown-kept',
      path: kept[0],
      message: `${kept.length} unknown field${kept.length === 1 ? '' : 's'} that JSON does not show ${kept.length === 1 ? 'is' : 'are'} kept as ${kept.length === 1 ? 'it is' : 'they are'}.`,
      confirm: false,
    },
  ];
}

/** The message written anew from the text: what could not be done as a diff. */
function rewritten(
  current: MessageRoot,
  source: Uint8Array,
  next: MessageRoot,
  format: 'json' | 'text',
  name: (n: FieldNode) => string,
): TextApplyPlan {
  const lost = format === 'json' ? keptHidden(current, name).length : 0;
  return {
    root: { ...next, modified: true },
    changes: [{ path: '(message)', kind: 'set' }],
    warnings: [
      {
        kind: 'rewritten',
        path: '',
        message:
          `The text cannot be applied as a change of only the fields it changes, so the whole message (${source.length} bytes) ` +
          `is written anew from it: repeated occurrences, field order and encodings the text does not show are not kept` +
          (lost ? `, and ${lost} unknown field${lost === 1 ? '' : 's'} JSON does not show ${lost === 1 ? 'is' : 'are'} lost.` : '.'),
        confirm: true,
      },
    ],
  };
}
