/**
 * Golden Kik video messages: protoc text format (as `protoc --decode` prints it) and the
 * proto3 JSON the same bytes must decode to.
 */

/** One golden message. */
export interface KikGolden {
  name: string;
  type: string;
  /** Text format, exactly as protoc prints it (two-space indents). */
  text: string;
  /** The expected proto3 JSON (default options: lowerCamelCase names, defaults omitted). */
  json: unknown;
}

/** The goldens, covering every message the two services send or receive. */
export const KIK_GOLDENS: readonly KikGolden[] = [
  {
    name: 'batched get, one-to-one and group',
    type: 'mobile.video.v1.BatchedGetConvoStateRequest',
    text: `convo_ids {
  one_to_one {
    users {
      local_part: "alice"
    }
    users {
      local_part: "bob_x1z"
    }
  }
}
convo_ids {
  group {
    local_part: "1234567890123_g"
  }
}`,
    json: {
      convoIds: [{ oneToOne: { users: [{ localPart: 'alice' }, { localPart: 'bob_x1z' }] } }, { group: { localPart: '1234567890123_g' } }],
    },
  },
  {
    name: 'batched get response with user states',
    type: 'mobile.video.v1.BatchedGetConvoStateResponse',
    text: `latest_states {
  convo_id {
    group {
      local_part: "1234567890123_g"
    }
  }
  user_states {
    user {
      local_part: "alice"
    }
    state: CONNECTED
  }
  user_states {
    user {
      local_part: "carol"
    }
    state: CONNECTING
  }
  timestamp {
    seconds: 1700000000
    nanos: 500000000
  }
}
latest_states {
  convo_id {
    one_to_one {
      users {
        local_part: "alice"
      }
      users {
        local_part: "bob"
      }
    }
  }
  timestamp {
    seconds: 1700000001
  }
}`,
    json: {
      latestStates: [
        {
          convoId: { group: { localPart: '1234567890123_g' } },
          userStates: [
            { user: { localPart: 'alice' }, state: 'CONNECTED' },
            { user: { localPart: 'carol' }, state: 'CONNECTING' },
          ],
          timestamp: '2023-11-14T22:13:20.500Z',
        },
        {
          convoId: { oneToOne: { users: [{ localPart: 'alice' }, { localPart: 'bob' }] } },
          timestamp: '2023-11-14T22:13:21Z',
        },
      ],
    },
  },
  {
    name: 'join request',
    type: 'mobile.video.v1.JoinConvoConferenceRequest',
    text: `convo_id {
  group {
    local_part: "1234567890123_g"
  }
}`,
    json: { convoId: { group: { localPart: '1234567890123_g' } } },
  },
  {
    name: 'join response OK',
    type: 'mobile.video.v1.JoinConvoConferenceResponse',
    text: `latest_state {
  convo_id {
    group {
      local_part: "1234567890123_g"
    }
  }
  user_states {
    user {
      local_part: "alice"
    }
    state: CONNECTING
  }
  timestamp {
    seconds: 1700000002
  }
}
connection_info {
  host: "media-7.video.kik.example"
  port: 443
  conference_id: "kik.AAAAAAAAAAAAAAAA.BBBB"
}
connection_token {
  payload: "\\001\\002\\003\\377"
}`,
    json: {
      latestState: {
        convoId: { group: { localPart: '1234567890123_g' } },
        userStates: [{ user: { localPart: 'alice' }, state: 'CONNECTING' }],
        timestamp: '2023-11-14T22:13:22Z',
      },
      connectionInfo: { host: 'media-7.video.kik.example', port: 443, conferenceId: 'kik.AAAAAAAAAAAAAAAA.BBBB' },
      connectionToken: { payload: 'AQID/w==' },
    },
  },
  {
    name: 'join response FULL',
    type: 'mobile.video.v1.JoinConvoConferenceResponse',
    text: `result: FULL
latest_state {
  convo_id {
    group {
      local_part: "1234567890123_g"
    }
  }
  timestamp {
    seconds: 1700000003
  }
}`,
    json: {
      result: 'FULL',
      latestState: { convoId: { group: { localPart: '1234567890123_g' } }, timestamp: '2023-11-14T22:13:23Z' },
    },
  },
  {
    name: 'join response NOT_ALLOWED',
    type: 'mobile.video.v1.JoinConvoConferenceResponse',
    text: 'result: NOT_ALLOWED',
    json: { result: 'NOT_ALLOWED' },
  },
  {
    name: 'leave notification',
    type: 'mobile.video.v1.LeaveConvoConferenceNotification',
    text: `convo_id {
  one_to_one {
    users {
      local_part: "alice"
    }
    users {
      local_part: "bob"
    }
  }
}
connection_token {
  payload: "tok-42"
}`,
    json: {
      convoId: { oneToOne: { users: [{ localPart: 'alice' }, { localPart: 'bob' }] } },
      connectionToken: { payload: 'dG9rLTQy' },
    },
  },
  {
    name: 'state changed push',
    type: 'mobileremote.video.v1.OnConvoVideoStateChangedNotification',
    text: `convo_video_state {
  convo_id {
    group {
      local_part: "1234567890123_g"
    }
  }
  user_states {
    user {
      local_part: "alice"
    }
    state: CONNECTED
  }
  timestamp {
    seconds: 1700000004
    nanos: 1000
  }
}
notification_id: "6f1c2a9e-1b7d-4c1e-9a51-2f3b4c5d6e7f"`,
    json: {
      convoVideoState: {
        convoId: { group: { localPart: '1234567890123_g' } },
        userStates: [{ user: { localPart: 'alice' }, state: 'CONNECTED' }],
        timestamp: '2023-11-14T22:13:24.000001Z',
      },
      notificationId: '6f1c2a9e-1b7d-4c1e-9a51-2f3b4c5d6e7f',
    },
  },
  {
    name: 'common model types',
    type: 'common.XiDeviceId',
    text: `prefix: CAN
id: "0123456789abcdef"`,
    json: { prefix: 'CAN', id: '0123456789abcdef' },
  },
  {
    name: 'uuid with negative halves',
    type: 'common.XiRequestId',
    text: `id {
  msb: -1
  lsb: 1234567890123456789
}`,
    json: { id: { msb: '-1', lsb: '1234567890123456789' } },
  },
];
