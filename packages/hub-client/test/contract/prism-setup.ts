/**
 * vitest globalSetup: a Prism mock of openapi/hub.yaml on 127.0.0.1, on a free port, for the contract tests.
 * Prism validates every request against the spec (a violation is answered with an error status and an
 * `sl-violations` header) and answers with examples or data generated from the response schemas.
 */
import type { TestProject } from 'vitest/node';
import { startPrism } from '../../../../tools/mock-server/src/prism.js';

declare module 'vitest' {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prism = await startPrism('openapi/hub.yaml');
  project.provide('prismUrl', prism.url);
  return prism.stop;
}
