/** Wire bytes for schema-less tests: a varint encoder and a seeded generator of well-formed messages (the core/raw tests use them). */

/** The bytes of a varint (an unsigned value below 2^64, minimal length). */
export function varintBytes(v: bigint): number[] {
  const out: number[] = [];
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

/** A seeded generator of well-formed (and sometimes nested) messages, and of garbage bytes. */
export function rawMessageGenerator(seed: number) {
  const rnd = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const int = (n: number) => Math.floor(rnd() * n);
  const varint = varintBytes;
  const tag = (n: number, wt: number) => varint(BigInt(n) * 8n + BigInt(wt));
  const fieldNo = () => (rnd() < 0.8 ? 1 + int(20) : 1 + int(2 ** 29 - 1));
  const message = (depth: number): number[] => {
    const out: number[] = [];
    const count = int(6);
    for (let i = 0; i < count; i++) {
      const n = fieldNo();
      const k = int(depth < 12 ? 7 : 5);
      if (k === 0)
        out.push(...tag(n, 0), ...varint(rnd() < 0.5 ? BigInt(int(300)) : BigInt.asUintN(64, BigInt(Math.floor(rnd() * 2 ** 53)) * 4099n)));
      else if (k === 1) out.push(...tag(n, 1), ...Array.from({ length: 8 }, () => int(256)));
      else if (k === 2) out.push(...tag(n, 5), ...Array.from({ length: 4 }, () => int(256)));
      else if (k === 3) {
        // a string, sometimes with escapes and non-ASCII
        const s = Array.from({ length: int(12) }, () => (rnd() < 0.8 ? 0x20 + int(95) : int(256)));
        out.push(...tag(n, 2), ...varint(BigInt(s.length)), ...s);
      } else if (k === 4)
        out.push(...tag(n, 2), 0); // empty LEN
      else if (k === 5) {
        const m = message(depth + 1);
        out.push(...tag(n, 2), ...varint(BigInt(m.length)), ...m);
      } else out.push(...tag(n, 3), ...message(depth + 1), ...tag(n, 4));
    }
    return out;
  };
  return { message: () => new Uint8Array(message(0)), garbage: (n: number) => new Uint8Array(Array.from({ length: n }, () => int(256))) };
}
