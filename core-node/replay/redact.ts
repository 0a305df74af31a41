/**
 * What the replay pane shows and keeps holds no secret: the values of credential headers
 * (authorization, proxy-authorization, cookie, set-cookie, and any header whose name says key,
 * token, secret, password, credential, session or signature) and the credentials and secret
 * query parameters of a URL are replaced by `<redacted>`. An authorization value keeps its
 * scheme word ("Bearer <redacted>"), so what kind of credential was sent stays visible.
 */

/** The text that stands for a removed secret. */
export const REDACTED = '<redacted>';

/** Header names that are secrets whatever their value. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'set-cookie2']);

/** Words that make a header or query parameter name a secret one (x-api-key, x-auth-token, db-password, …). */
const SECRET_WORDS = /key|token|secret|passw|credential|session|signature|cookie/i;

/** True when a header's (or query parameter's) value is a secret, by its name. */
export function isSecretName(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase()) || SECRET_WORDS.test(name);
}

/** The value shown for a secret header: the scheme word of an authorization kept ("Token <redacted>"). */
function redactedValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const scheme = /^([A-Za-z][\w.+-]*)\s+\S/.exec(value)?.[1];
    if (scheme) return `${scheme} ${REDACTED}`;
  }
  return value === '' ? '' : REDACTED;
}

/** A value made only of {{variables}} (and an auth scheme word): it names secrets an environment fills in, and holds none. */
function onlyVariables(v: string): boolean {
  return (
    /\{\{/.test(v) &&
    v
      .replace(/\{\{\s*[\w.-]+\s*\}\}/g, '')
      .replace(/^\s*[A-Za-z][\w-]*\s+(?=\s*$)/, '')
      .trim() === ''
  );
}

/** Headers (or gRPC metadata) with every secret value redacted; other headers, and values made only of {{variables}}, as they are. */
export function redactHeaders(headers: readonly (readonly [string, string])[]): [string, string][] {
  return headers.map(([k, v]) => [k, isSecretName(k) && !onlyVariables(v) ? redactedValue(k, v) : v]);
}

/** A record of string values (Twirp error meta) with the secret ones redacted. */
export function redactRecord(meta: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!meta) return meta;
  return Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, isSecretName(k) ? redactedValue(k, v) : v]));
}

/** A URL without user:password and with secret query parameters (?access_token=, ?api_key=) redacted; other text as it is. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  let changed = false;
  if (u.username || u.password) {
    u.username = '';
    u.password = '';
    changed = true;
  }
  for (const name of [...new Set(u.searchParams.keys())]) {
    if (!isSecretName(name)) continue;
    u.searchParams.set(name, 'redacted');
    changed = true;
  }
  return changed ? u.href : url;
}
