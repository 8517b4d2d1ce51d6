/**
 * Every test file gets its own datapkg state folder (install records), removed afterwards, so tests never write into
 * the user's `~/.local/state`. CLI children inherit it through the environment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const stateDir = mkdtempSync(join(tmpdir(), 'dp-state-'));
process.env.MLC_DATAPKG_STATE_DIR = stateDir;
afterAll(() => {
  rmSync(stateDir, { recursive: true, force: true });
});
