import type { Type } from 'protobufjs';
import type { SchemaRegistry } from '../core/schema/registry';
import { InputError, UsageError } from './command';

/** Finds the message type named by --type, or says which names come close. */
export function requireType(registry: SchemaRegistry, name: string | undefined): Type {
  if (!name) throw new UsageError('--type TYPE is required (list types with: protodesk types)');
  const type = registry.findMessage(name);
  if (type) return type;
  const close = registry
    .search(name.split('.').pop() ?? name)
    .slice(0, 5)
    .map((t) => registry.fullName(t));
  throw new InputError(`unknown message type '${name}'${close.length ? `; did you mean ${close.join(', ')}?` : ''}`);
}
