import { describe, expect, it } from 'vitest';
import type { TreeRow } from '../../core/api/contract';
import { encodingActionsFor } from './encoding-actions';

const row = (over: Partial<TreeRow>): TreeRow => ({
  path: [0],
  depth: 0,
  kind: 'scalar',
  name: 'f',
  number: 1,
  wire: 'varint',
  type: 'uint32',
  preview: '1',
  editor: { kind: 'none' },
  expandable: false,
  expanded: false,
  span: { start: 0, valueStart: 1, end: 2 },
  modified: false,
  ...over,
});
const ids = (r: TreeRow) => encodingActionsFor(r).map((a) => a.id);

describe('encoding actions', () => {
  it('offer what fits the row: a varint value, a length prefix, a group end, a packed element', () => {
    expect(ids(row({}))).toEqual([
      'varint-width-value',
      'varint-width-tag',
      'set-wire-type',
      'set-field-number',
      'truncate',
      'duplicate',
      'move-before',
      'move-after',
      'insert-bytes',
    ]);
    const len = ids(row({ wire: 'len', span: { start: 0, valueStart: 2, end: 6 } }));
    expect(len).toContain('set-length');
    expect(len).toContain('split');
    expect(len).not.toContain('varint-width-value');
    expect(ids(row({ wire: 'sgroup', kind: 'message' }))).toContain('unterminate-group');
    expect(ids(row({ kind: 'element', path: [0, 1] }))).toEqual(['varint-width-value', 'truncate', 'duplicate', 'insert-bytes']);
    expect(ids(row({ kind: 'raw-bytes' }))).toEqual([]);
  });

  it('turn the value given into the edit, refusing what is not a number or no bytes', () => {
    const [width] = encodingActionsFor(row({}));
    expect(width.edit(row({}), 4)).toEqual({ kind: 'varint-width', part: 'value', width: 4 });
    expect(() => width.edit(row({}), NaN)).toThrow(/whole number/);
    const insert = encodingActionsFor(row({})).find((a) => a.id === 'insert-bytes')!;
    expect(() => insert.edit(row({}), new Uint8Array())).toThrow(/at least one byte/);
  });
});
