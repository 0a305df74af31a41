/**
 * Fuzz targets: each runs one input through one part of the engine and classifies what
 * happened. Shared by the fuzzer (fuzz/run.ts) and the corpus replay (fuzz/regressions.test.ts).
 *
 * Outcomes:
 * - ok: it decoded / parsed / printed and every check held;
 * - reject: a clean rejection: a DecodeError (or an error of the target's own kind) whose
 *   message names where: a byte offset for binary decoders (`at byte N`), a JSON path or
 *   line/column for JSON, `line:column` for text format;
 * - no-offset: an error of an expected kind that does not say where (or names an offset
 *   outside the input);
 * - crash: any other exception (TypeError, RangeError, stack overflow, ...);
 * - wrong: a round-trip or invariant check failed (re-encoding an untouched tree must give the
 *   input bytes; printed JSON / text must parse back to the same print; indexes in bounds ...).
 */
import { DecodeError } from '../core/wire/decode-error';
import type { MessageRoot } from '../core/document/model';
import { fromJson, fromText } from '../core/format';
import { CheckFailed, DecodeErrorLike, normalizeMessage, typeOf } from './check-helpers';
import type { FuzzCase, FuzzEnv, Outcome, TargetName } from './fuzz-case';
import { decodeChecked, detectChecks, encodeChecks, jsonChecks, parsedChecks, rawChecks, streamChecks, textChecks } from './target-checks';

const OK: Outcome = { kind: 'ok', detail: '' };

const CRASH_TYPES = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError];

/** The first stack frame in this repository (outside fuzz/), as `path:line`. */
export function projectFrame(e: unknown): string | undefined {
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /((?:core|core-node)\/[\w./-]+\.ts):(\d+)/.exec(line);
    if (m) return `${m[1]}:${m[2]}`;
  }
  return undefined;
}

/** How a target's rejections must say where: a byte offset, a JSON position, a text line:column. */
type Where = 'byte' | 'json' | 'text';

const WHERE_RE: Record<Where, RegExp> = {
  byte: /\bat byte \d+|\boffset \d+/,
  json: /^at \$|line \d+, column \d+/,
  text: /^\d+:\d+: /,
};

/** Classifies an exception thrown by a target. */
export function classifyError(e: unknown, where: Where, inputLength: number): Outcome {
  if (e instanceof CheckFailed) return { kind: 'wrong', detail: e.message, check: e.check, key: e.key };
  const name = e instanceof Error ? e.constructor.name : typeof e;
  const message = e instanceof Error ? e.message : String(e);
  const detail = message.length > 300 ? message.slice(0, 300) + '…' : message;
  if (!(e instanceof Error)) return { kind: 'crash', detail: `threw a non-Error: ${detail}`, errorName: name };
  if (e instanceof RangeError && /call stack/i.test(message)) {
    return { kind: 'crash', detail: `stack overflow: ${detail}`, errorName: name, where: projectFrame(e) };
  }
  if (CRASH_TYPES.some((c) => e.constructor === c)) return { kind: 'crash', detail, errorName: name, where: projectFrame(e) };
  if (e instanceof DecodeError) {
    const inRange = Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= inputLength;
    if (where === 'byte' && inRange && WHERE_RE.byte.test(message)) return { kind: 'reject', detail, errorName: name };
    if (where !== 'byte' && inRange) return { kind: 'reject', detail, errorName: name };
    return {
      kind: 'no-offset',
      detail: inRange ? `${detail} (no "at byte N")` : `${detail} (offset ${e.offset} outside 0..${inputLength})`,
      errorName: name,
      where: projectFrame(e),
    };
  }
  if (WHERE_RE[where].test(message)) return { kind: 'reject', detail, errorName: name };
  return { kind: 'no-offset', detail, errorName: name, where: projectFrame(e) };
}

/**
 * Runs one case through its target and classifies the outcome. `decoded` may pass a root the
 * caller already decoded from the same bytes, type and mode (the fuzzer reuses one decode).
 */
export function runCase(env: FuzzEnv, c: FuzzCase, decoded?: MessageRoot, out?: { root?: MessageRoot }): Outcome {
  const len = c.target === 'json-parse' || c.target === 'text-parse' ? (c.text ?? '').length : c.bytes.length;
  const where: Where = c.target === 'json-parse' || c.target === 'json-print' ? 'json' : c.target === 'text-parse' ? 'text' : 'byte';
  try {
    switch (c.target) {
      case 'decode': {
        const root = decodeChecked(env, c);
        if (out) out.root = root;
        return OK;
      }
      case 'encode':
        encodeChecks(env, c, decoded ?? decodeChecked(env, c));
        return OK;
      case 'json-print': {
        let root: MessageRoot;
        try {
          root = decoded ?? decodeChecked(env, c);
        } catch (e) {
          return classifyError(e, 'byte', c.bytes.length);
        }
        jsonChecks(env, c, root);
        return OK;
      }
      case 'text-print': {
        let root: MessageRoot;
        try {
          root = decoded ?? decodeChecked(env, c);
        } catch (e) {
          return classifyError(e, 'byte', c.bytes.length);
        }
        textChecks(env, c, root);
        return OK;
      }
      case 'raw':
        rawChecks(c, c.mode === 'partial');
        return OK;
      case 'stream':
        streamChecks(c);
        return OK;
      case 'detect':
        detectChecks(env, c);
        return OK;
      case 'json-parse': {
        const root = fromJson(c.text ?? '', typeOf(env, c.typeName)!, { registry: env.registry });
        parsedChecks(env, root);
        return OK;
      }
      case 'text-parse': {
        const root = fromText(c.text ?? '', typeOf(env, c.typeName)!, { registry: env.registry, allowFieldNumbers: true });
        parsedChecks(env, root);
        return OK;
      }
    }
  } catch (e) {
    if (e instanceof DecodeErrorLike) return { kind: 'no-offset', detail: e.message };
    if (c.target === 'raw' || c.target === 'stream' || c.target === 'detect') {
      // These never throw by contract: any exception is a crash.
      const o = classifyError(e, where, len);
      return o.kind === 'wrong' ? o : { ...o, kind: 'crash', where: o.where ?? projectFrame(e) };
    }
    if (c.target === 'encode' && !(e instanceof CheckFailed) && !(e instanceof DecodeError)) {
      return { ...classifyError(e, where, len), kind: 'crash', where: projectFrame(e) };
    }
    return classifyError(e, where, len);
  }
}

/** Whether an outcome is a finding (anything but ok and clean rejections). */
export function isFailure(o: Outcome): boolean {
  return o.kind !== 'ok' && o.kind !== 'reject';
}

/** A dedup key for failures: target, kind, and the code location or normalized message. */
export function signatureOf(target: TargetName, o: Outcome): string {
  if (o.kind === 'wrong') return `${target}|wrong|${o.check ?? o.detail.slice(0, 60)}${o.key ? `|${o.key}` : ''}`;
  if (o.kind === 'crash' && o.where) return `${target}|crash|${o.errorName}@${o.where}`;
  const m = o.detail.replace(/\([^)]*\)/g, '');
  return `${target}|${o.kind}|${o.errorName ?? ''}:${normalizeMessage(m.replace(/^at byte \d+\s*:?\s*/, ''))}`;
}
