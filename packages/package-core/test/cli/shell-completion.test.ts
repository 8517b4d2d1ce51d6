/**
 * The completion scripts in the real shells: the demo CLI is put on PATH as `democli`, its script loaded the way its
 * help says, and the shell asked to complete a command line. bash and fish run the script end to end (their own
 * completion machinery calls `democli complete -- ...`); zsh only parses it (its completion needs a terminal).
 * CI installs the shells (.ci/run); elsewhere a missing shell skips its test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BASH_COMPLETION = '/usr/share/bash-completion/bash_completion';
const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
const available = {
  bash: has('bash') && spawnSync('test', ['-f', BASH_COMPLETION]).status === 0,
  zsh: has('zsh'),
  fish: has('fish'),
};
/** On CI a missing shell is a failure (.ci/run installs them), not a skip. */
const skip = (shell: keyof typeof available) => !available[shell] && !process.env.CI;

let bin: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  bin = mkdtempSync(path.join(tmpdir(), 'mlc-cli-shell-'));
  // Bundled once, so that each TAB the shells send starts plain JavaScript (as an installed CLI does), not tsx.
  await build({
    entryPoints: [fileURLToPath(new URL('./fixtures/demo-bin.ts', import.meta.url))],
    outfile: path.join(bin, 'democli.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    conditions: ['@mlclients/source'],
    // commander is CommonJS: give its require() of node built-ins a real require in the ESM bundle.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  // The bundle reads its version from the package.json beside it, as the built CLIs do.
  copyFileSync(
    fileURLToPath(new URL('./fixtures/demo-package.json', import.meta.url)),
    path.join(bin, 'demo-package.json'),
  );
  writeFileSync(
    path.join(bin, 'democli'),
    `#!/bin/sh\nexec "${process.execPath}" "${path.join(bin, 'democli.mjs')}" "$@"\n`,
  );
  chmodSync(path.join(bin, 'democli'), 0o755);
  env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
});
afterAll(() => rmSync(bin, { recursive: true, force: true }));

function shell(command: string, args: string[]): string {
  return execFileSync(command, args, { env, encoding: 'utf8', timeout: 60_000 });
}

describe('completion scripts', () => {
  it.skipIf(skip('bash'))('bash: completes subcommands and option choices through the script', () => {
    const complete = (line: string) =>
      shell('bash', [
        '-c',
        `source ${BASH_COMPLETION}
         source <(democli completion bash)
         complete -p democli
         COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}
         read -r -a COMP_WORDS <<< "$COMP_LINE"; [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
         COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
         __democli_complete 2>/dev/null
         printf '%s\\n' "\${COMPREPLY[@]}"`,
      ]);
    const [registration, ...candidates] = complete('democli projects ').trimEnd().split('\n');
    expect(registration).toBe('complete -F __democli_complete democli');
    expect(candidates.sort()).toEqual(['export', 'help', 'list']);
    expect(complete('democli install x --mode ').trimEnd().split('\n').slice(1)).toEqual(['copy', 'link']);
  });

  it.skipIf(skip('fish'))('fish: completes commands and options with their descriptions', () => {
    const out = shell('fish', [
      '-c',
      'democli completion fish | source; complete -C "democli pro"; complete -C "democli install --q"',
    ]);
    expect(out.trimEnd().split('\n')).toEqual([
      'projects\tprojects of the workspace',
      '--quiet\tno progress bars',
    ]);
  });

  it.skipIf(skip('zsh'))('zsh: the script parses and registers the completion function', () => {
    const script = shell('democli', ['completion', 'zsh']);
    expect(script).toContain('#compdef democli');
    expect(script).toMatch(/compdef _democli democli/);
    const file = path.join(bin, '_democli');
    writeFileSync(file, script);
    expect(spawnSync('zsh', ['-n', file], { encoding: 'utf8' })).toMatchObject({ status: 0, stderr: '' });
  });
});
