/**
 * Undo/redo over immutable states: undo restores the previous state object itself, so a
 * document root that was byte-exact before an edit is byte-exact again after undo.
 */

/** How many undo steps a document keeps (the workbench session keeps as many, across a file's messages). */
export const UNDO_STEPS = 1000;

/** A linear undo/redo history of immutable states. */
export class History<T> {
  private readonly past: T[] = [];
  private readonly future: T[] = [];
  private current: T;

  constructor(
    initial: T,
    /** How many undo steps are kept (oldest dropped first). */
    readonly maxSteps = UNDO_STEPS,
  ) {
    this.current = initial;
  }

  /** The current state. */
  get present(): T {
    return this.current;
  }

  /** Makes `next` the current state; the old one becomes undoable and the redo stack is cleared. */
  push(next: T): void {
    this.past.push(this.current);
    if (this.past.length > this.maxSteps) this.past.shift();
    this.current = next;
    this.future.length = 0;
  }

  /** Whether undo() would change the state. */
  get canUndo(): boolean {
    return this.past.length > 0;
  }

  /** Whether redo() would change the state. */
  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** Goes back one step; returns the new current state (unchanged when nothing to undo). */
  undo(): T {
    const prev = this.past.pop();
    if (prev !== undefined) {
      this.future.push(this.current);
      this.current = prev;
    }
    return this.current;
  }

  /** Goes forward one step; returns the new current state (unchanged when nothing to redo). */
  redo(): T {
    const next = this.future.pop();
    if (next !== undefined) {
      this.past.push(this.current);
      this.current = next;
    }
    return this.current;
  }

  /** Number of undo and redo steps available. */
  get depth(): { undo: number; redo: number } {
    return { undo: this.past.length, redo: this.future.length };
  }
}
