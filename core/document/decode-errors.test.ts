import { describe, expect, it } from 'vitest';
import { ascii, bytes, decodeError, Deep, msg, Outer, scalar, Scalars, unknown } from '../../testing/decode-test-helpers';
import { decodeMessage, decodeMessageSteps } from './decode';
import { encodeMessage, writeFields } from './encode';
import { applyEdit } from './edits';
import type { FieldNode, MessageNodeValue } from './model';
import { walk } from './tree';
import { DecodeError } from '../wire/decode-error';
import { WireWriter } from '../wire/wire-writer';

describe('decodeMessage: errors and limits', () => {
  it('names the offset and path of a truncated length-delimited value', () => {
    const buf = bytes(
      0x12,
      0x00, //             tag 2 LEN 0: participants[0]
      0x12,
      0x00, //             tag 2 LEN 0: participants[1]
      0x12,
      0x05, //             tag 2 LEN 5: participants[2]
      0x0a,
      0xac,
      0x02,
      0x61,
      0x62, // tag 1 LEN 300: name, but only 2 bytes remain in participants[2]
    );
    const e = decodeError(() => decodeMessage(buf, Outer));
    expect(e.offset).toBe(7);
    expect(e.path).toBe('participants[2].name');
    expect(e.message).toBe('at byte 7 (participants[2].name): a length-delimited value of 300 bytes, but only 2 remain');
  });

  it('reports input that ends inside a value', () => {
    const e = decodeError(() => decodeMessage(bytes(0x09, 0x00, 0x00), Scalars)); // tag 1 I64, only 2 of 8 bytes
    expect(e.offset).toBe(1);
    expect(e.path).toBe('d');
    expect(e.expected).toMatch(/8-byte double/);
    const e2 = decodeError(() => decodeMessage(bytes(0x18, 0x96), Scalars)); // tag 3 VARINT, varint cut off
    expect(e2.offset).toBe(2);
  });

  it('rejects field number 0 and wire types 6 and 7, naming the offset', () => {
    expect(decodeError(() => decodeMessage(bytes(0x08, 0x01, 0x00), Outer)).offset).toBe(2); // tag 1 VARINT 1, then tag 0
    const e6 = decodeError(() => decodeMessage(bytes(0x0e), Outer)); // field 1, wire type 6
    expect(e6.message).toMatch(/at byte 0.*wire type 6/);
    const e7 = decodeError(() => decodeMessage(bytes(0x12, 0x01, 0x0f), Outer)); // participants[0] { field 1, wire type 7 }
    expect(e7.message).toMatch(/at byte 2 \(participants\[0\]\).*wire type 7/);
  });

  it('rejects an overlong (11-byte) varint', () => {
    const buf = bytes(0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00); // tag 3, 11 varint bytes
    const e = decodeError(() => decodeMessage(buf, Scalars));
    expect(e.message).toBe('at byte 1 (i32): a varint of at most 10 bytes');
    const e64 = decodeError(() => decodeMessage(bytes(0x20, ...Array(10).fill(0xff), 0x01), Scalars)); // tag 4: int64, 11 bytes
    expect(e64.offset).toBe(1);
  });

  it('rejects an end-group tag that matches no open group', () => {
    expect(decodeError(() => decodeMessage(bytes(0x0c), Outer)).message).toMatch(/at byte 0: a field, not an end-group tag for field 1/);
    // group 7 closed by an end tag for field 8
    expect(decodeError(() => decodeMessage(bytes(0x3b, 0x44), Outer)).message).toMatch(
      /at byte 1 \(grp\): an end-group tag for field 7 \(found one for field 8\)/,
    );
    // group 7 never closed
    expect(decodeError(() => decodeMessage(bytes(0x3b, 0x40, 0x01), Outer)).message).toMatch(
      /at byte 3 \(grp\): an end-group tag for field 7/,
    );
  });

  it('limits nesting depth (default 100), naming the offset; a higher limit decodes 200 levels', () => {
    // Deep { next = Deep { next = ... { v = 1 } } }, 200 levels, built inside out.
    let inner: Uint8Array = bytes(0x10, 0x01); // tag 2: v = 1
    for (let i = 0; i < 200; i++) inner = new WireWriter().tag(1, 2).lengthDelimited(inner).finish().slice(); // tag 1 LEN: next
    const e = decodeError(() => decodeMessage(inner, Deep));
    expect(e.expected).toMatch(/nested at most 100 deep/);
    const r = decodeMessage(inner, Deep, { limits: { maxDepth: 250 } });
    let node = r.fields[0];
    for (let depth = 1; depth < 100; depth++) node = msg(node).fields[0];
    const offset = node.span!.valueStart; // where level 100's fields start: the tag that goes one level too deep
    expect(e.offset).toBe(offset);
    expect(e.path).toMatch(/^next(\.next){100}$/); // 100 levels, then the field that would open level 101
    expect(encodeMessage(r, inner)).toEqual(inner);
    // Groups count towards depth too.
    const groups = bytes(...Array(101).fill(0x0b), ...Array(101).fill(0x0c)); // 101 nested unknown groups of field 1
    expect(decodeError(() => decodeMessage(groups, null)).expected).toMatch(/nested at most 100 deep/);
  });

  it('limits input size and node count', () => {
    expect(decodeError(() => decodeMessage(bytes(0x08, 0x01), Outer, { limits: { maxBytes: 1 } })).expected).toMatch(/at most 1 bytes/);
    const buf = bytes(0x20, 0x01, 0x20, 0x02, 0x20, 0x03); // three unpacked ints
    const e = decodeError(() => decodeMessage(buf, Outer, { limits: { maxNodes: 2 } }));
    expect(e.offset).toBe(4);
    expect(e.expected).toMatch(/at most 2 nodes/);
    // The path names the field where the limit was reached (the third `unpacked` value).
    expect(e.path).toBe('unpacked[2]');
  });

  it('partial mode returns what parsed, the error, and keeps the rest as raw bytes', () => {
    const buf = bytes(
      0x0a,
      0x01,
      ...ascii('a'), //    tag 1 LEN 1: name = "a"
      0x12,
      0x04, //                   tag 2 LEN 4: participants[0]
      0x10,
      0x01, //                     tag 2: id = 1
      0x0a,
      0x09, //                     tag 1 LEN 9: name, but only 0 bytes remain
      0x68,
      0x01, //                   tag 13: color = GREEN (still read: the bad message is bounded)
      0x18, //                         tag 3 VARINT, value missing
    );
    const doc = decodeMessage(buf, Outer, { partial: true });
    expect(doc.error).toBeInstanceOf(DecodeError);
    expect(doc.error?.message).toBe('at byte 8 (participants[0].name): a length-delimited value of 9 bytes, but only 0 remain');
    expect(doc.fields.map((f) => f.value.kind)).toEqual(['scalar', 'message', 'scalar', 'raw-bytes']);
    expect(msg(doc.fields[1]).fields.map((f) => f.value.kind)).toEqual(['scalar', 'raw-bytes']);
    expect(encodeMessage(doc, buf)).toEqual(buf);
    expect(() => decodeMessage(buf, Outer)).toThrow(DecodeError);
  });
});

