/**
 * The few host APIs core/ relies on. Every supported host (Node, Chromium, Electron)
 * provides them; they are declared here because core compiles with "types": [] and no DOM lib.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare function atob(data: string): string;
declare function btoa(data: string): string;
