/**
 * A mock of Kik's mobile.video.v1.KikVideo, as its documentation (the .proto comments) says:
 * - a conference per conversation, created on the first JoinConvoConference ("get or create");
 * - join is idempotent: it returns OK with the latest state, the caller CONNECTING, connection
 *   info (host, port, conference id "kik.<16 chars>.<4 chars>") and a fresh connection token;
 * - FULL (with the latest state, no connection info) when the conference has reached the
 *   participant limit; NOT_ALLOWED when the caller is not a member of the conversation;
 * - BatchedGetConvoState returns one state per requested id, an empty one (no users) for a
 *   conversation without a conference (1..20 ids is enforced by the kik.validation rules);
 * - OnLeaveConvoConference is best effort and ignores a token older than the caller's latest join;
 * - every state change emits a mobileremote.video.v1.MobileVideo.OnConvoVideoStateChanged
 *   notification to all members of the conversation.
 *
 * The caller is named by the `x-kik-user` header (gRPC metadata / HTTP header): the bare user
 * JID's local part, e.g. `alice`. Group membership comes from the fixture (`kik.groups`).
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { MockError } from './mock-errors';
import type { FixtureKik } from './fixture';
import type { JsonObject, MockCallContext, MockServiceImpl } from './mock-service';

/** Header that names the calling user (bare JID local part). */
export const KIK_USER_HEADER = 'x-kik-user';

/** A state-change notification and who receives it. */
export interface KikNotificationEvent {
  kind: 'kik';
  /** Bare JID local parts of the conversation's members. */
  recipients: string[];
  /** OnConvoVideoStateChangedNotification in proto3 JSON. */
  notification: JsonObject;
}

/** Options of the KikVideo mock. */
export interface KikMockOptions {
  fixture?: FixtureKik;
  onEvent?(e: KikNotificationEvent): void;
  now?(): Date;
}

type UserStateName = 'CONNECTING' | 'CONNECTED';

interface Conference {
  conferenceId: string;
  convoId: JsonObject;
  users: Map<string, UserStateName>;
  /** Latest join sequence per user. */
  joinSeq: Map<string, number>;
  timestampMicros: bigint;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function localPart(o: unknown): string {
  return typeof (o as JsonObject | undefined)?.localPart === 'string' ? ((o as JsonObject).localPart as string) : '';
}

/** The conversation key and its members, from a ConvoId in JSON. */
function convoOf(convoId: JsonObject, groups: Record<string, string[]>): { key: string; members: string[] } {
  const group = convoId.group as JsonObject | undefined;
  if (group) {
    const jid = localPart(group);
    return { key: `g:${jid}`, members: Object.hasOwn(groups, jid) && Array.isArray(groups[jid]) ? groups[jid] : [] };
  }
  const users = (((convoId.oneToOne as JsonObject | undefined)?.users as JsonObject[]) ?? []).map(localPart);
  return { key: `1:${[...users].sort().join(',')}`, members: users };
}

/** A conference id "kik.<16 base64url chars>.<4 chars checksum>" (at most 32 bytes, as the schema requires). */
export function makeConferenceId(): string {
  const id = [...randomBytes(16)].map((b) => B64URL[b & 63]).join('');
  const sum = createHash('sha256').update(id).digest();
  const check = [...sum.subarray(0, 4)].map((b) => B64URL[b & 63]).join('');
  return `kik.${id}.${check}`;
}

function timestampJson(micros: bigint): string {
  const ms = Number(micros / 1000n);
  const frac = String(micros % 1_000_000n).padStart(6, '0');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
}

/** Creates the KikVideo mock. */
export function createKikVideoService(opts: KikMockOptions = {}): MockServiceImpl & {
  setUserState(convoId: JsonObject, user: string, state: UserStateName): JsonObject;
  conferences(): JsonObject[];
} {
  const fx = opts.fixture ?? {};
  const groups = fx.groups ?? {};
  const limit = fx.maxParticipants ?? 6;
  const host = fx.mediaHost ?? '127.0.0.1';
  const port = fx.mediaPort ?? 5349;
  const now = opts.now ?? (() => new Date());
  const secret = randomBytes(32);
  const conferences = new Map<string, Conference>();
  let lastMicros = 0n;
  let seq = 0;

  const tick = (): bigint => {
    const t = BigInt(now().getTime()) * 1000n;
    lastMicros = t > lastMicros ? t : lastMicros + 1n;
    return lastMicros;
  };

  const stateOf = (convoId: JsonObject, conf: Conference | undefined): JsonObject => ({
    convoId,
    userStates: conf ? [...conf.users].map(([user, state]) => ({ user: { localPart: user }, state })) : [],
    timestamp: timestampJson(conf ? conf.timestampMicros : tick()),
  });

  const notify = (key: string, members: string[], conf: Conference | undefined, convoId: JsonObject): void => {
    opts.onEvent?.({
      kind: 'kik',
      recipients: [...new Set([...members, ...(conf ? conf.users.keys() : [])])],
      notification: { convoVideoState: stateOf(convoId, conf), notificationId: randomUUID() },
    });
    void key;
  };

  const token = (conf: Conference, user: string, s: number): string => {
    const body = Buffer.from(JSON.stringify({ c: conf.conferenceId, u: user, s })).toString('base64url');
    const mac = createHmac('sha256', secret).update(body).digest().subarray(0, 12).toString('base64url');
    return Buffer.from(`kikmock1.${body}.${mac}`).toString('base64');
  };
  const readToken = (payloadB64: string): { c: string; u: string; s: number } | null => {
    const text = Buffer.from(payloadB64, 'base64').toString('utf8');
    const [tag, body, mac] = text.split('.');
    if (tag !== 'kikmock1' || !body || !mac) return null;
    const want = createHmac('sha256', secret).update(body).digest().subarray(0, 12).toString('base64url');
    if (want !== mac) return null;
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { c: string; u: string; s: number };
    } catch {
      return null;
    }
  };

