/** Inline editors that fit a value's type: integers (range-checked with BigInt), floats, strings (string-editor.tsx), bytes (hex/base64/text), enums. */
import { useRef, useState } from 'react';
import type { ApiScalar, TreeRow } from '../../core/api/contract';
import { base64ToBytes, bytesToBase64, fromHex, toHex } from '../shared/util';
import { StringEditor } from './string-editor';

/** Parses an integer and checks its range; returns the value or an error message. */
export function parseInteger(text: string, min: bigint, max: bigint): bigint | string {
  const t = text.trim().replace(/_/g, '');
  let v: bigint;
  try {
    if (/^[-+]?\d+$/.test(t)) v = BigInt(t);
    else if (/^-?0x[0-9a-f]+$/i.test(t)) v = t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t);
    else return 'not an integer';
  } catch {
    return 'not an integer';
  }
  if (v < min || v > max) return `out of range ${min}..${max}`;
  return v;
}

/** Parses a float (also NaN, Infinity, -Infinity, -0). */
export function parseFloatValue(text: string, single: boolean): number | string {
  const t = text.trim();
  const v = /^[-+]?(inf|infinity)$/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : /^nan$/i.test(t) ? NaN : Number(t);
  if (t === '' || (Number.isNaN(v) && !/^nan$/i.test(t))) return 'not a number';
  if (single && Number.isFinite(v) && Math.abs(v) > 3.4028234663852886e38) return 'out of float range';
  return v;
}

type BytesMode = 'hex' | 'base64' | 'text';

function bytesToMode(b: Uint8Array, mode: BytesMode): string {
  if (mode === 'hex') return toHex(b);
  if (mode === 'base64') return bytesToBase64(b);
  return new TextDecoder().decode(b);
}

function modeToBytes(s: string, mode: BytesMode): Uint8Array {
  if (mode === 'hex') return fromHex(s);
  if (mode === 'base64') return base64ToBytes(s);
  return new TextEncoder().encode(s);
}

function initialText(row: TreeRow): string {
  const v = row.value;
  if (v instanceof Uint8Array) return toHex(v);
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  return v === undefined ? '' : String(v);
}

/** The editor for one row; calls onCommit with the new value, onCancel to leave. */
export function ValueEditor(props: { row: TreeRow; onCommit: (v: ApiScalar) => void; onCancel: () => void }) {
  return props.row.editor.kind === 'string' ? <StringEditor {...props} /> : <ScalarEditor {...props} />;
}

/** The one-line editor of a number, an enum or bytes. */
function ScalarEditor({ row, onCommit, onCancel }: { row: TreeRow; onCommit: (v: ApiScalar) => void; onCancel: () => void }) {
  const [text, setText] = useState(() => initialText(row));
  const [mode, setMode] = useState<BytesMode>('hex');
  const ed = row.editor;
  let error: string | null = null;
  let parsed: ApiScalar | null = null;
  try {
    if (ed.kind === 'int') {
      const r = parseInteger(text, ed.min, ed.max);
      if (typeof r === 'string') error = r;
      else parsed = r;
    } else if (ed.kind === 'float') {
      const r = parseFloatValue(text, ed.single);
      if (typeof r === 'string') error = r;
      else parsed = r;
    } else if (ed.kind === 'bytes') parsed = modeToBytes(text, mode);
    else if (ed.kind === 'enum') {
      const byName = ed.values.find((v) => v.name === text.trim());
      const r = byName ? BigInt(byName.number) : parseInteger(text, -(2n ** 31n), 2n ** 31n - 1n);
      if (typeof r === 'string') error = 'an enum value name or an int32';
      else parsed = Number(r);
    } else parsed = text;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const done = useRef(false);
  const commit = () => {
    if (done.current || parsed === null || error) return;
    done.current = true;
    onCommit(parsed);
  };
  const cancel = () => {
    if (done.current) return;
    done.current = true;
    onCancel();
  };
  return (
    <span className="value-editor" onClick={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()}>
      {ed.kind === 'bytes' && (
        <select
          value={mode}
          aria-label="Bytes as"
          onChange={(e) => {
            const next = e.target.value as BytesMode;
            try {
              setText(bytesToMode(modeToBytes(text, mode), next));
            } catch {
              // keep the text when it does not parse in the old mode
            }
            setMode(next);
          }}
        >
          <option value="hex">hex</option>
          <option value="base64">base64</option>
          <option value="text">text</option>
        </select>
      )}
      <input
        autoFocus
        className={error ? 'invalid' : ''}
        value={text}
        spellCheck={false}
        aria-label={`New value of ${row.name || row.number}`}
        aria-invalid={!!error}
        list={ed.kind === 'enum' ? `enum-${row.path.join('-')}` : undefined}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') cancel();
        }}
        onBlur={() => (error ? cancel() : commit())}
        data-testid="value-input"
      />
      {ed.kind === 'enum' && (
        <datalist id={`enum-${row.path.join('-')}`}>
          {ed.values.map((v) => (
            <option key={v.name} value={v.name}>
              {v.number}
            </option>
          ))}
        </datalist>
      )}
      {error && <span className="editor-error">{error}</span>}
    </span>
  );
}
