/**
 * Replay by reference: the request message comes from an open document (read by the host, as it
 * is now, and converted to the method's input type when the document has another type), from
 * proto3 JSON text, or from bytes. The renderer names the source; it never carries the bytes.
 */
import type { Root, Type } from 'protobufjs';
import { ApiError } from '../../core/api/api-error';
import type { DocumentApi, DocumentSummary } from '../../core/api/contract';
import type { ReplayConversion, ReplaySource } from '../../core/api/replay-contract';
import { bytesToJson, fieldsThatFit, jsonToBytes } from '../rpc/proto-json';
import { roomFieldsOf } from '../livekit/grants';

/** The open documents a replay reads from: the workbench session's API has these methods. */
export type ReplayDocuments = Pick<DocumentApi, 'listDocuments' | 'getBytes'>;

/** A request message: its bytes in the method's input type, and what a conversion did. */
export interface RequestMessage {
  body: Uint8Array;
  converted?: ReplayConversion;
}

/** The open document `docId` as it is now; not-found when it is not open (any more). */
export async function openDocument(documents: ReplayDocuments | undefined, docId: string): Promise<DocumentSummary> {
  if (!documents) throw new ApiError('unsupported', 'this host has no open documents to send from');
  const found = (await documents.listDocuments({})).find((d) => d.docId === docId);
  if (!found) throw new ApiError('not-found', 'the source document is no longer open; choose another one');
  return found;
}

/** The bytes of message `message` of document `docId` as currently encoded (edits included). */
export async function messageBytes(documents: ReplayDocuments, docId: string, message: number): Promise<Uint8Array> {
  return (await documents.getBytes({ docId, message, start: 0, end: Number.MAX_SAFE_INTEGER })).bytes;
}

/** A document's message in `to`: its fields that match by name (the others are dropped and named). */
export function convertMessage(root: Root, fromType: string, to: Type, bytes: Uint8Array): RequestMessage {
  const { kept, dropped } = fieldsThatFit(to, bytesToJson(root.lookupType(fromType), bytes) as Record<string, unknown>);
  return { body: jsonToBytes(to, kept), converted: { fromType, toType: to.fullName.slice(1), dropped } };
}

/** The request message a source names, in `requestType` (a document's message converted when its type differs). */
export async function requestMessage(
  source: ReplaySource,
  requestType: Type,
  root: Root,
  documents: ReplayDocuments | undefined,
): Promise<RequestMessage> {
  if (source.docId !== undefined) {
    const doc = await openDocument(documents, source.docId);
    const bytes = await messageBytes(documents!, doc.docId, source.message ?? 0);
    const toType = requestType.fullName.slice(1);
    return doc.typeName && doc.typeName !== toType ? convertMessage(root, doc.typeName, requestType, bytes) : { body: bytes };
  }
  if (source.body !== undefined) return { body: source.body };
  if (source.json !== undefined) return { body: jsonToBytes(requestType, source.json) };
  return { body: new Uint8Array() };
}

/**
 * The room fields of a request message as JSON (proto3 JSON names or the proto names), as a token
 * for it needs them: `room` / `destination_room`, or `room_name` for the services that name it so
 * (SIP, Egress, Ingress, Connector).
 */
export function roomsOf(json: unknown, service = 'livekit.RoomService'): { room?: string; destinationRoom?: string } {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return {};
  const o = json as Record<string, unknown>;
  const fields = roomFieldsOf(service);
  const str = (keys: string[]) => keys.map((k) => o[k]).find((v): v is string => typeof v === 'string');
  const room = str(fields.room);
  const destinationRoom = str(fields.destinationRoom);
  return { ...(room !== undefined ? { room } : {}), ...(destinationRoom !== undefined ? { destinationRoom } : {}) };
}

/**
 * The rooms a LiveKit token is minted for, read from the request source as Send would send it
 * (a document converted to the method's input type; JSON text as written); none without a source.
 */
export async function roomsOfSource(
  source: ReplaySource,
  requestType: Type | undefined,
  root: Root,
  documents: ReplayDocuments | undefined,
  service?: string,
): Promise<{ room?: string; destinationRoom?: string; converted?: ReplayConversion }> {
  if (source.json !== undefined) {
    try {
      return roomsOf(JSON.parse(source.json), service);
    } catch {
      return {};
    }
  }
  if (source.docId === undefined && source.body === undefined) return {};
  if (!requestType) {
    // The method is not in the loaded schemas: the document's own fields.
    if (source.docId === undefined) return {};
    const doc = await openDocument(documents, source.docId);
    if (!doc.typeName) return {};
    return roomsOf(bytesToJson(root.lookupType(doc.typeName), await messageBytes(documents!, doc.docId, source.message ?? 0)), service);
  }
  const { body, converted } = await requestMessage(source, requestType, root, documents);
  return { ...roomsOf(bytesToJson(requestType, body), service), ...(converted ? { converted } : {}) };
}
