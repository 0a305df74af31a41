import { describe, expect, it } from 'vitest';
import { countChanges, describeChange } from './text-changes';
import { draftOf, dropDrafts, hasDrafts, keepDraft } from './text-drafts';

describe('describeChange', () => {
  it('says each kind of change with its values', () => {
    expect(describeChange({ path: 'name', kind: 'set', before: '"a"', after: '"b"' })).toBe('name: "a" → "b"');
    expect(describeChange({ path: 'items[2]', kind: 'add', after: '7' })).toBe('items[2] added: 7');
    expect(describeChange({ path: 'tags[0]', kind: 'remove', before: '"x"' })).toBe('tags[0] removed (was "x")');
    expect(describeChange({ path: '(message)', kind: 'set' })).toBe('(message) written anew');
    expect(countChanges([])).toBe('no change');
    expect(countChanges([{ path: 'a', kind: 'set' }])).toBe('1 change');
  });
});

describe('text drafts', () => {
  it('keeps unapplied text per document, message and format until it is dropped', () => {
    const json = { docId: 'd1', message: 0, format: 'json' } as const;
    keepDraft(json, { text: '{"name": "x"}', baseVersion: 3 });
    expect(draftOf(json)).toEqual({ text: '{"name": "x"}', baseVersion: 3 });
    expect(draftOf({ ...json, format: 'text' })).toBeUndefined();
    expect(draftOf({ ...json, message: 1 })).toBeUndefined();
    expect(hasDrafts('d1')).toBe(true);
    expect(hasDrafts('d2')).toBe(false);
    keepDraft(json, null);
    expect(hasDrafts('d1')).toBe(false);
    keepDraft({ ...json, message: 4 }, { text: 'x', baseVersion: 1 });
    dropDrafts('d1');
    expect(draftOf({ ...json, message: 4 })).toBeUndefined();
  });
});
