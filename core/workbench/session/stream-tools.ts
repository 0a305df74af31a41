/**
 * Whole-stream tools: a search over every message of a document (a field by its dotted path,
 * optionally with a value; or a byte pattern; or text), and the export of a stream's messages
 * (all or chosen ones) as varint-delimited bytes, JSON lines or text format. Both read each
 * message as it is now (edits included) and say where in the file it is.
 */
import type { FieldNode } from '../../document/model';
import { childrenOf } from '../../document/tree';
import type { ExportResult, StreamMatch } from '../../api/contract';
import type { SchemaHost, WorkbenchEngine } from '../engine';
import { hexPreview, scalarPreview } from '../tree-row';
import { findPattern } from './byte-edits';
import type { OpenDocument } from './document-state';
import type { MessageRows } from './message-rows';
import { prefixStart, type OpenDocuments } from './open-documents';
import type { SessionApiPart } from './session-api';

/** The stream-wide methods of the session. */
export type StreamTools = SessionApiPart<'searchStream' | 'exportStream'>;

/** The bytes of a hex pattern ("0a 05", "0A05"); throws saying what is wrong. */
export function parseHexPattern(hex: string): Uint8Array {
  const s = hex.replace(/\s+/g, '');
  if (!s) throw new Error('give a byte pattern in hex, like "0a 05"');
  const bad = s.search(/[^0-9a-fA-F]/);
  if (bad >= 0) throw new Error(`"${s[bad]}" is not a hex digit (at character ${bad + 1}); write bytes as pairs like "0a 05"`);
  if (s.length % 2) throw new Error(`${s.length} hex digits are not whole bytes: write each byte as two digits`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Whether a node's value reads as `want`: its preview, or its plain value (a string unquoted, an enum by name or number). */
function valueMatches(node: FieldNode, want: string): boolean {
  const v = node.value;
  if (v.kind !== 'scalar') return false;
  if (String(v.value) === want) return true;
  const preview = scalarPreview(v.type, v.value, node.field);
  return preview === want || (v.type === 'enum' && preview.split(' ')[0] === want);
}

/** Whether a node is the field named by a dotted-path component (its name, or its number). */
function nameMatches(node: FieldNode, part: string): boolean {
  return node.field?.name === part || String(node.fieldNumber) === part;
}

/** The offsets of the first `count` messages in the file as it is now (after each one's length prefix or frame header). */
export function currentOffsets(d: OpenDocument, lengthOf: (i: number) => number, count = d.index.count): number[] {
  const out: number[] = [];
  let at = d.index.framing === 'single' ? d.index.offsets[0] : 0;
  for (let i = 0; i < Math.min(count, d.index.count); i++) {
    const n = lengthOf(i);
    if (d.index.framing === 'grpc') at += 5;
    // A message of unchanged length keeps the prefix it was read with (an overlong one too), as a save writes it.
    else if (d.index.framing === 'delimited') at += n === d.index.lengths[i] ? d.index.offsets[i] - prefixStart(d.index, i) : varintSize(n);
    out.push(at);
    at += n;
  }
  return out;
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Creates the stream-wide methods. */
export function createStreamTools(engine: WorkbenchEngine, schemas: SchemaHost, documents: OpenDocuments, rows: MessageRows): StreamTools {
  /** Message i's bytes as they are now (an opened message's current version, else the source's). */
  const bytesOf = (d: OpenDocument, i: number) => {
    const m = d.messages.get(i);
    return m ? rows.view(m).bytes : documents.messageBytes(d, i);
  };

  return {
    async searchStream({ docId, query, limit }) {
      const d = documents.get(docId);
      const max = limit ?? 1000;
      const matches: StreamMatch[] = [];
      const offsets = currentOffsets(d, (i) => bytesOf(d, i).length);
      const pattern =
        query.kind === 'bytes' ? parseHexPattern(query.hex) : query.kind === 'text' ? new TextEncoder().encode(query.text) : null;
      if (pattern && pattern.length === 0) throw new Error('give some text to search for');
      const parts = query.kind === 'field' ? query.path.split('.').filter(Boolean) : [];
      if (query.kind === 'field' && !parts.length) throw new Error('give a field path, like items.label or 3.1');
      let truncated = false;
      for (let i = 0; i < d.index.count && !truncated; i++) {
        const bytes = bytesOf(d, i);
        const add = (m: Omit<StreamMatch, 'message' | 'fileOffset'>) => {
          if (matches.length >= max) truncated = true;
          else matches.push({ message: i, fileOffset: offsets[i] + m.offset, ...m });
        };
        if (pattern) {
          for (let at = findPattern(bytes, pattern, 0); at >= 0 && !truncated;) {
            add({ offset: at, preview: hexPreview(bytes.subarray(at, at + Math.max(pattern.length, 8)), 16) });
            const next = findPattern(bytes, pattern, at + 1);
            at = next > at ? next : -1;
          }
          continue;
        }
        if (query.kind !== 'field') continue;
        const root = engine.decodeView(bytes, d.type);
        const walk = (fields: readonly FieldNode[], depth: number, path: number[]) => {
          fields.forEach((n, k) => {
            if (truncated || !nameMatches(n, parts[depth])) return;
            if (depth < parts.length - 1) return walk(childrenOf(n), depth + 1, [...path, k]);
            if (query.value !== undefined && !valueMatches(n, query.value)) return;
            const v = n.value;
            const preview = v.kind === 'scalar' ? scalarPreview(v.type, v.value, n.field) : v.kind === 'message' ? '{…}' : '';
            add({ path: [...path, k], offset: n.span?.tagStart ?? 0, preview });
          });
        };
        walk(root.fields, 0, []);
      }
      return { matches, truncated };
    },
    async exportStream({ docId, messages, format }) {
      const d = documents.get(docId);
      const chosen = messages ?? Array.from({ length: d.index.count }, (_, i) => i);
      for (const i of chosen) {
        if (i >= d.index.count) throw new Error(`message ${i} is out of range (0..${d.index.count - 1})`);
      }
      const base = d.name.replace(/\.[^.]*$/, '') + (messages ? `-${chosen.length}-of-${d.index.count}` : '');
      if (format === 'delimited') {
        const parts = engine.frame(
          { ...d.index, framing: 'delimited' },
          chosen.map((i) => [bytesOf(d, i)]),
        );
        const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) {
          out.set(p, at);
          at += p.length;
        }
        return { name: `${base}.delimited`, bytes: out } satisfies ExportResult;
      }
      if (!d.type) throw new Error('choose a message type first: JSON and text need a schema (or export as delimited bytes)');
      const texts = chosen.map((i) => engine.toText(bytesOf(d, i), d.type, format === 'jsonl' ? 'json' : 'text', schemas.current()));
      if (format === 'jsonl') {
        // One message per line: the printed JSON made compact (JSON.parse would lose 64-bit precision, so strip layout only).
        return { name: `${base}.jsonl`, text: texts.map(compactJson).join('\n') + '\n' };
      }
      return { name: `${base}.txtpb`, text: texts.map((t, k) => `# message ${chosen[k]}\n${t.trimEnd()}\n`).join('\n') };
    },
  };
}

/** JSON text without its layout (whitespace outside strings removed): one line. */
export function compactJson(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') out += c;
  }
  return out;
}
