/** types.ts: `paths`, `components`, `operations` from openapi-typescript (the types openapi-fetch is driven by). */
import openapiTS, { astToString } from 'openapi-typescript';
import type { LoadedSpec } from './load-spec.js';
import { SpecError } from './spec-error.js';

export async function emitTypesModule(spec: LoadedSpec, header: string): Promise<string> {
  try {
    const ast = await openapiTS(spec.text, { silent: true, alphabetize: false });
    return `${header}${withDocComments(astToString(ast), spec.file)}`;
  } catch (error) {
    // openapi-typescript reports through Redocly: keep its reason, name our file.
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new SpecError(spec.file, 1, 1, `openapi-typescript: ${reason}`);
  }
}

/** What each top-level declaration of openapi-typescript's output is (it writes none): the API reference shows these. */
const TOP_LEVEL_DOCS: Record<string, string> = {
  'export interface paths {':
    "Every path of {spec}, with its operations' parameters, request bodies and responses (openapi-typescript).",
  'export type webhooks =': 'The webhooks of {spec} (openapi-typescript).',
  'export interface components {':
    'The reusable parts of {spec}: `components.schemas` holds its data types (openapi-typescript).',
  'export type $defs =': 'The `$defs` of {spec} (openapi-typescript).',
  'export interface operations {': 'Every operation of {spec}, keyed by operationId (openapi-typescript).',
};

function withDocComments(source: string, specFile: string): string {
  return source
    .split('\n')
    .map((line) => {
      const start = Object.keys(TOP_LEVEL_DOCS).find((s) => line.startsWith(s));
      return start ? `/** ${TOP_LEVEL_DOCS[start]?.replace('{spec}', `\`${specFile}\``)} */\n${line}` : line;
    })
    .join('\n');
}
