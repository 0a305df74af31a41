/**
 * What proto3 JSON treats specially among Google's well-known types (both directions): which
 * types have a JSON form of their own, the wrapper names, and Timestamp and Duration strings.
 */
import { JsonFormatError, JsonPrintError } from './json-text';
import { WKT } from './type-lookup';

/** The wrapper types (google.protobuf.Int32Value and the rest), by short name: JSON writes them as their value. */
export const WRAPPERS = new Set([
  'DoubleValue',
  'FloatValue',
  'Int64Value',
  'UInt64Value',
  'Int32Value',
  'UInt32Value',
  'BoolValue',
  'StringValue',
  'BytesValue',
]);

/**
 * Whether a well-known type (full name) has a JSON form of its own, so an Any holding it puts it
 * under "value". Empty is not among them: an Any holding Empty prints as {"@type": url}, as C++
 * JsonFormat and protobuf-es print it (Go protojson writes "value": {}; both forms are read).
 */
export function isSpecialWkt(name: string): boolean {
  const short = name.slice(WKT.length);
  return ['Timestamp', 'Duration', 'FieldMask', 'Struct', 'ListValue', 'Value', 'Any'].includes(short) || WRAPPERS.has(short);
}

/** The earliest Timestamp JSON can hold: 0001-01-01T00:00:00Z, in seconds. */
const MIN_TS = -62135596800n;

/** The latest Timestamp JSON can hold: 9999-12-31T23:59:59Z, in seconds. */
const MAX_TS = 253402300799n;

function fraction(nanos: number): string {
  if (nanos === 0) return '';
  const s = String(nanos).padStart(9, '0');
  if (s.endsWith('000000')) return '.' + s.slice(0, 3);
  if (s.endsWith('000')) return '.' + s.slice(0, 6);
  return '.' + s;
}

/** A Timestamp as RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits. */
export function formatTimestamp(seconds: bigint, nanos: number, path = '$'): string {
  if (seconds < MIN_TS || seconds > MAX_TS)
    throw new JsonPrintError(
      path,
      'timestamp-range',
      `google.protobuf.Timestamp seconds ${seconds} is outside 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, the range JSON can hold`,
    );
  if (nanos < 0 || nanos > 999_999_999)
    throw new JsonPrintError(path, 'timestamp-range', `google.protobuf.Timestamp nanos ${nanos} is outside 0 to 999999999`);
  const d = new Date(Number(seconds) * 1000);
  const iso = d.toISOString(); // years 0001..9999 print as 4 digits
  return iso.slice(0, 19) + fraction(nanos) + 'Z';
}

/** A Duration as "<seconds>[.fraction]s", with 0, 3, 6 or 9 fraction digits. */
export function formatDuration(seconds: bigint, nanos: number, path = '$'): string {
  if (seconds < -315576000000n || seconds > 315576000000n)
    throw new JsonPrintError(path, 'duration-range', `google.protobuf.Duration seconds ${seconds} is outside ±315576000000 (10,000 years)`);
  if (nanos <= -1_000_000_000 || nanos >= 1_000_000_000 || (seconds > 0n && nanos < 0) || (seconds < 0n && nanos > 0)) {
    throw new JsonPrintError(
      path,
      'duration-range',
      `google.protobuf.Duration nanos ${nanos} must be below 1e9 in size and of the sign of seconds ${seconds}`,
    );
  }
  const neg = seconds < 0n || nanos < 0;
  const abs = seconds < 0n ? -seconds : seconds;
  return `${neg ? '-' : ''}${abs}${fraction(Math.abs(nanos))}s`;
}

/** Parses an RFC 3339 timestamp ("2024-01-02T03:04:05.123Z", offsets allowed) into seconds and nanos. */
export function parseTimestamp(s: string, path = '$'): { seconds: bigint; nanos: number } {
  // Upper-case T and Z only, as the spec, protobuf-es and C++ read them.
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (!m) throw new JsonFormatError(path, `expected a Timestamp like "1972-01-01T10:00:20.021Z", found ${JSON.stringify(s)}`);
  const [, y, mo, d, h, mi, se, frac, , sign, oh, om] = m;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(se), 0);
  if (
    date.getUTCFullYear() !== Number(y) ||
    date.getUTCMonth() !== Number(mo) - 1 ||
    date.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(se) > 59
  ) {
    throw new JsonFormatError(path, `${JSON.stringify(s)} is not a valid date and time`);
  }
  let seconds = BigInt(Math.floor(date.getTime() / 1000));
  if (sign) seconds -= BigInt((sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60));
  if (seconds < MIN_TS || seconds > MAX_TS) throw new JsonFormatError(path, `${JSON.stringify(s)} is outside 0001-01-01 to 9999-12-31`);
  return { seconds, nanos: frac ? Number(frac.padEnd(9, '0')) : 0 };
}

/** Parses a Duration string ("1.5s", "-0.000001s") into seconds and nanos (same sign). */
export function parseDuration(s: string, path = '$'): { seconds: bigint; nanos: number } {
  const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(s);
  if (!m) throw new JsonFormatError(path, `expected a Duration like "1.5s", found ${JSON.stringify(s)}`);
  const neg = m[1] === '-';
  let seconds = BigInt(m[2]);
  let nanos = m[3] ? Number(m[3].padEnd(9, '0')) : 0;
  if (seconds > 315576000000n) throw new JsonFormatError(path, `duration ${JSON.stringify(s)} is outside ±315576000000s`);
  if (neg) {
    seconds = -seconds;
    nanos = -nanos;
  }
  return { seconds, nanos };
}

/** A FieldMask path in JSON: lowerCamelCase as protoc's ToCamelCase (a letter after `_` upper-cased, the `_` dropped). */
export function fieldMaskPathToJson(path: string): string {
  let out = '';
  let up = false;
  for (const c of path) {
    if (c === '_') up = true;
    else if (c >= '0' && c <= '9') {
      out += c;
      up = false;
    } else {
      out += up ? c.toUpperCase() : c;
      up = false;
    }
  }
  return out;
}

/** A FieldMask path from JSON: each upper-case letter as `_` and the letter in lower case. */
export function fieldMaskPathFromJson(path: string): string {
  return path.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}
