import { availableParallelism } from 'node:os';
import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      setupFiles: ['test/setup-state-dir.ts'],
      // The CLI tests spawn a bundle of the CLI compiled once per run (see build-cli.ts), not tsx per child.
      globalSetup: ['test/cli/build-cli.ts'],
      // The long files mostly wait on CLI children and the S3 test server: two files at a time even on 2 cores
      // (vitest's default there is one).
      maxWorkers: Math.max(2, availableParallelism() - 1),
      // Emptying an S3 registry of a few hundred keys (the afterAll of the crash and race tests) on a busy machine.
      hookTimeout: 60_000,
    },
  }),
);
