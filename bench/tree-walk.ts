/** Walking a decoded tree in full: decodeMessage builds nodes when they are read, so a fair comparison with a runtime that builds every object reads every node. */
import type { FieldNode } from '../core/document/model';

/** Reads every node of a tree (nodes are built when read); returns how many there are. */
export function countNodes(fields: readonly FieldNode[]): number {
  let n = 0;
  for (const f of fields) {
    n++;
    const v = f.value;
    if (v.kind === 'message') n += countNodes(v.fields);
    else if (v.kind === 'packed') n += v.elements.length;
  }
  return n;
}
