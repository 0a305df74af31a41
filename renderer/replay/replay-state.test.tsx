import { describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- react-dom's string renderer, not the app's server/ layer
import { renderToString } from 'react-dom/server';
import { applyReplayPatch, initialReplayState, ReplayStateContext, useReplayField } from './replay-state';

describe('applyReplayPatch', () => {
  it('merges fields or a function of the state, and keeps the same object when nothing changes (nothing re-renders)', () => {
    const s0 = initialReplayState();
    const s1 = applyReplayPatch(s0, { url: 'http://127.0.0.1:1234', transport: 'connect' });
    expect(s1).toMatchObject({ url: 'http://127.0.0.1:1234', transport: 'connect', method: s0.method });
    expect(s0.url).toBe('http://localhost:7880');
    const s2 = applyReplayPatch(s1, (s) => ({ headerText: `${s.headerText}x-kik-user: alice` }));
    expect(s2.headerText).toBe('x-kik-user: alice');
    expect(applyReplayPatch(s2, { url: 'http://127.0.0.1:1234' })).toBe(s2);
    expect(applyReplayPatch(s2, {})).toBe(s2);
  });
});

describe('the pane state', () => {
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

  it('is read from the context it is given; a pane rendered outside one says so', () => {
    function Url() {
      const [url] = useReplayField('url');
      return <span>{url}</span>;
    }
    const state = { ...initialReplayState(), url: 'http://127.0.0.1:9' };
    const handle = { state, get: () => state, set: () => undefined };
    expect(
      renderToString(
        <ReplayStateContext.Provider value={handle}>
          <Url />
        </ReplayStateContext.Provider>,
      ),
    ).toBe('<span>http://127.0.0.1:9</span>');
    expect(() => renderToString(<Url />)).toThrow('outside its state');
  });
});
