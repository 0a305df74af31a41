/**
 * Writes schemas/livekit/**.proto from the runtime metadata of the pinned @livekit/protocol
 * package (the protobuf-es v1 classes it ships carry every field's number, name, kind, type,
 * label and oneof, and every enum's values). What that metadata lacks is taken from the
 * upstream copies in ../shared/reference-protos/livekit, for items that still match the pinned
 * version: services and rpcs, reserved ranges and names, file options, and field options
 * (deprecated, logger annotations). The output is committed; re-running it must not change it.
 *
 * Usage: npx tsx scripts/make-livekit-schemas.ts [--out DIR] [--reference DIR]
 */
import { readdirSync, readFileSync, existsSync, mkdirSync, writeFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import protobuf from 'protobufjs';
import { proto3 } from '@bufbuild/protobuf';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PKG_DIR = join(ROOT, 'node_modules/@livekit/protocol');
const GEN_DIR = join(PKG_DIR, 'src/gen');

/** protobuf-es v1 ScalarType numbers → .proto scalar names. */
const SCALAR_NAMES: Record<number, string> = {
  1: 'double',
  2: 'float',
  3: 'int64',
  4: 'uint64',
  5: 'int32',
  6: 'fixed64',
  7: 'fixed32',
  8: 'bool',
  9: 'string',
  12: 'bytes',
  13: 'uint32',
  15: 'sfixed32',
  16: 'sfixed64',
  17: 'sint32',
  18: 'sint64',
};

/** Where the well-known types live. */
const WKT_FILES: Record<string, string> = {
  'google.protobuf.Timestamp': 'google/protobuf/timestamp.proto',
  'google.protobuf.Duration': 'google/protobuf/duration.proto',
  'google.protobuf.Any': 'google/protobuf/any.proto',
  'google.protobuf.Struct': 'google/protobuf/struct.proto',
  'google.protobuf.Value': 'google/protobuf/struct.proto',
  'google.protobuf.ListValue': 'google/protobuf/struct.proto',
  'google.protobuf.NullValue': 'google/protobuf/struct.proto',
  'google.protobuf.Empty': 'google/protobuf/empty.proto',
};

/** Our one-line description of each file, written at its top. */
const FILE_NOTES: Record<string, string> = {
  'livekit_models.proto': 'Core LiveKit models: rooms, participants, tracks, data packets, codecs.',
  'livekit_room.proto': 'RoomService: the server API that creates, lists and manages rooms and participants.',
  'livekit_rtc.proto': 'Client <-> SFU signalling over WebSocket: SignalRequest and SignalResponse.',
  'livekit_egress.proto': 'Egress: recording and streaming rooms, participants and tracks out of LiveKit.',
  'livekit_ingress.proto': 'Ingress: bringing RTMP, WHIP and URL media into a room.',
  'livekit_sip.proto': 'SIP: trunks, dispatch rules, participants and call transfers.',
  'livekit_agent.proto': 'Agent workers: registration, job assignment and availability.',
  'livekit_agent_dispatch.proto': 'AgentDispatchService: explicit dispatch of agents into rooms.',
  'livekit_webhook.proto': 'Webhook events posted by the server.',
  'livekit_metrics.proto': 'Client and agent metrics batches.',
  'livekit_analytics.proto': 'Analytics events and stats reported by the server.',
  'livekit_internal.proto': 'Messages passed between LiveKit server nodes.',
  'livekit_cloud_agent.proto': 'LiveKit Cloud agent deployment API.',
  'livekit_agentdb.proto': 'Agent key-value and vector storage API.',
  'livekit_agent_simulation.proto': 'Agent simulation runs and their results.',
  'livekit_agent_worker.proto': 'Agent worker messages.',
  'livekit_connector.proto': 'Connector service: bridges to external telephony and messaging.',
  'livekit_connector_twilio.proto': 'Twilio connector requests.',
  'livekit_connector_whatsapp.proto': 'WhatsApp connector requests.',
  'livekit_phone_number.proto': 'Phone number inventory and purchase API.',
  'livekit_token_source.proto': 'Token source requests for client-side token fetching.',
  'agent/livekit_agent_session.proto': 'Agent session state: chat context, events and session messages.',
  'agent/livekit_agent_inference.proto': 'Agent inference gateway requests and responses.',
  'agent/livekit_agent_text.proto': 'Text-only agent sessions.',
  'agent/livekit_agent_dev.proto': 'Agent development-mode messages.',
  'logger/options.proto': 'Field options that tell LiveKit loggers how to name and redact fields.',
};

interface EsEnumValue {
  no: number;
  name: string;
}
interface EsEnum {
  typeName: string;
  values: EsEnumValue[];
}
interface EsField {
  no: number;
  name: string;
  kind: 'scalar' | 'enum' | 'message' | 'map';
  T: number | EsEnum | EsMessage;
  K?: number;
  V?: { kind: string; T: number | EsEnum | EsMessage };
  repeated?: boolean;
  opt?: boolean;
  packed?: boolean;
  oneof?: { name: string } | string;
  jsonName?: string;
  L?: number;
  req?: boolean;
  delimited?: boolean;
}
interface EsMessage {
  typeName: string;
  fields: { list(): EsField[] };
}

/** One type of the package, with the file it was generated from. */
interface TypeEntry {
  fullName: string;
  file: string;
  pkg: string;
  kind: 'message' | 'enum';
  msg?: EsMessage;
  en?: EsEnum;
  children: TypeEntry[];
}

function listGenFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listGenFiles(p));
    else if (name.endsWith('_pb.js')) out.push(p);
  }
  return out;
}

