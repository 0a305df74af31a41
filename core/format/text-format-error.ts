/** The error both directions of protobuf text format report, at a 1-based line and column. */

/** A text-format syntax or value error, at a 1-based line and column. */
export class TextFormatError extends Error {
  override readonly name = 'TextFormatError';
  constructor(
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${line}:${column}: ${detail}`);
  }
}