describe('decodeMessage: lazy nested messages', () => {
  const buf = bytes(
    0x12,
    0x05,
    0x0a,
    0x03,
    ...ascii('ann'), // tag 2 LEN 5: participants[0] { name = "ann" }
    0x72,
    0x04,
    0x72,
    0x02,
    0x08,
    0x01, //     tag 14 LEN 4: child { tag 14 LEN 2: child { tag 1 VARINT: 1 (wrong wire type for name) } }
    0x68,
    0x01, //                             tag 13: color = GREEN
  );

  it('decodes nested messages on first access, with the same result as an eager decode', () => {
    const lazy = decodeMessage(buf, Outer, { lazy: true });
    const eager = decodeMessage(buf, Outer);
    expect(encodeMessage(lazy, buf)).toEqual(buf);
    const shape = (fields: readonly FieldNode[]): unknown[] =>
      fields.map((f) => [
        f.fieldNumber,
        f.field?.name ?? null,
        f.span,
        f.value.kind,
        f.value.kind === 'message' ? shape(f.value.fields) : f.value.kind === 'scalar' ? f.value.value : null,
      ]);
    expect(shape(lazy.fields)).toEqual(shape(eager.fields));
    const first = msg(lazy.fields[0]).fields;
    expect(msg(lazy.fields[0]).fields).toBe(first); // memoized
    const ids: number[] = [];
    walk(lazy, (n) => void ids.push(n.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('reports errors inside a lazy message on access (partial: kept on the value)', () => {
    const bad = bytes(0x12, 0x02, 0x0a, 0x05, 0x68, 0x01); // participants[0] { name: length 5 but 0 remain }; color
    const lazy = decodeMessage(bad, Outer, { lazy: true });
    expect(lazy.fields.length).toBe(2);
    const e = decodeError(() => msg(lazy.fields[0]).fields);
    expect(e.message).toBe('at byte 3 (name): a length-delimited value of 5 bytes, but only 0 remain');
    const tolerant = decodeMessage(bad, Outer, { lazy: true, partial: true });
    const v = msg(tolerant.fields[0]);
    expect(v.fields.map((f) => f.value.kind)).toEqual(['raw-bytes']);
    expect(v.error?.offset).toBe(3);
    expect(encodeMessage(tolerant, bad)).toEqual(bad);
  });
});

describe('decodeMessage: a tolerant decode keeps every byte (fuzz corpus regressions)', () => {
  /** A copy with every message and group marked modified: encode rebuilds them from their fields. */
  function allModified(fields: readonly FieldNode[]): FieldNode[] {
    return fields.map((n) => {
      const v = n.value;
      if (v.kind === 'message') return { ...n, modified: true, value: { ...v, fields: allModified(v.fields) } };
      if (v.kind === 'unknown' && Array.isArray(v.raw))
        return { ...n, modified: true, value: { ...v, raw: allModified(v.raw as FieldNode[]) } };
      return n;
    });
  }
  /** Varint bytes of n. */
  function varint(n: number): number[] {
    const out: number[] = [];
    for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80);
    out.push(n);
    return out;
  }
  /** `depth` levels of test.Deep `next`, each wrapping the rest: tag 1 LEN (0x0a), length, then the next level. */
  function nextChain(depth: number): Uint8Array {
    const inner: number[] = []; // bytes inside each level, innermost first
    for (let d = 0, n = 0; d < depth; d++, n += 1 + varint(n).length) inner.push(n);
    const out: number[] = [];
    for (let d = depth - 1; d >= 0; d--) out.push(0x0a, ...varint(inner[d])); // tag 1 LEN: next, its length
    return Uint8Array.from(out);
  }
  function writeAll(fields: readonly FieldNode[], src: Uint8Array): Uint8Array {
    const w = new WireWriter(64);
    writeFields(w, fields, src);
    return w.finish().slice();
  }

  it('a malformed element in a packed run keeps the rest of the enclosing message, up to its end, as raw bytes', () => {
    // fuzz/corpus/encode-755484bd352d.bin, encode-06039eeeb77e.bin: packed() left the reader's
    // limit at the end of the run, so the raw rest stopped there and the bytes after it were lost.
    const buf = bytes(
      0x72,
      0x06, //     tag 14 LEN 6: child (test.Outer)
      0x1a,
      0x02, //       tag 3 LEN 2: nums, a packed run of 2 bytes
      0x01, //               nums[0] = 1
      0x80, //               nums[1]: a varint whose next byte is past the run's end
      0x68,
      0x01, //       tag 13 VARINT: color = GREEN (after the broken run)
      0x68,
      0x02, //     tag 13 VARINT: color = BLUE
    );
    const doc = decodeMessage(buf, Outer, { partial: true });
    expect(doc.error?.offset).toBe(6);
    expect(doc.error?.message).toMatch(/^at byte 6 \(child\.nums\[0\]\): the rest of a varint that starts at byte 5/);
    const child = msg(doc.fields[0]);
    expect(child.fields.map((f) => f.value.kind)).toEqual(['raw-bytes']);
    expect(child.fields[0].span).toEqual({ tagStart: 2, valueStart: 2, end: 8 }); // to the end of child, not of the run
    expect(scalar(doc.fields[1]).value).toBe(2); // the top level goes on after child
    expect(writeAll(doc.fields, buf)).toEqual(buf); // the spans tile the input
    expect(writeAll(allModified(doc.fields), buf)).toEqual(buf); // and child re-encodes byte-exact
  });

  it('a group a tolerant decode stopped inside is marked unterminated, and re-encodes without an end tag', () => {
    // fuzz/corpus/encode-1afd316953ac.bin: encode added an end-group tag the source never had.
    const buf = bytes(
      0x3b, //             tag 7 SGROUP: group Grp
      0x40,
      0x03, //         tag 8 VARINT: a = 3
      0x4a,
      0x05,
      0x78, //   tag 9 LEN 5: b, but only 1 byte remains (and no end-group tag follows)
    );
    const doc = decodeMessage(buf, Outer, { partial: true });
    expect(doc.error?.offset).toBe(4); // the length prefix
    const g = msg(doc.fields[0]);
    expect(g.unterminated).toBe(true);
    expect(g.endTagStart).toBeUndefined();
    expect(g.fields.map((f) => f.value.kind)).toEqual(['scalar', 'raw-bytes']);
    expect(writeAll(allModified(doc.fields), buf)).toEqual(buf);
    // An edit inside the group: only `a` changes; still no end tag.
    const edited = applyEdit(doc, { op: 'set-value', path: [0, 0], value: 4 });
    expect(encodeMessage(edited, buf)).toEqual(bytes(0x3b, 0x40, 0x04, 0x4a, 0x05, 0x78));
    // A whole, strictly decoded group is not marked, and keeps its end tag.
    const whole = bytes(0x3b, 0x40, 0x03, 0x3c); // tag 7 SGROUP; tag 8 VARINT: a = 3; tag 7 EGROUP
    expect(msg(decodeMessage(whole, Outer).fields[0]).unterminated).toBeUndefined();
  });

  it('the same for an unknown group', () => {
    const buf = bytes(
      0xa3,
      0x01, //   tag 20 SGROUP: an unknown group (test.Outer has no field 20)
      0x08,
      0x01, //     tag 1 VARINT: 1
      0x10, //           tag 2 VARINT, its value missing (and no end-group tag)
    );
    const doc = decodeMessage(buf, Outer, { partial: true });
    expect(doc.error?.offset).toBe(5);
    const u = unknown(doc.fields[0]);
    expect(u.unterminated).toBe(true);
    expect(writeAll(allModified(doc.fields), buf)).toEqual(buf);
  });

  it('nesting deeper than the call stack allows recursion (a raised maxDepth) decodes: the scan keeps its own stack', () => {
    const buf = nextChain(100_000); // next { next { ... } }, 100,000 levels
    const limits = { maxDepth: 10_000_000 };
    const doc = decodeMessage(buf, Deep, { limits });
    expect(doc.error).toBeUndefined();
    let depth = 0;
    for (let fields = doc.fields; fields.length > 0; depth++) fields = (fields[0].value as MessageNodeValue).fields;
    expect(depth).toBe(100_000);
    expect(writeAll(doc.fields, buf)).toEqual(buf);
    // The innermost level's length made a truncated varint: the error names the full path, and partial keeps the bytes.
    const cut = buf.slice();
    cut[cut.length - 1] = 0x80;
    const e = decodeError(() => decodeMessage(cut, Deep, { limits }));
    expect(e.offset).toBe(cut.length);
    expect(e.expected).toMatch(/^the rest of a varint that starts at byte \d+ \(input ends\)$/);
    expect(e.path!.split('.')).toEqual(Array.from({ length: 100_000 }, () => 'next'));
    const partial = decodeMessage(cut, Deep, { limits, partial: true });
    expect(partial.error).toBeDefined();
    expect(writeAll(partial.fields, cut)).toEqual(cut);
  });
});

describe('decodeMessageSteps', () => {
  // Outer with an empty participant, 24 `unpacked` values (field 4), then a participant whose name is cut short.
  const w = new WireWriter();
  w.tag(2, 2).uvarint(0);
  for (let i = 1; i < 25; i++) w.tag(4, 0).uvarint(i);
  const whole = w.finish().slice();
  const broken = new Uint8Array([...whole, 0x12, 0x05, 0x0a, 0x09, ...ascii('Al')]);

  const run = (buf: Uint8Array, options: Parameters<typeof decodeMessageSteps>[2], perStep: number) => {
    const steps = decodeMessageSteps(buf, Outer, options, perStep);
    const yielded: number[] = [];
    let next = steps.next();
    while (!next.done) {
      yielded.push(next.value);
      next = steps.next();
    }
    return { yielded, root: next.value };
  };

  it('reads the top level a few fields at a time, saying how far it got, to the tree decodeMessage builds', () => {
    const { yielded, root: stepped } = run(whole, {}, 10);
    // 25 fields, 10 per step: it stops after the 10th and the 20th (each field here takes 2 bytes).
    expect(yielded).toEqual([20, 40]);
    expect(stepped).toEqual(decodeMessage(whole, Outer));
    expect(stepped.fields.slice(1).map((f) => scalar(f).value)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });

  it('names the field path across steps where the bytes break, as decodeMessage does', () => {
    const { root: stepped } = run(broken, { partial: true }, 10);
    const once = decodeMessage(broken, Outer, { partial: true });
    expect(stepped).toEqual(once);
    expect(stepped.error?.message).toBe(once.error?.message);
    // The second participant, counted across steps (the first was read two steps earlier).
    expect(stepped.error?.path).toBe('participants[1]');
    // The unread rest is kept as raw bytes after the 25 fields.
    expect(stepped.fields.length).toBe(26);
    expect(stepped.fields[25].value.kind).toBe('raw-bytes');
    expect(() => run(broken, {}, 10)).toThrow(DecodeError);
  });
});
