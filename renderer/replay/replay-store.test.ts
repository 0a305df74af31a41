import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStore, initialReplayState, replayStore, setReplay } from './replay-store';

describe('createStore', () => {
  it('merges patches, notifies on change only, and resets', () => {
    const store = createStore(() => ({ a: 1, b: 'x' }));
    const seen = vi.fn();
    const off = store.subscribe(seen);
    store.set({ a: 2 });
    store.set((s) => ({ b: `${s.b}y` }));
    store.set({ a: 2 });
    expect(store.get()).toEqual({ a: 2, b: 'xy' });
    expect(seen).toHaveBeenCalledTimes(2);
    store.reset();
    expect(store.get()).toEqual({ a: 1, b: 'x' });
    off();
    store.set({ a: 3 });
    expect(seen).toHaveBeenCalledTimes(3);
  });
});

describe('replayStore', () => {
  afterEach(() => replayStore.reset());

  it('outlives a pane: what one pane set is what the next one reads', () => {
    setReplay({
      url: 'http://127.0.0.1:1234',
      transport: 'connect',
      method: 'livekit.RoomService/DeleteRoom',
      headerText: 'x-kik-user: alice',
    });
    expect(replayStore.get()).toMatchObject({
      url: 'http://127.0.0.1:1234',
      transport: 'connect',
      method: 'livekit.RoomService/DeleteRoom',
      headerText: 'x-kik-user: alice',
    });
    replayStore.reset();
    expect(replayStore.get()).toEqual(initialReplayState());
  });

  it('starts with LiveKit dev auth, the JSON box following the active tab, and no response', () => {
    expect(initialReplayState()).toMatchObject({
      authKind: 'livekit-key',
      authExplicit: false,
      apiKey: 'devkey',
      inlineSecret: 'secret',
      source: 'json',
      sourceFollows: true,
      result: null,
    });
  });
});
