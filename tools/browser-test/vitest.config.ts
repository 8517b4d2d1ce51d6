/**
 * Two projects: `chromium` runs test/browser in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright
 * through vitest's browser mode; CHROMIUM_PATH overrides), `node` runs test/node (the proxy, the workspace bins).
 * The clients are imported as a user's bundler sees them: the built dist/ under the `browser`/`import` conditions
 * (no repo-only source condition), so `npm test` builds them first (nx: test depends on ^build).
 */
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';
import { hubBehindMethodOverrideProxy, serveMswWorker } from './vite-plugins.js';

export default defineConfig({
  test: {
    reporters: sharedConfig.test?.reporters ?? ['default'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['test/node/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        plugins: [serveMswWorker(), hubBehindMethodOverrideProxy()],
        test: {
          name: 'chromium',
          include: ['test/browser/**/*.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: {
                executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
                // Root in CI containers: Chromium refuses to start sandboxed as root.
                args: ['--no-sandbox'],
              },
            }),
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
            // A loaded 2-core CI machine can take a while to start Chromium and serve the first bundle.
            connectTimeout: 180_000,
          },
        },
      },
    ],
  },
});
