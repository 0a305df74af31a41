/**
 * Checks the shape of a request before a host acts on it (IPC and HTTP arguments come from a
 * less trusted process). One field spec per document method; unknown fields are refused.
 */
import type { DocumentMethods, FileSafetyMethods, TaskMethods } from './contract';

type FieldKind = 'string' | 'int' | 'bool' | 'bytes' | 'path' | 'scalar' | 'object' | 'strings' | 'uploads' | 'nullable-string';
type Spec = Record<string, FieldKind | `${FieldKind}?`>;

const MSG: Spec = { docId: 'string', message: 'int' };
const DOC: Spec = { docId: 'string' };

/** The fields each document method takes (a trailing ? marks optional ones). */
export const REQUEST_SPECS: { [K in keyof (DocumentMethods & FileSafetyMethods & TaskMethods)]: Spec } = {
  appInfo: {},
  openBytes: { name: 'string', bytes: 'bytes' },
  openPath: { path: 'string' },
  openDialog: {},
  listDocuments: {},
  closeDocument: DOC,
  getSummary: DOC,
  listTypes: { query: 'string?', limit: 'int?' },
  setType: { docId: 'string', typeName: 'nullable-string' },
  getRows: { ...MSG, start: 'int', count: 'int', filter: 'string?' },
  setExpanded: { ...MSG, path: 'path', expanded: 'bool', all: 'bool?' },
  rowAtOffset: { ...MSG, offset: 'int', filter: 'string?' },
  getBytes: { ...MSG, start: 'int', end: 'int' },
  getStream: { docId: 'string', start: 'int', count: 'int' },
  edit: { ...MSG, edit: 'object' },
  undo: DOC,
  redo: DOC,
  getText: { ...MSG, format: 'string' },
  jsonPosition: { ...MSG, path: 'path' },
  setText: { ...MSG, format: 'string', text: 'string' },
  describeType: { typeName: 'string' },
  save: DOC,
  saveAs: { docId: 'string', path: 'string?' },
  getFileBytes: DOC,
  exportMessage: { ...MSG, format: 'string' },
  schemaStatus: {},
  addSchemas: { protoFiles: 'strings?', importPaths: 'strings?', descriptorSets: 'strings?', uploads: 'uploads?' },
  addSchemasDialog: { kind: 'string' },
  reloadSchemas: {},
  recentFiles: {},
  confirmClose: {},
  listRecoverable: {},
  recover: { id: 'string' },
  discardRecoverable: { id: 'string?' },
  checkDisk: { docId: 'string?' },
  reloadFromDisk: DOC,
  keepMine: DOC,
  cancelTask: { taskId: 'string' },
};

const isInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);

function fits(kind: FieldKind, v: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof v === 'string' && v.length < 1 << 26;
    case 'nullable-string':
      return v === null || typeof v === 'string';
    case 'int':
      return isInt(v);
    case 'bool':
      return typeof v === 'boolean';
    case 'bytes':
      return v instanceof Uint8Array;
    case 'path':
      return Array.isArray(v) && v.length < 10_000 && v.every((x) => isInt(x) && (x as number) >= 0);
    case 'scalar':
      return ['number', 'bigint', 'boolean', 'string'].includes(typeof v) || v instanceof Uint8Array;
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    case 'strings':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'uploads':
      return (
        Array.isArray(v) &&
        v.every(
          (u) =>
            u &&
            typeof u === 'object' &&
            typeof (u as { name?: unknown }).name === 'string' &&
            (u as { contents?: unknown }).contents instanceof Uint8Array,
        )
      );
  }
}

const EDIT_OPS: Record<string, Spec> = {
  set: { op: 'string', path: 'path', value: 'scalar' },
  remove: { op: 'string', path: 'path' },
  'add-field': { op: 'string', parent: 'path', fieldNumber: 'int' },
  'add-element': { op: 'string', path: 'path' },
  move: { op: 'string', path: 'path', delta: 'int' },
  interpret: { op: 'string', path: 'path', as: 'nullable-string' },
};

function checkSpec(what: string, spec: Spec, value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`${what}: the request must be an object`);
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!(k in spec) && obj[k] !== undefined) throw new TypeError(`${what}: unexpected field "${k}"`);
  }
  for (const [k, kindSpec] of Object.entries(spec)) {
    const optional = kindSpec.endsWith('?');
    const kind = (optional ? kindSpec.slice(0, -1) : kindSpec) as FieldKind;
    const v = obj[k];
    if (v === undefined) {
      if (!optional) throw new TypeError(`${what}: missing field "${k}"`);
      continue;
    }
    if (!fits(kind, v)) throw new TypeError(`${what}: field "${k}" must be ${kind}`);
  }
}

/** Throws a TypeError naming the problem when a request does not fit its method; unknown methods pass (replay checks its own). */
export function checkRequest(method: string, request: unknown): void {
  const spec = (REQUEST_SPECS as Record<string, Spec>)[method];
  if (!spec) return;
  checkSpec(method, spec, request);
  if (method === 'edit') {
    const edit = (request as { edit: { op?: unknown } }).edit;
    const opSpec = typeof edit.op === 'string' ? EDIT_OPS[edit.op] : undefined;
    if (!opSpec) throw new TypeError(`edit: unknown op ${String(edit.op)}`);
    checkSpec(`edit ${edit.op}`, opSpec, edit);
  }
}
