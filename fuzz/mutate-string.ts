/** Mutators for JSON and text-format strings: interesting numbers, strings and values, token-aware edits. All driven by a seeded Rng. */
import type { Rng } from './rng';

const JSON_NUMBERS = [
  '0',
  '-0',
  '1',
  '-1',
  '1.5',
  '1e400',
  '-1e400',
  '1e-400',
  '2147483647',
  '2147483648',
  '-2147483649',
  '4294967296',
  '9007199254740993',
  '18446744073709551615',
  '18446744073709551616',
  '-9223372036854775808',
  '-9223372036854775809',
  '1e2',
  '1.0',
  '0.5e1',
  '00',
  '01',
  '.5',
  '5.',
  '-',
  '1e',
  '9'.repeat(400),
  '"NaN"',
  '"Infinity"',
  '"-Infinity"',
  '"1e3"',
  '" 1"',
  'true',
  'null',
];

const JSON_STRINGS = [
  '""',
  '"\\ud800"',
  '"\\udc00\\ud800"',
  '"\\u0000"',
  '"\\uZZZZ"',
  '"\\x41"',
  '"AAAA"',
  '"AA=="',
  '"A==="',
  '"-_-_"',
  '"a b"',
  '"1970-01-01T00:00:00Z"',
  '"0000-12-31T23:59:59Z"',
  '"9999-12-31T23:59:59.999999999Z"',
  '"10000-01-01T00:00:00Z"',
  '"1972-02-30T00:00:00Z"',
  '"2024-01-01T00:00:00+25:99"',
  '"315576000000.999999999s"',
  '"315576000001s"',
  '"-315576000001s"',
  '"1.0000000001s"',
  '"s"',
  '"type.googleapis.com/livekit.Room"',
  '"type.googleapis.com/no.Such"',
  '"/"',
  '"a.b,c"',
  '"UNKNOWN_ENUM_VALUE"',
  '"' + 'x'.repeat(1000) + '"',
  '{}',
  '[]',
  '[[]]',
  '{"@type":"type.googleapis.com/livekit.Room"}',
  '{"@type":1}',
  'null',
];

const TEXT_VALUES = [
  '0',
  '-0',
  '1',
  '-1',
  '0x7fffffff',
  '0x80000000',
  '0xffffffffffffffff',
  '0x10000000000000000',
  '-0x8000000000000000',
  '-0x8000000000000001',
  '18446744073709551616',
  '1e400',
  '-1e400',
  'inf',
  '-inf',
  'nan',
  '-nan',
  'infinity',
  '1f',
  '1.5f',
  '.5',
  '5.',
  '1e',
  '00',
  '08',
  '0.0',
  '-',
  'true',
  'false',
  'True',
  't',
  'f',
  '2',
  '"\\x"',
  '"\\400"',
  '"\\777"',
  '"\\u"',
  '"\\ud800"',
  '"\\U00110000"',
  "'a'",
  '"a" "b"',
  '""',
  '{ }',
  '< >',
  '[ ]',
  '[1, 2]',
  '{',
  '}',
  'NO_SUCH_ENUM',
  '[type.googleapis.com/livekit.Room] { }',
  '[no.such.ext]: 1',
  '99999999999: 1',
];

/** Applies 1..3 stacked mutations to a JSON or text-format string. */
export function mutateString(rng: Rng, s: string, kind: 'json' | 'text', fieldNames: readonly string[]): string {
  const k = 1 + rng.small(2);
  let cur = s;
  for (let i = 0; i < k; i++) cur = mutateStringOnce(rng, cur, kind, fieldNames);
  return cur.length > 200_000 ? cur.slice(0, 200_000) : cur;
}

const JSON_CHARS = '{}[]":,0123456789-+.eE \n\\tfnrua';

const TEXT_CHARS = '{}[]<>":;,#0123456789-+.xXeEf \n\\\'abc_';

