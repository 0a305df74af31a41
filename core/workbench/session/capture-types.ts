/**
 * The user's types for an open capture, kept across schema changes: entry overrides follow
 * their entry when the capture is read again (by its HAR entry, frame and direction, since a
 * new schema can list more entries and move indices), URL rules are matched again, and an
 * override whose type is no longer loaded stays, saying so on its entries.
 */
import type { CaptureUrlRule, CaptureUrlRuleState } from '../../api/capture-contract';
import { applyTypeOverrides, urlPatternMatches, type Capture, type CaptureEntry, type TypeOverrides } from '../../capture';

/** The user's choices for one capture. */
export interface CaptureTypeChoices {
  /** Type per entry index of the current reading. */
  entries: Record<number, string>;
  urls: CaptureUrlRule[];
}

/** An entry's identity across readings of the same HAR. */
function entryKey(e: CaptureEntry): string {
  return `${e.harIndex}/${e.frameIndex ?? ''}/${e.direction}`;
}

/** Entry overrides moved from one reading of a capture to another; those whose entry is gone are dropped. */
export function remapEntryTypes(from: Capture, to: Capture, entries: Readonly<Record<number, string>>): Record<number, string> {
  const index = new Map(to.entries.map((e) => [entryKey(e), e.index]));
  const out: Record<number, string> = {};
  for (const [k, type] of Object.entries(entries)) {
    const old = from.entries[Number(k)];
    const at = old && index.get(entryKey(old));
    if (at !== undefined) out[at] = type;
  }
  return out;
}

/** The overrides as core/capture takes them. */
function asOverrides(choices: CaptureTypeChoices): TypeOverrides {
  return {
    entries: choices.entries,
    urls: choices.urls.map((r) => ({ url: r.url, type: r.typeName, ...(r.direction ? { direction: r.direction } : {}) })),
  };
}

/**
 * The capture with the user's choices applied; an entry whose chosen type is not loaded keeps
 * it (so opening it says the type is missing) with a note saying so.
 */
export function typedCapture(base: Capture, choices: CaptureTypeChoices, isLoaded: (typeName: string) => boolean): Capture {
  const typed = applyTypeOverrides(base, asOverrides(choices));
  for (const e of typed.entries) {
    if ((e.typeSource === 'entry-override' || e.typeSource === 'url-override') && e.type && !isLoaded(e.type)) {
      const by = e.typeSource === 'entry-override' ? 'chosen for this entry' : 'of a URL rule';
      e.notes = [...e.notes, `type ${e.type} ${by} is not in the loaded schemas (any more): add its schema, or choose another type`];
    }
  }
  return typed;
}

/** The rules as the capture applies them: how many entries each types, and whether its type is missing. */
export function ruleStates(typed: Capture, choices: CaptureTypeChoices, isLoaded: (typeName: string) => boolean): CaptureUrlRuleState[] {
  const matches = choices.urls.map(() => 0);
  for (const e of typed.entries) {
    if (e.typeSource !== 'url-override') continue;
    const i = choices.urls.findIndex((r) => (!r.direction || r.direction === e.direction) && urlPatternMatches(r.url, e.url));
    if (i >= 0) matches[i]++;
  }
  return choices.urls.map((r, i) => ({ ...r, matches: matches[i], ...(isLoaded(r.typeName) ? {} : { missing: true }) }));
}

/** Checks URL rules: a pattern, and a loaded type; throws saying which rule is wrong. */
export function checkUrlRules(rules: readonly CaptureUrlRule[], isLoaded: (typeName: string) => boolean): CaptureUrlRule[] {
  return rules.map((r, i) => {
    const url = r.url.trim();
    const refuse = (why: string) =>
      Object.assign(new Error(`URL rule ${i + 1}${url ? ` (${url})` : ''}: ${why}`), { code: 'invalid-input' });
    if (!url) throw refuse('give a URL pattern (a * matches any run of characters)');
    if (!isLoaded(r.typeName)) throw refuse(`unknown message type: ${r.typeName}`);
    return { url, typeName: r.typeName, ...(r.direction ? { direction: r.direction } : {}) };
  });
}
