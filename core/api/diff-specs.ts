/** The fields each diff method takes (core/api/diff-contract.ts), joined into REQUEST_SPECS. */
import type { DiffMethods } from './diff-contract';
import { bool, check, nonNegInt, nullableStr, oneOf, problem, str, type Spec } from './field-checks';

const DOCUMENT_SOURCE: Spec = { docId: str, message: nonNegInt, 'saved?': bool };
const CAPTURE_SOURCE: Spec = { captureId: str, entry: nonNegInt, 'message?': nonNegInt };
const source = check(
  'a message {docId, message, saved?} or a capture entry {captureId, entry, message?}',
  (v) => problem(DOCUMENT_SOURCE, v) === null || problem(CAPTURE_SOURCE, v) === null,
);
const ids = check('a list of row ids', (v) => Array.isArray(v) && v.length <= 1_000_000 && v.every((n) => nonNegInt(n)));

/** The diff methods' request specs. */
export const DIFF_SPECS: { readonly [K in keyof DiffMethods]: Spec } = {
  compareMessages: { a: source, b: source, 'typeName?': nullableStr },
  getDiffRows: { diffId: str, start: nonNegInt, count: nonNegInt, 'collapsed?': ids },
  getDiffBytes: { diffId: str, side: oneOf('a', 'b'), start: nonNegInt, end: nonNegInt },
  closeDiff: { diffId: str },
};
