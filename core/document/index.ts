/** The document model: decode to a tree with byte spans, byte-exact encode, builders, edits, undo/redo. */
export * from './model';
export * from './decode';
export * from './encode';
export * from './encoded-bytes';
export * from './build';
export * from './tree';
export * from './edits';
export * from './history';
export * from './document';
export {
  FieldKind,
  fieldInfo,
  typeInfo,
  messageInfo,
  asMapField,
  type FieldInfo,
  type TypeInfo,
  fieldByNumber,
  isGroupField,
  isMapField,
  isPackable,
  mapEntryType,
  oneofOf,
  prefersPacked,
  scalarWireType,
  typeFullName,
} from './schema-info';
