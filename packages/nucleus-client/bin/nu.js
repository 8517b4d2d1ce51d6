#!/usr/bin/env node
// The `nu` bin. Committed (not built) so that npm links it at install time, before dist/ exists in a fresh clone; it
// only starts the built CLI.
import('../dist/cli/main.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    process.stderr.write(
      'nu: @mlclients/nucleus-client is not built yet (run `npm run build` in the repository)\n',
    );
    process.exitCode = 1;
    return;
  }
  throw error;
});
