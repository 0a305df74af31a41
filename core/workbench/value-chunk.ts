/**
 * Parts of a long string or bytes value, for a row whose value came cut (TreeRow.valueLength):
 * the renderer fetches the rest in chunks of at most MAX_VALUE_CHUNK instead of the whole value
 * riding along with every page of rows.
 */
import type { MessageRoot } from '../document/model';
import { nodeAtPath } from '../document/tree';
import { ApiError } from '../api/api-error';
import type { NodePath, ValueChunk } from '../api/contract';
import { MAX_VALUE_CHUNK } from '../api/limits';

/** The string or bytes value at `path`, or an error saying why there is none. */
function longValue(root: MessageRoot, path: NodePath): string | Uint8Array {
  const node = nodeAtPath(root, path);
  if (!node) throw new ApiError('not-found', `getValueChunk: no field at path [${path.join(', ')}]`);
  const v = node.value;
  if (v.kind === 'raw-bytes') return v.bytes;
  if (v.kind === 'scalar' && (typeof v.value === 'string' || v.value instanceof Uint8Array)) return v.value;
  throw new ApiError('invalid-input', `getValueChunk: the field at path [${path.join(', ')}] is not a string or bytes value`);
}

/** [start, end) of the value at `path`, clamped to the value and to MAX_VALUE_CHUNK. */
export function valueChunk(root: MessageRoot, path: NodePath, start: number, end: number): ValueChunk {
  const value = longValue(root, path);
  const from = Math.min(start, value.length);
  const to = Math.max(from, Math.min(end, value.length, from + MAX_VALUE_CHUNK));
  return typeof value === 'string'
    ? { total: value.length, start: from, text: value.slice(from, to) }
    : { total: value.length, start: from, bytes: value.slice(from, to) };
}
