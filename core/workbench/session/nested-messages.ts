/**
 * "Decode nested as messages": in one step, every length-delimited unknown field whose best
 * reading is a message is shown as one, at every depth (inside those too); off puts them back as
 * they were. A view choice like "interpret as" (no undo step, the bytes unchanged).
 */
import type { FieldNode } from '../../document/model';
import type { WorkbenchEngine } from '../engine';
import { pathKey } from '../flat-rows';
import type { MessageState } from './document-state';
import { setExpandedKey } from './message-rows';

/** At most this many fields are turned into messages in one step (a guard for huge raw files). */
const MAX_NESTED = 100_000;

/**
 * Interprets the nested messages below `fields` (the message's view) as messages where that is
 * their best reading, expanded; returns how many. With `on` false, every "as message" choice goes.
 */
export function decodeNestedMessages(engine: WorkbenchEngine, m: MessageState, fields: readonly FieldNode[], on: boolean): number {
  if (!on) {
    let n = 0;
    for (const [k, as] of m.interpret) {
      if (as !== 'message') continue;
      m.interpret.delete(k);
      n++;
    }
    m.layout++;
    return n;
  }
  let count = 0;
  const walk = (list: readonly FieldNode[], prefix: number[]) => {
    for (let i = 0; i < list.length && count < MAX_NESTED; i++) {
      const n = list[i];
      const path = [...prefix, i];
      const v = n.value;
      if (v.kind === 'unknown' && v.raw instanceof Uint8Array) {
        const { readings, message } = engine.readings(n);
        if (readings[0]?.as !== 'message' || !message) continue;
        const key = pathKey(path);
        m.interpret.set(key, 'message');
        setExpandedKey(m, key, true);
        count++;
        walk(message, path);
      } else if (v.kind === 'message') walk(v.fields, path);
      else if (v.kind === 'unknown' && Array.isArray(v.raw)) walk(v.raw as readonly FieldNode[], path);
    }
  };
  walk(fields, []);
  m.layout++;
  return count;
}
