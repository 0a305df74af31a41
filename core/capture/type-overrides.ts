/**
 * Message types chosen by the user for a capture: per entry, or per URL pattern (optionally
 * for one direction). An entry override beats a URL rule, which beats the automatic type;
 * removing an override brings the automatic type back.
 */
import type { Capture, CaptureDirection, CaptureEntry } from './capture-model';
import { urlPath, type CaptureSchemas } from './classify';

/** A type for every entry whose URL matches a pattern. */
export interface UrlTypeRule {
  /**
   * A glob over the URL: `*` matches any run of characters; the rule applies when it matches
   * the whole URL or the URL's path (so "/twirp/livekit.RoomService/*" and "wss://*\/rtc*" both work).
   */
  url: string;
  /** Only entries going this way (default: both). */
  direction?: CaptureDirection;
  /** Full message type name. */
  type: string;
}

/** The user's type choices for a capture. */
export interface TypeOverrides {
  /** Type per entry index (capture order). */
  entries?: Readonly<Record<number, string>>;
  /** URL rules, first match wins. */
  urls?: readonly UrlTypeRule[];
}

const globCache = new Map<string, RegExp>();

/** Whether a URL pattern (see UrlTypeRule.url) matches a URL. */
export function urlPatternMatches(pattern: string, url: string): boolean {
  let re = globCache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 's');
    if (globCache.size > 1000) globCache.clear();
    globCache.set(pattern, re);
  }
  return re.test(url) || re.test(urlPath(url));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The type an entry gets under some overrides (the automatic one when none applies). */
export function overriddenType(entry: CaptureEntry, overrides: TypeOverrides): Pick<CaptureEntry, 'type' | 'typeSource'> {
  const own = overrides.entries?.[entry.index];
  if (own !== undefined) return { type: own, typeSource: 'entry-override' };
  for (const rule of overrides.urls ?? []) {
    if (rule.direction && rule.direction !== entry.direction) continue;
    if (urlPatternMatches(rule.url, entry.url)) return { type: rule.type, typeSource: 'url-override' };
  }
  return { type: entry.autoType, typeSource: entry.autoTypeSource };
}

/**
 * The capture with `overrides` applied (a new capture sharing the source; entries not affected
 * are new objects too, so a UI can compare by reference). With `schemas`, an override naming a
 * type that is not loaded throws, saying which.
 */
export function applyTypeOverrides(capture: Capture, overrides: TypeOverrides, schemas?: CaptureSchemas): Capture {
  if (schemas) {
    const names = [...Object.values(overrides.entries ?? {}), ...(overrides.urls ?? []).map((r) => r.type)];
    for (const n of names) if (!schemas.findMessage(n)) throw new RangeError(`type override: unknown message type '${n}'`);
  }
  for (const k of Object.keys(overrides.entries ?? {})) {
    const i = Number(k);
    if (!Number.isInteger(i) || i < 0 || i >= capture.entries.length) {
      throw new RangeError(`type override: no entry ${k} (the capture has ${capture.entries.length})`);
    }
  }
  return { ...capture, entries: capture.entries.map((e) => ({ ...e, ...overriddenType(e, overrides) })) };
}
