/**
 * Fake conformance: the fake engine checks every answer it gives against openapi/hub.yaml (the generated zod
 * schemas; on by default under vitest). These helpers assert that nothing failed and report how many answers
 * were checked, so a suite shows it covered the fake and not an empty run.
 */
import { expect } from 'vitest';
import type { HubFake } from '../../src/mocks/index.js';

/** Every answer since the last reset conformed (the problems name operation, path, status and the zod issue). */
export function expectConforms(fake: HubFake): void {
  expect(fake.engine.conformance.problems).toEqual([]);
}

/** Print the count (one line per test file; `grep 'hub fake conformance'` over a run gives the suite's total). */
export function reportConformance(fake: HubFake, where: string): void {
  const { checked, problems } = fake.engine.conformance;
  console.log(
    `hub fake conformance: ${checked} answers checked against openapi/hub.yaml, ${problems.length} not conforming (${where})`,
  );
}
