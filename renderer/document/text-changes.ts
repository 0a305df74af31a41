/** What a JSON/text Apply changes, said in a line each (the engine's TextChange list, in the text's own paths). */
import type { TextChange } from '../../core/api/contract';

/** One change as a line: `name: "a" → "b"`, `items[2] added: 7`, `tags[0] removed (was "x")`. */
export function describeChange(c: TextChange): string {
  const path = c.path || '(message)';
  if (c.kind === 'add') return `${path} added${c.after !== undefined ? `: ${c.after}` : ''}`;
  if (c.kind === 'remove') return `${path} removed${c.before !== undefined ? ` (was ${c.before})` : ''}`;
  if (c.before !== undefined && c.after !== undefined) return `${path}: ${c.before} → ${c.after}`;
  if (c.after !== undefined) return `${path} set to ${c.after}`;
  return `${path} written anew`;
}

/** A heading for a list of changes: "1 change", "3 changes", "no change". */
export function countChanges(changes: readonly TextChange[]): string {
  return changes.length === 0 ? 'no change' : `${changes.length} change${changes.length === 1 ? '' : 's'}`;
}
