/** Captures: HAR files listed as protobuf exchanges, bodies opened and typed, exported as delimited streams. */
export * from './capture-model';
export * from './read-capture';
export * from './open-entry';
export * from './export-streams';
export * from './type-overrides';
export { HarFormatError } from './har-read';
export { JsonSyntaxError } from './json-cursor';
export { Base64Error, decodeBase64Bytes } from './base64-bytes';
export { classifyBody, isLiveKitSignalUrl, parseMediaType, rpcPathOf, type CaptureSchemas, type RpcPath, type BodyKind } from './classify';
