/**
 * How a generic answer plays out on a streaming method (the fixture scripts a stream with
 * `{"kind":"stream","messages":[...],"error":{...}}`):
 *
 * | answer | server streaming | client streaming | bidi |
 * |---|---|---|---|
 * | `echo` | the request, once | the last request | each request, as it arrives |
 * | `message` / `empty` | that message | that message, after the last request | that message, after the first request |
 * | `stream` | its messages | its first message, after the last request | its messages, after the first request |
 *
 * A `stream` answer's `error` ends the call after its messages (after the request stream ends, for
 * client and bidi calls); an `error` answer ends it at once.
 */
import { answerError } from './mock-errors';
import type { GenericAnswer } from './fixture';
import type { CallKind, JsonObject } from './mock-service';

/** Plays `answer` over a streaming call of `kind`: reads `requests`, writes with `send`; throws MockError to end with an error. */
export async function streamAnswer(
  kind: Exclude<CallKind, 'unary'>,
  answer: Exclude<GenericAnswer, { kind: 'error' }>,
  requests: AsyncIterable<JsonObject>,
  send: (json: unknown) => void | Promise<void>,
  echo: (request: JsonObject) => JsonObject,
): Promise<void> {
  const scripted: unknown[] =
    answer.kind === 'stream' ? answer.messages : answer.kind === 'message' ? [answer.json] : answer.kind === 'empty' ? [{}] : [];
  const end = (): void => {
    if (answer.kind === 'stream' && answer.error) throw answerError(answer.error);
  };
  if (kind === 'server-stream') {
    let request: JsonObject | undefined;
    for await (const r of requests) request ??= r;
    if (answer.kind === 'echo') await send(echo(request ?? {}));
    else for (const m of scripted) await send(m);
    return end();
  }
  if (kind === 'client-stream') {
    let last: JsonObject = {};
    for await (const r of requests) last = r;
    if (answer.kind === 'stream' && answer.error && !answer.messages.length) return end();
    await send(answer.kind === 'echo' ? echo(last) : (scripted[0] ?? {}));
    return end();
  }
  let first = true;
  for await (const r of requests) {
    if (answer.kind === 'echo') await send(echo(r));
    else if (first) for (const m of scripted) await send(m);
    first = false;
  }
  return end();
}
