/**
 * Protocol-neutral core of the mock: finds the method, authenticates, decodes each request message
 * (binary or proto3 JSON), checks kik.validation rules, runs the service's handler (stateful mock or
 * generic answer) and encodes the responses. Unary calls give one response; streaming calls
 * (server, client, bidi) read their request stream and write responses as the fixture scripts them
 * (mock-stream-answers.ts). Every failure is a MockError.
 */
import type { Method, Root, Type } from 'protobufjs';
import { fieldsThatFit } from '../rpc/proto-json';
import { callKindOf, resolveMethod } from '../rpc/service-method';
import { answerError, MockError } from './mock-errors';
import type { MessageRoot } from '../../core/document/model';
import { decodeMessage } from '../../core/document/decode';
import { encodeMessage } from '../../core/document/encode';
import { fromJson, toJson, toJsonString, type ToJsonOptions } from '../../core/format';
import { formatViolation, hasValidationRules, validateMessage } from '../../core/validate';
import { badRequestDetail } from '../rpc/rpc-status';
import { streamAnswer } from './mock-stream-answers';
import type { GenericAnswer } from './fixture';
import type { CallKind, JsonObject, MockCallContext, MockProtocol, MockServiceImpl } from './mock-service';

export type { CallKind } from './mock-service';

/** One call as the protocol layer hands it over. */
export interface DispatchRequest {
  service: string;
  method: string;
  protocol: MockProtocol;
  headers: Readonly<Record<string, string>>;
  body: Uint8Array;
  /** True when the body is proto3 JSON (Twirp JSON, Connect JSON). */
  json: boolean;
  /** How JSON answers are written (Twirp: .proto names and unpopulated fields, as Twirp Go's default). */
  jsonStyle?: ToJsonOptions;
}

/** The encoded response. */
export interface DispatchResponse {
  /** Binary message, or JSON text bytes when the request was JSON. */
  body: Uint8Array;
}

/** A streaming call: its request messages as they arrive, and where its responses go. */
export interface StreamDispatchRequest extends Omit<DispatchRequest, 'body'> {
  requests: AsyncIterable<Uint8Array>;
  /** Writes one response message (binary, or JSON text bytes for a JSON codec). */
  send(body: Uint8Array): void | Promise<void>;
}

/** The answer for services without a stateful mock; undefined when neither the fixture nor the pane gave one. */
export type AnswerLookup = (service: string, method: string) => GenericAnswer | undefined;

/** The kind of a method. */
export const callKind = (method: Method): CallKind => callKindOf(method);

/** Runs calls against the loaded schemas and the mock implementations. */
export class MockDispatcher {
  private readonly kikRuleCache = new Map<Type, boolean>();

  constructor(
    readonly root: Root,
    readonly services: ReadonlyMap<string, MockServiceImpl>,
    private readonly answers: AnswerLookup,
  ) {}

  /** The kind of a method of the loaded schemas; undefined when there is no such method. */
  kindOf(service: string, method: string): CallKind | undefined {
    const resolved = resolveMethod(this.root, service, method);
    return resolved ? callKind(resolved.method) : undefined;
  }

  private resolve(req: { service: string; method: string }) {
    const resolved = resolveMethod(this.root, req.service, req.method);
    if (!resolved) throw new MockError('bad_route', `no handler for path "/${req.service}/${req.method}"`);
    return resolved;
  }

  /** A request message decoded (binary or proto3 JSON) and checked against its kik.validation rules. */
  private decodeRequest(requestType: Type, body: Uint8Array, json: boolean): JsonObject {
    let request: MessageRoot;
    let requestJson: JsonObject;
    try {
      request = json
        ? fromJson(new TextDecoder('utf-8', { fatal: true }).decode(body), requestType, { ignoreUnknownFields: true })
        : decodeMessage(body, requestType);
      requestJson = toJson(request) as JsonObject;
    } catch (e) {
      throw new MockError('malformed', `the ${json ? 'json' : 'protobuf'} request could not be decoded: ${(e as Error).message}`);
    }
    let hasRules = this.kikRuleCache.get(requestType);
    if (hasRules === undefined) this.kikRuleCache.set(requestType, (hasRules = hasValidationRules(requestType)));
    if (hasRules) {
      // kik.validation rules, checked by core/validate on the decoded document.
      const violations = validateMessage(request, { maxViolations: 50 });
      if (violations.length) {
        const err = new MockError('invalid_argument', violations.map(formatViolation).join('; '), { argument: violations[0].path });
        err.details = [badRequestDetail(violations.map((v) => ({ field: v.path, description: formatViolation(v) })))];
        throw err;
      }
    }
    return requestJson;
  }

