import { decodeRaw } from '../../core/raw/raw-decode';
import { RAW_TEXT_SYNC_CHUNK_BYTES, writeRawJson, writeRawText } from '../../core/raw';
import { EXIT_BAD_INPUT, EXIT_OK, UsageError, type Command } from '../command';
import { parseCommandArgs, readInput, singleInput } from '../schema-options';
import { writeRawTextOfFile } from '../raw-file-text';
import { syncFdWriter } from '../sync-fd-writer';

/** `protodesk raw`: schema-less decode, like protoc --decode_raw but never giving up on garbage. */
export const rawCommand: Command = {
  usage: `usage: protodesk raw [--json] [FILE|-]

Decodes FILE (or standard input) without a schema. Text output matches protoc --decode_raw
for input it can read; on malformed input it prints what parsed and where it stopped (exit 1).
  --json    print every field with its byte span and all candidate readings, as JSON`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
    if (values.proto || values['proto-path'] || values['descriptor-set'])
      throw new UsageError('raw decodes without a schema; schema options do not apply');
    const file = singleInput(positionals);
    // Both outputs are streamed: the text is about 2.5 times the input, the JSON 5 to 50 times.
    const write = (chunk: string | Uint8Array) => io.stdout.write(chunk);
    let stop;
    if (values.json) {
      const result = decodeRaw(await readInput(file, io));
      writeRawJson(result, write);
      stop = result.stoppedAt;
    } else if (io.stdoutFd === undefined) {
      stop = writeRawText(await readInput(file, io), write);
    } else {
      // Straight to the descriptor in big chunks, one buffer reused: no allocation, no stream;
      // a file is read a window at a time.
      const toFd = syncFdWriter(io.stdoutFd, io.stdout);
      try {
        if (file !== undefined && file !== '-') stop = await writeRawTextOfFile(file, io, toFd);
        if (stop === undefined)
          stop = writeRawText(await readInput(file, io), toFd, { chunkBytes: RAW_TEXT_SYNC_CHUNK_BYTES, reuseChunks: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EPIPE') return EXIT_OK; // the reader left (| head): as protoc, quietly
        throw e;
      }
    }
    if (stop) {
      io.stderr.write(`protodesk raw: stopped at byte ${stop.offset}: ${stop.reason}\n`);
      return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
  },
};
