/**
 * The "Encoding" actions on a tree row: invalid or unusual encodings made on purpose (an overlong
 * varint, a length prefix that lies, a wrong wire type, a truncated message …). Each says which
 * rows it fits, what one number or byte string it asks for (with a sensible start), and the
 * contract's EncodingEdit it makes; the host rewrites the bytes, so the tree shows what is saved.
 */
import type { EncodingEdit, TreeRow } from '../../core/api/contract';

/** What an action asks for: nothing, a whole number, or bytes in hex. */
export type EncodingParam =
  { kind: 'none' } | { kind: 'int'; label: string; initial: number } | { kind: 'hex'; label: string; initial: string };

/** One encoding action. */
export interface EncodingAction {
  id: string;
  label: string;
  /** Whether it fits this row. */
  fits(row: TreeRow): boolean;
  param(row: TreeRow): EncodingParam;
  /** The edit for the value given (a number for 'int', bytes for 'hex'); throws a sentence when the value does not fit. */
  edit(row: TreeRow, value: number | Uint8Array | null): EncodingEdit;
}

const tagged = (row: TreeRow) => row.kind !== 'element' && row.kind !== 'raw-bytes' && row.path.length > 0;
const isLen = (row: TreeRow) => tagged(row) && row.wire === 'len';
/** The row's size in bytes (tag to end), 0 when unknown. */
const size = (row: TreeRow) => (row.span ? row.span.end - row.span.start : 0);
const num = (v: number | Uint8Array | null): number => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new Error('give a whole number of at least 0');
  return v;
};

function widthAction(part: 'tag' | 'length' | 'value', label: string, fits: (row: TreeRow) => boolean): EncodingAction {
  return {
    id: `varint-width-${part}`,
    label,
    fits,
    param: () => ({ kind: 'int', label: 'Width in bytes (1 to 10)', initial: 5 }),
    edit: (_row, v) => ({ kind: 'varint-width', part, width: num(v) }),
  };
}

/** Every encoding action, in menu order. */
export const ENCODING_ACTIONS: readonly EncodingAction[] = [
  widthAction('value', 'Set the varint width of the value (overlong)', (r) => (tagged(r) && r.wire === 'varint') || r.kind === 'element'),
  widthAction('tag', 'Set the varint width of the tag (overlong)', tagged),
  widthAction('length', 'Set the varint width of the length prefix (overlong)', isLen),
  {
    id: 'set-length',
    label: 'Set the length prefix (a prefix that lies)',
    fits: isLen,
    param: (r) => ({ kind: 'int', label: 'Length in bytes', initial: r.span ? r.span.end - r.span.valueStart + 1 : 0 }),
    edit: (_r, v) => ({ kind: 'set-length', length: num(v) }),
  },
  {
    id: 'set-wire-type',
    label: 'Change the wire type',
    fits: tagged,
    param: (r) => ({
      kind: 'int',
      label: 'Wire type (0 varint, 1 i64, 2 len, 3 start group, 4 end group, 5 i32; 6, 7 invalid)',
      initial: r.wire === 'varint' ? 5 : 0,
    }),
    edit: (_r, v) => ({ kind: 'set-wire-type', wireType: num(v) }),
  },
  {
    id: 'set-field-number',
    label: 'Set the field number (0 and above 536870911 too)',
    fits: tagged,
    param: () => ({ kind: 'int', label: 'Field number', initial: 0 }),
    edit: (_r, v) => ({ kind: 'set-field-number', fieldNumber: num(v) }),
  },
  {
    id: 'truncate',
    label: 'Truncate the message here',
    fits: (r) => (tagged(r) || r.kind === 'element') && size(r) > 0,
    param: (r) => ({ kind: 'int', label: `Bytes of this field to keep (0 to ${size(r) - 1})`, initial: Math.max(0, size(r) - 1) }),
    edit: (_r, v) => ({ kind: 'truncate', keep: num(v) }),
  },
  {
    id: 'duplicate',
    label: 'Duplicate (write it twice)',
    fits: (r) => tagged(r) || r.kind === 'element',
    param: () => ({ kind: 'none' }),
    edit: () => ({ kind: 'duplicate' }),
  },
  {
    id: 'move-before',
    label: 'Move before the previous field (out of order)',
    fits: tagged,
    param: () => ({ kind: 'none' }),
    edit: () => ({ kind: 'move', delta: -1 }),
  },
  {
    id: 'move-after',
    label: 'Move after the next field (out of order)',
    fits: tagged,
    param: () => ({ kind: 'none' }),
    edit: () => ({ kind: 'move', delta: 1 }),
  },
  {
    id: 'insert-bytes',
    label: 'Insert raw bytes after it',
    fits: (r) => tagged(r) || r.kind === 'element',
    param: () => ({ kind: 'hex', label: 'Bytes in hex', initial: '' }),
    edit: (_r, v) => {
      if (!(v instanceof Uint8Array) || v.length === 0) throw new Error('give at least one byte in hex, like "08 01"');
      return { kind: 'insert-bytes', bytes: v };
    },
  },
  {
    id: 'unterminate-group',
    label: 'Remove the end-group tag',
    fits: (r) => tagged(r) && r.wire === 'sgroup',
    param: () => ({ kind: 'none' }),
    edit: () => ({ kind: 'unterminate-group' }),
  },
  {
    id: 'split',
    label: 'Split in two fields (a packed run in two runs)',
    fits: (r) => isLen(r) && !!r.span && r.span.end - r.span.valueStart > 1,
    param: (r) => ({
      kind: 'int',
      label: 'Bytes of the value in the first part',
      initial: r.span ? Math.floor((r.span.end - r.span.valueStart) / 2) : 1,
    }),
    edit: (_r, v) => ({ kind: 'split', at: num(v) }),
  },
];

/** The actions that fit a row. */
export function encodingActionsFor(row: TreeRow): EncodingAction[] {
  return ENCODING_ACTIONS.filter((a) => a.fits(row));
}
