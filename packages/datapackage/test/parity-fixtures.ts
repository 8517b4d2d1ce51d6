/** The facts quilt3 8.0.0 wrote into test/fixtures/quilt3-parity/quilt3-parity.json (see generate.py there). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PARITY_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'quilt3-parity');

type WorkflowResult = { top_hash: string; manifest: string } | { error: string; message: string };

export interface ParityFixtures {
  quilt3_version: string;
  tree: Record<string, string>;
  quiltignore: Record<string, { rules: string; keys: string[] }>;
  set_dir_build: { files: Record<string, string>; top_hash: string; manifest: string };
  workflows: Record<'no-message' | 'bad-meta' | 'ok' | 'no-workflow', WorkflowResult>;
  installed: { name: string };
}

export const parity = JSON.parse(
  readFileSync(join(PARITY_DIR, 'quilt3-parity.json'), 'utf8'),
) as ParityFixtures;
