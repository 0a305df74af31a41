import type { Type } from 'protobufjs';
import type { SchemaRegistry } from '../core/schema/registry';
import { InputError, UsageError } from './command';

/** How many names a "did you mean" offers. */
const SUGGESTIONS = 5;

/** Finds the message type named by --type, or says which names come close. */
export function requireType(registry: SchemaRegistry, name: string | undefined): Type {
  if (!name) throw new UsageError('--type TYPE is required (list types with: protodesk types)');
  const type = registry.findMessage(name);
  if (type) return type;
  const close = closeTypeNames(registry, name);
  throw new InputError(`unknown message type '${name}'${close.length ? `; did you mean ${close.join(', ')}?` : ''}`);
}

/**
 * Full names of the message types a mistyped name most likely meant: simple names a typo or
 * two away first (`livekit.Rom` → livekit.Room; the query's own package first among equals),
 * then names that contain it (registry.search).
 */
function closeTypeNames(registry: SchemaRegistry, name: string): string[] {
  const dot = name.lastIndexOf('.');
  const simple = name.slice(dot + 1).toLowerCase();
  const pkg = dot > 0 ? `${name.slice(0, dot).replace(/^\./, '')}.` : '';
  const allowed = Math.max(1, Math.floor(simple.length / 4));
  const typos: { full: string; d: number; other: number }[] = [];
  for (const t of registry.messageTypes()) {
    const d = boundedDistance(simple, t.name.toLowerCase(), allowed);
    if (d > allowed) continue;
    const full = registry.fullName(t);
    typos.push({ full, d, other: pkg && !full.startsWith(pkg) ? 1 : 0 });
  }
  typos.sort((a, b) => a.d - b.d || a.other - b.other || a.full.length - b.full.length || (a.full < b.full ? -1 : 1));
  const out = typos.map((t) => t.full);
  for (const t of registry.search(simple)) {
    if (out.length >= SUGGESTIONS) break;
    const full = registry.fullName(t);
    if (!out.includes(full)) out.push(full);
  }
  return out.slice(0, SUGGESTIONS);
}

/**
 * `pkg.Service/Method` names of the methods a mistyped --method most likely meant: the same
 * method name in another service, or a service and method name a typo or two away
 * (`livekit.RoomService/ListRoom` → livekit.RoomService/ListRooms); then methods whose name
 * contains the typed one (the typed service's first). The registry must be whole (a partial one lists only its part).
 */
export function closeMethodNames(registry: SchemaRegistry, spec: string): string[] {
  const s = spec.replace(/^\//, '');
  const slash = s.lastIndexOf('/');
  const cut = slash > 0 ? slash : s.lastIndexOf('.');
  const service = (cut > 0 ? s.slice(0, cut) : '').toLowerCase();
  const method = s.slice(cut + 1).toLowerCase();
  const simpleService = service.slice(service.lastIndexOf('.') + 1);
  const allowed = Math.max(1, Math.floor((simpleService.length + method.length) / 6));
  const scored: { full: string; d: number }[] = [];
  const contains: { full: string; other: number }[] = [];
  for (const svc of registry.services()) {
    const full = registry.fullName(svc);
    const svcDistance = simpleService ? boundedDistance(simpleService, svc.name.toLowerCase(), allowed) : 0;
    for (const m of svc.methodsArray) {
      const name = `${full}/${m.name}`;
      const d = svcDistance + boundedDistance(method, m.name.toLowerCase(), allowed);
      if (d <= allowed) scored.push({ full: name, d });
      else if (method.length >= 3 && m.name.toLowerCase().includes(method)) contains.push({ full: name, other: svcDistance ? 1 : 0 });
    }
  }
  scored.sort((a, b) => a.d - b.d || (a.full < b.full ? -1 : 1));
  contains.sort((a, b) => a.other - b.other || (a.full < b.full ? -1 : 1));
  return [...scored, ...contains].map((x) => x.full).slice(0, SUGGESTIONS);
}

/** Levenshtein distance of a and b, or limit + 1 as soon as it must exceed `limit`. */
function boundedDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}
