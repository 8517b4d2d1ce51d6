import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

export default mergeConfig(
  sharedConfig,
  defineConfig({
    // Prism (on 127.0.0.1, a free port) for test/contract; see test/contract/prism-setup.ts.
    test: { globalSetup: ['./test/contract/prism-setup.ts'] },
  }),
);
