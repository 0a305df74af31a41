import { describe, expect, it } from 'vitest';
import { exactType } from './type-search';

const NAMES = ['livekit.RoomConfiguration', 'livekit.Room', 'livekit.ListRoomsRequest', 'kik.Room', 'livekit.Codec'];

describe('exactType', () => {
  it('prefers the exact full name over earlier, longer matches', () => {
    expect(exactType(NAMES, 'livekit.Room')).toBe('livekit.Room');
    expect(exactType(NAMES, '  LIVEKIT.ROOM ')).toBe('livekit.Room');
  });

  it('takes a short name only when one type has it', () => {
    expect(exactType(NAMES, 'Codec')).toBe('livekit.Codec');
    expect(exactType(NAMES, 'Room')).toBeNull(); // livekit.Room and kik.Room
  });

  it('names nothing for an empty or partial query', () => {
    expect(exactType(NAMES, '')).toBeNull();
    expect(exactType(NAMES, 'Roo')).toBeNull();
  });
});
