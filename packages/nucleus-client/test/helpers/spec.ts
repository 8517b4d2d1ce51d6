/** openapi/nucleus.yaml as plain JSON, for tests that check what the generated table does not carry. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SPEC_FILE } from './fact-sheet.js';

// biome-ignore lint/suspicious/noExplicitAny: a parsed OpenAPI document is walked structurally.
export type SpecNode = any;

export const spec: SpecNode = parse(readFileSync(SPEC_FILE, 'utf8'));

export const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;

/** Every operation object of the spec with its method and path. */
export function specOperations(): { method: string; path: string; op: SpecNode }[] {
  return Object.entries(spec.paths as Record<string, SpecNode>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((method) => ({ method, path, op: item[method] })),
  );
}

/** Follows one `$ref` inside the spec. */
export function deref(node: SpecNode): SpecNode {
  if (node && typeof node.$ref === 'string') {
    return (node.$ref as string)
      .slice(2)
      .split('/')
      .reduce((acc: SpecNode, key: string) => acc?.[key], spec);
  }
  return node;
}
