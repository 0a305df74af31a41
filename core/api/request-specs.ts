/**
 * The fields each contract method takes, one spec per method: the map the method list derives
 * from (core/api/methods.ts), so a method without a spec does not type-check. A name ending in ?
 * is optional; unknown fields are refused.
 */
import type { MethodName } from './contract';
import { FRAMING_LABELS, TRANSPORTS } from './vocabulary';
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

const tls = shaped('TLS settings {insecureSkipVerify?, caFile?, certFile?, keyFile?}', {
  'insecureSkipVerify?': bool,
  'caFile?': str,
  'certFile?': str,
  'keyFile?': str,
});
const auth = tagged('an auth {kind: none | livekit-key | livekit-token, ...}', 'kind', {
  none: { kind: str },
  'livekit-key': { kind: str, apiKey: str, 'secretName?': str, 'apiSecret?': str, 'identity?': str, 'ttlSeconds?': nonNegInt },
  'livekit-token': { kind: str, token: str },
});
const mockAnswer = tagged('an answer {kind: empty | echo | message | error, ...}', 'kind', {
  empty: { kind: str },
  echo: { kind: str },
  message: { kind: str, json: str },
  error: { kind: str, code: str, message: str },
});
const TARGET: Spec = {
  url: httpUrl,
  transport: oneOf(...TRANSPORTS),
  method: str,
  'headers?': headers,
  'timeoutMs?': duration,
  'tls?': tls,
  'auth?': auth,
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
  getStream: { docId: str, start: int, count: int },
  edit: { ...MSG, edit: object },
  undo: DOC,
  redo: DOC,
  getText: { ...MSG, format },
  jsonPosition: { ...MSG, path },
  setText: { ...MSG, format, text: str },
  describeType: { typeName: str },
  save: DOC,
  saveAs: { docId: str, 'path?': str },
  getFileBytes: DOC,
  exportMessage: { ...MSG, format: oneOf('json', 'text', 'hex') },
  schemaStatus: {},
  addSchemas: { 'protoFiles?': strings, 'importPaths?': strings, 'descriptorSets?': strings, 'uploads?': uploads },
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
  replayConvert: { fromType: str, toType: str, bytes },
  replaySend: { ...TARGET, 'body?': bytes, 'json?': str, 'history?': bool },
  replayMintLiveKitToken: {
    apiKey: str,
    'secretName?': str,
    'apiSecret?': str,
    method: str,
    'room?': str,
    'destinationRoom?': str,
    'identity?': str,
    'ttlSeconds?': nonNegInt,
  },
  replayStream: { ...TARGET, bytes, 'framing?': oneOf(...Object.keys(FRAMING_LABELS)), 'maxMessages?': nonNegInt },
  replayHistoryList: { 'limit?': nonNegInt },
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
  choosePaths: { purpose: oneOf('tls-ca', 'tls-cert', 'tls-key', 'mock-fixture'), kind: oneOf('file') },
};
