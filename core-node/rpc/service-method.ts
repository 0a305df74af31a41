/**
 * Services and methods of the loaded schemas, as the replay client, the replay service, the mock
 * server and `protodesk send` find them: every service of a root, "pkg.Service/Method" split,
 * and a unary method with its resolved request and response types.
 */
import protobuf from 'protobufjs';
import type { Method, Root, Service, Type } from 'protobufjs';

/** A resolved method: its service, and its request and response types. */
export interface ResolvedMethod {
  service: Service;
  method: Method;
  requestType: Type;
  responseType: Type;
}

/** Every service of a root, nested namespaces and types included, in declaration order. */
export function allServices(root: Root): Service[] {
  const out: Service[] = [];
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const o of ns.nestedArray) {
      if (o instanceof protobuf.Service) out.push(o);
      if (o instanceof protobuf.Namespace || o instanceof protobuf.Type) walk(o as protobuf.NamespaceBase);
    }
  };
  walk(root);
  return out;
}

/** Splits "pkg.Service/Method" (or "pkg.Service.Method", "/pkg.Service/Method") into service and method. */
export function splitMethod(spec: string): { service: string; method: string } {
  const s = spec.replace(/^\//, '');
  const slash = s.lastIndexOf('/');
  if (slash > 0) return { service: s.slice(0, slash), method: s.slice(slash + 1) };
  const dot = s.lastIndexOf('.');
  if (dot > 0) return { service: s.slice(0, dot), method: s.slice(dot + 1) };
  throw new Error(`method must be pkg.Service/Method: '${spec}'`);
}

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

/** What kind of call a method is: unary, or which way it streams. */
export type CallKind = 'unary' | 'server-stream' | 'client-stream' | 'bidi';

/** The kind of a method. */
export function callKindOf(method: Method): CallKind {
  if (method.requestStream && method.responseStream) return 'bidi';
  if (method.requestStream) return 'client-stream';
  if (method.responseStream) return 'server-stream';
  return 'unary';
}
