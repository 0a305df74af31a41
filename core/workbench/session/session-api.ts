/**
 * The session's API as types: the document half of the ProtodeskApi contract, one function per
 * method. Each session module implements a part of it.
 */
import type { CaptureMethods } from '../../api/capture-contract';
import type { DiffMethods } from '../../api/diff-contract';
import type { DocumentMethods, FileSafetyMethods, TaskMethods } from '../../api/contract';

/** The document methods the session implements (the host adds dialogs and window ones). */
export type SessionMethods = Omit<DocumentMethods, 'appInfo' | 'openDialog' | 'addSchemasDialog' | 'confirmClose'> &
  FileSafetyMethods &
  CaptureMethods &
  DiffMethods;

/** The session as functions, one per method. */
export type SessionApi = {
  [K in keyof (SessionMethods & TaskMethods)]: (
    request: (SessionMethods & TaskMethods)[K][0],
  ) => Promise<(SessionMethods & TaskMethods)[K][1]>;
};

/** The methods a session module implements. */
export type SessionApiPart<K extends keyof SessionApi> = Pick<SessionApi, K>;
