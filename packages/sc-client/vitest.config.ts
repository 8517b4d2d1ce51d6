import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

export default mergeConfig(
  sharedConfig,
  defineConfig({
    // The generated-types tests are compile-time checks too: a misspelled path or field fails `vitest run`.
    test: { typecheck: { enabled: true, include: ['test/**/*.test.ts'] } },
  }),
);
