/**
 * One codec per message type: `parse` validates a value (the constructor's asserts, with field-naming errors),
 * `encode` writes Python's `json.dumps(msg.serialize())` text, `decode` reads what Python's `deserialize(json.loads())`
 * reads. Decoding is lossless: ints beyond 2^53 come back as bigint.
 */
import { dumpPythonJson, type JsonValue, parseJson, toPlainJson } from '@mlclients/package-core/json';
import type { z } from 'zod';
import { SpacerJsonError, SpacerMessageError } from '../errors.js';

/** Validation and pyspacer's JSON (de)serialization of one message type. */
export interface MessageCodec<T> {
  /** pyspacer's class name (`JobMsg`, `DataLocation`...), named in errors. */
  readonly messageType: string;
  /** Validates and normalises (`trainer_name`, short class paths, default trainer parameters, ...). */
  parse(value: unknown): T;
  /** `json.dumps(msg.serialize())`, byte for byte. */
  encode(msg: T): string;
  /** The UTF-8 bytes spacer stores. */
  encodeBytes(msg: T): Uint8Array;
  /** JSON text or its UTF-8 bytes. */
  decode(json: string | Uint8Array): T;
  /** The JSON value of `serialize()` (Maps in Python's key order). */
  toPython(msg: T): JsonValue;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/**
 * A codec from a zod schema and a `serialize()` port.
 *
 * @param toPython What pyspacer's `serialize()` returns for a message, as a JSON value (Maps keep Python's key order).
 */
export function defineCodec<S extends z.ZodType>(
  messageType: string,
  schema: S,
  toPython: (msg: z.output<S>) => JsonValue,
): MessageCodec<z.output<S>> {
  const parse = (value: unknown): z.output<S> => {
    const result = schema.safeParse(value);
    if (!result.success) throw new SpacerMessageError(messageType, result.error.issues);
    return result.data;
  };
  const encode = (msg: z.output<S>): string => dumpPythonJson(toPython(parse(msg)));
  return {
    messageType,
    parse,
    encode,
    encodeBytes: (msg) => encoder.encode(encode(msg)),
    toPython: (msg) => toPython(parse(msg)),
    decode(json) {
      let value: JsonValue;
      try {
        value = parseJson(typeof json === 'string' ? json : utf8.decode(json));
      } catch (error) {
        throw new SpacerJsonError(`${messageType}: not valid JSON: ${(error as Error).message}`, {
          cause: error,
        });
      }
      return parse(toPlainJson(value));
    },
  };
}
