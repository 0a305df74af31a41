import { EXIT_BAD_INPUT, EXIT_OK, type Command } from '../command';
import { SCHEMA_USAGE, parseCommandArgs, readInput, registryFromArgs, singleInput } from '../schema-options';
import { requireType } from '../message-type';
import { decodeMessage } from '../../core/document/decode';
import { formatViolation, validateMessage, violationToJson } from '../../core/validate/validate';

/** `protodesk validate`: checks one message against its kik.validation rules and proto2 `required`. */
export const validateCommand: Command = {
  usage: `usage: protodesk validate --type TYPE [--json] [FILE | -] [schema options]

Decodes FILE (or standard input) as TYPE and checks it against the kik.validation.field_validation
and kik.validation.map_key options of its fields and against proto2 'required'.
Prints one violation per line ("path: what is wrong (rule)"); exit status 0 when valid,
1 when there are violations or the input cannot be decoded.
  --type TYPE   fully-qualified message type, e.g. mobile.video.v1.BatchedGetConvoStateRequest
  --json        print the violations as a JSON array instead

${SCHEMA_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { type: { type: 'string' }, json: { type: 'boolean' } });
    const file = singleInput(positionals);
    const registry = await registryFromArgs(values, io);
    const type = requireType(registry, values.type);
    const bytes = await readInput(file, io);
    // transient: the validator reads each message once, so nodes are not kept (memory stays near the input's size).
    const violations = validateMessage(decodeMessage(bytes, type, { transient: true }));
    if (values.json) io.stdout.write(`${JSON.stringify(violations.map(violationToJson), null, 2)}\n`);
    else io.stdout.write(violations.map((v) => `${formatViolation(v)}\n`).join(''));
    return violations.length ? EXIT_BAD_INPUT : EXIT_OK;
  },
};
