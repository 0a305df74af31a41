/**
 * Errors as they cross the process boundary: a message for people and a code for the renderer to
 * switch on (never a pattern over the message). The host gives every failure its code where it
 * answers a call (core/api/register.ts); the renderer's bridge throws an ApiError with it.
 */

/** What kind of failure a call ended with. */
export const ERROR_CODES = [
  'cancelled',
  'conflict',
  'exists',
  'read-only',
  'schema-added',
  'not-found',
  'invalid-input',
  'refused',
  'unsupported',
  'failed',
] as const;

/**
 * One error code: cancelled (the user cancelled the task), conflict (the file changed on disk
 * since it was opened or saved), exists (Save As would replace a file: ask, then call again with
 * overwrite), read-only (the file is read-only: ask, then call again with overwriteReadOnly),
 * schema-added (the path opened was a schema, and was added to the schemas instead: show the
 * message as a notice), not-found (no such document, method or type), invalid-input (the
 * request or the text given does not fit), refused (not allowed: an unexpected sender, a path the
 * user did not choose), unsupported (not available in this host: a native dialog in the browser),
 * failed (anything else).
 */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error with its code, thrown by hosts and by the renderer's bridge. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** An error as it travels: plain data that Electron's bridge and JSON both carry whole. */
export interface WireError {
  code: ErrorCode;
  message: string;
}

/** Error names (the Error's `name`) the workbench session throws, and their codes. */
const CODES_BY_NAME: Readonly<Record<string, ErrorCode>> = {
  CancelledError: 'cancelled',
  SaveConflictError: 'conflict',
  FileExistsError: 'exists',
  ReadOnlyFileError: 'read-only',
  SchemaAddedError: 'schema-added',
  NotFoundError: 'not-found',
  TextInputError: 'invalid-input',
};

/** The code of any thrown value: an ApiError's own, else by the error's name, else 'failed'. */
export function errorCodeOf(e: unknown): ErrorCode {
  if (e instanceof ApiError) return e.code;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)) return code as ErrorCode;
  const name = (e as { name?: unknown } | null)?.name;
  return (typeof name === 'string' && Object.hasOwn(CODES_BY_NAME, name) && CODES_BY_NAME[name]) || 'failed';
}

/** A thrown value as it crosses the boundary. */
export function toWireError(e: unknown): WireError {
  return { code: errorCodeOf(e), message: e instanceof Error ? e.message : String(e) };
}

/** True when `e` is an error of that code (an ApiError, or anything carrying the code). */
export function hasErrorCode(e: unknown, code: ErrorCode): boolean {
  return errorCodeOf(e) === code;
}
