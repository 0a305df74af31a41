/**
 * The conformance suite's own schemas, grouped by syntax: every scalar type, repeated fields
 * packed and expanded, maps of every key type, oneofs, recursion, enums with aliases and
 * negative values, the well-known types, proto2 groups, extensions, required fields and
 * MessageSet, editions 2023 features set per field and inherited, and editions 2024 (its
 * `export`/`local` and `import option`). Each set has a `Batch` message
 * (`repeated <Top> items = 1`) so one protoc run covers many generated messages, and names
 * the recursive fields the deep-recursion category nests.
 */

import { EDITION_2024, EDITIONS, EDITIONS_INHERITED } from './schemas-editions';
import { PROTO2, PROTO3 } from './schemas-proto';

/** The syntaxes the suite counts messages for. */
export type Syntax = 'proto3' | 'proto2' | 'editions 2023' | 'editions 2024';

/** A chain of recursive fields: the path from the top message, then the step repeated. */
export interface DeepChain {
  label: string;
  /** Field names from the top message to the first message of the chain. */
  path: string[];
  /** Field names taken in turn from there on, each holding a message (a map: its values). */
  step: string[];
}

/** One schema: its files, the generated top-level type and its batch wrapper. */
export interface ConformanceSchema {
  /** The schema's name in reports, e.g. "proto3" or "editions 2023 (inherited features)". */
  syntax: string;
  /** The syntax its messages count for. */
  family: Syntax;
  files: Record<string, string>;
  /** The message every generated case is an instance of. */
  top: string;
  /** `message Batch { repeated <top> items = 1; }`. */
  batch: string;
  /** The recursive chains the deep-recursion category nests 50 deep and around the limit of 100. */
  deep: DeepChain[];
}

/** The schemas, proto3 first. */
export const CONFORMANCE_SCHEMAS: readonly ConformanceSchema[] = [
  {
    syntax: 'proto3',
    family: 'proto3',
    files: { 'conformance/proto3.proto': PROTO3 },
    top: 'c3.All',
    batch: 'c3.Batch',
    deep: [
      { label: 'Recursive.child', path: ['rec'], step: ['child'] },
      { label: 'Recursive.children', path: ['rec'], step: ['children'] },
      { label: 'Recursive.by_key', path: ['rec'], step: ['by_key'] },
      { label: 'Struct in Value', path: ['wkt', 'val'], step: ['struct_value', 'fields'] },
      { label: 'ListValue in Value', path: ['wkt', 'val'], step: ['list_value', 'values'] },
      { label: 'Value in Struct map', path: ['maps', 'm_value'], step: ['struct_value', 'fields'] },
    ],
  },
  {
    syntax: 'proto2',
    family: 'proto2',
    files: { 'conformance/proto2.proto': PROTO2 },
    top: 'c2.All',
    batch: 'c2.Batch',
    deep: [
      { label: 'Recursive.child', path: ['rec'], step: ['child'] },
      { label: 'Recursive.children', path: ['rec'], step: ['children'] },
    ],
  },
  {
    syntax: 'editions 2023',
    family: 'editions 2023',
    files: { 'conformance/editions.proto': EDITIONS },
    top: 'ce.M',
    batch: 'ce.Batch',
    deep: [{ label: 'M.recursive', path: [], step: ['recursive'] }],
  },
  {
    syntax: 'editions 2023 (inherited features)',
    family: 'editions 2023',
    files: { 'conformance/inherited.proto': EDITIONS_INHERITED },
    top: 'ci.Root',
    batch: 'ci.Batch',
    deep: [{ label: 'Root.next (DELIMITED)', path: [], step: ['next'] }],
  },
  {
    syntax: 'editions 2024',
    family: 'editions 2024',
    files: { 'conformance/edition2024.proto': EDITION_2024 },
    top: 'c24.Node',
    batch: 'c24.Batch',
    deep: [
      { label: 'Node.next', path: [], step: ['next'] },
      { label: 'Node.grouped_next (DELIMITED)', path: [], step: ['grouped_next'] },
      { label: 'Node.next and grouped_next in turn', path: [], step: ['next', 'grouped_next'] },
    ],
  },
];
