/** The replay pane's decisions, as plain functions (tested without a DOM). */
import type { DocumentSummary } from '../../core/api/contract';
import type { ReplayAuth, ReplayEvent, ReplayMethodInfo, ReplayPreset, ReplayTransport } from '../../core/api/replay-contract';
import { LIVEKIT_SIGNAL } from '../../core/api/vocabulary';

/** One option of the Method list. */
export interface MethodOption {
  value: string;
  label: string;
  disabled: boolean;
  /** The selected method, listed although it does not match the filter (or is not a known method). */
  kept: boolean;
}

function matches(m: ReplayMethodInfo, filter: string): boolean {
  return !filter || m.id.toLowerCase().includes(filter.toLowerCase());
}

/**
 * The Method list for a filter: the methods that match (up to `limit`), and the selected method
 * always, first and marked when the filter hides it, so the list shows what Send uses.
 */
export function methodOptions(
  methods: ReplayMethodInfo[],
  filter: string,
  selected: string,
  limit = 400,
): { options: MethodOption[]; matchCount: number } {
  const hits = methods.filter((m) => matches(m, filter.trim()));
  const shown = hits.slice(0, limit);
  const options: MethodOption[] = shown.map((m) => ({
    value: m.id,
    label: `${m.id}${m.streaming ? ` (${m.kind ?? 'streaming'})` : ''}`,
    disabled: false,
    kept: false,
  }));
  if (!shown.some((m) => m.id === selected)) {
    const known = methods.find((m) => m.id === selected);
    const why = !known
      ? methods.length
        ? 'not in the loaded schemas'
        : ''
      : hits.some((m) => m.id === selected)
        ? ''
        : 'not matching the filter';
    options.unshift({ value: selected, label: why ? `${selected} (selected, ${why})` : selected, disabled: false, kept: true });
  }
  return { options, matchCount: hits.length };
}

/** The first method a filter matches (Enter in the filter picks it). */
export function firstMatch(methods: ReplayMethodInfo[], filter: string): string | undefined {
  return methods.find((m) => matches(m, filter.trim()))?.id;
}

/** What the method becomes for a source: the method to use, and the candidates to ask about (several fit, the method is none of them). */
export interface MethodFollow {
  method: string;
  choices: string[];
}

/**
 * The method for a source document of type `typeName`: the one method taking that type; the
 * current one when it takes it (or when no method does, or the type is unknown); else the
 * current one, with the methods that take it as choices (the pane asks which).
 */
export function followMethod(methods: ReplayMethodInfo[], current: string, typeName: string | null | undefined): MethodFollow {
  const fits = typeName ? methods.filter((m) => m.requestType === typeName).map((m) => m.id) : [];
  if (fits.length === 1) return { method: fits[0], choices: [] };
  if (fits.length === 0 || fits.includes(current)) return { method: current, choices: [] };
  return { method: current, choices: fits };
}

/** The key of a source the method follows: the document and its type (a new type chooses again), or the JSON box. */
export function followKey(source: string, docs: DocumentSummary[]): string {
  if (source === 'json') return 'json';
  return `${source}:${docs.find((d) => d.docId === source)?.typeName ?? ''}`;
}

/** Parses `name=value` lines (environment variables); blank lines are skipped, a line without "=" is an error. */
export function parseVariableLines(text: string): Record<string, string> {
  const pairs: [string, string][] = [];
  text.split('\n').forEach((line, i) => {
    const l = line.trim();
    if (!l) return;
    const eq = l.indexOf('=');
    if (eq <= 0) throw new Error(`line ${i + 1}: "${l}" is not name=value`);
    pairs.push([l.slice(0, eq).trim(), l.slice(eq + 1).trim()]);
  });
  // fromEntries defines own properties (a "__proto__" name stays a name).
  return Object.fromEntries(pairs);
}

/** Whether a method is a LiveKit API method (by its info, or by name before the list has loaded). */
export function isLiveKitMethod(method: string, methods: ReplayMethodInfo[]): boolean {
  const info = methods.find((m) => m.id === method);
  return info ? info.livekit : method.startsWith('livekit.');
}

/** The auth a method gets when the user has not chosen one: LiveKit methods the LiveKit auth, others none. */
export function autoAuthKind(livekit: boolean, livekitAuthKind: 'livekit-key' | 'livekit-token'): ReplayAuth['kind'] {
  return livekit ? livekitAuthKind : 'none';
}

/** The part of the form a preset sets. */
export interface PresetForm {
  url: string;
  transport: ReplayTransport;
  authKind: ReplayAuth['kind'];
  apiKey: string;
  secretName: string;
  inlineSecret: string;
}

/** The auth kind a preset gives a method: its LiveKit auth for LiveKit methods, none for the others (undefined: it leaves auth alone). */
export function presetAuthKind(preset: ReplayPreset, livekit: boolean): ReplayAuth['kind'] | undefined {
  if (!preset.auth) return undefined;
  if (preset.auth.kind === 'none') return 'none';
  return livekit ? preset.auth.kind : 'none';
}

