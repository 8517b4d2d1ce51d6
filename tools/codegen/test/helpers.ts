import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const codegenRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(codegenRoot, '../..');
export const miniSpec = path.join(codegenRoot, 'test/fixtures/mini.yaml');

/** A throwaway repo root holding openapi/mini.yaml, with node_modules linked so generated code can be compiled. */
export async function makeSandbox(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'codegen-'));
  await mkdir(path.join(root, 'openapi'));
  await cp(miniSpec, path.join(root, 'openapi/mini.yaml'));
  await writeFile(path.join(root, 'package.json'), '{"type":"module"}\n');
  return root;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI, as `npm run generate` does. */
export async function runCodegen(root: string, ...args: string[]): Promise<RunResult> {
  const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, [
      path.join(codegenRoot, 'src/cli.ts'),
      '--root',
      root,
      ...args,
    ]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
