/** `GET /status`: the status of an object of one of the classes the server lists (status/get_status_invalid). */
import { resources } from '@mlclients/hub-client';
import { operationSchemas } from '../../generated/zod.js';
import { invalid, missing, notFound, ok } from '../answers.js';
import type { HubHandler } from '../context.js';

/**
 * The classes `GET /status` accepts (the spec's enum, in the recorded order), and the resource each lives in;
 * none for `Component` and `Subscription`, which the fake does not keep (so they are 404).
 */
const STATUS_OBJECTS: Readonly<Record<string, string | undefined>> = Object.fromEntries(
  operationSchemas.getStatus.body.shape.object.options.map((objectClass: string) => [
    objectClass,
    Object.values(resources).find((r) => r.item === objectClass)?.name,
  ]),
);

export const statusHandlers: Record<string, HubHandler> = {
  getStatus(call, ctx) {
    const absent = missing(call.body, ['object', 'id']);
    if (absent) return absent;
    const objectClass = String(call.body.object);
    if (!(objectClass in STATUS_OBJECTS)) {
      const list = Object.keys(STATUS_OBJECTS)
        .map((c) => JSON.stringify(c))
        .join(', ');
      return invalid(['object', `is not in the list [${list}]`]);
    }
    const table = STATUS_OBJECTS[objectClass];
    const obj = table ? ctx.store.get(table, call.body.id as string | number) : undefined;
    if (!obj || !table) return notFound(objectClass);
    return ok({ status: ctx.advance(table, obj).status });
  },
};
