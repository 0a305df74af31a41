/**
 * Every error a CLI user can cause, as one sentence: a file that is missing or not a regular
 * file, a port in use, input nested too deeply, a value JSON cannot hold. Never a stack trace:
 * set PROTODESK_DEBUG=1 to see one.
 */

/** The fields Node's system errors and our own errors may carry. */
interface ErrorFields {
  name?: string;
  code?: string;
  message?: string;
  syscall?: string;
  path?: string;
  port?: number;
  address?: string;
}

/** What an errno code means, in words (the path is put in front by the caller). */
const ERRNO_WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the file name is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ENXIO: 'no such device or address',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EIO: 'input/output error',
  EFBIG: 'the file is too large',
  ERR_FS_FILE_TOO_LARGE: 'the file is too large to read at once',
};

/** What a system error means in words, without its path ("permission denied"); its message when the code is not one we know. */
export function errnoWords(e: unknown): string {
  const err = (e ?? {}) as ErrorFields;
  return (err.code && ERRNO_WORDS[err.code]) || err.message || String(e);
}

/**
 * A failed listen (EADDRINUSE, EACCES on a low port, an address not on this machine), in words;
 * null for other errors. grpc-js reports these inside its own message ("No address added …
 * [listen EADDRINUSE: address already in use 127.0.0.1:7881]"), so the message is read too.
 */
export function listenErrorSentence(e: unknown, option = '--port'): string | null {
  const err = (e ?? {}) as ErrorFields;
  const inMessage = /listen (E[A-Z]+)\b[^\]]*:(\d+)/.exec(err.message ?? '');
  const code = err.syscall === 'listen' ? err.code : (inMessage?.[1] ?? (err.code === 'EADDRINUSE' ? err.code : undefined));
  if (!code) return null;
  const port = err.port ?? inMessage?.[2] ?? /:(\d+)$/.exec(err.message ?? '')?.[1];
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} is in use; pick another with ${option}`;
    case 'EACCES':
    case 'EPERM':
      return `port ${port} needs privileges this user does not have; pick one above 1023 with ${option}`;
    case 'EADDRNOTAVAIL':
      return `address ${err.address ?? ''} is not on this machine; cannot listen on it`;
    default:
      return `cannot listen on port ${port}: ${err.message ?? code}`;
  }
}

/** The port a failed listen names, or undefined. */
export function listenErrorPort(e: unknown): number | undefined {
  const err = (e ?? {}) as ErrorFields;
  const port = err.port ?? /listen E[A-Z]+\b[^\]]*:(\d+)/.exec(err.message ?? '')?.[1];
  return port === undefined ? undefined : Number(port);
}

/** True for the RangeError V8 throws when recursion runs out of stack. */
function stackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/** One sentence for any error: what went wrong and, where the error knows it, where. */
export function describeError(e: unknown): string {
  if (stackOverflow(e)) return 'the input is nested too deeply to process (the call stack ran out)';
  if (!(e instanceof Error)) return typeof e === 'string' ? e : `failed: ${String(e)}`;
  const err = e as ErrorFields;
  const listen = listenErrorSentence(e);
  if (listen) return listen;
  if (err.code && ERRNO_WORDS[err.code]) return err.path ? `${err.path}: ${ERRNO_WORDS[err.code]}` : ERRNO_WORDS[err.code];
  if (err.name === 'JsonFormatError') return `cannot write JSON: ${e.message}`;
  // Our own errors say where in their message (byte offset, line:column, field path); Node's
  // system errors carry the path apart from a message that names the syscall.
  const message = e.message || e.name || 'failed';
  return err.path && !message.includes(err.path) ? `${err.path}: ${message}` : message;
}

/** The stack, for PROTODESK_DEBUG=1 only. */
export function debugDetail(e: unknown): string {
  return process.env.PROTODESK_DEBUG && e instanceof Error && e.stack ? `${e.stack}\n` : '';
}

/**
 * Catches what escapes a command (an error event nobody listened for, a rejected promise nobody
 * awaited) and reports it as a sentence with exit 1, as reportError does. A closed pipe on
 * standard output (`protodesk decode … | head`) ends the process quietly.
 */
export function installCrashGuard(name = 'protodesk'): void {
  const onCrash = (e: unknown) => {
    if ((e as ErrorFields)?.code === 'EPIPE') process.exit(0);
    process.stderr.write(`${name}: ${describeError(e)}\n${debugDetail(e)}`);
    process.exit(1);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
}
