/** Small pieces the stateful LiveKit mocks share: a capped store of entities by id, and JSON field readers. */
import { MockError } from './mock-errors';
import type { JsonObject } from './mock-service';

/** Entities of one kind the mock holds at most (egresses, ingresses, trunks, rules, dispatches). */
export const MAX_ENTITIES = 1000;

/** Entities by id, in creation order, refused past MAX_ENTITIES. */
export class EntityStore {
  private readonly items = new Map<string, JsonObject>();

  constructor(
    /** What the entities are, for messages ("egresses"). */
    readonly what: string,
    /** The not_found message livekit-server gives for a missing id. */
    readonly notFound: string,
    readonly max = MAX_ENTITIES,
  ) {}

  /** Adds an entity under `id`; resource_exhausted when the store is full. */
  add(id: string, item: JsonObject): JsonObject {
    if (this.items.size >= this.max)
      throw new MockError('resource_exhausted', `the mock holds ${this.max} ${this.what}, its limit: delete some first`);
    this.items.set(id, item);
    return item;
  }

  /** The entity, or not_found with livekit-server's message. */
  require(id: string): JsonObject {
    const item = this.items.get(id);
    if (!item) throw new MockError('not_found', this.notFound);
    return item;
  }

  /** The entity, if there is one. */
  get(id: string): JsonObject | undefined {
    return this.items.get(id);
  }

  /** Removes an entity; true when it was there. */
  delete(id: string): boolean {
    return this.items.delete(id);
  }

  /** Every entity, oldest first. */
  all(): JsonObject[] {
    return [...this.items.values()];
  }
}

/** A string field (proto3 JSON), or ''. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A repeated string field, or []. */
export function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A message field as an object, or undefined. */
export function obj(v: unknown): JsonObject | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

/** Nanoseconds since the epoch as proto3 JSON int64 (LiveKit's started_at / ended_at / updated_at). */
export function nanos(d: Date): string {
  return `${d.getTime()}000000`;
}

/** A google.protobuf.Timestamp in proto3 JSON. */
export function timestamp(d: Date): string {
  return d.toISOString();
}

/** A ListUpdate (set, add, remove, clear) applied to a list. */
export function applyListUpdate(current: string[], update: JsonObject | undefined): string[] {
  if (!update) return current;
  if (update.clear === true) return [];
  const set = strs(update.set);
  let out = set.length ? set : [...current];
  for (const a of strs(update.add)) if (!out.includes(a)) out.push(a);
  const remove = new Set(strs(update.remove));
  out = out.filter((x) => !remove.has(x));
  return out;
}