  const caller = (call: MockCallContext): string => {
    const u = call.headers[KIK_USER_HEADER];
    if (!u) throw new MockError('unauthenticated', `missing ${KIK_USER_HEADER} header (the caller's bare user JID local part)`);
    return u;
  };

  for (const [jid, users] of Object.entries(fx.conferences ?? {})) {
    const conf: Conference = {
      conferenceId: makeConferenceId(),
      convoId: { group: { localPart: jid } },
      users: new Map(),
      joinSeq: new Map(),
      timestampMicros: tick(),
    };
    for (const u of users) conf.users.set(u.user, u.state ?? 'CONNECTED');
    conferences.set(`g:${jid}`, conf);
  }

  return {
    service: 'mobile.video.v1.KikVideo',
    conferences: () => [...conferences.values()].map((c) => ({ conferenceId: c.conferenceId, ...stateOf(c.convoId, c) })),
    setUserState(convoId, user, state) {
      const { key, members } = convoOf(convoId, groups);
      const conf = conferences.get(key);
      if (!conf || !conf.users.has(user)) throw new MockError('not_found', `${user} is not in a conference of that conversation`);
      conf.users.set(user, state);
      conf.timestampMicros = tick();
      notify(key, members, conf, conf.convoId);
      return stateOf(conf.convoId, conf);
    },
    methods: {
      BatchedGetConvoState(req, call) {
        const user = caller(call);
        const ids = (req.convoIds as JsonObject[]) ?? [];
        return {
          result: 'OK',
          latestStates: ids.map((id) => {
            const { key, members } = convoOf(id, groups);
            // Conversations the caller is not in read as having no conference.
            return stateOf(id, members.includes(user) ? conferences.get(key) : undefined);
          }),
        };
      },
      JoinConvoConference(req, call) {
        const user = caller(call);
        const convoId = req.convoId as JsonObject;
        const { key, members } = convoOf(convoId, groups);
        if (!members.includes(user)) return { result: 'NOT_ALLOWED' };
        let conf = conferences.get(key);
        if (conf && !conf.users.has(user) && conf.users.size >= limit) {
          return { result: 'FULL', latestState: stateOf(conf.convoId, conf) };
        }
        if (!conf) {
          conf = { conferenceId: makeConferenceId(), convoId, users: new Map(), joinSeq: new Map(), timestampMicros: tick() };
          conferences.set(key, conf);
        }
        const s = ++seq;
        conf.joinSeq.set(user, s);
        if (conf.users.get(user) !== 'CONNECTING') {
          conf.users.set(user, 'CONNECTING');
          conf.timestampMicros = tick();
          notify(key, members, conf, conf.convoId);
        }
        return {
          result: 'OK',
          latestState: stateOf(conf.convoId, conf),
          connectionInfo: { host, port, conferenceId: conf.conferenceId },
          connectionToken: { payload: token(conf, user, s) },
        };
      },
      OnLeaveConvoConference(req, call) {
        const user = caller(call);
        const { key, members } = convoOf(req.convoId as JsonObject, groups);
        const conf = conferences.get(key);
        if (!conf || !conf.users.has(user)) return {};
        const payload = (req.connectionToken as JsonObject | undefined)?.payload;
        if (typeof payload === 'string' && payload) {
          const t = readToken(payload);
          // Best effort: a token that is not ours, for another conference or user, or older than
          // the caller's latest join is ignored.
          if (!t || t.c !== conf.conferenceId || t.u !== user || t.s < (conf.joinSeq.get(user) ?? 0)) return {};
        }
        conf.users.delete(user);
        conf.joinSeq.delete(user);
        conf.timestampMicros = tick();
        if (conf.users.size === 0) conferences.delete(key);
        notify(key, members, conf.users.size ? conf : undefined, conf.convoId);
        return {};
      },
    },
  };
}