/** The form after applying a preset for a method (the preset's key and secret are kept even when the method needs none). */
export function applyPreset(form: PresetForm, preset: ReplayPreset, livekit: boolean): PresetForm {
  const next: PresetForm = { ...form, url: preset.url, transport: preset.transport };
  const kind = presetAuthKind(preset, livekit);
  if (kind) next.authKind = kind;
  if (preset.auth?.kind === 'livekit-key') {
    next.apiKey = preset.auth.apiKey;
    next.secretName = preset.auth.secretName ?? '';
    if (preset.auth.apiSecret) next.inlineSecret = preset.auth.apiSecret;
  }
  return next;
}

/** Whether the form is still what the preset set (else the Preset list says "custom"). */
export function presetMatches(form: PresetForm, preset: ReplayPreset, livekit: boolean): boolean {
  if (form.url !== preset.url || form.transport !== preset.transport) return false;
  const kind = presetAuthKind(preset, livekit);
  if (kind === undefined) return true;
  if (form.authKind !== kind) return false;
  if (kind !== 'livekit-key' || preset.auth?.kind !== 'livekit-key') return true;
  const a = preset.auth;
  return (
    form.apiKey === a.apiKey &&
    form.secretName === (a.secretName ?? '') &&
    (!!form.secretName || !a.apiSecret || form.inlineSecret === a.apiSecret)
  );
}

/** The preset the form shows as chosen ("" for custom). */
export function shownPreset(presets: ReplayPreset[], form: PresetForm, livekit: boolean): string {
  return presets.find((p) => presetMatches(form, p, livekit))?.name ?? '';
}

/** Where the request source is. */
export interface SourceState {
  source: string;
  sourceFollows: boolean;
  openedResponses: string[];
}

/**
 * The source once the active tab is `activeDocId`: while it follows the tabs it becomes the
 * active document, except a response the pane opened (that one is sent only if the user picks it);
 * a source document no longer open falls back to the active document (or the JSON box).
 * `openDocIds` undefined: the open documents are not known yet.
 */
export function followSource(s: SourceState, activeDocId: string | undefined, openDocIds?: string[]): SourceState {
  const candidate = activeDocId && !s.openedResponses.includes(activeDocId) ? activeDocId : undefined;
  if (s.sourceFollows && candidate && s.source !== candidate) return { ...s, source: candidate };
  if (s.source !== 'json' && openDocIds && !openDocIds.includes(s.source) && s.source !== activeDocId) {
    return { ...s, source: candidate ?? 'json', sourceFollows: true };
  }
  return s;
}

/** The source after the user picks `value` in the Send list: the active tab's document follows the tabs, anything else is pinned. */
export function pickSource(s: SourceState, value: string, activeDocId: string | undefined): SourceState {
  return {
    source: value,
    sourceFollows: value !== 'json' && value === activeDocId,
    openedResponses: s.openedResponses.filter((d) => d !== value),
  };
}

/** New events (oldest first, as polled) merged into the list (newest first), without duplicates. */
export function mergeEvents(prev: ReplayEvent[], incoming: ReplayEvent[], max = 300): ReplayEvent[] {
  const seen = new Set(prev.map((e) => e.seq));
  const fresh = incoming.filter((e) => !seen.has(e.seq)).reverse();
  return fresh.length ? [...fresh, ...prev].slice(0, max) : prev;
}

/** Parses "Name: value" lines into header pairs. */
export function parseHeaderLines(text: string): [string, string][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf(':');
      return (i > 0 ? [l.slice(0, i).trim(), l.slice(i + 1).trim()] : [l, '']) as [string, string];
    });
}

/** Headers a send sets by itself (and the auth): a history entry sent again leaves them to the new send. */
const OWN_HEADERS = [
  'authorization',
  'content-type',
  'user-agent',
  'x-livekit-request-id',
  'connect-protocol-version',
  'connect-timeout-ms',
  'x-grpc-web',
  'accept',
  'grpc-timeout',
];

/** The headers of a history entry to send again: the user's own, not those the send sets itself. */
export function resendHeaders(headers: readonly [string, string][]): [string, string][] {
  return headers.filter(([k]) => !OWN_HEADERS.includes(k.toLowerCase()));
}

/** Whether a method is the LiveKit signal connection (which only the websocket transport carries). */
export function isSignalMethod(method: string): boolean {
  return method === LIVEKIT_SIGNAL.method;
}

/**
 * The method and transport once one of them changed, so they go together: the signal connection
 * goes over websocket, and websocket carries only it. `changed` says which one the user chose;
 * the other follows (an RPC method leaving websocket goes back to twirp; websocket picks the
 * signal method when the schemas have it, and `previous`, the last RPC method, when it leaves).
 */
export function pairMethodTransport(
  method: string,
  transport: ReplayTransport,
  changed: 'method' | 'transport',
  methods: ReplayMethodInfo[],
  previous?: string,
): { method: string; transport: ReplayTransport } {
  const signal = isSignalMethod(method);
  if (changed === 'method') {
    if (signal) return { method, transport: 'websocket' };
    return { method, transport: transport === 'websocket' ? 'twirp' : transport };
  }
  if (transport === 'websocket') return { method: methods.some((m) => isSignalMethod(m.id)) ? LIVEKIT_SIGNAL.method : method, transport };
  return { method: signal ? (previous ?? methods.find((m) => !isSignalMethod(m.id))?.id ?? method) : method, transport };
}
