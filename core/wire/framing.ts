/**
 * How messages are laid out in a file, named once for every layer (core/stream detects and
 * indexes them; the contract shows them):
 * - 'delimited': each message preceded by its length as a varint (writeDelimitedTo, Java
 *   parseDelimitedFrom, protobufjs encodeDelimited).
 * - 'grpc': each message preceded by a 5-byte header: 1 byte compressed flag (0 or 1) and a
 *   4-byte big-endian length (gRPC / Connect / gRPC-Web data frames).
 * - 'single': the whole file is one message.
 */
export const FRAMINGS = ['single', 'delimited', 'grpc'] as const;

/** One framing. */
export type Framing = (typeof FRAMINGS)[number];
