/**
 * Settings every package's vitest.config.ts merges in: the source condition (tests run against src/, not dist/),
 * and, on CI, a JSON report per package that .ci/run sums into one "N passed, N failed" line.
 */
import { defineConfig } from 'vitest/config';

export const sharedConfig = defineConfig({
  resolve: { conditions: ['@mlclients/source'] },
  ssr: { resolve: { conditions: ['@mlclients/source'] } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    // `*.test-d.ts` files are type tests: they pass only if they compile (expectTypeOf, @ts-expect-error).
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-report.json' }]] : ['default'],
  },
});
