import { describe, expect, it } from 'vitest';
import type { DiffRow } from '../../core/api/diff-contract';
import { otherRequest, pagesFor, rowAtByte, rowName, rowNotes, rowTitle, savedRequest, sideText, swapped, toggled } from './diff-format';

const span = (start: number, valueStart: number, end: number) => ({ start, valueStart, end });
const row = (over: Partial<DiffRow>): DiffRow => ({
  id: 0,
  depth: 0,
  kind: 'changed',
  path: 'x',
  fieldNumber: 1,
  labels: [],
  descendants: 0,
  ...over,
});

describe('the diff view model', () => {
  it('names a row by the last part of its path, map keys with dots included', () => {
    expect(rowName('participant.tracks[2].sid')).toBe('sid');
    expect(rowName('participant.tracks[2]')).toBe('tracks[2]');
    expect(rowName('metadata[a.b.c]')).toBe('metadata[a.b.c]');
    expect(rowName('attrs[x.y].value')).toBe('value');
    expect(rowName('')).toBe('(message)');
  });

  it('shows a dash on the side a value is absent from, and notes unknown fields and moves', () => {
    const added = row({ kind: 'added', b: { text: '5', span: span(0, 1, 2) } });
    expect([sideText(added, 'a'), sideText(added, 'b')]).toEqual(['—', '5']);
    expect(rowNotes(row({ unknown: true, fieldNumber: 99, type: 'varint' }))).toEqual(['unknown field 99 (varint)']);
    expect(rowNotes(row({ kind: 'moved', from: 'items[0]', to: 'items[2]' }))).toEqual(['moved from items[0]']);
    expect(rowTitle(row({ kind: 'encoding', path: 'size', encoding: ['varint written in 2 bytes in A and 1 byte in B'] }))).toBe(
      'size: encoding only\nvarint written in 2 bytes in A and 1 byte in B',
    );
  });

  it('a click on a byte selects the innermost difference holding it on that side', () => {
    const outer = row({ id: 1, depth: 0, path: 'items', a: { text: '', span: span(10, 12, 40) }, b: { text: '', span: span(10, 12, 30) } });
    const inner = row({ id: 2, depth: 1, path: 'items[0]', a: { text: '', span: span(12, 14, 20) } });
    const added = row({ id: 3, depth: 1, kind: 'added', path: 'items[1]', b: { text: '', span: span(20, 22, 30) } });
    const rows = [outer, inner, added];
    expect(rowAtByte(rows, 'a', 15)?.id).toBe(2);
    expect(rowAtByte(rows, 'a', 25)?.id).toBe(1);
    expect(rowAtByte(rows, 'b', 25)?.id).toBe(3);
    expect(rowAtByte(rows, 'b', 15)?.id).toBe(1);
    expect(rowAtByte(rows, 'a', 9)).toBeNull();
    expect(rowAtByte(rows, 'a', 40)).toBeNull();
  });

  it('asks for the pages a window of rows falls in', () => {
    expect(pagesFor(0, 30, 200)).toEqual([0]);
    expect(pagesFor(190, 210, 200)).toEqual([0, 200]);
    expect(pagesFor(450, 400, 200)).toEqual([]);
  });

  it('compares with saved as saved (A) against now (B), with another message as the active one (A) against it (B)', () => {
    expect(savedRequest('d1', 2)).toEqual({ a: { docId: 'd1', message: 2, saved: true }, b: { docId: 'd1', message: 2 } });
    const r = otherRequest({ docId: 'd1', message: 0 }, { docId: 'd2', message: 3 });
    expect(r).toEqual({ a: { docId: 'd1', message: 0 }, b: { docId: 'd2', message: 3 } });
    expect(swapped(r)).toEqual({ a: { docId: 'd2', message: 3 }, b: { docId: 'd1', message: 0 } });
  });

  it('toggles a collapsed row', () => {
    const once = toggled(new Set([4]), 7);
    expect([...once].sort()).toEqual([4, 7]);
    expect([...toggled(once, 4)]).toEqual([7]);
  });
});