function isMessage(v: unknown): v is EsMessage {
  return typeof v === 'function' && typeof (v as { typeName?: unknown }).typeName === 'string' && 'fields' in (v as object);
}

/** Reads every generated module of the package: types in source order, grouped by .proto file. */
async function readPackage(): Promise<{ files: Map<string, { pkg: string; top: TypeEntry[] }>; types: Map<string, TypeEntry> }> {
  const files = new Map<string, { pkg: string; top: TypeEntry[] }>();
  const types = new Map<string, TypeEntry>();
  for (const jsPath of listGenFiles(GEN_DIR)) {
    const text = readFileSync(jsPath, 'utf8');
    const header = /@generated from file (\S+) \(package (\S+), syntax (\S+)\)/.exec(text);
    if (!header) continue;
    const [, protoFile, pkg, syntax] = header;
    if (syntax !== 'proto3') throw new Error(`${protoFile}: unexpected syntax ${syntax}`);
    const mod = (await import(pathToFileURL(jsPath).href)) as Record<string, unknown>;
    const byName = new Map<string, { msg?: EsMessage; en?: EsEnum }>();
    for (const v of Object.values(mod)) {
      if (isMessage(v)) byName.set(v.typeName, { msg: v });
      else if (v && typeof v === 'object') {
        try {
          const en = proto3.getEnumType(v as never) as unknown as EsEnum;
          byName.set(en.typeName, { en });
        } catch {
          /* not an enum */
        }
      }
    }
    const top: TypeEntry[] = [];
    for (const m of text.matchAll(/@generated from (message|enum) (\S+)/g)) {
      const fullName = m[2];
      const found = byName.get(fullName);
      if (!found) throw new Error(`${protoFile}: ${fullName} not exported`);
      const entry: TypeEntry = { fullName, file: protoFile, pkg, kind: m[1] as 'message' | 'enum', ...found, children: [] };
      types.set(fullName, entry);
      const parentName = fullName.slice(0, fullName.lastIndexOf('.'));
      const parent = types.get(parentName);
      if (parent && parent.file === protoFile) parent.children.push(entry);
      else top.push(entry);
    }
    files.set(protoFile, { pkg, top });
  }
  return { files, types };
}

/** What the upstream copy of one file adds: services, reserved, options. */
interface Reference {
  root: protobuf.Root;
  pkg: string;
  options: Record<string, unknown>;
}

function readReference(dir: string, file: string): Reference | null {
  const p = join(dir, file);
  if (!existsSync(p)) return null;
  const parsed = protobuf.parse(readFileSync(p, 'utf8'), { keepCase: true, alternateCommentMode: false });
  const ns = parsed.package ? parsed.root.lookup(parsed.package) : parsed.root;
  return { root: parsed.root, pkg: parsed.package ?? '', options: ns?.options ?? {} };
}

