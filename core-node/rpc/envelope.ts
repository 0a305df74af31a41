/**
 * Length-prefixed message envelopes, as gRPC, gRPC-Web and Connect streaming put messages on the
 * wire: one flags byte (bit 0: compressed; gRPC-Web 0x80: trailers; Connect 0x02: end of stream),
 * a 4-byte big-endian length, the bytes. The reader takes chunks as they arrive and hands out whole
 * envelopes, refusing one longer than its limit before buffering it.
 */

/** One envelope: its flags and its (still compressed, when flagged) bytes. */
export interface Envelope {
  flags: number;
  data: Uint8Array;
}

/** Flag bits. */
export const ENVELOPE_COMPRESSED = 0x01;
export const CONNECT_END_STREAM = 0x02;
export const GRPC_WEB_TRAILERS = 0x80;

/** The bytes of one envelope. */
export function envelope(flags: number, data: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + data.length);
  out[0] = flags;
  out.writeUInt32BE(data.length, 1);
  out.set(data, 5);
  return out;
}

/** Thrown by EnvelopeReader for an envelope over its limit or bytes left at the end. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
  constructor(
    message: string,
    /** True when the envelope was too large (resource_exhausted), false when the framing is broken (malformed). */
    readonly tooLarge: boolean,
  ) {
    super(message);
  }
}

/** Splits a byte stream into envelopes. */
export class EnvelopeReader {
  private buf: Buffer = Buffer.alloc(0);

  constructor(
    /** The largest envelope payload accepted. */
    readonly maxBytes: number,
  ) {}

  /** Adds bytes; returns the envelopes now complete. */
  push(chunk: Uint8Array): Envelope[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk);
    const out: Envelope[] = [];
    while (this.buf.length >= 5) {
      const len = this.buf.readUInt32BE(1);
      if (len > this.maxBytes) throw new EnvelopeError(`a message of ${len} bytes is larger than ${this.maxBytes} bytes`, true);
      if (this.buf.length < 5 + len) break;
      out.push({ flags: this.buf[0], data: new Uint8Array(this.buf.subarray(5, 5 + len)) });
      this.buf = this.buf.subarray(5 + len);
    }
    return out;
  }

  /** At the end of the stream: throws when a partial envelope is left. */
  end(): void {
    if (this.buf.length) throw new EnvelopeError(`the stream ends inside a message (${this.buf.length} bytes left)`, false);
  }
}

/** Every envelope of a whole buffer (a collected answer). */
export function readEnvelopes(bytes: Uint8Array, maxBytes = Number.MAX_SAFE_INTEGER): Envelope[] {
  const r = new EnvelopeReader(maxBytes);
  const out = r.push(bytes);
  r.end();
  return out;
}
