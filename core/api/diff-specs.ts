/** The fields each diff method takes (core/api/diff-contract.ts), joined into REQUEST_SPECS. */
import type { DiffMethods } from './diff-contract';
import { bool, check, nonNegInt, nullableStr, oneOf, shaped, str, type Spec } from './field-checks';

const source = shaped('a message {docId, message, saved?}', { docId: str, message: nonNegInt, 'saved?': bool });
const ids = check('a list of row ids', (v) => Array.isArray(v) && v.length <= 1_000_000 && v.every((n) => nonNegInt(n)));

/** The diff methods' request specs. */
export const DIFF_SPECS: { readonly [K in keyof DiffMethods]: Spec } = {
  compareMessages: { a: source, b: source, 'typeName?': nullableStr },
  getDiffRows: { diffId: str, start: nonNegInt, count: nonNegInt, 'collapsed?': ids },
  getDiffBytes: { diffId: str, side: oneOf('a', 'b'), start: nonNegInt, end: nonNegInt },
  closeDiff: { diffId: str },
};
