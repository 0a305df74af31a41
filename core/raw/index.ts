/** Schema-less decoding: raw wire fields, candidate readings, text and JSON renderings. */
export * from './raw-decode';
export * from './raw-format';
