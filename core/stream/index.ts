/** Files of many messages: framing detection and a compact message index. */
export * from './stream-framing';
