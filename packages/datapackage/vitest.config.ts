import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      setupFiles: ['test/setup-state-dir.ts'],
      // The CLI tests spawn a bundle of the CLI compiled once per run (see build-cli.ts), not tsx per child.
      globalSetup: ['test/cli/build-cli.ts'],
    },
  }),
);
