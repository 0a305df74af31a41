/**
 * Protocol-neutral core of the mock: finds the method, authenticates, decodes the request
 * (binary or proto3 JSON), checks kik.validation rules, runs the service's handler (stateful
 * mock or generic answer) and encodes the response. Every failure is a MockError.
 */
import protobuf from 'protobufjs';
import type { Method, Root, Service, Type } from 'protobufjs';
import { messageFromJson, messageToJson, type ToJsonOptions } from '../replay/proto-json';
import { MockError, type TwirpCode } from './mock-errors';
import { decodeMessage } from '../../core/document/decode';
import { formatViolation, hasValidationRules, validateMessage } from '../../core/validate/validate';
import { badRequestDetail } from './rpc-status';
import type { GenericAnswer } from './fixture';
import type { JsonObject, MockCallContext, MockProtocol, MockServiceImpl } from './mock-service';

/** One unary call as the protocol layer hands it over. */
export interface DispatchRequest {
  service: string;
  method: string;
  protocol: MockProtocol;
  headers: Readonly<Record<string, string>>;
  body: Uint8Array;
  /** True when the body is proto3 JSON (Twirp JSON, Connect JSON). */
  json: boolean;
  /** How JSON answers are written (Twirp: .proto names and unset fields, as Twirp Go's default). */
  jsonStyle?: ToJsonOptions;
}

/** The encoded response. */
export interface DispatchResponse {
  /** Binary message, or JSON text bytes when the request was JSON. */
  body: Uint8Array;
}

/** A resolved unary method. */
export interface ResolvedMethod {
  service: Service;
  method: Method;
  requestType: Type;
  responseType: Type;
}

/** The answer for services without a stateful mock. */
export type AnswerLookup = (service: string, method: string) => GenericAnswer;

/** Finds a method by service full name and method name. */
export function resolveMethod(root: Root, service: string, method: string): ResolvedMethod | undefined {
  let svc: protobuf.ReflectionObject | null;
  try {
    svc = root.lookup(service);
  } catch {
    svc = null;
  }
  if (!(svc instanceof protobuf.Service)) return undefined;
  const m = svc.methods[method];
  if (!m) return undefined;
  m.resolve();
  return { service: svc, method: m, requestType: m.resolvedRequestType as Type, responseType: m.resolvedResponseType as Type };
}

/** Copies the request's fields that the response type has under the same name (and that fit). */
function echo(responseType: Type, request: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(request)) {
    try {
      messageFromJson(responseType, { [k]: v });
      out[k] = v;
    } catch {
      // not a field of the response type, or a different type: left out
    }
  }
  return out;
}

/** Runs unary calls against the loaded schemas and the mock implementations. */
export class MockDispatcher {
  private readonly kikRuleCache = new Map<Type, boolean>();

  constructor(
    readonly root: Root,
    readonly services: ReadonlyMap<string, MockServiceImpl>,
    private readonly answers: AnswerLookup,
  ) {}

  /** Handles one call; throws MockError for error answers. */
  async dispatch(req: DispatchRequest): Promise<DispatchResponse> {
    const resolved = resolveMethod(this.root, req.service, req.method);
    if (!resolved) throw new MockError('bad_route', `no handler for path "/${req.service}/${req.method}"`);
    const { method, requestType, responseType } = resolved;
    if (method.requestStream || method.responseStream) throw new MockError('unimplemented', `${req.service}/${req.method} is a streaming method; the mock answers unary methods only`);
    const impl = this.services.get(req.service);
    const call: MockCallContext = { service: req.service, method: req.method, protocol: req.protocol, headers: req.headers };
    if (impl?.authenticate) call.auth = await impl.authenticate(req.headers);

    let decoded: protobuf.Message;
    if (req.json) {
      try {
        decoded = messageFromJson(requestType, JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(req.body)), { ignoreUnknownFields: true });
      } catch (e) {
        throw new MockError('malformed', `the json request could not be decoded: ${(e as Error).message}`);
      }
    } else {
      try {
        decoded = requestType.decode(req.body);
      } catch (e) {
        throw new MockError('malformed', `the protobuf request could not be decoded: ${(e as Error).message}`);
      }
    }

    let hasRules = this.kikRuleCache.get(requestType);
    if (hasRules === undefined) this.kikRuleCache.set(requestType, (hasRules = hasValidationRules(requestType)));
    if (hasRules) {
      // kik.validation rules, checked by core/validate on the decoded document.
      const bytes = req.json ? requestType.encode(decoded).finish() : req.body;
      const violations = validateMessage(decodeMessage(bytes, requestType), { maxViolations: 50 });
      if (violations.length) {
        const err = new MockError('invalid_argument', violations.map(formatViolation).join('; '), { argument: violations[0].path });
        err.details = [badRequestDetail(violations.map((v) => ({ field: v.path, description: formatViolation(v) })))];
        throw err;
      }
    }

    const requestJson = messageToJson(requestType, decoded) as JsonObject;
    let responseJson: JsonObject;
    if (impl) {
      const handler = impl.methods[req.method];
      if (!handler) throw new MockError('unimplemented', `${req.service}/${req.method} is not implemented by the mock`);
      responseJson = await handler(requestJson, call);
    } else {
      const answer = this.answers(req.service, req.method);
      if (answer.kind === 'error') throw new MockError(answer.code as TwirpCode, answer.message);
      responseJson = answer.kind === 'echo' ? echo(responseType, requestJson) : answer.kind === 'message' ? (answer.json as JsonObject) : {};
    }
    let response: protobuf.Message;
    try {
      response = messageFromJson(responseType, responseJson);
    } catch (e) {
      throw new MockError('internal', `the mock's answer does not fit ${responseType.fullName.slice(1)}: ${(e as Error).message}`);
    }
    if (req.json) return { body: new TextEncoder().encode(JSON.stringify(messageToJson(responseType, response, req.jsonStyle))) };
    return { body: responseType.encode(response).finish() };
  }
}
