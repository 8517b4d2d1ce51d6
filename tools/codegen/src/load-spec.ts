/**
 * Reads an OpenAPI YAML file and keeps its source map, so every later check can say which line is wrong.
 */
import { readFile } from 'node:fs/promises';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import { SpecError } from './spec-error.js';

export type JsonPointer = readonly (string | number)[];

export interface LoadedSpec {
  /** Path as given, used in messages (relative to the repo root). */
  file: string;
  /** The raw YAML text, handed to openapi-typescript as is. */
  text: string;
  /** The spec as plain JSON values. */
  root: Record<string, unknown>;
  /** Throws a SpecError pointing at the node found at `pointer` (or its nearest existing parent). */
  fail(pointer: JsonPointer, reason: string): never;
}

export async function loadSpec(file: string, absolutePath: string): Promise<LoadedSpec> {
  const text = await readFile(absolutePath, 'utf8');
  return parseSpec(file, text);
}

export function parseSpec(file: string, text: string): LoadedSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const { line, col } = lineCounter.linePos(firstError.pos[0]);
    throw new SpecError(file, line, col, `YAML: ${firstError.message.split('\n')[0]}`);
  }
  const root = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  const fail = (pointer: JsonPointer, reason: string): never => {
    const { line, col } = locate(doc, lineCounter, pointer);
    throw new SpecError(file, line, col, reason);
  };
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    fail([], 'the spec must be a YAML mapping (an OpenAPI document)');
  }
  return { file, text, root: root as Record<string, unknown>, fail };
}

function locate(
  doc: Document,
  lineCounter: LineCounter,
  pointer: JsonPointer,
): { line: number; col: number } {
  // Walk down as far as the pointer exists; a missing key is reported at its parent.
  for (let depth = pointer.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(pointer.slice(0, depth), true);
    if (isNode(node) && node.range) {
      return lineCounter.linePos(node.range[0]);
    }
    // A key whose value is null has no value node: report the key's own position.
    if (depth > 0) {
      const parent = depth === 1 ? doc.contents : doc.getIn(pointer.slice(0, depth - 1), true);
      const key = pointer[depth - 1];
      const pair = (
        parent as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] }
      )?.items?.find((item) => item.key?.value === key);
      if (pair?.key?.range) return lineCounter.linePos(pair.key.range[0]);
    }
  }
  return { line: 1, col: 1 };
}
