/**
 * A small test service with every kind of call, for the streaming, Connect GET and reflection
 * tests: test.echo.v1.Echo with a side-effect-free unary method (Connect GET), a plain unary one,
 * and server-, client- and bidi-streaming ones. Loaded as a protobufjs Root (what the mock and
 * `send` use) and compiled by protoc into a descriptor set (what connect-node and grpc-js referees
 * use).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Root } from 'protobufjs';
import { loadSchemas } from '../core-node/schema/load-schemas';
import { PROTOC, PROTOC_INCLUDE } from './protoc';

/** The .proto text of test.echo.v1. */
export const ECHO_PROTO = `syntax = "proto3";
package test.echo.v1;

message EchoRequest {
  string text = 1;
  int32 count = 2;
}

message EchoResponse {
  string text = 1;
  int32 index = 2;
}

service Echo {
  rpc Get(EchoRequest) returns (EchoResponse) {
    option idempotency_level = NO_SIDE_EFFECTS;
  }
  rpc Say(EchoRequest) returns (EchoResponse);
  rpc Expand(EchoRequest) returns (stream EchoResponse);
  rpc Collect(stream EchoRequest) returns (EchoResponse);
  rpc Chat(stream EchoRequest) returns (stream EchoResponse);
}
`;

/** A directory holding echo.proto, and the descriptor set protoc makes of it. */
export interface EchoFiles {
  dir: string;
  protoPath: string;
  descriptorSetPath: string;
  descriptorSet: Uint8Array;
}

/** Writes echo.proto to a temporary directory and compiles it with protoc (imports included). */
export function echoFiles(): EchoFiles {
  const dir = mkdtempSync(join(tmpdir(), 'protodesk-echo-'));
  const protoPath = join(dir, 'echo.proto');
  writeFileSync(protoPath, ECHO_PROTO);
  const descriptorSetPath = join(dir, 'echo.binpb');
  const r = spawnSync(
    PROTOC,
    [`-I${dir}`, `-I${PROTOC_INCLUDE}`, '--include_imports', `--descriptor_set_out=${descriptorSetPath}`, 'echo.proto'],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`protoc failed: ${r.stderr}`);
  return { dir, protoPath, descriptorSetPath, descriptorSet: new Uint8Array(readFileSync(descriptorSetPath)) };
}

/** The bundled schemas plus test.echo.v1, as the mock and `send` load them. */
export async function echoRoot(files: EchoFiles): Promise<Root> {
  const reg = await loadSchemas({ tolerant: true, importPaths: [files.dir], protoFiles: [files.protoPath] });
  return reg.root;
}
