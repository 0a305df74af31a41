/** Schema-less decoding: raw wire fields, candidate readings, text and JSON renderings. */
export * from './raw-decode';
export { DEFAULT_RAW_LIMITS, parsesAsMessage, readFieldAt, type FieldStep } from './raw-scan';
export * from './raw-readings';
export * from './raw-text';
export { RAW_TEXT_CHUNK_BYTES, RAW_TEXT_SYNC_CHUNK_BYTES } from './raw-text-sink';
export * from './raw-json';
