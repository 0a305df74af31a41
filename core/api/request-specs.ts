/**
 * The fields each contract method takes, one spec per method: the map the method list derives
 * from (core/api/methods.ts), so a method without a spec does not type-check. A name ending in ?
 * is optional; unknown fields are refused.
 */
import type { MethodName } from './contract';
import { CAPTURE_SPECS } from './capture-specs';
import { DIFF_SPECS } from './diff-specs';
import { TRANSPORTS } from './vocabulary';
import {
  bool,
  bytes,
  check,
  duration,
  headers,
  httpUrl,
  int,
  isObject,
  nonNegInt,
  nullableStr,
  object,
  oneOf,
  path,
  port,
  problem,
  scalar,
  shaped,
  str,
  strings,
  tagged,
  type Spec,
} from './field-checks';

const MSG: Spec = { docId: str, message: int };
const DOC: Spec = { docId: str };
const format = oneOf('json', 'text');
const uploads = check(
  'a list of {name, contents} uploads',
  (v) => Array.isArray(v) && v.every((u) => isObject(u) && typeof u.name === 'string' && u.contents instanceof Uint8Array),
);

/** The fields of each tree edit, by its op. */
export const EDIT_SPECS: Readonly<Record<string, Spec>> = {
  set: { op: str, path, value: scalar },
  remove: { op: str, path },
  'add-field': { op: str, parent: path, fieldNumber: int },
  'add-element': { op: str, path },
  move: { op: str, path, delta: int },
  interpret: { op: str, path, as: nullableStr },
};

/** The fields of each encoding edit, by its kind. */
const encodingEdit = tagged('an encoding edit {kind: varint-width | set-length | …, ...}', 'kind', {
  'varint-width': { kind: str, part: oneOf('tag', 'length', 'value'), width: int },
  'set-length': { kind: str, length: nonNegInt },
  'set-wire-type': { kind: str, wireType: int },
  truncate: { kind: str, keep: nonNegInt },
  duplicate: { kind: str },
  move: { kind: str, delta: int },
  'insert-bytes': { kind: str, bytes },
  'set-field-number': { kind: str, fieldNumber: nonNegInt },
  'unterminate-group': { kind: str },
  split: { kind: str, at: int },
});
const streamQuery = tagged('a query {kind: field | bytes | text, ...}', 'kind', {
  field: { kind: str, path: str, 'value?': str },
  bytes: { kind: str, hex: str },
  text: { kind: str, text: str },
});
const indices = check('a list of message numbers', (v) => Array.isArray(v) && v.every((n) => Number.isSafeInteger(n) && n >= 0));

