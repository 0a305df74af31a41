/**
 * Number formatting as protoc's C++ runtime prints floats and doubles in text format
 * (SimpleDtoa / SimpleFtoa of protobuf 3.21): C's `%.15g` for doubles, `%.17g` when that
 * does not read back to the same value; `%.6g` / `%.9g` for floats; "inf", "-inf", "nan".
 */

/** The exact decimal expansion of a finite double: digits (no leading zeros, "0" for zero) and the power of ten of the last digit. */
function exactDecimal(value: number): { digits: string; exp10: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(value));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  let exp2: number;
  if (biased === 0) exp2 = -1074;
  else {
    mantissa |= 1n << 52n;
    exp2 = biased - 1075;
  }
  if (mantissa === 0n) return { digits: '0', exp10: 0 };
  if (exp2 >= 0) return { digits: (mantissa << BigInt(exp2)).toString(), exp10: 0 };
  // m * 2^e = m * 5^-e / 10^-e
  return { digits: (mantissa * 5n ** BigInt(-exp2)).toString(), exp10: exp2 };
}

/**
 * Rounds the exact value to `precision` significant digits, ties to even (as glibc printf does
 * on the exact binary value). Returns the digits and the decimal exponent of the first digit.
 */
function roundSignificant(value: number, precision: number): { digits: string; exponent: number } {
  const { digits, exp10 } = exactDecimal(value);
  if (digits === '0') return { digits: '0'.repeat(precision), exponent: 0 };
  let exponent = digits.length - 1 + exp10;
  if (digits.length <= precision) return { digits: digits.padEnd(precision, '0'), exponent };
  let head = BigInt(digits.slice(0, precision));
  const rest = digits.slice(precision);
  const first = rest.charCodeAt(0) - 48;
  const tail = rest.slice(1);
  const roundUp = first > 5 || (first === 5 && (/[1-9]/.test(tail) || head % 2n === 1n));
  if (roundUp) head += 1n;
  let out = head.toString();
  if (out.length > precision) {
    out = out.slice(0, precision);
    exponent++;
  }
  return { digits: out, exponent };
}

/** C's printf `%.{precision}g` for a finite or non-finite double (glibc output: "inf", "nan", "1e+21"). */
export function formatG(value: number, precision: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  const p = precision === 0 ? 1 : precision;
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const { digits, exponent } = roundSignificant(value, p);
  let body: string;
  if (exponent < -4 || exponent >= p) {
    let mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    mant = stripZeros(mant);
    const e = Math.abs(exponent);
    body = `${mant}e${exponent < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  } else if (exponent >= 0) {
    const int = digits.slice(0, exponent + 1);
    const frac = digits.slice(exponent + 1);
    body = stripZeros(frac ? `${int}.${frac}` : int);
  } else {
    body = stripZeros(`0.${'0'.repeat(-exponent - 1)}${digits}`);
  }
  return sign + body;
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}

/** A double as protoc prints it in text format: `%.15g`, or `%.17g` if that does not round-trip. */
export function formatDoubleProtoc(value: number): string {
  const short = formatG(value, 15);
  if (!Number.isFinite(value) || Number(short) === value) return short;
  return formatG(value, 17);
}

/** The smallest normal float (2^-126). */
const FLT_MIN = 1.1754943508222875e-38;

/**
 * A float as protoc prints it in text format: `%.6g`, or `%.9g` if that does not round-trip as
 * a float. protoc reads the short form back with strtof and treats ERANGE as a failure, so
 * subnormal floats always take 9 digits.
 */
export function formatFloatProtoc(value: number): string {
  if (value !== 0 && Math.abs(value) < FLT_MIN) return formatG(value, 9);
  const short = formatG(value, 6);
  if (!Number.isFinite(value) || Math.fround(Number(short)) === value) return short;
  return formatG(value, 9);
}

/** A double for JSON: the shortest representation that reads back to the same value (as Go protojson and protobuf-es print). */
export function formatDoubleJson(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

/** A float for JSON: the shortest decimal that reads back to the same 32-bit float, as a JS number. */
export function formatFloatJson(value: number): number | string {
  if (!Number.isFinite(value)) return formatDoubleJson(value);
  return shortestFloat(value);
}

/** The shortest decimal (as a number) whose float32 rounding equals `value` (a float32 value). */
export function shortestFloat(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  for (let p = 1; p <= 9; p++) {
    const n = Number(value.toPrecision(p));
    if (Math.fround(n) === value) return n;
  }
  return value;
}
