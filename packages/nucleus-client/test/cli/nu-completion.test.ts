/**
 * `nu`'s completion scripts in the real shells, with the built `nu` on PATH: bash parses (`bash -n`) and sources the
 * script and completes through its own machinery (which calls `nu complete -- ...`); fish completes commands and
 * options; zsh parses the script (its completion needs a terminal). A shell missing here skips its test, except on
 * CI, which installs them (.ci/run).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltNu, buildNu } from './helpers/built-nu.js';

const BASH_COMPLETION = '/usr/share/bash-completion/bash_completion';
const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
const skip = (shell: string) => !has(shell) && !process.env.CI;

let nu: BuiltNu;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  [nu, dir] = await Promise.all([buildNu(), mkdtemp(join(tmpdir(), 'nu-completion-'))]);
  const wrapper = join(dir, 'nu');
  await writeFile(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${nu.bin}" "$@"\n`);
  await chmod(wrapper, 0o755);
  env = { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH}` };
}, 120_000);
afterAll(async () => {
  await Promise.all([nu?.remove(), dir && rm(dir, { recursive: true, force: true })]);
});

const shell = (command: string, args: string[]) =>
  execFileSync(command, args, { env, encoding: 'utf8', timeout: 60_000 });

describe('nu completion scripts', { timeout: 120_000 }, () => {
  it.skipIf(skip('bash'))(
    'bash: bash -n and source accept the script; TAB completes commands and options',
    async () => {
      const script = join(dir, 'nu.bash');
      await writeFile(script, shell('nu', ['completion', 'bash']));
      expect(spawnSync('bash', ['-n', script], { encoding: 'utf8' })).toMatchObject({
        status: 0,
        stderr: '',
      });
      expect(shell('bash', ['-c', `source ${script} && complete -p nu`]).trim()).toBe(
        'complete -F __nu_complete nu',
      );

      const complete = (line: string) =>
        shell('bash', [
          '-c',
          `[ -f ${BASH_COMPLETION} ] && source ${BASH_COMPLETION}
         source ${script}
         COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}
         read -r -a COMP_WORDS <<< "$COMP_LINE"; [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
         COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
         __nu_complete 2>/dev/null
         printf '%s\\n' "\${COMPREPLY[@]}"`,
        ])
          .trimEnd()
          .split('\n');
      expect(complete('nu datasets ').sort()).toEqual(['create', 'delete', 'help', 'info', 'list']);
      expect(complete('nu metrics bbox_iou --quirks ')).toEqual(['faithful', 'fixed']);
    },
  );

  it.skipIf(skip('fish'))('fish: completes commands and global options after a subcommand', () => {
    const out = shell('fish', [
      '-c',
      'nu completion fish | source; complete -C "nu jo"; complete -C "nu jobs wait --js"',
    ]);
    expect(out.trimEnd().split('\n')).toEqual([
      'jobs\tjobs: list (default), status, errors, wait',
      '--json\tprint JSON instead of tables and sentences',
    ]);
  });

  it.skipIf(skip('zsh'))('zsh: the script parses and registers the completion function', async () => {
    const script = shell('nu', ['completion', 'zsh']);
    expect(script).toContain('#compdef nu');
    const file = join(dir, '_nu');
    await writeFile(file, script);
    expect(spawnSync('zsh', ['-n', file], { encoding: 'utf8' })).toMatchObject({ status: 0, stderr: '' });
  });
});
