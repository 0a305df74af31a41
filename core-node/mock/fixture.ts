/**
 * The mock's fixture: seed data for the stateful mocks and answers for the others. A JSON file
 * (see fixtures/default.json); every part is optional.
 */
import { readFile } from 'node:fs/promises';

/** A track seeded into a LiveKit participant (TrackInfo in proto3 JSON; sid and type required). */
export interface FixtureTrack {
  sid: string;
  type?: 'AUDIO' | 'VIDEO' | 'DATA';
  name?: string;
  muted?: boolean;
  [k: string]: unknown;
}

/** A participant seeded into a LiveKit room (ParticipantInfo in proto3 JSON). */
export interface FixtureParticipant {
  identity: string;
  name?: string;
  metadata?: string;
  tracks?: FixtureTrack[];
  attributes?: Record<string, string>;
  /** PerformRpc answers by method name (payload returned); without one, the request payload is echoed. */
  rpc?: Record<string, string>;
  [k: string]: unknown;
}

/** A LiveKit room seeded at start. */
export interface FixtureRoom {
  name: string;
  metadata?: string;
  maxParticipants?: number;
  emptyTimeout?: number;
  departureTimeout?: number;
  participants?: FixtureParticipant[];
}

/** A seeded Kik conference participant. */
export interface FixtureKikUser {
  user: string;
  state?: 'CONNECTING' | 'CONNECTED';
}

/** Kik video mock configuration. */
export interface FixtureKik {
  /** Group members by group JID local part ("1234567890123_g"): bare user JID local parts. */
  groups?: Record<string, string[]>;
  /** Participant limit of a conference (FULL beyond it). Default 6. */
  maxParticipants?: number;
  /** Media server host and port handed out in connection info. */
  mediaHost?: string;
  mediaPort?: number;
  /** Conferences already running, by group JID local part. */
  conferences?: Record<string, FixtureKikUser[]>;
}

/**
 * Answer of a service that has no stateful mock. `stream` scripts a streaming method's responses
 * (and an error to end with); on a unary method its first message is the answer.
 */
export type GenericAnswer =
  | { kind: 'empty' }
  | { kind: 'echo' }
  | { kind: 'message'; json: unknown }
  | { kind: 'error'; code: string; message: string }
  | { kind: 'stream'; messages: unknown[]; error?: { code: string; message: string } };

/** The whole fixture. */
export interface MockFixture {
  livekit?: {
    rooms?: FixtureRoom[];
    /** Allow MutePublishedTrack to unmute (livekit-server's room.enable_remote_unmute). Default false. */
    enableRemoteUnmute?: boolean;
  };
  kik?: FixtureKik;
  /** Answers by "pkg.Service/Method" or "pkg.Service" (method wins); default { kind: 'empty' }. */
  answers?: Record<string, GenericAnswer>;
}

/** Reads a fixture file. */
export async function loadFixture(path: string): Promise<MockFixture> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as MockFixture;
  } catch (e) {
    throw new Error(`fixture ${path}: not JSON: ${(e as Error).message}`, { cause: e });
  }
}
