/**
 * MessageSet (proto2 `option message_set_wire_format = true`), as protoc's C++ runtime reads and
 * writes it. On the wire each extension is an item: group 1 holding `type_id = 2` (the
 * extension's number) and `message = 3` (its bytes), in either order. Reading: an item whose
 * type_id names a known extension becomes that extension (items for the same one merge); an
 * unknown type_id becomes an unknown length-delimited field of that number; an item missing
 * either part is dropped. Text format names such an extension `[pkg.Msg]` when it is declared
 * inside its own message type (protoc's PrintableNameForExtension), else `[pkg.ext]`; both read back.
 */
import type { Field, Type } from 'protobufjs';
import type { FieldNode } from '../document/model';
import { decodeMessage } from '../document/decode';
import { encodeMessage } from '../document/encode';
import { newRoot, unknownNode } from '../document/build';
import { WireType } from '../wire/wire-types';
import { stripDot } from './type-lookup';

/** A MessageSet item read from the wire: the type_id and the message bytes (null when a part is missing). */
export interface MessageSetItem {
  typeId: number;
  message: Uint8Array;
}

/** The type_id and message of an item group's fields (the last of each wins, as protoc reads them), or null when one is missing. */
export function readMessageSetItem(nodes: readonly FieldNode[]): MessageSetItem | null {
  let typeId: number | null = null;
  let message: Uint8Array | null = null;
  for (const n of nodes) {
    const v = n.value;
    if (v.kind !== 'unknown') continue;
    if (n.fieldNumber === 2 && n.wireType === WireType.VARINT) typeId = Number(BigInt.asUintN(32, BigInt(v.raw as bigint | number)));
    else if (n.fieldNumber === 3 && n.wireType === WireType.LEN) message = v.raw as Uint8Array;
  }
  return typeId !== null && typeId > 0 && message !== null ? { typeId, message } : null;
}

/** The extension of a MessageSet with this number, if it is a singular message extension. */
export function messageSetExtensionById(type: Type, typeId: number): Field | null {
  const f = type.fieldsById[typeId];
  return f && f.declaringField && !f.repeated && f.resolvedType && 'fields' in f.resolvedType ? f : null;
}

/** Decodes an item's message as its extension's type; null when the bytes do not decode (then the item stays unknown). */
export function decodeMessageSetItem(field: Field, message: Uint8Array): readonly FieldNode[] | null {
  try {
    return decodeMessage(message, field.resolvedType as Type).fields;
  } catch {
    return null;
  }
}

/** Whether an extension of a MessageSet goes by its message type's name in text (declared inside that type). */
export function isMessageSetPrintable(field: Field): boolean {
  const decl = field.declaringField;
  return !!decl && !field.repeated && !!field.resolvedType && 'fields' in field.resolvedType && decl.parent === field.resolvedType;
}

/** The extension of a MessageSet a text name `[pkg.Msg]` stands for (its printable name), if any. */
export function messageSetExtension(type: Type, name: string): Field | null {
  const bare = stripDot(name);
  return type.fieldsArray.find((f) => isMessageSetPrintable(f) && stripDot((f.resolvedType as Type).fullName) === bare) ?? null;
}

/** The item group that carries an extension of a MessageSet on the wire, from the extension message's nodes. */
export function messageSetItemNode(field: Field, nodes: readonly FieldNode[]): FieldNode {
  const bytes = encodeMessage(newRoot(field.resolvedType as Type, nodes), new Uint8Array(0)).slice();
  return unknownNode(1, WireType.SGROUP, [unknownNode(2, WireType.VARINT, BigInt(field.id)), unknownNode(3, WireType.LEN, bytes)]);
}
