/**
 * The one undo history of an open document, across all its messages: each step says which
 * message changed and holds its version before and after (message versions are immutable, so
 * undo puts the earlier one back as it was, byte-exact). Messages keep no history of their own.
 */
import { UNDO_STEPS } from '../../document/history';
import type { EditableMessage, JournalStep } from '../engine';

/** One undoable change: message `message` went from `before` to `after`. */
export interface HistoryStep {
  message: number;
  before: EditableMessage;
  after: EditableMessage;
  /** The change as the recovery journal keeps it (replaying it from `before` gives `after`). */
  journal: JournalStep;
}

/** One version among a history's steps, as position() gives it (see markSavedAt). */
export interface HistoryPosition {
  readonly history: DocumentHistory;
  /** The last step done to reach it (null: the version the history started from). */
  readonly step: HistoryStep | null;
}

/** A document's steps done and undone, and where the saved version is among them. */
export class DocumentHistory {
  private done: HistoryStep[] = [];
  private undone: HistoryStep[] = [];
  /** The last step dropped past maxSteps (the version the oldest kept step starts from), or null. */
  private dropped: HistoryStep | null = null;
  /** How many steps were done when the document was last saved; -1 when that version can no longer be reached. */
  private savedAt: number;

  constructor(
    /** Whether the version the history starts from is the saved one. */
    saved: boolean,
    /** How many steps are kept (the oldest goes first), as many as a core/document history keeps. */
    readonly maxSteps = UNDO_STEPS,
  ) {
    this.savedAt = saved ? 0 : -1;
  }

  /** Whether the current version differs from the saved one (or the saved one is out of reach). */
  get dirty(): boolean {
    return this.savedAt !== this.done.length;
  }

  /** Whether there is a step to undo. */
  get canUndo(): boolean {
    return this.done.length > 0;
  }

  /** Whether there is an undone step to redo. */
  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** Steps done and undone. */
  get depth(): { undo: number; redo: number } {
    return { undo: this.done.length, redo: this.undone.length };
  }

  /**
   * Records a step just made; the undone ones can no longer be redone. Past `maxSteps` the oldest
   * goes, and a save made before it can no longer be undone back to.
   */
  record(step: HistoryStep): void {
    this.done.push(step);
    if (this.done.length > this.maxSteps) {
      this.dropped = this.done.shift()!;
      this.savedAt = this.savedAt > 0 ? this.savedAt - 1 : -1;
    }
    // The saved version was among the undone steps: gone with them.
    if (this.savedAt > this.done.length - 1) this.savedAt = -1;
    this.undone = [];
  }

  /** Takes back the last step; returns it (its `before` is the message's version now), or null when there is none. */
  undo(): HistoryStep | null {
    const step = this.done.pop();
    if (!step) return null;
    this.undone.push(step);
    return step;
  }

  /** Makes the last undone step again; returns it (its `after` is the message's version now), or null when there is none. */
  redo(): HistoryStep | null {
    const step = this.undone.pop();
    if (!step) return null;
    this.done.push(step);
    return step;
  }

  /** The current version is the saved one. */
  markSaved(): void {
    this.savedAt = this.done.length;
  }

  /** The current version, to name it later (a save names the version it started with). */
  position(): HistoryPosition {
    return { history: this, step: this.done.length ? this.done[this.done.length - 1] : this.dropped };
  }

  /**
   * The version at `position` is the saved one: the current version when nothing changed since,
   * else one undo or redo can reach (dirty until the user gets back to it), or none when the steps
   * since went past it (then the document stays dirty until saved again).
   */
  markSavedAt(position: HistoryPosition): void {
    if (position.history !== this) return;
    const versions = [this.dropped, ...this.done, ...[...this.undone].reverse()];
    const at = position.step === null && this.dropped !== null ? -1 : versions.indexOf(position.step);
    this.savedAt = at;
  }

  /** The saved version is no longer the file's (it changed on disk): unsaved until saved again. */
  markUnsaved(): void {
    if (!this.dirty) this.savedAt = -1;
  }

  /** Restores where the saved version is, as `journalSteps` gave it (a count of done steps, or -1). */
  restoreSavedAt(savedAt: number): void {
    this.savedAt = savedAt;
  }

  /** Every step as the journal keeps it: done ones, then undone ones in the order redo brings them back; the last `undone` are undone. */
  journalSteps(): { steps: JournalStep[]; undone: number; savedAt: number } {
    const steps = [...this.done, ...[...this.undone].reverse()].map((s) => s.journal);
    return { steps, undone: this.undone.length, savedAt: this.savedAt };
  }
}