const tls = shaped('TLS settings {insecureSkipVerify?, caFile?, certFile?, keyFile?}', {
  'insecureSkipVerify?': bool,
  'caFile?': str,
  'certFile?': str,
  'keyFile?': str,
});
const auth = tagged('an auth {kind: none | livekit-key | livekit-token, ...}', 'kind', {
  none: { kind: str },
  'livekit-key': {
    kind: str,
    apiKey: str,
    'secretName?': str,
    'apiSecret?': str,
    'identity?': str,
    'ttlSeconds?': nonNegInt,
    'room?': str,
  },
  'livekit-token': { kind: str, token: str },
});
const mockAnswer = tagged('an answer {kind: empty | echo | message | error | stream, ...}', 'kind', {
  empty: { kind: str },
  echo: { kind: str },
  message: { kind: str, json: str },
  error: { kind: str, code: str, message: str },
  stream: { kind: str, json: str, 'errorCode?': str, 'errorMessage?': str },
});
/** A target URL: http(s), ws(s) (the websocket transport), or one an environment fills in ("{{host}}/x"; the host checks it once filled). */
const targetUrl = check(
  'an http(s) or ws(s) URL',
  (v) => httpUrl(v) || (str(v) && (/^wss?:\/\/[^/\s?#]+(?:[/?#]\S*)?$/i.test(v as string) || /\{\{/.test(v as string))),
);
const stringMap = check('an object of strings', (v) => isObject(v) && Object.values(v).every((x) => typeof x === 'string'));
/** Where a request message comes from (ReplaySource); REQUEST_RULES allows one of them. */
const SOURCE: Spec = { 'docId?': str, 'message?': nonNegInt, 'json?': str, 'body?': bytes };
const TARGET: Spec = {
  url: targetUrl,
  transport: oneOf(...TRANSPORTS),
  method: str,
  'headers?': headers,
  'timeoutMs?': duration,
  'tls?': tls,
  'auth?': auth,
  'maxMessageBytes?': nonNegInt,
  'http2?': bool,
  'httpGet?': bool,
  'environment?': str,
};

/** The fields each method takes: every contract method has one (a missing one is a type error). */
export const REQUEST_SPECS: { readonly [K in MethodName]: Spec } = {
  appInfo: {},
  openBytes: { name: str, bytes },
  openPath: { path: str },
  openDialog: {},
  listDocuments: {},
  closeDocument: DOC,
  getSummary: DOC,
  listTypes: { 'query?': str, 'limit?': int },
  setType: { docId: str, typeName: nullableStr },
  getRows: { ...MSG, start: int, count: int, 'filter?': str },
  setExpanded: { ...MSG, path, expanded: bool, 'all?': bool },
  rowAtOffset: { ...MSG, offset: int, 'filter?': str },
  getBytes: { ...MSG, start: int, end: int },
  getValueChunk: { ...MSG, path, start: nonNegInt, end: nonNegInt },
  getStream: { docId: str, start: int, count: int },
  edit: { ...MSG, edit: object },
  editBytes: { ...MSG, at: nonNegInt, remove: nonNegInt, insert: bytes },
  encodingEdit: { ...MSG, path, edit: encodingEdit },
  getAnomalies: { ...MSG, 'limit?': nonNegInt },
  findBytes: { ...MSG, pattern: bytes, from: int, 'backwards?': bool },
  decodeNested: { ...MSG, on: bool },
  searchStream: { docId: str, query: streamQuery, 'limit?': nonNegInt },
  exportStream: { docId: str, 'messages?': indices, format: oneOf('delimited', 'jsonl', 'text') },
  undo: DOC,
  redo: DOC,
  getText: { ...MSG, format },
  jsonPosition: { ...MSG, path },
  setText: { ...MSG, format, text: str, 'dryRun?': bool, 'confirmed?': bool, 'baseVersion?': int },
  describeType: { typeName: str },
  save: { docId: str, 'overwriteReadOnly?': bool },
  saveAs: { docId: str, 'path?': str, 'overwrite?': bool, 'overwriteReadOnly?': bool },
  getFileBytes: DOC,
  exportMessage: { ...MSG, format: oneOf('json', 'text', 'hex') },
  schemaStatus: {},
  addSchemas: { 'protoFiles?': strings, 'importPaths?': strings, 'descriptorSets?': strings, 'uploads?': uploads },
  removeSchema: { source: str },
  addSchemasDialog: { kind: oneOf('proto', 'folder', 'descriptor-set') },
  reloadSchemas: {},
  recentFiles: {},
  confirmClose: {},
  listRecoverable: {},
  recover: { id: str },
  discardRecoverable: { 'id?': str },
  checkDisk: { 'docId?': str },
  reloadFromDisk: DOC,
  keepMine: DOC,
  cancelTask: { taskId: str },
  replayListMethods: {},
  replayPresets: {},
  replaySend: { ...TARGET, ...SOURCE, 'history?': bool, 'requestId?': str },
  replayMintLiveKitToken: {
    ...SOURCE,
    apiKey: str,
    'secretName?': str,
    'apiSecret?': str,
    method: str,
    'room?': str,
    'destinationRoom?': str,
    'identity?': str,
    'ttlSeconds?': nonNegInt,
  },
  replayStream: { ...TARGET, docId: str, 'maxMessages?': nonNegInt, 'requestId?': str },
  replayCancel: { requestId: str },
  replayHistoryList: { 'limit?': nonNegInt },
  replayHistoryGet: { id: str },
  replayCommand: {
    ...Object.fromEntries(Object.entries(TARGET).filter(([k]) => k !== 'tls?')),
    ...SOURCE,
    tool: oneOf('curl', 'grpcurl', 'buf-curl'),
    'insecure?': bool,
  },
  replayEnvList: {},
  replayEnvSave: { name: str, variables: stringMap, 'secrets?': stringMap },
  replayEnvDelete: { name: str },
  replayReflect: { url: httpUrl, 'headers?': headers, 'insecure?': bool, 'timeoutMs?': duration },
  replayHistoryClear: {},
  replaySecretSet: { name: str, value: str },
  replaySecretList: {},
  replaySecretDelete: { name: str },
  replayMockStart: {
    'port?': port,
    'grpcPort?': port,
    'fixtureJson?': str,
    'fixtureFile?': str,
    'apiKey?': str,
    'secretName?': str,
    'apiSecret?': str,
  },
  replayMockStop: {},
  replayMockStatus: {},
  replayMockSetAnswer: { target: str, answer: mockAnswer },
  replayEvents: { since: int },
  ...CAPTURE_SPECS,
  ...DIFF_SPECS,
  choosePaths: { purpose: oneOf('tls-ca', 'tls-cert', 'tls-key', 'mock-fixture'), kind: oneOf('file') },
};

/** A request source names at most one of docId, json and body, and a message number only with a document. */
function oneSource(request: Readonly<Record<string, unknown>>): string | null {
  const given = ['docId', 'json', 'body'].filter((k) => request[k] !== undefined);
  if (given.length > 1) return `give one of docId, json and body, not ${given.join(' and ')}`;
  if (request.message !== undefined && request.docId === undefined) return 'field "message" needs a docId';
  return null;
}

/** The edit's own fields, by its op. */
function editFits(request: Readonly<Record<string, unknown>>): string | null {
  const edit = request.edit as { op?: unknown };
  const spec = typeof edit.op === 'string' && Object.hasOwn(EDIT_SPECS, edit.op) ? EDIT_SPECS[edit.op] : undefined;
  if (!spec) return `unknown op ${String(edit.op)}`;
  const p = problem(spec, edit);
  return p && `op ${edit.op}: ${p}`;
}

/** Checks beyond each field's own, run once the fields fit; a problem in words, or null. */
export const REQUEST_RULES: { readonly [K in MethodName]?: (request: Readonly<Record<string, unknown>>) => string | null } = {
  edit: editFits,
  replaySend: oneSource,
  replayMintLiveKitToken: oneSource,
  replayCommand: oneSource,
};