function tokenSpans(s: string, re: RegExp): [number, number][] {
  const out: [number, number][] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null && out.length < 2000) {
    out.push([m.index, m.index + m[0].length]);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

function mutateStringOnce(rng: Rng, s: string, kind: 'json' | 'text', fieldNames: readonly string[]): string {
  const n = s.length;
  const at = rng.int(n + 1);
  const chars = kind === 'json' ? JSON_CHARS : TEXT_CHARS;
  switch (rng.int(12)) {
    case 0: // delete a range
      return s.slice(0, at) + s.slice(Math.min(n, at + 1 + rng.int(8)));
    case 1: // insert syntax characters
      return s.slice(0, at) + chars[rng.int(chars.length)] + (rng.chance(0.3) ? chars[rng.int(chars.length)] : '') + s.slice(at);
    case 2: // replace a character (sometimes with something outside ASCII)
      if (n === 0) return chars[rng.int(chars.length)];
      return (
        s.slice(0, Math.min(at, n - 1)) +
        (rng.chance(0.8)
          ? chars[rng.int(chars.length)]
          : String.fromCharCode(rng.pick([0, 0x1f, 0x7f, 0xa0, 0xd800, 0xdc00, 0xfeff, 0xffff, rng.int(0x10000)]))) +
        s.slice(Math.min(at, n - 1) + 1)
      );
    case 3: // truncate
      return s.slice(0, at);
    case 4: {
      // duplicate a range
      const st = rng.int(n + 1);
      const piece = s.slice(st, st + 1 + rng.int(40));
      return s.slice(0, at) + piece + s.slice(at);
    }
    case 5:
    case 6: {
      // replace a number token
      const spans = tokenSpans(s, kind === 'json' ? /-?\d[\d.eE+-]*/g : /-?(?:0[xX][0-9a-fA-F]+|\d[\d.eE+-]*[fF]?)/g);
      if (!spans.length) return s + (kind === 'json' ? '1' : ' 1: 1');
      const [a, b] = rng.pick(spans);
      return s.slice(0, a) + rng.pick(kind === 'json' ? JSON_NUMBERS : TEXT_VALUES) + s.slice(b);
    }
    case 7:
    case 8: {
      // replace a string token (or a value after ':')
      const spans = tokenSpans(s, kind === 'json' ? /"(?:[^"\\]|\\.)*"/g : /:\s*[^\s{}<>[\],;]+/g);
      if (!spans.length) return s;
      const [a, b] = rng.pick(spans);
      return kind === 'json'
        ? s.slice(0, a) + rng.pick(JSON_STRINGS) + s.slice(b)
        : s.slice(0, a) + ': ' + rng.pick(TEXT_VALUES) + s.slice(b);
    }
    case 9: {
      // swap a field name for another of the same type (wrong kinds of value)
      const spans = tokenSpans(s, kind === 'json' ? /"[A-Za-z_][A-Za-z0-9_]*"(?=\s*:)/g : /^\s*[A-Za-z_][A-Za-z0-9_]*/gm);
      if (!spans.length || !fieldNames.length) return s;
      const [a, b] = rng.pick(spans);
      const name = rng.pick(fieldNames);
      const lead = s.slice(a, b).match(/^\s*/)![0];
      return s.slice(0, a) + (kind === 'json' ? JSON.stringify(name) : lead + name) + s.slice(b);
    }
    case 10: {
      // deep nesting
      const depth = rng.pick([10, 100, 199, 200, 201, 1000, 5000]);
      if (kind === 'json') {
        const open = rng.chance(0.5) ? '[' : '{"a":';
        return s.slice(0, at) + open.repeat(depth) + s.slice(at);
      }
      const name = fieldNames.length ? rng.pick(fieldNames) : 'a';
      return s.slice(0, at) + `${name} { `.repeat(depth) + s.slice(at) + ' }'.repeat(rng.chance(0.5) ? depth : 0);
    }
    default: {
      // repeat a whole line or entry many times
      const lines = s.split('\n');
      const li = rng.int(lines.length);
      const times = rng.pick([2, 10, 100]);
      lines.splice(li, 0, ...new Array<string>(times).fill(lines[li]));
      return lines.join('\n');
    }
  }
}
