/** What the fuzzer runs and concludes: the targets, one input case, the outcome kinds, and the schemas the targets need. */
import type { Type } from 'protobufjs';
import type { SchemaRegistry } from '../core/schema/registry';

/** The parts of the engine the fuzzer drives. */
export const TARGETS = ['decode', 'raw', 'encode', 'json-print', 'text-print', 'json-parse', 'text-parse', 'stream', 'detect'] as const;

/** A target name (also the prefix of its corpus files). */
export type TargetName = (typeof TARGETS)[number];

/** How a decode runs: throwing (strict) or tolerant (partial). */
export type DecodeMode = 'strict' | 'partial';

/** One input for one target. */
export interface FuzzCase {
  target: TargetName;
  /** The bytes (for json-parse / text-parse: unused, see `text`). */
  bytes: Uint8Array;
  /** For the string targets: the JSON or text-format source. */
  text?: string;
  /** Message type (full name) for schema targets; null: schema-less. */
  typeName: string | null;
  mode: DecodeMode;
}

/** What happened. */
export type OutcomeKind = 'ok' | 'reject' | 'no-offset' | 'crash' | 'wrong';

/** A classified result. */
export interface Outcome {
  kind: OutcomeKind;
  /** The error or the failed check, in words. */
  detail: string;
  /** For exceptions: the error's class name. */
  errorName?: string;
  /** For crashes: the first stack frame inside the project (file:line). */
  where?: string;
  /** For wrong: the check that failed, and what distinguishes this kind of failure. */
  check?: string;
  key?: string;
}

/** What the targets need: the schemas. */
export interface FuzzEnv {
  registry: SchemaRegistry;
  types: Type[];
  typeByName: Map<string, Type>;
}

/** Builds a FuzzEnv from a loaded registry. */
export function makeEnv(registry: SchemaRegistry): FuzzEnv {
  const types = registry.messageTypes();
  const typeByName = new Map<string, Type>();
  for (const t of types) typeByName.set(t.fullName.replace(/^\./, ''), t);
  return { registry, types, typeByName };
}
