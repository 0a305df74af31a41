import { detectFraming, indexStream, type Framing, type StreamIndex } from '../core/stream/stream-framing';
import { InputError, UsageError } from './command';

/** Options that choose how a file splits into messages; without them the framing is detected. */
export const FRAMING_OPTIONS = {
  delimited: { type: 'boolean' },
  'grpc-frames': { type: 'boolean' },
  single: { type: 'boolean' },
} as const;

/** Usage lines for the framing options. */
export const FRAMING_USAGE = `framing (detected when none is given):
  --delimited             a stream of varint length-delimited messages
  --grpc-frames           a stream of gRPC frames (1-byte flag, 4-byte big-endian length)
  --single                one message`;

/** The framing the flags ask for, or the detected one. */
export function chooseFraming(values: { delimited?: boolean; 'grpc-frames'?: boolean; single?: boolean }, bytes: Uint8Array): Framing {
  const asked = [values.delimited && 'delimited', values['grpc-frames'] && 'grpc', values.single && 'single'].filter(Boolean) as Framing[];
  if (asked.length > 1) throw new UsageError('give at most one of --delimited, --grpc-frames, --single');
  return asked[0] ?? detectFraming(bytes).framing;
}

/** Splits the input into messages; a framing error names its offset. */
export function splitMessages(bytes: Uint8Array, framing: Framing): StreamIndex {
  const index = indexStream(bytes, framing);
  if (index.error) {
    throw new InputError(
      `at byte ${index.error.offset}: ${index.error.reason} (after ${index.count} ${framing === 'grpc' ? 'gRPC frames' : 'messages'})`,
    );
  }
  return index;
}
