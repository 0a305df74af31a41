/** The schema registry: loading .proto files and descriptor sets, lookups, errors. */
export * from './schema-error';
export * from './registry';
export { fieldOption, isMapField, isSyntheticOneof } from './reflection';
export { toSchemaError } from './proto-parse';
export { WELL_KNOWN_PROTOS } from './well-known-protos';
