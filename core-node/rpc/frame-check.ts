/**
 * Whether one frame of a stream file is a message of the method's input type, before it is sent:
 * protobuf decodes almost anything as almost any type, so a frame of another type would go out as
 * a "valid" request. A frame is refused when it does not decode, when a field comes with a wire
 * type its schema field cannot have, when it has a top-level field the type does not have, or when
 * a string field is not UTF-8; the refusal names what type the frame looks like instead.
 */
import protobuf from 'protobufjs';
import type { Root, Type } from 'protobufjs';
import type { FieldNode } from '../../core/document/model';
import { decodeMessage } from '../../core/document/decode';
import { rankTypes } from '../../core/detect/detect-type';
import { describeMismatch, wireTypeMismatches } from './wire-type-check';

/** Every message type of a root (for naming what a frame looks like). */
export function messageTypesOf(root: Root): Type[] {
  const out: Type[] = [];
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const o of ns.nestedArray) {
      if (o instanceof protobuf.Type) out.push(o);
      if (o instanceof protobuf.Namespace || o instanceof protobuf.Type) walk(o as protobuf.NamespaceBase);
    }
  };
  walk(root);
  return out;
}

/** The first string field whose bytes are not UTF-8, by path. */
function invalidString(fields: readonly FieldNode[], prefix: string): string | undefined {
  for (const n of fields) {
    const name = `${prefix}${n.field?.name ?? n.fieldNumber}`;
    if (n.value.kind === 'scalar' && n.value.type === 'string' && n.value.invalidUtf8) return name;
    if (n.value.kind === 'message') {
      const inner = invalidString(n.value.fields, `${name}.`);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Why `bytes` is not a `type` (one sentence), or null when it is one. */
export function frameProblem(bytes: Uint8Array, type: Type): string | null {
  const name = type.fullName.slice(1);
  let root;
  try {
    root = decodeMessage(bytes, type);
  } catch (e) {
    return `it does not decode as ${name}: ${(e as Error).message}`;
  }
  const mismatch = wireTypeMismatches(root)[0];
  if (mismatch) return `it is not a ${name}: ${describeMismatch(mismatch).replace(/: it is left out of the JSON$/, '')}`;
  const unknown = root.fields.find((f) => f.field === null && f.value.kind === 'unknown');
  if (unknown) return `it is not a ${name}: it has field ${unknown.fieldNumber}, which ${name} does not have`;
  const bad = invalidString(root.fields, '');
  if (bad) return `it is not a ${name}: string field ${bad} is not UTF-8`;
  return null;
}

/** The type a frame most looks like among `candidates` (for the refusal), if any scores well. */
export function looksLike(bytes: Uint8Array, candidates: readonly Type[]): string | undefined {
  const best = rankTypes(bytes, candidates, { limit: 1, reasonsFor: 0, minScore: 0.5 })[0];
  return best?.typeName;
}
