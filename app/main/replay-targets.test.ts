import { describe, expect, it } from 'vitest';
import { ReplayTargets, replayOrigin } from './replay-targets';

describe('replay targets', () => {
  it('grants by origin, ws(s) included (the websocket transport), and nothing for other schemes', () => {
    expect(replayOrigin('ws://127.0.0.1:7880/rtc?access_token=x')).toBe('ws://127.0.0.1:7880');
    expect(replayOrigin('file:///etc/passwd')).toBeNull();
    const t = new ReplayTargets();
    t.allow(['ws://127.0.0.1:7880']);
    expect(t.allows('ws://127.0.0.1:7880/rtc')).toBe(true);
    // Another scheme on the same host and port is another origin.
    expect(t.allows('http://127.0.0.1:7880')).toBe(false);
  });
});
