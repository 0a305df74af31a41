/**
 * What a validating scan (scan.ts) records for the reader that later builds nodes from the same
 * bytes (materialize.ts): where each non-empty group ends, and where a tolerant decode stopped
 * inside a message. Everything else a node needs is read again from the bytes.
 */
import type { DecodeError } from '../wire/decode-error';

/** A group's end as recorded: the offset of its end-group tag, or, for a group without one, -(end + 1). */
export type GroupEnd = number;

/**
 * Facts of one scan. Groups are recorded in the order they open, which is the order of their
 * value starts, so a group's end is found by binary search. Empty groups (the end tag right
 * after the start tag) are not recorded: a group missing from the table ends where it starts.
 */
/** The table of a scan that met no group (most scans): shared, never written. */
const NO_GROUPS = new Int32Array(0);

export class ScanFacts {
  private starts = NO_GROUPS;
  private ends = NO_GROUPS;
  private count = 0;
  /** For messages a tolerant decode stopped inside: value start of the message → where its unread rest begins. */
  rawRest: Map<number, number> | null = null;
  /** The first error a tolerant decode met (null when none). */
  error: DecodeError | null = null;
  /** Whether a google.protobuf.Any was met (its payload is expanded into nodes only as objects). */
  anyInside = false;

  /** Records a group whose value starts at `valueStart`; returns its slot for setGroupEnd. */
  openGroup(valueStart: number): number {
    if (this.count === this.starts.length) {
      const n = Math.max(16, this.count * 2);
      const starts = new Int32Array(n);
      const ends = new Int32Array(n);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[this.count] = valueStart;
    this.ends[this.count] = -1;
    return this.count++;
  }

  /** Sets the end of the group in `slot` (see GroupEnd); an empty, terminated group is forgotten again (it is the last one opened). */
  setGroupEnd(slot: number, end: GroupEnd): void {
    if (end === this.starts[slot] && slot === this.count - 1) {
      this.count--;
      return;
    }
    this.ends[slot] = end;
  }

  /** The recorded end of the group whose value starts at `valueStart` (see GroupEnd); `valueStart` itself when not recorded (an empty group). */
  groupEnd(valueStart: number): GroupEnd {
    const starts = this.starts;
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = starts[mid];
      if (s === valueStart) return this.ends[mid];
      if (s < valueStart) lo = mid + 1;
      else hi = mid - 1;
    }
    return valueStart;
  }

  /** Records that a tolerant decode stopped inside the message whose value starts at `valueStart`, at `at`. */
  setRawRest(valueStart: number, at: number): void {
    (this.rawRest ??= new Map()).set(valueStart, at);
  }

  /** Frees the slack of the group table once the scan is over. */
  trim(): void {
    if (this.starts.length > this.count + 64) {
      this.starts = this.starts.slice(0, this.count);
      this.ends = this.ends.slice(0, this.count);
    }
  }
}
