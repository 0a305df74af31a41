/**
 * gRPC-Web frames and Connect streaming envelopes: a 1-byte flag, a 4-byte big-endian length,
 * then the payload. gRPC-Web: flag bit 0x01 = compressed, 0x80 = trailers (HTTP header lines).
 * Connect: 0x01 = compressed, 0x02 = end of stream (a JSON object with error and metadata).
 */

/** One frame or envelope. */
export interface Envelope {
  flags: number;
  /** Offset of the frame header in the body. */
  offset: number;
  payload: Uint8Array;
}

/** What splitEnvelopes returns: the whole frames, and where and why splitting stopped early. */
export interface EnvelopeSplit {
  envelopes: Envelope[];
  error?: string;
}

/** Splits a body into 5-byte-header frames; a truncated last frame is reported, never guessed. */
export function splitEnvelopes(body: Uint8Array): EnvelopeSplit {
  const envelopes: Envelope[] = [];
  let p = 0;
  while (p < body.length) {
    if (body.length - p < 5) {
      return { envelopes, error: `at byte ${p}: a 5-byte frame header, but only ${body.length - p} bytes remain` };
    }
    const len = ((body[p + 1] << 24) >>> 0) + (body[p + 2] << 16) + (body[p + 3] << 8) + body[p + 4];
    if (len > body.length - p - 5) {
      return { envelopes, error: `at byte ${p}: a frame of ${len} bytes, but only ${body.length - p - 5} remain (the body is cut short)` };
    }
    envelopes.push({ flags: body[p], offset: p, payload: body.subarray(p + 5, p + 5 + len) });
    p += 5 + len;
  }
  return { envelopes };
}

/** The header lines of a gRPC-Web trailers frame, as name/value pairs (names lowercase). */
export function parseTrailers(payload: Uint8Array): [string, string][] {
  const out: [string, string][] = [];
  for (const line of new TextDecoder('utf-8').decode(payload).split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) out.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return out;
}

/** A one-line summary of gRPC-Web trailers ("grpc-status 0", "grpc-status 5: not found"). */
export function describeTrailers(trailers: [string, string][]): string {
  const get = (n: string) => trailers.find(([k]) => k === n)?.[1];
  const status = get('grpc-status');
  const message = get('grpc-message');
  if (status === undefined) return `trailers without grpc-status (${trailers.map(([k]) => k).join(', ') || 'empty'})`;
  let text = message;
  if (text) {
    try {
      text = decodeURIComponent(text);
    } catch {
      // keep it as sent
    }
  }
  return `trailers: grpc-status ${status}${text ? `: ${text}` : ''}`;
}
