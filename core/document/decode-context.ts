/** The settings and counters one document's decode shares between its scans and the nodes read later from its bytes. */
import type { Type } from 'protobufjs';
import type { DecodeLimits } from './model';

/** Options of decodeMessage. */
export interface DecodeOptions {
  /** Limits on depth, input size and node count; missing ones default to DEFAULT_DECODE_LIMITS. */
  limits?: Partial<DecodeLimits>;
  /** Tolerant mode: instead of throwing, return what parsed with `root.error` set (the unread rest kept as a raw-bytes node). */
  partial?: boolean;
  /** Finds a message type by full name (no leading dot) for google.protobuf.Any payloads; default: the schema's root. */
  resolveType?: (fullName: string) => Type | null | undefined;
  /** Decode google.protobuf.Any payloads into `embedded` (default true). */
  expandAny?: boolean;
  /**
   * Check nested (length-delimited) messages on first access of their `fields` instead of up
   * front: decode only reads the top level, so opening a large file is fast. Errors inside a
   * nested message then surface on that access: thrown, or with `partial`, kept as the value's
   * `error` with the unread rest as raw bytes. Encode never reads an unmodified message's
   * fields. Default false: the whole message is checked by decode (its nodes are still built
   * only when read).
   */
  lazy?: boolean;
  /**
   * Build nodes afresh from the bytes at each read of a `fields` (and a packed run's
   * `elements`) instead of keeping them: for a reader that goes through the tree once (a
   * printer, a validator), memory then stays at what that reader holds. Node ids and spans are
   * the same at each read; node objects are not. Do not edit such a tree. Default false.
   */
  transient?: boolean;
}

/** What the scans and node reads of one document share. */
export interface DecodeContext {
  readonly buf: Uint8Array;
  readonly limits: DecodeLimits;
  readonly partial: boolean;
  readonly lazy: boolean;
  readonly transient: boolean;
  readonly expandAny: boolean;
  readonly resolveType: ((fullName: string) => Type | null | undefined) | null;
  /** Nodes counted so far by the scans (checked against limits.maxNodes). */
  nodes: number;
}
