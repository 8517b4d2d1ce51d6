import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../vitest.shared.js';

// Each example does real work over HTTP (an SC project from 16 images, 1,000 Nucleus items): on a loaded 2-core
// machine one can take longer than the shared 30 s.
export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { testTimeout: 120_000, hookTimeout: 60_000 } }),
);
