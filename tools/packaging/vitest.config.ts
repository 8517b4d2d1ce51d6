import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

// Packing and type-checking a consumer project take a while on a busy 2-core machine.
export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { testTimeout: 300_000, hookTimeout: 600_000 } }),
);