/** Shortest spelling of `target` that resolves to it from inside `scope` (protoc's scoping rules). */
function typeRef(target: string, scope: string, known: Set<string>): string {
  const parts = target.split('.');
  for (let take = 1; take <= parts.length; take++) {
    const cand = parts.slice(parts.length - take).join('.');
    const first = cand.split('.')[0];
    // protoc resolves the first component from the innermost scope outwards, then the rest inside it.
    let s = scope;
    let resolvedFirst: string | null = null;
    while (true) {
      const probe = s ? `${s}.${first}` : first;
      if (known.has(probe)) {
        resolvedFirst = probe;
        break;
      }
      if (!s) break;
      s = s.includes('.') ? s.slice(0, s.lastIndexOf('.')) : '';
    }
    if (resolvedFirst && `${resolvedFirst}${cand.slice(first.length)}` === target) return cand;
  }
  return `.${target}`;
}

/** protoc's default JSON name: lowerCamelCase of the field name. */
function defaultJsonName(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/_/g, '');
}

/** An option value as .proto text: enum-typed options (logger.sensitivity) unquoted, strings quoted. */
function formatOptionValue(key: string, v: unknown): string {
  if (typeof v === 'string') return key === '(logger.sensitivity)' ? v : JSON.stringify(v);
  return String(v);
}

