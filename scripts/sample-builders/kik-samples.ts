/** The Kik video samples: protojson in, bytes out through our schemas/kik-video. */
import protojson from 'protobufjs/ext/protojson.js';
import { KIK_DIR, loadProtoRoot } from '../../schemas/schema-files';
import type { Sample } from './sample-entry';

/** Kik messages: JSON in, bytes out through our schema. */
export function kikSamples(): Sample[] {
  const root = loadProtoRoot(KIK_DIR);
  const enc = (type: string, json: unknown): Uint8Array => {
    const t = root.lookupType(type);
    return t.encode(protojson.fromJson(t, json)).finish();
  };
  const group = { group: { localPart: '1234567890123_g' } };
  const oneToOne = { oneToOne: { users: [{ localPart: 'alice' }, { localPart: 'bob' }] } };
  const state = (users: Array<[string, string]>, seconds: number) => ({
    convoId: group,
    userStates: users.map(([u, s]) => ({ user: { localPart: u }, state: s })),
    timestamp: new Date(seconds * 1000).toISOString(),
  });
  const kik = (file: string, type: string, description: string, json: unknown): Sample => ({
    file: `kik-video/${file}`,
    type,
    framing: 'single',
    family: 'kik-video',
    description,
    bytes: enc(type, json),
  });
  return [
    kik(
      'batched-get-convo-state-request.bin',
      'mobile.video.v1.BatchedGetConvoStateRequest',
      'KikVideo.BatchedGetConvoState request for a group and a one-to-one convo.',
      { convoIds: [group, oneToOne] },
    ),
    kik(
      'batched-get-convo-state-response.bin',
      'mobile.video.v1.BatchedGetConvoStateResponse',
      'BatchedGetConvoState response: one active conference, one empty state.',
      {
        latestStates: [
          state(
            [
              ['alice', 'CONNECTED'],
              ['carol', 'CONNECTING'],
            ],
            1_700_000_000,
          ),
          { convoId: oneToOne, timestamp: '2023-11-14T22:13:21Z' },
        ],
      },
    ),
    {
      ...kik(
        'join-convo-conference-request.bin',
        'mobile.video.v1.JoinConvoConferenceRequest',
        'KikVideo.JoinConvoConference request for a group convo.',
        { convoId: group },
      ),
      ambiguous:
        'byte-identical to a BatchedGetConvoStateRequest with one convo id and to a LeaveConvoConferenceNotification without a token (convo_id is all a client sends); detect breaks the tie: one occurrence fits a singular field better than a repeated one, and the notification leaves its token unused',
    },
    kik(
      'join-convo-conference-response-ok.bin',
      'mobile.video.v1.JoinConvoConferenceResponse',
      'Join response OK: state, media server host/port/conference id, connection token.',
      {
        latestState: state([['alice', 'CONNECTING']], 1_700_000_002),
        connectionInfo: { host: 'media-7.video.kik.example', port: 443, conferenceId: 'kik.AAAAAAAAAAAAAAAA.BBBB' },
        connectionToken: { payload: 'AQID/w==' },
      },
    ),
    kik(
      'join-convo-conference-response-full.bin',
      'mobile.video.v1.JoinConvoConferenceResponse',
      'Join response FULL: the conference is at capacity; current state only.',
      {
        result: 'FULL',
        latestState: state(
          [
            ['alice', 'CONNECTED'],
            ['bob', 'CONNECTED'],
            ['carol', 'CONNECTED'],
            ['dave', 'CONNECTED'],
            ['erin', 'CONNECTED'],
            ['frank', 'CONNECTED'],
          ],
          1_700_000_003,
        ),
      },
    ),
    kik(
      'join-convo-conference-response-not-allowed.bin',
      'mobile.video.v1.JoinConvoConferenceResponse',
      'Join response NOT_ALLOWED (e.g. not a member of the group): the result and the conference state the service still returns (latest_state MAY be set for any result); no connection info or token.',
      {
        result: 'NOT_ALLOWED',
        latestState: state(
          [
            ['alice', 'CONNECTED'],
            ['bob', 'CONNECTING'],
          ],
          1_700_000_005,
        ),
      },
    ),
    kik(
      'leave-convo-conference-notification.bin',
      'mobile.video.v1.LeaveConvoConferenceNotification',
      'KikVideo.OnLeaveConvoConference: convo and the token from the join.',
      { convoId: oneToOne, connectionToken: { payload: 'dG9rLTQy' } },
    ),
    kik(
      'on-convo-video-state-changed-notification.bin',
      'mobileremote.video.v1.OnConvoVideoStateChangedNotification',
      'MobileVideo push: a user connected; notification id for the ack.',
      { convoVideoState: state([['alice', 'CONNECTED']], 1_700_000_004), notificationId: '6f1c2a9e-1b7d-4c1e-9a51-2f3b4c5d6e7f' },
    ),
  ];
}
