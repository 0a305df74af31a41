/** Text formats of a document: canonical proto3 JSON and protobuf text format (as protoc prints it). */
export * from './json-format';
export * from './text-format';
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
