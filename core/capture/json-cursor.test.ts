import { describe, expect, it } from 'vitest';
import { JsonCursor, JsonSyntaxError } from './json-cursor';
import { base64DecodedLength, decodeBase64Bytes, decodeBase64String, Base64Error } from './base64-bytes';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('JsonCursor', () => {
  it('walks the keys it wants and skips the rest without building it', () => {
    const cur = new JsonCursor(bytes('{"skip":{"a":[1,{"b":"}]"}],"c":null},"want":"yes","n":-1.5e2}'));
    const seen: Record<string, unknown> = {};
    for (let k = cur.firstKey(); k !== null; k = cur.nextKey()) {
      if (k === 'skip') cur.skipValue();
      else seen[k] = cur.readScalar();
    }
    cur.expectEnd();
    expect(seen).toEqual({ want: 'yes', n: -150 });
  });

  it('takes a string as a span of the source, noting escapes', () => {
    const src = bytes('["QUJD", "a\\"b\\\\", "\\\\"]');
    const cur = new JsonCursor(src);
    expect(cur.firstItem()).toBe(true);
    const plain = cur.readStringSpan();
    expect(plain).toEqual({ start: 2, end: 6, escaped: false });
    expect(cur.nextItem()).toBe(true);
    const esc = cur.readStringSpan();
    expect(esc.escaped).toBe(true);
    expect(cur.spanText(esc)).toBe('a"b\\');
    expect(cur.nextItem()).toBe(true);
    // A string that ends in an escaped backslash: the quote after it closes the string.
    expect(cur.spanText(cur.readStringSpan())).toBe('\\');
    expect(cur.nextItem()).toBe(false);
  });

  it('finds where long strings end, escapes past their first bytes included', () => {
    const long = 'x'.repeat(100);
    for (const body of [long, `${long}\\"q\\"`, `${long}\\\\`, `${'y'.repeat(63)}\\n${long}`]) {
      const src = bytes(`["${body}", 7]`);
      const cur = new JsonCursor(src);
      cur.firstItem();
      const span = cur.readStringSpan();
      expect(cur.spanText(span)).toBe(JSON.parse(`"${body}"`));
      expect(span.escaped).toBe(body.includes('\\'));
      expect(cur.nextItem()).toBe(true);
      expect(cur.readNumber()).toBe(7);
    }
  });

  it('reads numbers exactly, integers and others', () => {
    const cur = new JsonCursor(bytes('[0, -12, 9007199254740991, 1747000000.123, 2e3, -0.5]'));
    const out: number[] = [];
    if (cur.firstItem())
      do out.push(cur.readNumber());
      while (cur.nextItem());
    expect(out).toEqual([0, -12, 9007199254740991, 1747000000.123, 2000, -0.5]);
    expect(() => new JsonCursor(bytes('012')).readNumber()).toThrow(/expected a number/);
  });

  it('decodes UTF-8 and skips a byte order mark', () => {
    const cur = new JsonCursor(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{"k":"grüße"}')]));
    expect(cur.firstKey()).toBe('k');
    expect(cur.readString()).toBe('grüße');
  });

  it('names the byte, line and column of malformed JSON', () => {
    const cur = new JsonCursor(bytes('{\n  "a": [1, 2}\n}'));
    cur.firstKey();
    let err: unknown;
    try {
      cur.skipValue();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JsonSyntaxError);
    expect((err as JsonSyntaxError).offset).toBe(14); // the '}' where ']' belongs
    expect((err as JsonSyntaxError).message).toBe("at byte 14 (line 2, column 13): expected ']', found '}'");
  });

  it('reports an unterminated string where it starts', () => {
    const cur = new JsonCursor(bytes('{"a": "never closed'));
    cur.firstKey();
    expect(() => cur.readStringSpan()).toThrow(/at byte 6 .*closing quote/);
  });

  it('rejects a missing comma between keys', () => {
    const cur = new JsonCursor(bytes('{"a": 1 "b": 2}'));
    cur.firstKey();
    cur.readScalar();
    expect(() => cur.nextKey()).toThrow(/expected ',' or '}', found '"'/);
  });
});

describe('base64 from bytes', () => {
  it('decodes standard and URL-safe base64, with or without padding', () => {
    expect([...decodeBase64String('AAEC/w==')]).toEqual([0, 1, 2, 255]);
    expect([...decodeBase64String('AAEC_w')]).toEqual([0, 1, 2, 255]);
    expect([...decodeBase64String('AP-_')]).toEqual([0x00, 0xff, 0xbf]);
  });

  it('decodes concatenated padded chunks as one (gRPC-Web text responses)', () => {
    // "QQ==" is 'A', "QkI=" is 'BB', "Q0ND" is 'CCC'.
    expect(new TextDecoder().decode(decodeBase64String('QQ==QkI=Q0ND'))).toBe('ABBCCC');
  });

  it('ignores white space and says where bad input is', () => {
    expect([...decodeBase64String('AA\r\nEC')]).toEqual([0, 1, 2]);
    expect(() => decodeBase64String('AAE*')).toThrow(Base64Error);
    expect(() => decodeBase64String('AAE*')).toThrow('not valid base64 at character 3');
    expect(() => decodeBase64String('A===')).toThrow(/at character 1/);
    expect(() => decodeBase64String('AAAAA')).toThrow(/lone character/);
  });

  it('computes the decoded length from the text alone', () => {
    const text = bytes('AAEC/w==');
    expect(base64DecodedLength(text)).toBe(decodeBase64Bytes(text).length);
    expect(base64DecodedLength(bytes('AAECAw'))).toBe(4);
  });
});
