/** Text formats of a document: canonical proto3 JSON and protobuf text format (as protoc prints it). */
export { toJson, toJsonString, type ToJsonOptions } from './json-print';
export { fromJson, JSON_MAX_DEPTH, type FromJsonOptions } from './json-parse';
export { JsonFormatError, JsonNumber, JsonPrintError, parseJson, stringify, type JsonPrintRule } from './json-text';
export { formatDuration, formatTimestamp, parseDuration, parseTimestamp } from './json-well-known';
export { toText, fieldLabel, type ToTextOptions } from './text-print';
export { fromText, DEFAULT_TEXT_MAX_DEPTH, type FromTextOptions } from './text-parse';
export { isGroupLike, isMessageSet } from './type-lookup';
export { TextFormatError } from './text-format-error';
export { enumName, resolveAnyType } from './type-lookup';
export { formatG, formatDoubleProtoc, formatFloatProtoc, shortestFloat } from './float-format';
export { cEscape, unescapeBytes } from './text-escape';
export {
  messageState,
  presentFields,
  isClosedEnum,
  type MessageState,
  type FieldState,
  type FieldItem,
  type ScalarItem,
  type UnknownItem,
} from './message-state';
export { parseUnknownFieldSet, type RawField } from './unknown-fields';
