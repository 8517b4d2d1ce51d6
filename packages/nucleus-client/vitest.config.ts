import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@mlclients/source'] },
  ssr: { resolve: { conditions: ['@mlclients/source'] } },
  test: { include: ['test/**/*.test.ts', 'src/**/*.test.ts'], testTimeout: 30_000 },
});
