/**
 * Where the Replay pane may send. The page is not trusted (a hostile message or .proto could
 * take it over through a renderer bug), and a page that could send anywhere would reach services
 * on the user's network or machine (a router, a cloud metadata address, an admin port) with the
 * user's documents and headers. So main allows a send only to an origin it knows the user chose:
 * the presets and the mock (main's own), an origin of the replay history (main wrote it after an
 * allowed send), or one the user confirmed in a native dialog, which the page cannot answer.
 *
 * What the page says the user typed in the URL field is no grant: a compromised page would say
 * the same. A grant covers an origin (scheme, host and port), so the methods of one service need
 * one confirmation.
 */

/** The origin a grant covers: scheme, host and port ("http://127.0.0.1:7880", "ws://127.0.0.1:7880"); null for no URL. */
export function replayOrigin(url: string): string | null {
  try {
    const u = new URL(url);
    // ws(s): the websocket transport's signal endpoint (an origin of its own, as the browser has it).
    return ['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol) ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

/** The origins the Replay pane may send to in this window. */
export class ReplayTargets {
  private readonly origins = new Set<string>();

  /** Allows the origins of these URLs (presets, the mock, history, a confirmed one). */
  allow(urls: Iterable<string | undefined>): void {
    for (const url of urls) {
      const origin = url === undefined ? null : replayOrigin(url);
      if (origin) this.origins.add(origin);
    }
  }

  /** True when a send to `url` needs no confirmation. */
  allows(url: string): boolean {
    const origin = replayOrigin(url);
    return origin !== null && this.origins.has(origin);
  }
}
