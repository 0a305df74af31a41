/** Resolving a schema root: every type reference, extension and method, each problem placed in its .proto file. */
import type { Root } from 'protobufjs';
import { Field, Namespace, Service, Type } from 'protobufjs';
import { findDeclaration, findExtend, findFieldType } from './proto-source';
import { fileOf, stripDot, walk } from './reflection';
import { SchemaError } from './schema-error';

/**
 * Resolves every type reference and extension of a root; returns one SchemaError per problem
 * (naming the file, position and type; `sourceOf` gives a file's .proto text). When `drop` is
 * set, unresolvable fields, extensions and methods are removed so the root resolves.
 */
export function resolveSchemaRoot(root: Root, sourceOf: (file: string) => string | undefined, drop: boolean): SchemaError[] {
  const errors: SchemaError[] = [];
  // Extensions whose extended type does not exist stay in root.deferred.
  for (const f of [...root.deferred]) {
    const file = fileOf(f);
    const src = file ? sourceOf(file) : undefined;
    const at = src && f.extend ? findExtend(src, f.extend) : undefined;
    errors.push(
      new SchemaError(`extend ${f.extend}: no such message type (extension ${stripDot(f.fullName)})`, {
        file: file ?? '<unknown file>',
        line: at?.line,
        column: at?.column,
      }),
    );
    if (drop) f.parent?.remove(f);
  }
  if (drop) root.deferred.length = 0;
  walk(root, (o) => {
    if (!(o instanceof Type) && !(o instanceof Namespace && !(o instanceof Service))) return;
    const fields: Field[] = o instanceof Type ? o.fieldsArray : (o.nestedArray.filter((x) => x instanceof Field) as Field[]);
    for (const f of fields) {
      if (f.resolved) continue;
      try {
        f.resolve();
      } catch (e) {
        const file = fileOf(f) ?? fileOf(o);
        const src = file ? sourceOf(file) : undefined;
        const missing = f.type;
        const at = src ? findFieldType(src, f.name, f.id, missing.split('.').pop() ?? missing) : undefined;
        const owner = stripDot(o.fullName);
        const why = e instanceof Error && !/no such Type or Enum/.test(e.message) ? e.message : `unknown type "${missing}"`;
        errors.push(
          new SchemaError(`field ${owner}.${f.name}: ${why}`, { file: file ?? '<unknown file>', line: at?.line, column: at?.column }),
        );
        if (drop) {
          if (f.partOf) f.partOf.remove(f);
          if (o instanceof Type) o.remove(f);
          else (o as Namespace).remove(f);
        }
      }
    }
  });
  const services: Service[] = [];
  walk(root, (o) => {
    if (o instanceof Service) services.push(o);
  });
  services.sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0)); // as SchemaRegistry.services() lists them
  for (const svc of services) {
    for (const m of svc.methodsArray) {
      if (m.resolved) continue;
      try {
        m.resolve();
      } catch (e) {
        const file = fileOf(m) ?? fileOf(svc);
        const src = file ? sourceOf(file) : undefined;
        const at = src ? findDeclaration(src, m.name) : undefined;
        errors.push(
          new SchemaError(`method ${stripDot(m.fullName)}: ${e instanceof Error ? e.message : String(e)}`, {
            file: file ?? '<unknown file>',
            line: at?.line,
            column: at?.column,
          }),
        );
        if (drop) svc.remove(m);
      }
    }
  }
  if (errors.length === 0 || drop) {
    try {
      root.resolveAll();
    } catch (e) {
      // First: with `drop`, the registry kept this one before the others.
      errors.unshift(new SchemaError(e instanceof Error ? e.message : String(e)));
    }
  }
  return errors;
}
