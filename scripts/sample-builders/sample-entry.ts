/** What scripts/make-samples.ts writes for each sample: its samples/index.json entry, and the bytes. */

/** How a sample's bytes are framed. */
export type Framing = 'single' | 'delimited' | 'grpc';

/** One entry of samples/index.json. */
export interface SampleEntry {
  file: string;
  type: string;
  framing: Framing;
  /** What the sample shows. */
  description: string;
  /** Schema family. */
  family: 'livekit' | 'kik-video';
  /** Edge-case samples: what is unusual (absent for ordinary messages). */
  edgeCase?:
    'unknown-fields' | 'non-canonical-order' | 'large-stream' | 'grpc-capture' | 'invalid-utf8' | 'validation-violations' | 'truncated';
  /** Message count, for streams. */
  messages?: number;
  /** Set when the bytes are, by nature, an equally valid encoding of other types (type detection cannot tell). */
  ambiguous?: string;
}

/** One generated sample: its entry and bytes. */
export interface Sample extends SampleEntry {
  bytes: Uint8Array;
}
