/**
 * What the recovery journal keeps of a document's edits besides its bytes (see RecoveryHistory
 * in engine.ts): the modified nodes' paths, and the size of the steps of a short history, so a
 * journal rewrite stays bounded however long the editing goes on.
 */
import type { MessageRoot } from '../../document/model';
import { childrenOf } from '../../document/tree';
import type { JournalStep } from '../engine';

/**
 * Paths of the deepest modified nodes of a message (an edit marks a node and its ancestors, so
 * these say all the marks); [[]] when only the message itself is (a top-level field removed).
 * Only modified nodes are descended into, so a lazily decoded message is not read further.
 * At most `limit` paths: past that the marks are not kept (null).
 */
export function modifiedPaths(root: MessageRoot, limit: number): number[][] | null {
  const out: number[][] = [];
  const path: number[] = [];
  const walk = (fields: MessageRoot['fields']): boolean => {
    let any = false;
    for (let i = 0; i < fields.length && out.length <= limit; i++) {
      const node = fields[i];
      if (!node.modified) continue;
      any = true;
      path.push(i);
      if (!walk(childrenOf(node))) out.push([...path]);
      path.pop();
    }
    return any;
  };
  if (!walk(root.fields) && root.modified) out.push([]);
  return out.length > limit ? null : out;
}

/** About how many bytes a step takes in the journal (its bytes or string value, or a small constant). */
export function stepSize(step: JournalStep): number {
  if ('text' in step) return step.text.length;
  if ('apply' in step) return 64 + step.apply.text.length * 2;
  const e = step.edit;
  const v = e.op === 'set' ? e.value : null;
  return 64 + (v instanceof Uint8Array || typeof v === 'string' ? v.length : 0);
}
