import { describe, expect, it } from 'vitest';
import type { CaptureRow } from '../../core/api/capture-contract';
import {
  comparePartner,
  directionCell,
  isCaptureName,
  methodCell,
  ruleDirectionText,
  sizeCell,
  skippedText,
  suggestedPattern,
  timeCell,
  typeCell,
  typeSourceText,
} from './capture-format';

const row: CaptureRow = {
  index: 0,
  time: 1234,
  direction: 'request',
  protocol: 'twirp',
  url: 'https://lk.example.com/twirp/livekit.RoomService/CreateRoom',
  rpc: 'livekit.RoomService/CreateRoom',
  status: 200,
  size: 2048,
  type: 'livekit.CreateRoomRequest',
  typeSource: 'method',
  available: true,
  notes: [],
};

describe('capture cells', () => {
  it('write time, direction, method, size and type as the list shows them', () => {
    expect([timeCell(row), directionCell(row), methodCell(row), sizeCell(row.size), typeCell(row)]).toEqual([
      '1.234',
      '→',
      'RoomService/CreateRoom',
      '2.0 KB',
      'livekit.CreateRoomRequest',
    ]);
    expect(typeSourceText(row)).toBe('from the RPC method');
  });

  it('say what is unknown rather than guess', () => {
    const ws: CaptureRow = {
      ...row,
      time: null,
      direction: 'response',
      rpc: null,
      url: 'wss://x/rtc',
      size: null,
      type: null,
      typeSource: 'detect',
    };
    expect([timeCell(ws), directionCell(ws), methodCell(ws), sizeCell(ws.size), typeCell(ws)]).toEqual([
      '?',
      '←',
      'x/rtc',
      '?',
      '(detect)',
    ]);
    expect(sizeCell(100)).toBe('100 B');
    expect(sizeCell(3 * 1024 * 1024)).toBe('3.0 MB');
  });

  it('say what the capture does not list', () => {
    expect(skippedText(0, 0)).toBe('');
    expect(skippedText(1, 0)).toBe('Not listed: 1 HAR entry without protobuf');
    expect(skippedText(2, 3)).toBe('Not listed: 2 HAR entries without protobuf, 3 WebSocket text messages');
  });

  it('know a HAR file by its name', () => {
    expect(['a.har', 'B.HAR', 'a.har.bin', 'har'].map(isCaptureName)).toEqual([true, true, false, false]);
  });

  it('offer a URL pattern for every entry like the one selected: an RPC service with any method, else the path', () => {
    expect(suggestedPattern(row)).toBe('/twirp/livekit.RoomService/*');
    expect(suggestedPattern({ ...row, rpc: null, protocol: 'websocket', url: 'wss://lk.example.com/rtc' })).toBe('/rtc');
    expect(suggestedPattern({ ...row, rpc: null, url: 'https://api.example.com' })).toBe('/');
    expect([ruleDirectionText('request'), ruleDirectionText('response'), ruleDirectionText(undefined)]).toEqual([
      'requests',
      'responses',
      'both ways',
    ]);
  });

  it('offer to compare an entry with the nearest earlier one of its URL and direction', () => {
    const at = (index: number, url: string, direction: 'request' | 'response' = 'response', available = true): [number, CaptureRow] => [
      index,
      { ...row, index, url, direction, available },
    ];
    const rows = new Map([
      at(0, 'wss://x/rtc'),
      at(1, 'wss://x/rtc', 'request'),
      at(2, 'wss://x/rtc', 'response', false),
      at(3, 'wss://x/rtc'),
      at(4, 'https://x/a'),
      at(5, 'wss://x/rtc'),
    ]);
    expect(comparePartner(rows, rows.get(5)!)).toBe(3);
    expect(comparePartner(rows, rows.get(3)!)).toBe(0);
    expect(comparePartner(rows, rows.get(0)!)).toBe(3);
    expect(comparePartner(rows, rows.get(4)!)).toBe(3);
    expect(comparePartner(rows, rows.get(1)!)).toBe(0);
  });
});