/** Everything the generator writes: file name (relative to schemas/livekit) → .proto text. */
export async function generateLivekitSchemas(referenceDir: string): Promise<Map<string, string>> {
  const { files, types } = await readPackage();
  const known = new Set<string>();
  for (const name of [...types.keys(), ...Object.keys(WKT_FILES)]) {
    const parts = name.split('.');
    for (let i = 1; i <= parts.length; i++) known.add(parts.slice(0, i).join('.'));
  }
  const out = new Map<string, string>();
  let usesLogger = false;

  for (const [file, { pkg, top }] of files) {
    const ref = readReference(referenceDir, file);
    const imports = new Set<string>();
    const lines: string[] = [];
    const refType = (name: string): protobuf.Type | protobuf.Enum | null => {
      if (!ref) return null;
      try {
        const t = ref.root.lookup(name);
        return t instanceof protobuf.Type || t instanceof protobuf.Enum ? t : null;
      } catch {
        return null;
      }
    };
    const need = (fullName: string): void => {
      const wkt = WKT_FILES[fullName];
      if (wkt) {
        imports.add(wkt);
        return;
      }
      const t = types.get(fullName);
      if (!t) throw new Error(`${file}: unknown type ${fullName}`);
      if (t.file !== file) imports.add(t.file);
    };
    const nameOf = (T: number | EsEnum | EsMessage, scope: string): string => {
      if (typeof T === 'number') return SCALAR_NAMES[T];
      need(T.typeName);
      return typeRef(T.typeName, scope, known);
    };

    const emitEnum = (e: TypeEntry, indent: string): void => {
      const en = e.en!;
      const shortName = e.fullName.slice(e.fullName.lastIndexOf('.') + 1);
      lines.push(`${indent}enum ${shortName} {`);
      const nums = en.values.map((v) => v.no);
      if (new Set(nums).size !== nums.length) lines.push(`${indent}  option allow_alias = true;`);
      const r = refType(e.fullName);
      if (r?.options?.deprecated === true) lines.push(`${indent}  option deprecated = true;`);
      if (r instanceof protobuf.Enum && r.reserved)
        lines.push(...reservedLines(r.reserved, indent + '  ', new Set(nums), new Set(en.values.map((v) => v.name)), true));
      for (const v of en.values) lines.push(`${indent}  ${v.name} = ${v.no};`);
      lines.push(`${indent}}`);
    };

    const emitField = (f: EsField, scope: string, indent: string, ref: protobuf.Type | null, inOneof: boolean): void => {
      let typeText: string;
      let label = '';
      if (f.kind === 'map') {
        typeText = `map<${SCALAR_NAMES[f.K!]}, ${nameOf(f.V!.T, scope)}>`;
      } else {
        typeText = nameOf(f.T, scope);
        if (f.repeated) label = 'repeated ';
        else if (f.opt && !inOneof) label = 'optional ';
      }
      const opts: string[] = [];
      const refField = ref?.fields[f.name];
      if (refField && refField.id === f.no && refField.options) {
        for (const [k, v] of Object.entries(refField.options)) {
          if (k === 'deprecated' && v === true) opts.push('deprecated = true');
          else if (k.startsWith('(logger.')) {
            opts.push(`${k} = ${formatOptionValue(k, v)}`);
            usesLogger = true;
          }
        }
      }
      const packable = f.repeated && (f.kind === 'enum' || (f.kind === 'scalar' && ![9, 12].includes(f.T as number)));
      if (packable && f.packed === false) opts.push('packed = false');
      if (f.jsonName && f.jsonName !== defaultJsonName(f.name)) opts.push(`json_name = ${JSON.stringify(f.jsonName)}`);
      if (f.L === 1) opts.push('jstype = JS_STRING');
      if (opts.some((o) => o.startsWith('(logger.'))) imports.add('logger/options.proto');
      lines.push(`${indent}${label}${typeText} ${f.name} = ${f.no}${opts.length ? ` [${opts.join(', ')}]` : ''};`);
    };

    const emitMessage = (e: TypeEntry, indent: string): void => {
      const shortName = e.fullName.slice(e.fullName.lastIndexOf('.') + 1);
      const r = refType(e.fullName);
      const ref = r instanceof protobuf.Type ? r : null;
      const fields = e.msg!.fields.list();
      lines.push(`${indent}message ${shortName} {`);
      const inner = indent + '  ';
      if (ref?.options?.deprecated === true) lines.push(`${inner}option deprecated = true;`);
      if (ref?.reserved)
        lines.push(...reservedLines(ref.reserved, inner, new Set(fields.map((f) => f.no)), new Set(fields.map((f) => f.name)), false));
      for (const c of e.children) {
        if (c.kind === 'enum') emitEnum(c, inner);
        else emitMessage(c, inner);
      }
      const done = new Set<string>();
      for (const f of fields) {
        const oneofName = typeof f.oneof === 'string' ? f.oneof : f.oneof?.name;
        if (oneofName && !f.opt) {
          if (done.has(oneofName)) continue;
          done.add(oneofName);
          lines.push(`${inner}oneof ${oneofName} {`);
          for (const g of fields) {
            const gName = typeof g.oneof === 'string' ? g.oneof : g.oneof?.name;
            if (gName === oneofName) emitField(g, e.fullName, inner + '  ', ref, true);
          }
          lines.push(`${inner}}`);
        } else emitField(f, e.fullName, inner, ref, false);
      }
      lines.push(`${indent}}`);
    };

    for (const e of top) {
      lines.push('');
      if (e.kind === 'enum') emitEnum(e, '');
      else emitMessage(e, '');
    }

    // Services: upstream's, for rpcs whose request and response types exist at the pinned version.
    const services = ref ? collectServices(ref, types) : [];
    for (const s of services) {
      lines.push('');
      lines.push(`service ${s.name} {`);
      for (const m of s.methods) {
        need(m.req);
        need(m.res);
        const req = typeRef(m.req, pkg, known);
        const res = typeRef(m.res, pkg, known);
        lines.push(
          `  rpc ${m.name}(${m.reqStream ? 'stream ' : ''}${req}) returns (${m.resStream ? 'stream ' : ''}${res})${m.deprecated ? ' {\n    option deprecated = true;\n  }' : ';'}`,
        );
      }
      lines.push('}');
    }

    const head: string[] = [
      `// ${FILE_NOTES[file] ?? 'LiveKit protocol messages.'}`,
      '// Generated by scripts/make-livekit-schemas.ts from @livekit/protocol 1.51.0; do not edit by hand.',
      '',
      'syntax = "proto3";',
      '',
      `package ${pkg};`,
    ];
    const fileOpts = ref?.options ?? {};
    const optLines = ['go_package', 'csharp_namespace', 'ruby_package']
      .filter((k) => typeof fileOpts[k] === 'string')
      .map((k) => `option ${k} = ${JSON.stringify(fileOpts[k])};`);
    if (optLines.length) head.push('', ...optLines);
    if (imports.size) head.push('', ...[...imports].sort().map((i) => `import "${i}";`));
    out.set(file, [...head, ...lines, ''].join('\n'));
  }
  if (usesLogger) out.set('logger/options.proto', loggerOptions());
  return out;
}

