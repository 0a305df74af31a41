/** Validation of documents against Kik's field validation options and proto2 `required`. */
export * from './validate';
export * from './validation-rules';
