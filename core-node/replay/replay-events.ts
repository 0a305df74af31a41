/**
 * What the replay pane lists as events: sends, requests the mock served, Kik notifications and
 * LiveKit changes, numbered in order, kept (the latest MAX_EVENTS) for a pane that catches up,
 * and pushed to subscribers (the hosts forward them as 'replay' host events).
 */
import type { ReplayEvent } from '../../core/api/replay-contract';
import type { MockEvent } from '../mock/mock-server';

/** How many events are kept for catching up. */
export const MAX_EVENTS = 2000;

/** A mock event as one line of the pane's list, with its details as JSON. */
export function summarizeMockEvent(e: MockEvent): ReplayEvent {
  const base = { seq: 0, time: e.time };
  if (e.kind === 'kik') {
    const st = e.notification.convoVideoState as
      | {
          convoId?: { group?: { localPart?: string }; oneToOne?: { users?: { localPart?: string }[] } };
          userStates?: { user?: { localPart?: string }; state?: string }[];
        }
      | undefined;
    const convo = st?.convoId?.group?.localPart ?? (st?.convoId?.oneToOne?.users ?? []).map((u) => u.localPart).join('+');
    const users = (st?.userStates ?? []).map((u) => `${u.user?.localPart} ${u.state}`).join(', ') || 'no one';
    return {
      ...base,
      kind: 'kik-notification',
      summary: `MobileVideo.OnConvoVideoStateChanged ${convo}: ${users} → ${e.recipients.join(', ')}`,
      json: JSON.stringify(e.notification, null, 2),
      recipients: e.recipients,
    };
  }
  if (e.kind === 'livekit')
    return { ...base, kind: 'livekit', summary: `livekit ${e.method} ${e.room}`, json: JSON.stringify(e.detail, null, 2) };
  return {
    ...base,
    kind: 'mock-request',
    summary: `mock ${e.protocol} ${e.service}/${e.method} → ${e.code}`,
    ...(e.message ? { json: JSON.stringify({ code: e.code, message: e.message }, null, 2) } : {}),
  };
}

/** The events so far and their subscribers. */
export class ReplayEventLog {
  private readonly events: ReplayEvent[] = [];
  private readonly listeners = new Set<(e: ReplayEvent) => void>();
  private seq = 0;

  /** Numbers an event, keeps it and pushes it to every subscriber. */
  push(e: ReplayEvent): void {
    e.seq = ++this.seq;
    this.events.push(e);
    if (this.events.length > MAX_EVENTS) this.events.shift();
    for (const l of [...this.listeners]) l(e);
  }

  /** A 'sent' event of now. */
  sent(summary: string): void {
    this.push({ seq: 0, time: new Date().toISOString(), kind: 'sent', summary });
  }

  /** A 'received' event of now: a frame a websocket send received, as it arrived (its JSON as details). */
  received(summary: string, json?: string): void {
    this.push({ seq: 0, time: new Date().toISOString(), kind: 'received', summary, ...(json !== undefined ? { json } : {}) });
  }

  /** Kept events after `since`, and the last number given. */
  since(since: number): { events: ReplayEvent[]; last: number } {
    return { events: this.events.filter((e) => e.seq > since), last: this.seq };
  }

  /** Subscribes to new events; returns the unsubscribe function. */
  subscribe(listener: (e: ReplayEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