function reservedLines(
  reserved: Array<number[] | string>,
  indent: string,
  usedNums: Set<number>,
  usedNames: Set<string>,
  isEnum: boolean,
): string[] {
  const ranges: string[] = [];
  const names: string[] = [];
  for (const r of reserved) {
    if (typeof r === 'string') {
      if (!usedNames.has(r)) names.push(JSON.stringify(r));
      continue;
    }
    const [from, to] = r;
    let clash = false;
    for (const n of usedNums) if (n >= from && n <= to) clash = true;
    if (clash) continue;
    const max = isEnum ? 2147483647 : 536870911;
    ranges.push(from === to ? String(from) : `${from} to ${to === max ? 'max' : to}`);
  }
  const out: string[] = [];
  if (ranges.length) out.push(`${indent}reserved ${ranges.join(', ')};`);
  if (names.length) out.push(`${indent}reserved ${names.join(', ')};`);
  return out;
}

interface ServiceOut {
  name: string;
  methods: Array<{ name: string; req: string; res: string; reqStream: boolean; resStream: boolean; deprecated: boolean }>;
}

function collectServices(ref: Reference, types: Map<string, TypeEntry>): ServiceOut[] {
  const out: ServiceOut[] = [];
  const resolveName = (name: string): string => {
    if (name.startsWith('.')) return name.slice(1);
    if (name.startsWith('google.protobuf.')) return name;
    const scoped = ref.pkg ? `${ref.pkg}.${name}` : name;
    if (types.has(scoped)) return scoped;
    return name;
  };
  const visit = (ns: protobuf.NamespaceBase): void => {
    for (const child of ns.nestedArray) {
      if (child instanceof protobuf.Service) {
        const methods = child.methodsArray
          .map((m) => ({
            name: m.name,
            req: resolveName(m.requestType),
            res: resolveName(m.responseType),
            reqStream: !!m.requestStream,
            resStream: !!m.responseStream,
            deprecated: m.options?.deprecated === true,
          }))
          .filter((m) => (types.has(m.req) || m.req in WKT_FILES) && (types.has(m.res) || m.res in WKT_FILES));
        if (methods.length) out.push({ name: child.name, methods });
      } else if (child instanceof protobuf.Namespace && !(child instanceof protobuf.Type)) visit(child);
    }
  };
  visit(ref.root);
  return out;
}

/** Our own definition of the logger field options the LiveKit files use. */
function loggerOptions(): string {
  return [
    `// ${FILE_NOTES['logger/options.proto']}`,
    "// Written for Protodesk (scripts/make-livekit-schemas.ts); the extension numbers match LiveKit's.",
    '',
    'syntax = "proto3";',
    '',
    'package logger;',
    '',
    'option go_package = "github.com/livekit/protocol/livekit/logger";',
    '',
    'import "google/protobuf/descriptor.proto";',
    '',
    "// How sensitive a field's value is, for log sinks.",
    'enum Sensitivity {',
    '  SENSITIVITY_UNSPECIFIED = 0; // fine to log',
    '  SENSITIVITY_PII = 1;         // personal data: tag or redact',
    '  SENSITIVITY_SECRET = 2;      // credentials: always redact',
    '}',
    '',
    'extend google.protobuf.FieldOptions {',
    '  string redact_format = 1286; // replacement text when redacted',
    '  string name = 1287;          // key to log the field under',
    '  Sensitivity sensitivity = 1288;',
    '}',
    '',
  ].join('\n');
}

async function mainScript(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, reference: { type: 'string' } },
  });
  const outDir = resolve(values.out ?? join(ROOT, 'schemas/livekit'));
  const refDir = resolve(values.reference ?? join(ROOT, '../shared/reference-protos/livekit'));
  const files = await generateLivekitSchemas(refDir);
  for (const [file, text] of files) {
    const p = join(outDir, file);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  console.log(`wrote ${files.size} files to ${relative(process.cwd(), outDir) || '.'}`);
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) await mainScript();
