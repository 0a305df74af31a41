/** The schema registry: loading .proto files and descriptor sets, lookups, errors. */
export * from './schema-error';
export * from './registry';
export { WELL_KNOWN_PROTOS } from './well-known-protos';
