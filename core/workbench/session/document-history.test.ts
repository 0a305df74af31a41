import { describe, expect, it } from 'vitest';
import type { EditableMessage } from '../engine';
import { DocumentHistory, type HistoryStep } from './document-history';
import { UNDO_STEPS } from '../../document/history';

/** A stand-in message version, told apart by its name. */
const version = (name: string) => ({ name }) as unknown as EditableMessage;

/** A step of message `message` from version `from` to version `to` (a 'set' of field 1 to `to`). */
function step(message: number, from: string, to: string): HistoryStep {
  return { message, before: version(from), after: version(to), journal: { message, edit: { op: 'set', path: [0], value: to } } };
}

const nameOf = (v: EditableMessage | undefined) => (v as unknown as { name: string } | undefined)?.name;

describe('document history', () => {
  it('undoes and redoes steps across messages in the order they were made', () => {
    const h = new DocumentHistory(true);
    expect(h).toMatchObject({ dirty: false, canUndo: false, canRedo: false });
    h.record(step(3, 'm3-a', 'm3-b'));
    h.record(step(1, 'm1-a', 'm1-b'));
    h.record(step(3, 'm3-b', 'm3-c'));
    expect(h).toMatchObject({ dirty: true, canUndo: true, canRedo: false });
    const undone = [h.undo(), h.undo(), h.undo()];
    expect(undone.map((s) => [s?.message, nameOf(s?.before)])).toEqual([
      [3, 'm3-b'],
      [1, 'm1-a'],
      [3, 'm3-a'],
    ]);
    expect(h.undo()).toBeNull();
    expect(h).toMatchObject({ dirty: false, canUndo: false, canRedo: true });
    const redone = [h.redo(), h.redo()];
    expect(redone.map((s) => [s?.message, nameOf(s?.after)])).toEqual([
      [3, 'm3-b'],
      [1, 'm1-b'],
    ]);
    expect(h.depth).toEqual({ undo: 2, redo: 1 });
  });

  it('a new step drops the undone ones, and a save among them can no longer be reached', () => {
    const h = new DocumentHistory(true);
    h.record(step(0, 'a', 'b'));
    h.markSaved();
    h.undo();
    expect(h.dirty).toBe(true);
    h.record(step(0, 'a', 'c'));
    expect(h).toMatchObject({ canRedo: false, dirty: true });
    h.undo();
    expect(h.dirty).toBe(true);
  });

  it(`keeps the last ${UNDO_STEPS.toLocaleString('en')} steps, as a core/document history does; a save older than them can no longer be undone back to`, () => {
    const h = new DocumentHistory(true);
    expect(h.maxSteps).toBe(UNDO_STEPS);
    for (let i = 0; i < UNDO_STEPS + 5; i++) h.record(step(0, `v${i}`, `v${i + 1}`));
    let undone = 0;
    let last: HistoryStep | null = null;
    for (let s = h.undo(); s; s = h.undo()) {
      last = s;
      undone++;
    }
    expect(undone).toBe(UNDO_STEPS);
    // The oldest step kept starts from the fifth edit's version, which is not the saved file.
    expect(nameOf(last?.before)).toBe('v5');
    expect(h.dirty).toBe(true);
  });

  it('a save within the kept steps stays reachable when the oldest go', () => {
    const h = new DocumentHistory(true, 3);
    h.record(step(0, 'a', 'b'));
    h.record(step(0, 'b', 'c'));
    h.markSaved(); // at "c"
    h.record(step(0, 'c', 'd'));
    h.record(step(0, 'd', 'e')); // "a"→"b" goes
    expect(h.depth.undo).toBe(3);
    h.undo();
    h.undo();
    expect(h.dirty).toBe(false);
    h.undo();
    expect(h).toMatchObject({ dirty: true, canUndo: false });
  });

  it('an unsaved start, a file changed on disk, and the journal view of the steps', () => {
    const h = new DocumentHistory(false);
    expect(h.dirty).toBe(true);
    h.markSaved();
    expect(h.dirty).toBe(false);
    h.markUnsaved();
    expect(h.dirty).toBe(true);
    h.record(step(0, 'a', 'b'));
    h.record(step(2, 'x', 'y'));
    h.record(step(0, 'b', 'c'));
    h.markSaved();
    h.markUnsaved(); // the saved version is no longer what the file holds
    h.undo();
    h.undo();
    const j = h.journalSteps();
    // Done steps first, then the undone ones in the order redo brings them back.
    expect(j.steps.map((s) => [s.message, 'edit' in s ? s.edit : null])).toEqual([
      [0, { op: 'set', path: [0], value: 'b' }],
      [2, { op: 'set', path: [0], value: 'y' }],
      [0, { op: 'set', path: [0], value: 'c' }],
    ]);
    expect(j).toMatchObject({ undone: 2, savedAt: -1 });
    // Replayed from the journal, then told where the save was.
    const back = new DocumentHistory(false);
    back.record(step(0, 'a', 'b'));
    back.record(step(2, 'x', 'y'));
    back.restoreSavedAt(1);
    expect(back.dirty).toBe(true);
    back.undo();
    expect(back.dirty).toBe(false);
  });

  it('marks the version a save started with as saved, wherever it is now (an edit made during the save stays unsaved)', () => {
    const h = new DocumentHistory(false);
    h.record(step(0, 'a', 'b'));
    const saving = h.position(); // the save writes "b"
    h.record(step(0, 'b', 'c')); // an edit while it runs
    h.markSavedAt(saving);
    expect(h.dirty).toBe(true);
    h.undo();
    expect(h.dirty).toBe(false); // back at "b", the version on disk
    h.undo();
    const atStart = h.position(); // a save of "a", the version the history starts from
    h.redo();
    h.markSavedAt(atStart);
    expect(h.dirty).toBe(true);
    h.undo();
    expect(h.dirty).toBe(false);
    // A step made over undone ones drops them: a save of one of them can no longer be reached.
    h.redo();
    h.redo();
    const c = h.position();
    h.undo();
    h.record(step(0, 'b', 'd'));
    h.markSavedAt(c);
    expect(h.dirty).toBe(true);
    h.undo();
    expect(h.dirty).toBe(true);
    // A position of another history (the document was read again meanwhile) changes nothing.
    const other = new DocumentHistory(true);
    other.markSavedAt(c);
    expect(other.dirty).toBe(false);
  });
});
