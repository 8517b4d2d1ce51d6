/**
 * Where the fact sheet does not know a shape, openapi/sc.yaml says so instead of inventing fields: every object schema
 * without declared properties (an open object) carries a description stating that its fields are not described or
 * not recorded. This is the list a reader of the spec (and a later fake) can trust to be "unknown".
 */
import { describe, expect, it } from 'vitest';
import { spec } from './helpers/spec-routes.js';

const SAYS_UNKNOWN = /not described|not recorded|not known|does not describe|not in the fact sheet/i;

type Node = { [key: string]: unknown };

/** Every open object schema in the spec, with its JSON pointer and the description nearest to it. */
function openObjects(node: unknown, pointer: string, inherited: string, found: [string, string][]) {
  if (Array.isArray(node)) {
    for (const [i, child] of node.entries()) openObjects(child, `${pointer}/${i}`, inherited, found);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Node;
  const description = typeof schema.description === 'string' ? schema.description : inherited;
  const open =
    schema.type === 'object' &&
    schema.properties === undefined &&
    schema.additionalProperties === undefined &&
    schema.oneOf === undefined;
  if (open) found.push([pointer, description]);
  for (const [key, child] of Object.entries(schema)) {
    // An array's items inherit the array's description ("the item fields are not described").
    openObjects(child, `${pointer}/${key}`, key === 'items' ? description : '', found);
  }
}

describe('unknown shapes in openapi/sc.yaml', () => {
  const found: [string, string][] = [];
  openObjects(spec, '#', '', found);

  it('marks every open object schema as not described', () => {
    expect(found.length).toBeGreaterThan(10);
    expect(
      found.filter(([, description]) => !SAYS_UNKNOWN.test(description)).map(([pointer]) => pointer),
    ).toEqual([]);
    console.log(
      `sc spec: ${found.length} open (undescribed) object schemas:\n  ${found.map(([p]) => p).join('\n  ')}`,
    );
  });
});
