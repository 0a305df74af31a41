/** Low-level protobuf wire reading and writing. */
export * from './wire-types';
export * from './decode-error';
export * from './wire-reader';
export * from './wire-writer';
export * from './utf8';
export * from './base64';
export * from './varint';
