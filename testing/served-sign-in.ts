/**
 * Signing in to the browser-served mode as a browser does, for clients that are not a browser
 * (unit tests, the benchmarks): open the one-time link `protodesk serve` printed, keep the
 * session cookie it sets, and send that cookie with every call.
 */

/** A signed-in client of a served Protodesk. */
export interface ServedSession {
  /** The base URL, http://127.0.0.1:PORT/. */
  base: string;
  /** The Cookie header to send. */
  cookie: string;
  /** POSTs /api/<method> with a body (tagged JSON text, or bytes with extra headers) and the cookie. */
  post(method: string, body: string | Uint8Array, headers?: Record<string, string>): Promise<Response>;
}

/** The link printed by `protodesk serve` ("Protodesk is serving at http://127.0.0.1:PORT/?token=KEY"), out of its output. */
export function linkIn(output: string): string | null {
  return /serving at (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(output)?.[1] ?? null;
}

/** Opens a one-time link and keeps the session cookie it sets. */
export async function signIn(link: string): Promise<ServedSession> {
  const res = await fetch(link, { redirect: 'manual' });
  const setCookie = res.headers.get('set-cookie');
  if (res.status !== 303 || !setCookie) throw new Error(`signing in with ${link} failed: HTTP ${res.status}`);
  const cookie = setCookie.split(';')[0];
  const base = new URL('/', link).href;
  return {
    base,
    cookie,
    post: (method, body, headers = {}) =>
      fetch(`${base}api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers, cookie },
        body,
      }),
  };
}
