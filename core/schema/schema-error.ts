/** Where a schema problem is: a file and, when known, a 1-based line and column. */
export interface SchemaLocation {
  file?: string;
  line?: number;
  column?: number;
}

/**
 * A problem with a schema: a .proto that does not parse, an import that cannot be found, a
 * type reference that does not resolve, a descriptor set that does not decode.
 *
 * The message reads `file:line:column: what is wrong` (as protoc prints its errors), or
 * `file: what is wrong` when no position is known. An aggregate (several files failed)
 * has `errors` with one SchemaError per problem, and a message listing each on its own line.
 */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  /** The file (import name, or the path given) where the problem is. */
  readonly file?: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** 1-based column, when known. */
  readonly column?: number;
  /** What is wrong, without the position prefix. */
  readonly detail: string;
  /** Every problem this error stands for (just itself unless it is an aggregate). */
  readonly errors: readonly SchemaError[];

  constructor(detail: string, where: SchemaLocation = {}, errors?: readonly SchemaError[]) {
    super(formatSchemaMessage(detail, where));
    this.detail = detail;
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.errors = errors ?? [this];
  }

  /** One error for a list of them: the error itself when there is one, else an aggregate listing each. */
  static aggregate(errors: readonly SchemaError[]): SchemaError {
    if (errors.length === 1) return errors[0];
    const flat = errors.flatMap((e) => e.errors);
    const detail = `${flat.length} schema errors:\n${flat.map((e) => `  ${e.message}`).join('\n')}`;
    return new SchemaError(detail, {}, flat);
  }
}

/** Formats `file:line:column: detail` (parts that are unknown are left out). */
export function formatSchemaMessage(detail: string, where: SchemaLocation): string {
  if (!where.file) return detail;
  let pos = where.file;
  if (where.line !== undefined) {
    pos += `:${where.line}`;
    if (where.column !== undefined) pos += `:${where.column}`;
  }
  return `${pos}: ${detail}`;
}
