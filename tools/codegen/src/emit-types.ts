/** types.ts: `paths`, `components`, `operations` from openapi-typescript (the types openapi-fetch is driven by). */
import openapiTS, { astToString } from 'openapi-typescript';
import type { LoadedSpec } from './load-spec.js';
import { SpecError } from './spec-error.js';

export async function emitTypesModule(spec: LoadedSpec, header: string): Promise<string> {
  try {
    const ast = await openapiTS(spec.text, { silent: true, alphabetize: false });
    return `${header}${astToString(ast)}`;
  } catch (error) {
    // openapi-typescript reports through Redocly: keep its reason, name our file.
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new SpecError(spec.file, 1, 1, `openapi-typescript: ${reason}`);
  }
}