  /** A response (proto3 JSON) encoded as the request was: binary, or JSON text. */
  private encodeResponse(responseType: Type, responseJson: unknown, json: boolean, jsonStyle?: ToJsonOptions): Uint8Array {
    let response: MessageRoot;
    try {
      response = fromJson(responseJson, responseType);
    } catch (e) {
      throw new MockError('internal', `the mock's answer does not fit ${responseType.fullName.slice(1)}: ${(e as Error).message}`);
    }
    if (json) return new TextEncoder().encode(toJsonString(response, { ...jsonStyle, indent: 0 }));
    return encodeMessage(response, new Uint8Array());
  }

  /** The fixture's (or the pane's) answer for a method without a handler, or unimplemented saying how to give one. */
  private genericAnswer(service: string, method: string): Exclude<GenericAnswer, { kind: 'error' }> {
    const answer = this.answers(service, method);
    if (!answer)
      throw new MockError(
        'unimplemented',
        `${service}/${method} has no answer in the mock: give one in the fixture's "answers" (by "${service}/${method}" or "${service}")`,
      );
    if (answer.kind === 'error') throw answerError(answer);
    if (answer.kind === 'stream' && !Array.isArray(answer.messages))
      throw new MockError('internal', `the fixture's stream answer for ${service}/${method} needs a "messages" array`);
    return answer;
  }

  /** Handles one unary call; throws MockError for error answers. */
  async dispatch(req: DispatchRequest): Promise<DispatchResponse> {
    const { method, requestType, responseType } = this.resolve(req);
    if (method.requestStream || method.responseStream)
      throw new MockError(
        'unimplemented',
        `${req.service}/${req.method} is a streaming method: call it as a stream (gRPC, Connect streaming, gRPC-Web)`,
      );
    const impl = this.services.get(req.service);
    const call: MockCallContext = { service: req.service, method: req.method, protocol: req.protocol, headers: req.headers };
    if (impl?.authenticate) call.auth = await impl.authenticate(req.headers);
    const requestJson = this.decodeRequest(requestType, req.body, req.json);

    let responseJson: unknown;
    const handler = impl && Object.hasOwn(impl.methods, req.method) ? impl.methods[req.method] : undefined;
    if (handler) {
      responseJson = await handler(requestJson, call);
    } else if (impl && !impl.generic) {
      throw new MockError('unimplemented', `${req.service}/${req.method} is not implemented by the mock`);
    } else {
      impl?.authorize?.(requestJson, call);
      const answer = this.genericAnswer(req.service, req.method);
      if (answer.kind === 'stream') {
        if (answer.error && !answer.messages.length) throw answerError(answer.error);
        responseJson = answer.messages[0] ?? {};
      } else
        responseJson =
          answer.kind === 'echo' ? fieldsThatFit(responseType, requestJson).kept : answer.kind === 'message' ? answer.json : {};
    }
    return { body: this.encodeResponse(responseType, responseJson, req.json, req.jsonStyle) };
  }

  /** Handles one streaming call: reads its requests, writes its responses; throws MockError to end it with an error. */
  async dispatchStream(req: StreamDispatchRequest): Promise<void> {
    const { method, requestType, responseType } = this.resolve(req);
    const kind = callKind(method);
    if (kind === 'unary') throw new MockError('unimplemented', `${req.service}/${req.method} is a unary method: call it without a stream`);
    const impl = this.services.get(req.service);
    const call: MockCallContext = { service: req.service, method: req.method, protocol: req.protocol, headers: req.headers };
    if (impl?.authenticate) call.auth = await impl.authenticate(req.headers);
    if (impl && !impl.generic) throw new MockError('unimplemented', `${req.service}/${req.method} is not implemented by the mock`);
    const answer = this.genericAnswer(req.service, req.method);
    const decoded = (async function* (self: MockDispatcher): AsyncGenerator<JsonObject> {
      for await (const body of req.requests) {
        const json = self.decodeRequest(requestType, body, req.json);
        impl?.authorize?.(json, call);
        yield json;
      }
    })(this);
    const send = (json: unknown): void | Promise<void> => req.send(this.encodeResponse(responseType, json, req.json, req.jsonStyle));
    await streamAnswer(kind, answer, decoded, send, (json) => fieldsThatFit(responseType, json).kept);
  }
}
