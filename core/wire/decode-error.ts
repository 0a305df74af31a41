/** An error raised while reading protobuf bytes: it names the byte offset and what was expected there. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    /** Offset of the offending byte, from the start of the outermost input. */
    readonly offset: number,
    /** What was expected at that offset, in words ("a varint", "12 more bytes of field 3"). */
    readonly expected: string,
    /** A dotted field path where known ("room.participants[2].name"). */
    readonly path?: string,
  ) {
    super(`at byte ${offset}${path ? ` (${path})` : ''}: ${expected}`);
  }
}
