/**
 * Protocol-neutral core of the mock: finds the method, authenticates, decodes the request
 * (binary or proto3 JSON), checks kik.validation rules, runs the service's handler (stateful
 * mock or generic answer) and encodes the response. Every failure is a MockError.
 */
import type { Root, Type } from 'protobufjs';
import { fieldsThatFit } from '../rpc/proto-json';
import { resolveMethod } from '../rpc/service-method';
import { isTwirpCode, MockError } from './mock-errors';
import type { MessageRoot } from '../../core/document/model';
import { decodeMessage } from '../../core/document/decode';
import { encodeMessage } from '../../core/document/encode';
import { fromJson, toJson, toJsonString, type ToJsonOptions } from '../../core/format';
import { formatViolation, hasValidationRules, validateMessage } from '../../core/validate';
import { badRequestDetail } from '../rpc/rpc-status';
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
  /** How JSON answers are written (Twirp: .proto names and unpopulated fields, as Twirp Go's default). */
  jsonStyle?: ToJsonOptions;
}

/** The encoded response. */
export interface DispatchResponse {
  /** Binary message, or JSON text bytes when the request was JSON. */
  body: Uint8Array;
}

/** The answer for services without a stateful mock; undefined when neither the fixture nor the pane gave one. */
export type AnswerLookup = (service: string, method: string) => GenericAnswer | undefined;

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
    if (method.requestStream || method.responseStream)
      throw new MockError('unimplemented', `${req.service}/${req.method} is a streaming method; the mock answers unary methods only`);
    const impl = this.services.get(req.service);
    const call: MockCallContext = { service: req.service, method: req.method, protocol: req.protocol, headers: req.headers };
    if (impl?.authenticate) call.auth = await impl.authenticate(req.headers);

    // The request as a document (binary or proto3 JSON), and as the JSON the handlers read.
    let request: MessageRoot;
    let requestJson: JsonObject;
    try {
      request = req.json
        ? fromJson(new TextDecoder('utf-8', { fatal: true }).decode(req.body), requestType, { ignoreUnknownFields: true })
        : decodeMessage(req.body, requestType);
      requestJson = toJson(request) as JsonObject;
    } catch (e) {
      throw new MockError('malformed', `the ${req.json ? 'json' : 'protobuf'} request could not be decoded: ${(e as Error).message}`);
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

    let responseJson: JsonObject;
    const handler = impl && Object.hasOwn(impl.methods, req.method) ? impl.methods[req.method] : undefined;
    if (handler) {
      responseJson = await handler(requestJson, call);
    } else if (impl && !impl.generic) {
      throw new MockError('unimplemented', `${req.service}/${req.method} is not implemented by the mock`);
    } else {
      impl?.authorize?.(requestJson, call);
      const answer = this.answers(req.service, req.method);
      if (!answer)
        throw new MockError(
          'unimplemented',
          `${req.service}/${req.method} has no answer in the mock: give one in the fixture's "answers" (by "${req.service}/${req.method}" or "${req.service}")`,
        );
      if (answer.kind === 'error')
        throw isTwirpCode(answer.code)
          ? new MockError(answer.code, answer.message)
          : new MockError('internal', `the fixture's error answer has an unknown code "${String(answer.code)}" (${answer.message})`);
      responseJson =
        answer.kind === 'echo'
          ? fieldsThatFit(responseType, requestJson).kept
          : answer.kind === 'message'
            ? (answer.json as JsonObject)
            : {};
    }
    let response: MessageRoot;
    try {
      response = fromJson(responseJson, responseType);
    } catch (e) {
      throw new MockError('internal', `the mock's answer does not fit ${responseType.fullName.slice(1)}: ${(e as Error).message}`);
    }
    if (req.json) return { body: new TextEncoder().encode(toJsonString(response, { ...req.jsonStyle, indent: 0 })) };
    return { body: encodeMessage(response, new Uint8Array()) };
  }
}
