import { describe, expect, it } from 'vitest';
import { roomsOf } from './request-source';

describe('roomsOf', () => {
  it('reads room and destinationRoom (JSON or proto names) as a LiveKit token for the request needs them', () => {
    expect(roomsOf({ room: 'standup' })).toEqual({ room: 'standup' });
    expect(roomsOf({ room: 'a', destination_room: 'b' })).toEqual({ room: 'a', destinationRoom: 'b' });
    expect(roomsOf({ room: 'a', destinationRoom: 'c', destination_room: 'b' })).toEqual({ room: 'a', destinationRoom: 'c' });
    expect(roomsOf({ room: 5, name: 'x' })).toEqual({});
    expect(roomsOf(null)).toEqual({});
    expect(roomsOf(['room'])).toEqual({});
  });
});
