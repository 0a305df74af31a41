import { describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- react-dom's string renderer, not the app's server/ layer
import { renderToString } from 'react-dom/server';
import { ReplayPaneView, parseHeaderLines, type ReplayPaneApi } from './replay-pane-view';

function fakeApi(): ReplayPaneApi {
  const none = async () => {
    throw new Error('not in this test');
  };
  return new Proxy({} as ReplayPaneApi, { get: () => none });
}

describe('ReplayPaneView', () => {
  it('renders its sections without a host', () => {
    const html = renderToString(<ReplayPaneView api={fakeApi()} />);
    for (const text of ['Target', 'Auth', 'Message', 'Mock server', 'Events', 'History', 'twirp-json', 'grpc-web', 'connect']) expect(html).toContain(text);
  });

  it('parses header lines', () => {
    expect(parseHeaderLines('x-kik-user: alice\n\n Authorization : Bearer a:b \nbare')).toEqual([['x-kik-user', 'alice'], ['Authorization', 'Bearer a:b'], ['bare', '']]);
  });
});
