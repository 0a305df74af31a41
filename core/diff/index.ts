/** Message diff: two messages compared field by field, value and encoding differences apart. */
export * from './diff-model';
export * from './message-diff';
export * from './diff-format';
export { align, type AlignOp } from './align';
